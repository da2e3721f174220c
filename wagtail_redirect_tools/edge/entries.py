"""The redirect map of one or more sites at one moment, for a web server or CDN to answer.

Each :class:`Entry` is one request path a site answers with a redirect or a 410: the
paths of the redirects and active windows that apply to the site (with and without their
trailing slash) and the URLs of pages with an active window, each answered as
:func:`~wagtail_redirect_tools.resolution.resolve` answers it, the resolver the middleware
answers with. So the order of the rules (windows before pages before redirects, this site
before all sites), exact codes, page URLs, loops and live pages are decided there, once.
What ``resolve()`` reads from the database for each path is read once for the whole map
(:mod:`.bulk`): plain paths are answered from it with the resolver's own functions, the
others are asked of ``resolve()`` with lookups in memory; ``build_map(..., exact=True)``
asks each path of ``resolve()`` with its own queries (the same map, minutes slower at
100,000 redirects). A path another view of the URLconf serves is left out for a redirect
(resolve() knows Wagtail's pages, not other views; the middleware only answers their 404s).

Only exact request paths are listed: a request with another query string is left for
Django to answer (its fallbacks and ``KEEP_QUERY_STRING``), so an edge never answers it
differently. What Django does not answer (a loop, a target page with no URL, a path it
never finds) is left out with a reason, as :class:`Omission`.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from django.core.exceptions import DisallowedRedirect
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from ..models import ScheduledRedirect
from ..resolution import resolve
from ..resolution.languages import language_prefixes
from ..resolution.resolver import request_for
from ..resolution.responses import redirect_response
from ..resolution.result import Resolution
from .bulk import BulkLookups

if TYPE_CHECKING:
    from .patterns import PatternEntry

# An active scheduled redirect answers (``Entry.kind`` is ``Resolution.kind``).
WINDOW = "window"


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """``path`` on ``site`` is answered with ``status_code`` and ``location`` (an URI as
    Django sends it in ``Location``; None for 410). ``path`` is a request path as an IRI
    (non-ASCII decoded), with its query string when the source has one."""

    site: Site
    path: str
    status_code: int
    location: str | None
    kind: str
    source_id: int

    @property
    def bare_path(self) -> str:
        return self.path.split("?", 1)[0]

    @property
    def query(self) -> str:
        return self.path.split("?", 1)[1] if "?" in self.path else ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Omission:
    """A path the output leaves out, and why (shown to whoever exports)."""

    site: Site | None
    path: str
    reason: str

    def __str__(self) -> str:
        host = self.site.hostname if self.site is not None else gettext("all sites")
        return f"{host}{printable(self.path)}: {self.reason}"


# Characters that end or hide a line where an omission is printed (standard error, read by
# deploy hooks; the admin): control characters, and Unicode's line and paragraph separators.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(path: str) -> str:
    """``path`` on one line: each unprintable character percent-encoded (UTF-8)."""
    return UNPRINTABLE.sub(lambda match: quote(match.group(), safe=""), path)


@dataclass(kw_only=True)
class EdgeMap:
    """The entries of ``sites`` at ``now``; ``next_change``: the earliest start or expiry
    of a window after ``now`` (then the map is different), or None."""

    sites: list[Site]
    now: datetime.datetime
    entries: list[Entry] = field(default_factory=list)
    omitted: list[Omission] = field(default_factory=list)
    next_change: datetime.datetime | None = None
    #: The pattern redirects (:mod:`.patterns`), most specific first: written after
    #: ``entries``, so an exact path always wins.
    patterns: list[PatternEntry] = field(default_factory=list)


def build_map(
    sites: list[Site], *, now: datetime.datetime | None = None, exact: bool = False
) -> EdgeMap:
    """Every path of ``sites`` answered by a redirect or a 410 at ``now`` (default: now).

    ``exact``: each path asked of ``resolve()`` with its own queries, as the middleware
    asks (the slow way the bulk lookups are checked against); the map is the same."""
    now = now or timezone.now()
    edge_map = EdgeMap(sites=sites, now=now, next_change=next_change(now))
    lookups = None if exact else BulkLookups(sites, now)
    for site in sites:
        for path in sorted(source_paths(site, now)):
            for form in request_forms(path):
                _add(edge_map, site, path, form, lookups)
    from .patterns import add_patterns  # it reads the exact entries listed above

    add_patterns(edge_map)
    return edge_map


def next_change(now: datetime.datetime) -> datetime.datetime | None:
    """The earliest moment after ``now`` at which a window starts or ends."""
    moments = [
        *ScheduledRedirect.objects.filter(starts_at__gt=now).values_list("starts_at", flat=True),
        *ScheduledRedirect.objects.not_expired(now).values_list("expires_at", flat=True),
    ]
    return min(moments, default=None)


def source_paths(site: Site, now: datetime.datetime) -> set[str]:
    """The stored paths that may answer on ``site`` at ``now``: its redirects and those
    for all sites (a redirect for every language under each language's prefix too), the
    paths of active windows, and the URLs of pages with one."""
    applies = Q(site=site) | Q(site__isnull=True)
    exact = Redirect.objects.filter(applies).exclude(details__is_pattern=True)
    paths = set(exact.values_list("old_path", flat=True))
    paths.update(every_language_paths(applies))
    windows = ScheduledRedirect.objects.active(now).filter(applies)
    paths.update(windows.filter(source_page__isnull=True).values_list("old_path", flat=True))
    for window in windows.filter(source_page__isnull=False).select_related("source_page"):
        url = _page_path_on(window.source_page, site)
        if url is not None:
            paths.add(url)
    return paths


def every_language_paths(applies: Q) -> set[str]:
    """The paths under each language's prefix that the redirects for every language may
    answer (``/cy/old-page`` for ``/old-page``): one line per language, each resolved
    like any other path (a redirect stored at the prefixed path, or a live page there,
    takes its place). None without ``WAGTAIL_I18N_ENABLED``."""
    prefixes = language_prefixes()
    if not prefixes:
        return set()
    stored = (
        Redirect.objects.filter(applies, details__every_language=True)
        .exclude(details__is_pattern=True)
        .values_list("old_path", flat=True)
    )
    return {prefix + (path if path != "/" else "") for path in stored for prefix in prefixes}


def request_forms(path: str) -> list[str]:
    """The request paths a stored (normalised) path answers: with and without the
    trailing slash that normalising drops; a query string stays as stored."""
    bare, sep, query = path.partition("?")
    forms = [bare] if bare == "/" else [bare.rstrip("/"), bare.rstrip("/") + "/"]
    return [form + sep + query for form in forms]


def _page_path_on(page: Any, site: Site) -> str | None:
    """The path of ``page`` on ``site`` (with its slash, as served), or None if elsewhere."""
    parts = page.specific_deferred.get_url_parts(request=request_for(site, "/"))
    if parts is None or parts[0] != site.pk or parts[2] is None:
        return None
    return str(parts[2])


def _add(
    edge_map: EdgeMap, site: Site, stored: str, form: str, lookups: BulkLookups | None
) -> None:
    # A plain path is answered from what was read; any other is asked of resolve().
    answer = lookups.answer(site, stored, form) if lookups is not None else None
    if answer is None:
        answer = _resolved(site, form, edge_map.now, lookups)
    if not answer.answers:
        if answer.page is None:
            reason = gettext(
                "Django does not redirect it (a loop, a target with no URL, a path another "
                "view answers, or one it never finds)"
            )
            edge_map.omitted.append(Omission(site=site, path=form, reason=reason))
        return  # a live page is served there: nothing to say
    location = None
    if answer.location is not None:
        location = sent_location(answer.location, int(answer.status_code or 302))
        if location is None:
            reason = gettext(
                "Django refuses to redirect there (a scheme it does not allow, or too long)"
            )
            edge_map.omitted.append(Omission(site=site, path=form, reason=reason))
            return
    edge_map.entries.append(
        Entry(
            site=site,
            path=form,
            status_code=int(answer.status_code or 0),
            location=location,
            kind=answer.kind,
            source_id=int(answer.source_id or 0),
        )
    )


# A location Django sends as it is: a path (no scheme to refuse) of characters that
# iri_to_uri() keeps and a header holds, well under any length Django refuses (16,384).
SENT_AS_IS = re.compile(r"/[A-Za-z0-9_.~/-]*\Z")
SENT_AS_IS_LENGTH = 2048


def sent_location(location: str, status_code: int) -> str | None:
    """The ``Location`` Django sends for ``location``, from the response the middleware
    would make; None when Django refuses it. A plain path is sent as it is (most of an
    export's: building a response for each was a sixth of its time)."""
    if len(location) <= SENT_AS_IS_LENGTH and SENT_AS_IS.match(location):
        return location
    return _sent_by_response(location, status_code)


def _resolved(
    site: Site, form: str, now: datetime.datetime, lookups: BulkLookups | None
) -> Resolution:
    """What ``resolve()`` answers for the request path ``form``: with its own queries, or
    from ``lookups``."""
    bare, _sep, query = form.partition("?")
    # As a visitor's request reaches Django: the path decoded, the query string as sent.
    path, query_string = unquote(bare), iri_to_uri(query)
    if lookups is None:
        return resolve(site, path, query_string=query_string, now=now)
    return resolve(
        site,
        path,
        query_string=query_string,
        now=now,
        route=lookups.route,
        find_redirect=lookups.find_redirect,
    )


@functools.lru_cache(maxsize=8)
def _sent_by_response(location: str, status_code: int) -> str | None:
    """``Location`` from the response itself. Kept for the few last asked: both forms of
    a path, and the paths that lead to one page, ask the same."""
    try:
        return str(redirect_response(location, status_code)["Location"])
    except DisallowedRedirect:
        return None
