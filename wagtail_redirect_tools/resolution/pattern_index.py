"""An in-process index of every pattern redirect (:mod:`..patterns`), so that matching a
404 against them costs no query.

Patterns are few beside exact redirects (a row covers a whole old section), so each
process keeps them all, read in one query (``RedirectDetails.is_pattern`` is indexed),
and rebuilds them when the ``redirects`` stamp changes (:mod:`.stamps`), as the
remembered lookups are forgotten (:mod:`.remembered`). The exact-redirect lookup reads
them in its own query when the index is out of date (see ``core_redirects``), so a
first 404 costs no added query.

The patterns form a trie of path segments: a node has its literal children (a dict), one
child for a named segment (``:name``, whatever the name) and the patterns ending there,
with or without a final ``*``. A path is matched by walking its segments, trying at each
node the literal child, then the named child, then the patterns with a ``*`` ending
there: the first pattern found is the most specific (at the first segment where two
patterns differ, a literal beats a named segment, which beats the rest of the path: the
longest literal prefix wins). No regular expression is involved: each node is reached in
at most one way (a node sits at one depth), so a lookup visits each node of the trie at
most once and does one dict lookup there; in practice the path's length times the named
branches along it, whatever the editors store.

Sites, as core decides between the rows stored at one path: among the patterns ending at
the same node (equally specific), the request's site's own beats one for all sites (and of
several, the newest). A more specific pattern for all sites beats a less specific one of
the site, as an exact all-sites redirect beats a site's pattern.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from ..patterns import SPLAT, Pattern, PatternError, parse
from . import stamps

__all__ = ["IndexedPattern", "PatternIndex", "PatternMatch", "current", "forget", "keep", "loaded"]


@dataclass(frozen=True, slots=True)
class IndexedPattern:
    """A pattern redirect as resolution needs it: its row's fields (and its target page,
    if any), our stored status code (None: no details) and whether it serves every
    language. Fields rather than the row itself: a model instance costs about four times
    the memory, and the index holds every pattern."""

    pattern: Pattern
    pk: int
    site_id: int | None
    is_permanent: bool
    redirect_link: str
    redirect_page: Page | None
    redirect_page_route_path: str
    automatically_created: bool
    stored_code: int | None
    every_language: bool

    def as_redirect(self) -> Redirect:
        """The row, as the lookup of an exact redirect gives it (no query)."""
        redirect = Redirect(
            id=self.pk,
            old_path=self.pattern.source,
            site_id=self.site_id,
            is_permanent=self.is_permanent,
            redirect_page_id=self.redirect_page.pk if self.redirect_page else None,
            redirect_page_route_path=self.redirect_page_route_path,
            redirect_link=self.redirect_link,
            automatically_created=self.automatically_created,
        )
        redirect._state.adding = False
        redirect._state.db = Redirect.objects.db
        if self.redirect_page is not None:
            redirect.redirect_page = self.redirect_page
        return redirect


@dataclass(frozen=True)
class PatternMatch:
    """The pattern that answers a path, and the values of its placeholders."""

    entry: IndexedPattern
    captured: dict[str, str]


class _Node:
    """A trie node: its literal children, its one named child, and the patterns ending
    here, exactly (``/news/:slug``) or with a final ``*``. Containers made when needed:
    most nodes hold a single child or a single pattern."""

    __slots__ = ("ends", "literal", "named", "splats")

    def __init__(self) -> None:
        self.literal: dict[str, _Node] | None = None
        self.named: _Node | None = None
        self.ends: list[IndexedPattern] | None = None
        self.splats: list[IndexedPattern] | None = None


def _chosen(
    entries: list[IndexedPattern], site_id: int | None, every_language_only: bool
) -> IndexedPattern | None:
    """Core's rule among equally good rows: the site's own, else all sites'; the newest."""
    usable = [e for e in entries if e.every_language or not every_language_only]
    own = [e for e in usable if e.site_id == site_id]
    found = own or [e for e in usable if e.site_id is None]
    return max(found, key=lambda e: e.pk) if found else None


class PatternIndex:
    """The trie of all pattern redirects (of every site), built from their rows."""

    def __init__(self, entries: Iterable[IndexedPattern], made_from: stamps.Stamps | None):
        self.made_from = made_from
        self.root = _Node()
        self.entries = list(entries)
        self.size = 0
        for entry in self.entries:
            self._add(entry)

    def _add(self, entry: IndexedPattern) -> None:
        node = self.root
        for segment in entry.pattern.segments:
            if segment.startswith(":"):
                node.named = node.named or _Node()
                node = node.named
            else:
                if node.literal is None:
                    node.literal = {}
                node = node.literal.setdefault(segment, _Node())
        if entry.pattern.splat:
            node.splats = [*(node.splats or ()), entry]
        else:
            node.ends = [*(node.ends or ()), entry]
        self.size += 1

    def __bool__(self) -> bool:
        return self.size > 0

    def match(
        self, site_id: int | None, path: str, *, every_language_only: bool = False
    ) -> PatternMatch | None:
        """The most specific pattern of ``site_id`` or all sites matching ``path`` (a bare
        path starting with "/", as stored forms are: no query string), or None.
        ``every_language_only``: only the patterns that serve every language."""
        if not self.size or not path.startswith("/"):
            return None
        segments = path[1:].split("/")
        count = len(segments)
        # A trailing slash is optional where a pattern ends (not part of a named value).
        end = count - 1 if count > 1 and segments[-1] == "" else count
        # Depth-first, best first; each node is on the stack at most once.
        stack: list[tuple[_Node, int, int]] = [(self.root, 0, 0)]
        while stack:
            node, depth, step = stack.pop()
            # step 0: a pattern ending here; 1: the literal child; 2: the named child;
            # 3: a pattern with "*" ending here. Resumed in that order.
            if step == 0:
                stack.append((node, depth, 1))
                if depth >= end and node.ends:
                    found = _chosen(node.ends, site_id, every_language_only)
                    if found is not None:
                        return self._captured(found, segments, depth)
            elif step == 1:
                stack.append((node, depth, 2))
                literal = node.literal
                child = literal.get(segments[depth]) if literal and depth < end else None
                if child is not None:
                    stack.append((child, depth + 1, 0))
            elif step == 2:
                stack.append((node, depth, 3))
                if depth < end and node.named is not None and segments[depth]:
                    stack.append((node.named, depth + 1, 0))
            elif node.splats:
                found = _chosen(node.splats, site_id, every_language_only)
                if found is not None:
                    return self._captured(found, segments, depth)
        return None

    @staticmethod
    def _captured(entry: IndexedPattern, segments: list[str], depth: int) -> PatternMatch:
        pattern = entry.pattern
        captured = {
            segment[1:]: segments[position]
            for position, segment in enumerate(pattern.segments)
            if segment.startswith(":")
        }
        if pattern.splat:
            captured[SPLAT] = "/".join(segments[depth:])
        return PatternMatch(entry, captured)


def entry_for(
    redirect: Redirect, stored_code: int | None, every_language: bool
) -> IndexedPattern | None:
    """The index entry of a pattern redirect's row (its target page read with it, if
    any); None when its source does not parse (written around the model's validation: it
    answers nothing, as it did not parse)."""
    try:
        pattern = parse(redirect.old_path)
    except PatternError:
        return None
    page = redirect.redirect_page if redirect.redirect_page_id else None
    return IndexedPattern(
        pattern,
        redirect.pk,
        redirect.site_id,
        redirect.is_permanent,
        redirect.redirect_link,
        page,
        redirect.redirect_page_route_path,
        redirect.automatically_created,
        stored_code,
        every_language,
    )


def read_entries() -> list[IndexedPattern]:
    """Every pattern redirect, in one query."""
    rows = (
        Redirect.objects.filter(details__is_pattern=True)
        .select_related("details", "redirect_page")
        .order_by("pk")
    )
    found = (entry_for(r, r.details.status_code, r.details.every_language) for r in rows)
    return [entry for entry in found if entry is not None]


_lock = threading.Lock()
_index: PatternIndex | None = None


def loaded(shared: stamps.Stamps) -> PatternIndex | None:
    """The index if it was built from the data the stamps ``shared`` describe, else None."""
    with _lock:
        index = _index
    if index is not None and index.made_from is not None:
        return index if index.made_from.count("redirects") == shared.count("redirects") else None
    return None


def keep(entries: Iterable[IndexedPattern], shared: stamps.Stamps) -> PatternIndex:
    """Build the index from ``entries`` read under the stamps ``shared``; kept for the next
    requests unless the redirects changed while they were read."""
    global _index
    index = PatternIndex(entries, shared)
    if stamps.current().count("redirects") == shared.count("redirects"):
        with _lock:
            _index = index
    return index


def current() -> PatternIndex:
    """The index, read first (one query) if redirects changed since it was built. For
    callers outside a request's lookup: the edge exports, the admin's previews."""
    shared = stamps.current()
    index = loaded(shared)  # (an empty index is falsy)
    return index if index is not None else keep(read_entries(), shared)


def forget() -> None:
    """Drop this process's index (between tests)."""
    global _index
    with _lock:
        _index = None
