"""The rules every writer of redirects shares, each written once with its one message.

The model's ``clean``, the admin forms, the import planner, ``schedule_redirect()`` and
the API call these, so an editor sees the same words whichever way they came in. Pure
functions and values: nothing here reads the database except :func:`admin_root`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .patterns import PatternError, check_target, parse

__all__ = [
    "GONE",
    "LINK_SCHEMES",
    "LOOP_MESSAGE",
    "REDIRECT_STATUS_CHOICES",
    "WINDOW_STATUS_CHOICES",
    "WINDOW_STATUS_CODES",
    "admin_path_error",
    "admin_root",
    "effective_status_code",
    "encode_control_characters",
    "ended_window_overlap_error",
    "gone_with_target_error",
    "has_null_byte",
    "has_unsafe_characters",
    "is_admin_path",
    "is_permanent_for_core",
    "missing_target_error",
    "null_byte_error",
    "null_character_error",
    "pattern_error",
    "source_characters_error",
    "source_error",
    "unsafe_characters_error",
    "validate_redirect_link",
    "window_ended_note",
    "window_expiry_error",
    "window_order_error",
    "window_overlap_error",
    "window_status_error",
    "windows_overlap",
]

# -- Status codes ---------------------------------------------------------------------

GONE = 410

# Every code a core redirect can answer with (the Redirects area, the import).
REDIRECT_STATUS_CHOICES = [
    (301, _("301 Moved Permanently")),
    (308, _("308 Permanent Redirect (keeps the request method)")),
    (302, _("302 Found (temporary)")),
    (307, _("307 Temporary Redirect (keeps the request method)")),
    (GONE, _("410 Gone (no target)")),
]

# The codes a window (a redirect with an expiry) may answer with: temporary ones only.
WINDOW_STATUS_CHOICES = [choice for choice in REDIRECT_STATUS_CHOICES if choice[0] in (302, 307)]
WINDOW_STATUS_CODES = frozenset(code for code, _label in WINDOW_STATUS_CHOICES)


def is_permanent_for_core(status_code: int) -> bool:
    """The value of core's ``Redirect.is_permanent`` for ``status_code``.

    Core only knows permanent (301) or not (302); a 410 is stored as permanent, since
    a search engine should drop the URL for good.
    """
    return status_code in (301, 308, GONE)


def effective_status_code(stored: int | None, is_permanent: bool, has_target: bool) -> int:
    """The status a request for a core redirect is answered with.

    ``stored`` is our exact code (None when the redirect has no details). When core
    (its admin, API or a bulk update) changed ``is_permanent`` behind our back, core's
    flag wins and the answer is its 301 or 302; a 410 needs an empty target.
    """
    if stored == GONE and not has_target:
        return GONE
    if stored is not None and stored != GONE and is_permanent_for_core(stored) == is_permanent:
        return stored
    return 301 if is_permanent else 302


# -- Targets and sources --------------------------------------------------------------

LINK_SCHEMES = ("http", "https")

LOOP_MESSAGE = _("The target is the source itself: that would loop.")


def link_loops(old_path: str, link: str, site: Any) -> bool:
    """Whether a redirect of the normalised ``old_path`` on ``site`` (None: every site) to
    ``link`` sends visitors back where they are: ``link`` is that path, or a URL of the
    site's host (of any site's, for an all-sites redirect) with it. The Redirects form and
    scheduled redirects refuse such a redirect alike."""
    if not old_path or not link:
        return False
    try:
        parts = urlsplit(link)
    except ValueError:  # "Invalid IPv6 URL" and the like: no host of ours
        return False
    if parts.netloc and parts.hostname not in site_hostnames(site):
        return False
    return normalise_path(link) == old_path


def site_hostnames(site: Any) -> set[str]:
    """The hostname of ``site``, or of every site when it is None (an all-sites redirect)."""
    if site is not None:
        return {site.hostname}
    from wagtail.models import Site

    return set(Site.objects.values_list("hostname", flat=True))


# A backslash, or a control character other than NUL (which has its own rule below).
# Browsers read a backslash as "/" and drop tabs and line breaks, so "/\evil.example"
# and "/<tab>/evil.example" lead them to another host, where the server sees a path.
UNSAFE_CHARACTERS = re.compile(r"[\\\x01-\x1f\x7f]")


def has_unsafe_characters(value: str) -> bool:
    """Whether ``value`` holds a backslash or a control character (tab, line break…)."""
    return UNSAFE_CHARACTERS.search(value) is not None


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def encode_control_characters(value: str, pattern: re.Pattern[str] = CONTROL_CHARACTERS) -> str:
    """``value`` with each character ``pattern`` matches (by default every control
    character) written as its percent-encoding, as a browser sends it: ``/a\x07b`` is
    ``/a%07b``. To show or write a value stored by an older version where a raw one would
    break the page or the file."""
    return pattern.sub(lambda match: f"%{ord(match.group()):02X}", value)


def unsafe_characters_error() -> ValidationError:
    return ValidationError(
        _(
            "Backslashes and control characters (such as tabs and line breaks) are not "
            "allowed in paths and URLs: browsers read them differently from this site."
        ),
        code="unsafe_characters",
    )


def validate_redirect_link(value: str) -> None:
    """Accept a site path ("/spring-sale/") or an http(s) URL; nothing a browser would run
    or read differently, nor a NUL (no database stores one)."""
    if "\x00" in value:
        raise null_character_error()
    if has_unsafe_characters(value):
        raise unsafe_characters_error()
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        parts = urlsplit(value)
    except ValueError:  # "Invalid IPv6 URL" and the like
        parts = urlsplit("")
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        raise ValidationError(
            _(
                "Enter a path on this site starting with '/' or a full http:// or https:// "
                "address. '%(value)s' is neither."
            ),
            code="invalid_link",
            params={"value": value[:80]},
        )


def missing_target_error() -> ValidationError:
    return ValidationError(
        _("Choose a page or enter a path or URL to redirect to."), code="no_target"
    )


def gone_with_target_error() -> ValidationError:
    return ValidationError(
        _("A gone (410) redirect has no target: leave the page and the path or URL empty."),
        code="gone_with_target",
    )


def null_character_error() -> ValidationError:
    """As Django's form fields say it (``ProhibitNullCharactersValidator``)."""
    return ValidationError(
        _("Null characters are not allowed."), code="null_characters_not_allowed"
    )


def has_null_byte(value: str) -> bool:
    """Whether ``value`` holds a NUL, raw or percent-encoded: databases refuse to store it."""
    return "\x00" in value or "%00" in value


def null_byte_error() -> ValidationError:
    """A source with a NUL, raw or as ``%00``."""
    return ValidationError(
        _("The path contains a null byte (raw or as %00), which no redirect can have."),
        code="null_characters_not_allowed",
    )


def source_characters_error(path: str) -> ValidationError | None:
    """Why ``path`` cannot be a redirect's source for its characters, or None: a null
    byte, raw or encoded; a backslash or a control character. Checked before normalising,
    which would drop a tab or a line break without a word. The 404 log keeps no path this
    refuses (see :func:`source_error`)."""
    if has_null_byte(path):
        return null_byte_error()
    if has_unsafe_characters(path):
        return unsafe_characters_error()
    return None


def source_error(path: str, *, admin: str | None = None) -> ValidationError | None:
    """Why ``path`` (a path or URL as a writer was given it) cannot be a redirect's
    source, or None. Every writer of a path source calls it: the Redirects and
    scheduled-redirect forms (through the models), the import, the 404 log's fixes and the
    redirects made when pages move; ``admin`` is :func:`admin_root`, if known."""
    error = source_characters_error(path)
    if error is not None:
        return error
    try:
        normalised = normalise_path(path)
    except ValueError:  # urlparse: "Invalid IPv6 URL" and the like
        return ValidationError(
            _("'%(value)s' is not a valid path or URL."),
            code="invalid_path",
            params={"value": path[:80]},
        )
    if is_admin_path(normalised, admin):
        return admin_path_error()
    return None


def pattern_error(source: str, target_link: str = "") -> ValidationError | None:
    """Why ``source`` (a stored pattern redirect's path, see :mod:`.patterns`) with the
    external target ``target_link`` ("" for a page target or a 410) cannot be a pattern
    redirect, or None. The one rule the model, the form and the import share: the source
    parses, and the target uses only the source's placeholders, in its path."""
    try:
        pattern = parse(source)
        if target_link:
            check_target(pattern, target_link)
    except PatternError as error:
        return ValidationError(str(error), code="invalid_pattern")
    return None


def admin_path_error() -> ValidationError:
    return ValidationError(
        _("This path belongs to Wagtail's admin; redirecting it would lock editors out."),
        code="admin_path",
    )


def admin_root() -> str | None:
    """Where Wagtail's admin is mounted ("/admin/"), or None when it is not."""
    try:
        return str(reverse("wagtailadmin_home"))
    except NoReverseMatch:
        return None


def is_admin_path(path: str, root: str | None = None) -> bool:
    """Whether ``path`` is in Wagtail's admin (``root``: :func:`admin_root`, if known)."""
    root = root or admin_root()
    if root is None:
        return False
    return path == root.rstrip("/") or path.startswith(root)


# -- Windows --------------------------------------------------------------------------


def window_status_error(status_code: int | None) -> ValidationError | None:
    """A window is temporary: 302 or 307."""
    if status_code is None or status_code in WINDOW_STATUS_CODES:
        return None
    if status_code == GONE:
        return ValidationError(_("A gone (410) redirect cannot expire."), code="gone_expires")
    return ValidationError(
        _(
            "A permanent redirect cannot expire: use temporary, 302 or 307 "
            "for a redirect with an expiry."
        ),
        code="permanent_expires",
    )


def window_order_error(
    starts_at: datetime.datetime | None, expires_at: datetime.datetime | None
) -> ValidationError | None:
    if starts_at is not None and expires_at is not None and expires_at <= starts_at:
        return ValidationError(
            _("The expiry must be after the start."), code="expires_before_start"
        )
    return None


def window_expiry_error(
    expires_at: datetime.datetime, now: datetime.datetime
) -> ValidationError | None:
    """A new window must still be to come or running."""
    if expires_at <= now:
        return ValidationError(_("The expiry must be in the future."), code="expires_in_past")
    return None


def window_ended_note(expires_at: datetime.datetime) -> str:
    """What an import says of a window that has already ended (a restored export's)."""
    return str(
        _("Ended on %(end)s: imported as an ended window, kept as history; it does not redirect.")
        % {"end": _local(expires_at)}
    )


def ended_window_overlap_error() -> ValidationError:
    return ValidationError(
        _(
            "This window has ended, and overlaps a window of the same source that is "
            "still running or to come; an ended window does not replace it."
        ),
        code="ended_overlaps_current",
    )


def windows_overlap(
    a: tuple[datetime.datetime, datetime.datetime],
    b: tuple[datetime.datetime, datetime.datetime],
) -> bool:
    """Whether two windows, each ``(start, expiry)``, share a moment.

    A window is the half-open interval [start, expiry): one that expires at 10:00 and
    one that starts at 10:00 do not overlap. A window saved without a start began when
    it was saved (its ``created_at``); a new one without a start begins now. Callers
    pass those moments, never None.
    """
    return a[0] < b[1] and b[0] < a[1]


def window_overlap_error(
    other_start: datetime.datetime, other_expiry: datetime.datetime
) -> ValidationError:
    return ValidationError(
        _(
            "This window overlaps another redirect of the same source "
            "(%(start)s to %(end)s). Windows of one source may not overlap."
        ),
        code="overlap",
        params={"start": _local(other_start), "end": _local(other_expiry)},
    )


def _local(value: datetime.datetime) -> str:
    """``value`` in the current time zone (the editor's in the admin) as a form takes it,
    with that zone's name at that moment: "2027-04-02 14:00 CEST"."""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


# A path that core's normalise_path() would only strip of its trailing slash: it starts
# with one slash, and has no whitespace, query string, parameters, fragment or
# percent-encoding (most paths of a site and of an import file).
_PLAIN_PATH = re.compile(r"/(?!/)[^\s?;#%]*")


def normalise_path(path: str) -> str:
    """``Redirect.normalise_path(path)``: the stored form of a redirect's source. Plain
    paths skip URL parsing (it was a third of a 100,000-row import's planning)."""
    if _PLAIN_PATH.fullmatch(path):
        return path[:-1] if len(path) > 1 and path.endswith("/") else path
    from wagtail.contrib.redirects.models import Redirect

    return str(Redirect.normalise_path(path))
