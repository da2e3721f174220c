"""What already sits at, or links to, the URLs a move changes: asked once per move, by the
section's old and new paths, instead of by every URL of every batch.

Most sections that move have no redirect under their paths and nothing linking into
them; their batches then look up only the URLs that are not under those paths (pages
with their own URL scheme) and write. Where something is there, every URL of every batch
is looked up, as before. Looking up 10,000 URLs one by one (2 x 10,000 sources, 4 x
10,000 link forms) was a third of a 10,000-page move's cost on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import connections
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect

from .. import rules
from .page_urls import SiteRoot

Key = tuple[int, str]
_V = TypeVar("_V")


@dataclass
class Nearby:
    #: Per site id: the section's normalised paths (before the move, after it).
    paths: dict[int, tuple[str, str]]
    #: Whether a redirect sits at a URL under either path / links to one under the first.
    sources: bool
    links: bool

    @classmethod
    def around(cls, roots: list[SiteRoot], url_path_before: str, url_path_after: str) -> Nearby:
        """Two queries, whatever the size of the section. (A redirect another writer adds
        under those paths during the move is not seen: the move's INSERT then fails on
        core's unique site and path, as a batch's lookup could always be overtaken.)"""
        paths: dict[int, tuple[str, str]] = {}
        at, linking = Q(), Q()
        for root in roots:
            before = _section_path(root, url_path_before)
            after = _section_path(root, url_path_after)
            paths[root.site_id] = (before, after)
            at |= Q(site_id=root.site_id) & (_under("old_path", before) | _under("old_path", after))
            for form in (before, root.root_url + before):
                linking |= Q(redirect_link__startswith=form)
        redirects = Redirect.objects.all()
        return cls(
            paths=paths,
            sources=redirects.filter(at).exists(),
            links=redirects.filter(linking, redirect_page__isnull=True).exists(),
        )

    @property
    def clear(self) -> bool:
        """Nothing sits at a URL under the section's paths, nor links to one."""
        return not (self.sources or self.links)

    def under_section(self, key: Key) -> bool:
        """Whether this (site, path) key is under the section's old or new path."""
        return key[1].startswith(self.paths[key[0]])

    def sources_to_check(self, keys: set[Key]) -> set[Key]:
        """Of these (site, path) keys, those where a redirect may already sit."""
        if self.sources:
            return keys
        # The move's own new redirects need no looking up either: none of the section's
        # new URLs was one of its old URLs (a page cannot move below itself, nor onto an
        # ancestor's URL).
        return {key for key in keys if not self.under_section(key)}

    def links_to_check(self, old_urls: dict[Key, _V]) -> dict[Key, _V]:
        """Of these old URLs, those a redirect may link to."""
        if self.links:
            return old_urls
        return {
            key: url
            for key, url in old_urls.items()
            if not key[1].startswith(self.paths[key[0]][0])
        }


def _section_path(root: SiteRoot, url_path: str) -> str:
    """The normalised path of a section at ``url_path`` on ``root``'s site; the paths of
    its pages (and their routes) start with it, unless their type has its own URL scheme
    or normalising changes them (such URLs are looked up one by one)."""
    relative = root.relative(url_path)
    assert relative is not None  # noqa: S101 (roots_serving: the site serves both)
    return rules.normalise_path(relative)


def _under(name: str, prefix: str) -> Q:
    """The rows whose ``name`` starts with ``prefix``, by the column's index where there
    is one: SQLite's LIKE ignores case and so cannot use it, but its text order is code
    point order, so a range says the same."""
    if connections[Redirect.objects.db].vendor == "sqlite" and ord(prefix[-1]) < 0x10FFFF:
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Q(**{f"{name}__gte": prefix, f"{name}__lt": after})
    return Q(**{f"{name}__startswith": prefix})
