"""What the database already holds that an import plan needs, read in a few queries.

Sites, the URLs of live pages, with their language's prefix on a multilingual site (a
target path that is a page's URL becomes that page; a source that is one would be
shadowed), every core redirect (the key is site + path; chains and loops go through
them) and the scheduled windows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .. import rules
from ..models import ScheduledRedirect
from ..resolution.live_pages import live_page_urls
from .widgets import site_for_hostname

Key = tuple[int | None, str]


class Target(NamedTuple):
    """Where a redirect goes: a page (with its route), a link, or nowhere (410). A tuple:
    an import makes one per row and per existing redirect."""

    page_id: int | None = None
    route_path: str = ""
    link: str = ""

    @property
    def is_gone(self) -> bool:
        return self.page_id is None and not self.link


@dataclass(slots=True)
class ExistingRedirect:
    pk: int
    target: Target
    status_code: int
    reason: str = ""
    every_language: bool = False
    is_pattern: bool = False


@dataclass(slots=True)
class ExistingWindow:
    pk: int
    target: Target
    status_code: int
    starts_at: datetime.datetime | None
    expires_at: datetime.datetime
    reason: str
    created_at: datetime.datetime

    def overlaps(self, starts_at: datetime.datetime, expires_at: datetime.datetime) -> bool:
        """Whether this window and one from ``starts_at`` to ``expires_at`` share a moment
        (a window without a start began when it was created)."""
        began = self.starts_at or self.created_at
        return rules.windows_overlap((began, self.expires_at), (starts_at, expires_at))


@dataclass
class ImportContext:
    sites: list[Site]
    default_site_id: int | None
    page_urls: dict[int, dict[str, int]]
    page_ids: set[int]
    redirects: dict[Key, ExistingRedirect]
    windows: dict[tuple[int | None, str, int | None], list[ExistingWindow]] = field(
        default_factory=dict
    )

    @classmethod
    def load(cls) -> ImportContext:
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
        default = next((site for site in sites if site.is_default_site), None)
        return cls(
            sites=sites,
            default_site_id=default.pk if default else None,
            page_urls=live_page_urls(sites),
            page_ids=set(Page.objects.values_list("pk", flat=True)),
            redirects=_redirects(),
            windows=_windows(),
        )

    def page_at(self, site_id: int | None, path: str) -> int | None:
        """The live page whose URL on ``site_id`` (all sites: the default one) is ``path``."""
        urls = self.page_urls.get(site_id if site_id is not None else self.default_site_id or 0)
        return urls.get(path) if urls else None

    def is_live_page_url(self, site_id: int | None, path: str) -> bool:
        if site_id is not None:
            return path in self.page_urls.get(site_id, {})
        return any(path in urls for urls in self.page_urls.values())

    def site_for_host(self, hostname: str | None, port: int | None = None) -> int | None:
        """The site a URL's host leads to: the one on ``port``, else the one the host name
        alone means (as the import reads a site cell)."""
        if hostname is None:
            return None
        for site in self.sites:
            if site.hostname == hostname and site.port == port:
                return int(site.pk)
        site = site_for_hostname(hostname, self.sites)
        return int(site.pk) if site is not None else None


def _redirects() -> dict[Key, ExistingRedirect]:
    rows = Redirect.objects.values_list(
        "pk",
        "site_id",
        "old_path",
        "redirect_page_id",
        "redirect_page_route_path",
        "redirect_link",
        "is_permanent",
        "details__status_code",
        "details__reason",
        "details__every_language",
        "details__is_pattern",
    )
    found = {}
    for row in rows.iterator(2000):
        pk, site_id, old_path, page_id, route, link, permanent, code, reason, every, pattern = row
        target = Target(page_id, route or "", link or "")
        found[(site_id, old_path)] = ExistingRedirect(
            pk,
            target,
            rules.effective_status_code(code, permanent, not target.is_gone),
            reason or "",
            bool(every),
            bool(pattern),
        )
    return found


def _windows() -> dict[tuple[int | None, str, int | None], list[ExistingWindow]]:
    found: dict[tuple[int | None, str, int | None], list[ExistingWindow]] = {}
    rows = ScheduledRedirect.objects.values_list(
        "pk",
        "site_id",
        "old_path",
        "source_page_id",
        "redirect_page_id",
        "redirect_page_route_path",
        "redirect_link",
        "status_code",
        "starts_at",
        "expires_at",
        "reason",
        "created_at",
    )
    for (
        pk,
        site_id,
        old_path,
        source_page_id,
        page_id,
        route,
        link,
        code,
        starts,
        expires,
        reason,
        created,
    ) in rows:
        window = ExistingWindow(
            pk, Target(page_id, route, link), code, starts, expires, reason, created
        )
        found.setdefault((site_id, old_path, source_page_id), []).append(window)
    return found
