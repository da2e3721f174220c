"""Bounded, per-process memories of answers derived from the database.

Scanners and broken links ask for the same unknown paths again and again, and a
popular old URL is asked for all day; once a path's answer is known, asking again
costs no query. Each memory names the stamps (see :mod:`.stamps`) its answers depend
on, and forgets everything when one of them changes: at once in the process that
wrote, within ``INDEX_CHECK_SECONDS`` elsewhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from .. import conf
from . import stamps

NOT_REMEMBERED = object()


class Memory:
    """Answers by key, valid while the stamps named in ``depends_on`` stay the same;
    at most ``LOOKUP_CACHE_SIZE`` of them, the least recently used dropped first."""

    def __init__(self, *depends_on: str) -> None:
        self.depends_on = depends_on
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._made_from: tuple[int, ...] | None = None

    def _valid_for(self, shared: stamps.Stamps) -> tuple[int, ...]:
        return tuple(shared.count(name) for name in self.depends_on)

    def recall(self, key: Hashable, shared: stamps.Stamps) -> Any:
        """The answer remembered for ``key`` under the stamps ``shared``, or
        ``NOT_REMEMBERED``."""
        valid_for = self._valid_for(shared)
        with self._lock:
            if self._made_from != valid_for or key not in self._answers:
                return NOT_REMEMBERED
            self._answers.move_to_end(key)
            return self._answers[key]

    def remember(self, key: Hashable, answer: Any, shared: stamps.Stamps) -> None:
        """Remember ``answer``, read from the database under the stamps ``shared``;
        skipped when what it depends on changed while the database was read."""
        size = conf.lookup_cache_size()
        valid_for = self._valid_for(shared)
        if not size or self._valid_for(stamps.current()) != valid_for:
            return
        with self._lock:
            if self._made_from != valid_for:
                self._answers.clear()
                self._made_from = valid_for
            self._answers[key] = answer
            while len(self._answers) > size:
                self._answers.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._answers.clear()
            self._made_from = None


#: What 404 paths resolved to: a core redirect, or nothing (None).
lookups = Memory("redirects")
#: Responses given before routing (see :mod:`.early`): they also depend on no page
#: having appeared at the path.
early_answers = Memory("redirects", "pages")
#: 404s of Wagtail's routing that the page tree alone decides, by the same keys (see
#: :mod:`.early`): seen once, or known. Apart, so that scanners' paths seen once do not
#: push the remembered redirects out.
routed_not_found = Memory("redirects", "pages")
#: Which site a host name and port mean (site changes change the redirects stamp).
host_sites = Memory("redirects")
#: The site Wagtail finds for a host name and port, with its root page's fields: set on
#: each request before routing (a page saved or published changes the pages stamp).
served_sites = Memory("redirects", "pages")
#: The live translation of a target page in a language, for the redirects that serve
#: every language (a translation published or unpublished changes the pages stamp).
translations = Memory("redirects", "pages")
#: Wagtail's site root paths: they change with sites, moves and slug changes (the redirects
#: stamp) and new translations of a root page (the pages stamp).
root_paths = Memory("redirects", "pages")


def forget() -> None:
    for memory in (
        lookups,
        early_answers,
        routed_not_found,
        host_sites,
        served_sites,
        root_paths,
        translations,
    ):
        memory.forget()
