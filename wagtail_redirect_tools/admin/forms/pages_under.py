"""The live pages a pattern redirect's source covers, for the form's warning.

A redirect answers only what nothing else answers: a live page under ``/old-section/*``
keeps being served, so an editor who expects the whole section to move is told how many
pages stay and which. Pages are found by their ``url_path`` under each site root
(``resolution.live_pages.page_roots``: with i18n, each language's root and prefix), in two
small queries for a prefix; a pattern with named segments also matches each candidate's path.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from wagtail.models import Page, Site

from ...patterns import Pattern
from ...resolution.live_pages import PageRoot, page_roots

#: How many pages the warning names.
NAMED_PAGES = 5


@dataclass(frozen=True)
class CoveredPage:
    title: str
    path: str
    site: str


@dataclass(frozen=True)
class CoveredPages:
    count: int
    first: list[CoveredPage]


def live_pages_under(pattern: Pattern, site: Site | None) -> CoveredPages:
    """The live pages ``pattern`` covers on ``site`` (None: on every site)."""
    sites = [site] if site is not None else list(Site.objects.select_related("root_page"))
    roots = page_roots(sites)
    # Per site, the url_path under which its candidates lie, with the root and its prefix.
    starts: list[tuple[Site, PageRoot, str]] = []
    for each in sites:
        for root in roots[each.pk]:
            url_path = _start(root, pattern.literal_prefix)
            if url_path is not None:
                starts.append((each, root, url_path))
    if not starts:
        return CoveredPages(0, [])
    # Compared as Wagtail finds a page by its slug (``=``, not SQLite's case-blind LIKE):
    # /Blog/* covers no page at /blog/ where core's routing would not serve it there.
    query = Q()
    for _site, _root, url_path in starts:
        query |= Q(Exact(Substr("url_path", 1, len(url_path)), url_path))
    pages = Page.objects.live().filter(query).order_by("url_path")
    if pattern.is_prefix and len(starts) == 1:
        first = list(pages.values_list("title", "url_path")[:NAMED_PAGES])
        return CoveredPages(
            pages.count(), [_covered(starts[0], title, path) for title, path in first]
        )
    covered = []
    for title, url_path in pages.values_list("title", "url_path").iterator():
        for start in starts:
            _site, root, prefix_path = start
            if url_path.startswith(prefix_path) and pattern.match(_served(root, url_path)):
                covered.append(_covered(start, title, url_path))
    return CoveredPages(len(covered), covered[:NAMED_PAGES])


def _start(root: PageRoot, literal_prefix: str) -> str | None:
    """The ``url_path`` every page under ``literal_prefix`` has under ``root``: the
    prefix's own page, or the whole root when the prefix ends before the language's
    (``/`` or ``/:language/...`` over ``/cy/``); None when no page of it can match."""
    url_path = root.url_path_of(literal_prefix)
    if url_path is not None:
        return url_path
    if (root.prefix + "/").startswith(literal_prefix.rstrip("/") + "/"):
        return root.url_path
    return None


def _served(root: PageRoot, url_path: str) -> str:
    """The path a page with ``url_path`` is served at under ``root``."""
    return root.prefix + "/" + url_path[len(root.url_path) :]


def _covered(start: tuple[Site, PageRoot, str], title: str, url_path: str) -> CoveredPage:
    site, root, _prefix_path = start
    return CoveredPage(title, _served(root, url_path), site.site_name or site.hostname)
