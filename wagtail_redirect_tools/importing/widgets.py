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
from django.utils.translation import gettext as _
from import_export.widgets import Widget
from wagtail.models import Site

TYPE_WORDS = {"permanent": 301, "temporary": 302, "gone": 410}
STATUS_CODES = (301, 302, 307, 308, 410)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class StatusWidget(Widget):
    """301/302/307/308/410, or permanent/temporary/gone; blank is None (the default)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            code = int(value) if value == value and abs(value) < 1000 else 0  # not NaN, inf
        else:
            text = str(value).strip().lower()
            match = re.match(r"^(\d{3})(\b|$)", text)
            code = int(match.group(1)) if match else TYPE_WORDS.get(text, 0)
        if code not in STATUS_CODES:
            raise ValueError(
                _(
                    "'%(value)s' is not a redirect type: use 301, 302, 307, 308, 410, "
                    "permanent, temporary or gone."
                )
                % {"value": str(value)[:40]}
            )
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else int(value)


def site_label(site: Site) -> str:
    """``hostname`` for a site on port 80, else ``hostname:port``; :class:`SiteWidget` reads
    both back."""
    return site.hostname if site.port == 80 else f"{site.hostname}:{site.port}"


class SiteWidget(Widget):
    """``hostname[:port]`` of one of the Wagtail sites; blank is None (all sites)."""

    def __init__(self, sites: list[Site] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sites = sites

    def _lookup(self) -> dict[str, Site]:
        if self._sites is None:
            self._sites = list(Site.objects.all())
        found: dict[str, Site] = {}
        by_hostname: dict[str, list[Site]] = {}
        for site in self._sites:
            found[f"{site.hostname}:{site.port}".lower()] = site
            by_hostname.setdefault(site.hostname.lower(), []).append(site)
        for hostname, sites in by_hostname.items():
            # A bare host name: the site on port 80, else the only one (e.g. on 443).
            on_80 = [site for site in sites if site.port == 80]
            chosen = on_80 or (sites if len(sites) == 1 else [])
            if chosen:
                found[hostname] = chosen[0]
        return found

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Site | None:
        if is_blank(value):
            return None
        text = re.sub(r"^[a-z]+://", "", str(value).strip().lower()).rstrip("/")
        if not hasattr(self, "_found"):
            self._found = self._lookup()
        site = self._found.get(text)
        if site is None:
            raise ValueError(
                _("No site has the host '%(value)s'. Leave the cell empty for all sites.")
                % {"value": str(value)[:80]}
            )
        return site

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else site_label(value)


# Stands for "no zone given" while Django's DateTimeField reads a time, which would
# otherwise put it in the editor's zone and refuse a time that a clock change repeats:
# our rule applies instead (the site's TIME_ZONE, the first of two such times).
_NO_ZONE = datetime.timezone(datetime.timedelta(0), "no zone given")


class MomentWidget(Widget):
    """A date and time: ISO 8601 (read by Django's ``dateparse``), the site's input
    formats (read by Django's ``DateField`` and ``DateTimeField``), or a spreadsheet cell.

    Naive values are in the site's ``TIME_ZONE``. A date without a time is the start
    of that day, or with ``end_of_day`` (an expiry) the end of it. The result is in UTC.
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
        return timezone.make_aware(moment, timezone.get_default_timezone())

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
