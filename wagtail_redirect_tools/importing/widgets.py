"""django-import-export widgets for the cells of a redirect file: type, site, moments.

Each ``clean`` raises ``ValueError`` with a message for the editor; ``render`` writes
the value so that ``clean`` reads it back unchanged (export → import round trip).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export.widgets import Widget
from wagtail.models import Site

TYPE_WORDS = {"permanent": 301, "temporary": 302, "gone": 410}
STATUS_CODES = (301, 302, 307, 308, 410)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: What an ``every_language`` cell may say: yes (``all``, as in a ``languages`` column) or no.
EVERY_LANGUAGE_WORDS = {
    **dict.fromkeys(("1", "true", "yes", "y", "on", "all", "*", "x"), True),
    **dict.fromkeys(("0", "false", "no", "n", "off"), False),
}


class EveryLanguageWidget(Widget):
    """Whether a redirect serves every language: yes, true, 1 or all; no, false, 0 or blank."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if is_blank(value):
            return False
        if isinstance(value, bool | int) and value in (0, 1):
            return bool(value)
        found = EVERY_LANGUAGE_WORDS.get(str(value).strip().lower())
        if found is None:
            raise ValueError(
                _(
                    "'%(value)s' does not say whether the redirect serves every language "
                    "(yes, true, 1, all) or not (no, false, 0, or blank)."
                )
                % {"value": str(value)[:40]}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "yes" if value else ""


class StatusWidget(Widget):
    """301/302/307/308/410, or permanent/temporary/gone; blank is None (the default)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            code = int(value) if value == value and abs(value) < 1000 else 0  # not NaN, inf
        else:
            text = str(value).strip().lower()
            if len(text) == 3 and text.isdecimal():  # "301": most cells of most files
                code = int(text)
            else:
                match = re.match(r"^(\d{3})(\b|$)", text)
                code = int(match.group(1)) if match else _type_words().get(text, 0)
        if code not in STATUS_CODES:
            raise ValueError(_unknown_status(value, code))
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else int(value)


def _type_words() -> dict[str, int]:
    """Ours, and the words Wagtail core's redirect export writes in the active language
    (worked out once per language: a file of 100,000 rows may say "temporary" on each)."""
    language = get_language()
    if language not in _WORDS_BY_LANGUAGE:
        _WORDS_BY_LANGUAGE[language] = {
            **TYPE_WORDS,
            _("permanent").lower(): 301,
            _("temporary").lower(): 302,
        }
    return _WORDS_BY_LANGUAGE[language]


_WORDS_BY_LANGUAGE: dict[str | None, dict[str, int]] = {}


def _unknown_status(value: Any, code: int) -> str:
    if code:  # a status code, but not one a redirect here answers with
        return _(
            "'%(value)s' is not a redirect type: status %(code)s is not one we serve. "
            "Use 301, 302, 307, 308 or 410 (or permanent, temporary, gone)."
        ) % {"value": str(value)[:40], "code": code}
    return _(
        "'%(value)s' is not a redirect type: use 301, 302, 307, 308, 410, "
        "permanent, temporary or gone."
    ) % {"value": str(value)[:40]}


DEFAULT_PORTS = (80, 443)


def site_for_hostname(hostname: str, sites: list[Site]) -> Site | None:
    """The site a bare host name means: the one on port 80, else on 443, else the only one."""
    matching = [site for site in sites if site.hostname.lower() == hostname.lower()]
    for port in DEFAULT_PORTS:
        on_port = [site for site in matching if site.port == port]
        if on_port:
            return on_port[0]
    return matching[0] if len(matching) == 1 else None


def site_label(site: Site, sites: list[Site] | None = None) -> str:
    """``hostname`` for a site on port 80 or 443 (when the host name alone means it among
    ``sites``), else ``hostname:port``; :class:`SiteWidget` reads both back."""
    if site.port in DEFAULT_PORTS and site_for_hostname(site.hostname, sites or [site]) == site:
        return str(site.hostname)
    return f"{site.hostname}:{site.port}"


class SiteWidget(Widget):
    """One of the Wagtail sites; blank is None (all sites).

    A site is named by ``hostname:port``, its host name alone (see
    :func:`site_for_hostname`), its display name as Wagtail core's redirect export writes
    it (``localhost [default]``, ``example.com:8080``, the site name), its site name, or
    its id, tried in that order; a name that fits two sites at one step is refused.
    """

    def __init__(self, sites: list[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sites = sites
        self._steps: list[dict[str, list[Site]]] | None = None

    def _all_sites(self) -> list[Site]:
        if self._sites is None:
            self._sites = list(Site.objects.all())
        return self._sites

    def _lookup_steps(self) -> list[dict[str, list[Site]]]:
        sites = self._all_sites()
        with_port: dict[str, list[Site]] = {}
        hostnames: dict[str, list[Site]] = {}
        names: dict[str, list[Site]] = {}
        ids: dict[str, list[Site]] = {}
        for site in sites:
            with_port.setdefault(f"{site.hostname}:{site.port}".lower(), []).append(site)
            chosen = site_for_hostname(site.hostname, sites)
            if chosen is not None:
                hostnames[site.hostname.lower()] = [chosen]
            for name in {str(site).lower(), (site.site_name or "").lower()} - {""}:
                names.setdefault(name, []).append(site)
            ids[str(site.pk)] = [site]
        return [with_port, hostnames, names, ids]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Site | None:
        if is_blank(value):
            return None
        if self._steps is None:
            self._steps = self._lookup_steps()
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet's number cell: the site's id
        text = re.sub(r"^[a-z]+://", "", str(value).strip().lower()).rstrip("/")
        # Core's label of the default site ends in " [default]" (translated): also
        # without it, as the site may no longer be the default one.
        for candidate in dict.fromkeys((text, re.sub(r"\s*\[[^\]]*\]$", "", text))):
            for step in self._steps:
                found = step.get(candidate, [])
                if len(found) == 1:
                    return found[0]
                if found:
                    raise ValueError(_ambiguous_site(value, found))
        raise ValueError(
            _(
                "No site has the host '%(value)s'. Give its hostname (with :port unless it "
                "is 80 or 443), its name or its id, or leave the cell empty for all sites."
            )
            % {"value": str(value)[:80]}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else site_label(value, self._all_sites())


def _ambiguous_site(value: Any, sites: list[Site]) -> str:
    return _("'%(value)s' could be any of %(sites)s: give the hostname and port instead.") % {
        "value": str(value)[:80],
        "sites": ", ".join(f"{site.hostname}:{site.port}" for site in sites),
    }


# Stands for "no zone given" while Django's DateTimeField reads a time, which would
# otherwise put it in the editor's zone: a naive time is in the site's TIME_ZONE.
_NO_ZONE = datetime.timezone(datetime.timedelta(0), "no zone given")


class LocalTimeError(ValueError):
    """A local time that a clock change skips (``missing``) or repeats (``repeated``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def local_time_problem(moment: datetime.datetime, zone: datetime.tzinfo) -> str | None:
    """``missing`` if the clocks of ``zone`` skip the naive ``moment``, ``repeated`` if
    they show it twice, else None."""
    first, second = moment.replace(fold=0, tzinfo=zone), moment.replace(fold=1, tzinfo=zone)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None, fold=0)
    return "missing" if back != moment.replace(fold=0) else "repeated"


def _local_time_message(value: Any, kind: str) -> str:
    params = {"value": str(value)[:40], "zone": timezone.get_default_timezone_name()}
    if kind == "missing":
        return (
            _(
                "'%(value)s' does not exist in %(zone)s: the clocks go forward over it. "
                "Give another time, or the time with its UTC offset (such as +01:00)."
            )
            % params
        )
    return (
        _(
            "'%(value)s' happens twice in %(zone)s: the clocks go back over it. "
            "Give the time with its UTC offset (such as +01:00) to say which."
        )
        % params
    )


class MomentWidget(Widget):
    """A date and time: ISO 8601 (read by Django's ``dateparse``), the site's input
    formats (read by Django's ``DateField`` and ``DateTimeField``), or a spreadsheet cell.

    Naive values are in the site's ``TIME_ZONE``; one that a clock change skips or
    repeats there is refused, as the admin form refuses it. A date without a time is the
    start of that day, or with ``end_of_day`` (an expiry) the end of it. The result is in
    UTC.
    """

    def __init__(self, end_of_day: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.end_of_day = end_of_day
        self.date_field = forms.DateField()
        self.datetime_field = forms.DateTimeField()

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime.datetime | None:
        if is_blank(value):
            return None
        try:
            return self._parse(value).astimezone(datetime.UTC)
        except LocalTimeError as error:
            raise ValueError(_local_time_message(value, error.kind)) from None
        # OverflowError: e.g. 9999-12-31 at the end of the day.
        except (OverflowError, ValueError, ValidationError):
            raise ValueError(
                _(
                    "'%(value)s' is not a date: use ISO 8601 such as 2026-12-31 or "
                    "2026-12-31T18:00:00+01:00."
                )
                % {"value": str(value)[:40]}
            ) from None

    def _parse(self, value: Any) -> datetime.datetime:
        if isinstance(value, datetime.datetime):
            return self._aware(value)
        if isinstance(value, datetime.date):
            return self._from_date(value)
        text = str(value).strip()
        day = self._read_date(text)
        if day is not None:
            return self._from_date(day)
        return self._aware(parse_datetime(text) or self._read_datetime(text))

    def _read_date(self, text: str) -> datetime.date | None:
        """A date alone: ISO 8601, or one of the site's ``DATE_INPUT_FORMATS``."""
        if ":" in text:  # a time
            return None
        try:
            day: datetime.date | None = parse_date(text) or self.date_field.to_python(text)
        except ValidationError:
            return None
        return day

    def _read_datetime(self, text: str) -> datetime.datetime:
        """One of the site's ``DATETIME_INPUT_FORMATS``; a time without a zone stays so."""
        with timezone.override(_NO_ZONE):
            moment = self.datetime_field.to_python(text)
        if moment is None:  # nothing there
            raise ValueError(text)
        return moment.replace(tzinfo=None) if moment.tzinfo is _NO_ZONE else moment

    def _from_date(self, day: datetime.date) -> datetime.datetime:
        if self.end_of_day:
            day += datetime.timedelta(days=1)
        return self._aware(datetime.datetime.combine(day, datetime.time()))

    @staticmethod
    def _aware(moment: datetime.datetime) -> datetime.datetime:
        if timezone.is_aware(moment):
            return moment
        zone = timezone.get_default_timezone()
        problem = local_time_problem(moment, zone)
        if problem is not None:
            raise LocalTimeError(problem)
        return moment.replace(tzinfo=zone)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
