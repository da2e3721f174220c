"""Which live page is at a path, on sites in one language or several.

On a site with ``WAGTAIL_I18N_ENABLED`` each translation of the site's root page serves its
language's pages under that language's prefix (``/cy/amdanom/`` is the Welsh root's
``amdanom``; ``/about/`` is no page where English has the prefix ``/en``). The prefix is
the one Wagtail's ``Page.get_url_parts()`` gives (``resolution.languages.language_prefix``);
the roots are Wagtail's ``Site.get_site_root_paths()``. Without i18n a site has one root,
its root page, and no prefix: no query beyond the pages themselves.

The import planner, the Redirects form's live-page check and the import's "a target that is
a page's URL is stored as the page" all read :func:`live_page_urls`.
"""

from __future__ import annotations

from typing import NamedTuple

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .. import conf
from .languages import language_prefix
from .sites import site_root_paths


class PageRoot(NamedTuple):
    """Where one language's pages begin on a site: the root's ``url_path`` and the path
    prefix they are served under (``""`` without i18n or for an unprefixed language)."""

    url_path: str
    prefix: str

    def url_path_of(self, path: str) -> str | None:
        """The ``url_path`` a page served at ``path`` would have, or None if ``path`` is
        outside this root's prefix."""
        if self.prefix and path != self.prefix and not path.startswith(self.prefix + "/"):
            return None
        rest = path[len(self.prefix) :].strip("/")
        return self.url_path + rest + ("/" if rest else "")


def page_roots(sites: list[Site]) -> dict[int, list[PageRoot]]:
    """Per site, where its pages begin: each translation of its root page with its
    language's prefix; without i18n, its root page alone."""
    if not conf.i18n_enabled():
        return {site.pk: [PageRoot(site.root_page.url_path, "")] for site in sites}
    prefixes: dict[str, str] = {}
    roots: dict[int, list[PageRoot]] = {site.pk: [] for site in sites}
    for site_id, root_path, _root_url, language in site_root_paths():
        if site_id in roots:
            if language not in prefixes:
                prefixes[language] = language_prefix(language)
            roots[site_id].append(PageRoot(root_path, prefixes[language]))
    return roots


def live_page_urls(sites: list[Site], only: set[str] | None = None) -> dict[int, dict[str, int]]:
    """Per site, the normalised path of each live page it serves -> the page's id; with
    ``only``, just the pages that could be at those paths (one small query, for a form)."""
    roots = page_roots(sites)
    pages = Page.objects.live()
    if only is not None:
        pages = pages.filter(
            url_path__in={
                url_path
                for site_roots in roots.values()
                for root in site_roots
                for path in only
                if (url_path := root.url_path_of(path)) is not None
            }
        )
    rows = list(pages.values_list("pk", "url_path"))
    urls: dict[int, dict[str, int]] = {}
    for site in sites:
        found: dict[str, int] = {}
        for root, prefix in roots[site.pk]:
            start = len(root)
            for pk, url_path in rows:
                if url_path.startswith(root):
                    found.setdefault(Redirect.normalise_path(prefix + "/" + url_path[start:]), pk)
        urls[site.pk] = found
    return urls
