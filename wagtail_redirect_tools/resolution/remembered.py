"""A bounded, per-process memory of what 404 paths resolved to: a redirect, or nothing.

Scanners and broken links ask for the same unknown paths again and again, and a
popular old URL is asked for all day; once a path's answer is known, asking again
costs no query. Everything is forgotten when any redirect, site or page URL changes
(see :mod:`.stamps`): at once in the process that wrote, within
``INDEX_CHECK_SECONDS`` elsewhere. While the cache is down, nothing is remembered
beyond one check interval.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from .. import conf
from . import stamps

_lock = threading.Lock()
_answers: OrderedDict[Hashable, Any] = OrderedDict()
_made_from: tuple[str | None, int | None] | None = None
NOT_REMEMBERED = object()


def _valid_for(shared: stamps.Stamps) -> tuple[str | None, int | None]:
    # With the cache down, nothing outlives the check it was found in.
    return shared.redirects, None if shared.cache_ok else shared.check


def recall(key: Hashable, shared: stamps.Stamps) -> Any:
    """The answer remembered for ``key`` under the stamps ``shared`` (None: no redirect),
    or ``NOT_REMEMBERED``."""
    valid_for = _valid_for(shared)
    with _lock:
        if _made_from != valid_for or key not in _answers:
            return NOT_REMEMBERED
        _answers.move_to_end(key)
        return _answers[key]


def remember(key: Hashable, answer: Any, shared: stamps.Stamps) -> None:
    """Remember ``answer``, read from the database under the stamps ``shared``; skipped
    when redirects changed while the database was read."""
    global _made_from
    size = conf.lookup_cache_size()
    valid_for = _valid_for(shared)
    if not size or _valid_for(stamps.current()) != valid_for:
        return
    with _lock:
        if _made_from != valid_for:
            _answers.clear()
            _made_from = valid_for
        _answers[key] = answer
        while len(_answers) > size:
            _answers.popitem(last=False)


def forget() -> None:
    global _made_from
    with _lock:
        _answers.clear()
        _made_from = None
