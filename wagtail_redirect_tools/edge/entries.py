"""The redirect map of one or more sites at one moment, for a web server or CDN to answer.

Each :class:`Entry` is one request path a site answers with a redirect or a 410, exactly
as the middleware would answer it now: an active window on the path (site-specific before
all-sites), else an active window on the page served there, else the core redirect
(site-specific before all-sites), with its status from ``RedirectDetails`` and its
location from the resolution code itself (``RedirectMatch.location``, the window's
``link``). A core redirect only answers a 404, so a path Django serves (a live page, or
another view of the URLconf) is left out for it: a server in front would shadow the page.

Only exact request paths are listed: a request with another query string is left for
Django to answer (its fallbacks and ``KEEP_QUERY_STRING``), so an edge never answers it
differently. What cannot be answered the same (a page target with no URL, a target that
is the requested URL) is left out with a reason, as :class:`Omission`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from django.db.models import Q
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from .. import conf
from ..importing.context import live_page_urls
from ..models import RedirectDetails, ScheduledRedirect
from ..resolution import RedirectMatch, points_at_request
from ..resolution.paths import candidate_paths
from ..rules import GONE

# What answers a path (``Entry.kind``).
WINDOW = "window"
REDIRECT = "redirect"
GONE_KIND = "gone"


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class Omission:
    """A path the output leaves out, and why (shown to whoever exports)."""

    site: Site | None
    path: str
    reason: str

    def __str__(self) -> str:
        host = self.site.hostname if self.site is not None else "all sites"
        return f"{host}{self.path}: {self.reason}"


@dataclass(kw_only=True)
class EdgeMap:
    """The entries of ``sites`` at ``now``; ``next_change``: the earliest start or expiry
    of a window after ``now`` (then the map is different), or None."""

    sites: list[Site]
    now: datetime.datetime
    entries: list[Entry] = field(default_factory=list)
    omitted: list[Omission] = field(default_factory=list)
    next_change: datetime.datetime | None = None


class SiteRequest(HttpRequest):
    """A request for a path as ``site`` receives it, to ask the resolution code what it
    answers. An export runs outside any request, so its host is not checked against
    ``ALLOWED_HOSTS`` (Wagtail reads the raw host to find the site, too)."""

    def __init__(self, site: Site, path: str) -> None:
        super().__init__()
        bare, _sep, query = path.partition("?")
        # As Django gives it after WSGI: percent-escapes decoded.
        self.path = self.path_info = unquote(bare)
        self.META.update(
            SERVER_NAME=site.hostname,
            SERVER_PORT=str(site.port),
            HTTP_HOST=f"{site.hostname}:{site.port}",
            QUERY_STRING=query,
        )
        self._wagtail_site = site

    def get_host(self) -> str:
        return str(self.META["HTTP_HOST"])


def build_map(sites: list[Site], *, now: datetime.datetime | None = None) -> EdgeMap:
    """Every path of ``sites`` answered by a redirect or a 410 at ``now`` (default: now)."""
    now = now or timezone.now()
    edge_map = EdgeMap(sites=sites, now=now, next_change=next_change(now))
    redirects = list(
        Redirect.objects.filter(Q(site__in=sites) | Q(site__isnull=True))
        .select_related("redirect_page", "details")
        .order_by("pk")
    )
    windows = list(
        ScheduledRedirect.objects.active(now)
        .filter(Q(site__in=sites) | Q(site__isnull=True))
        .select_related("redirect_page", "source_page")
        .order_by("pk")
    )
    served = live_page_urls(sites)
    for site in sites:
        _site_entries(edge_map, site, redirects, windows, served[site.pk])
    return edge_map


def next_change(now: datetime.datetime) -> datetime.datetime | None:
    """The earliest moment after ``now`` at which a window starts or ends."""
    moments = [
        *ScheduledRedirect.objects.filter(starts_at__gt=now).values_list("starts_at", flat=True),
        *ScheduledRedirect.objects.not_expired(now).values_list("expires_at", flat=True),
    ]
    return min(moments, default=None)


def request_forms(path: str) -> list[str]:
    """The request paths a stored (normalised) path answers: with and without the
    trailing slash that normalising drops; a query string stays as stored."""
    bare, sep, query = path.partition("?")
    forms = [bare] if bare == "/" else [bare.rstrip("/"), bare.rstrip("/") + "/"]
    return [form + sep + query for form in forms]


Answer = tuple[str, Any]  # (kind, the window or the redirect)


def _site_entries(
    edge_map: EdgeMap,
    site: Site,
    redirects: list[Redirect],
    windows: list[ScheduledRedirect],
    served: dict[str, int],
) -> None:
    answers: dict[str, Answer] = {}
    # Core redirects first; windows replace them (a window shadows everything at its path).
    for redirect in redirects:
        if redirect.site_id in (site.pk, None):
            current = answers.get(redirect.old_path)
            if current is None or _core_preferred(redirect, current[1], site):
                answers[redirect.old_path] = (REDIRECT, redirect)
    path_windows: dict[str, ScheduledRedirect] = {}
    for window in windows:
        if window.source_page_id is None and window.site_id in (site.pk, None):
            current_window = path_windows.get(window.old_path)
            if current_window is None or (current_window.site_id is None and window.site_id):
                path_windows[window.old_path] = window
    for window in windows:
        if window.source_page is not None:
            url = _page_path_on(window.source_page, site)
            if url is not None and url not in path_windows:
                answers[url] = (WINDOW, window)
    for old_path, window in path_windows.items():
        answers[old_path] = (WINDOW, window)
    for path, (kind, source) in sorted(answers.items()):
        for form in request_forms(path):
            if kind == REDIRECT and _django_serves(form, served):
                continue
            _add(edge_map, site, path, form, kind, source)


def _core_preferred(redirect: Redirect, current: Any, site: Site) -> bool:
    """Core's choice between two redirects of one path: this site's before all sites',
    then the newest (as ``resolution.core_redirects`` chooses)."""
    if not isinstance(current, Redirect):
        return False
    return (redirect.site_id == site.pk, redirect.pk) > (current.site_id == site.pk, current.pk)


def _page_path_on(page: Any, site: Site) -> str | None:
    """The path of ``page`` on ``site`` (with its slash, as served), or None if elsewhere."""
    parts = page.specific_deferred.get_url_parts(request=SiteRequest(site, "/"))
    if parts is None or parts[0] != site.pk or parts[2] is None:
        return None
    return str(parts[2])


def _django_serves(form: str, served: dict[str, int]) -> bool:
    """Whether Django answers ``form`` itself (then a core redirect never applies)."""
    bare = form.split("?", 1)[0]
    try:
        match = resolve(bare)
    except Resolver404:
        return False
    if match.url_name != "wagtail_serve":
        return True
    # Wagtail serves a live page at its own URL (with its slash, when APPEND_SLASH).
    if conf.append_slash() and not bare.endswith("/"):
        return False
    return Redirect.normalise_path(bare) in served


def _add(edge_map: EdgeMap, site: Site, stored: str, form: str, kind: str, source: Any) -> None:
    request = SiteRequest(site, form)
    on_page = kind == WINDOW and source.source_page_id is not None
    candidates, full_forms, _query = candidate_paths(request)
    if not on_page and stored not in candidates[:full_forms]:
        # Django looks a request up by its path as browsers encode it: a path stored with
        # a character they always encode (a space, a quote) is never found.
        edge_map.omitted.append(
            Omission(site=site, path=form, reason="Django never finds this stored path")
        )
        return
    if kind == WINDOW:
        status_code = source.status_code
        location = source.link(request)
    else:
        status_code = RedirectDetails.status_code_for(source, _stored_code(source))
        if status_code == GONE:
            edge_map.entries.append(
                Entry(
                    site=site,
                    path=form,
                    status_code=GONE,
                    location=None,
                    kind=GONE_KIND,
                    source_id=source.pk,
                )
            )
            return
        location = RedirectMatch(redirect=source, status_code=status_code).location()
    if location is None:
        edge_map.omitted.append(
            Omission(site=site, path=form, reason="the target page has no URL on any site")
        )
        return
    if points_at_request(request, location):
        edge_map.omitted.append(
            Omission(site=site, path=form, reason="the target is this very URL (Django keeps it)")
        )
        return
    edge_map.entries.append(
        Entry(
            site=site,
            path=form,
            status_code=status_code,
            location=_as_sent(location),
            kind=kind,
            source_id=source.pk,
        )
    )


def _stored_code(redirect: Redirect) -> int | None:
    """Our exact code for ``redirect`` (None when it has no details: core's own)."""
    try:
        return int(redirect.details.status_code)
    except RedirectDetails.DoesNotExist:
        return None


def _as_sent(location: str) -> str:
    """``location`` as Django writes it in the ``Location`` header (an URI)."""
    return str(iri_to_uri(location))
