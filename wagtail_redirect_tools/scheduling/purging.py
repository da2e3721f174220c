"""The URLs a window changes, purged from Wagtail's front-end cache at its start and end."""

from __future__ import annotations

from typing import Any

from wagtail.models import Site

from ..models import ScheduledRedirect
from ..resolution import frontend_cache
from ..resolution.languages import language_prefix


def window_urls(window: ScheduledRedirect) -> list[str]:
    """Every absolute URL whose response changes when ``window`` starts or ends."""
    if window.source_page is not None:
        return _page_urls(window.source_page.specific_deferred)
    sites = [window.site] if window.site is not None else list(Site.objects.all())
    paths = [window.old_path]
    if "?" not in window.old_path and not window.old_path.endswith("/"):
        # Core stores "/promo" for "/promo/": the cache may hold either.
        paths.append(window.old_path + "/")
    return [site.root_url + path for site in sites for path in paths]


def _page_urls(page: Any) -> list[str]:
    """The page's URLs on every site it can be reached on, with its cached route paths."""
    urls: list[str] = []
    cached_paths = page.get_cached_paths() or ["/"]
    for _site_id, root_path, root_url, language in Site.get_site_root_paths():
        if page.url_path.startswith(root_path):
            # On a multilingual site, under its language's prefix (``/cy/amdanom/``).
            prefix = language_prefix(language)
            page_url = root_url + prefix + "/" + page.url_path[len(root_path) :]
            urls.extend(page_url + path.lstrip("/") for path in cached_paths)
    return urls


def purge_window_urls(window: ScheduledRedirect) -> None:
    if frontend_cache.configured():  # else not even the URLs are worth a query
        frontend_cache.purge(
            window_urls(window), what=f"the URLs of scheduled redirect {window.pk}"
        )
