"""A bounded, per-process memory of 404 paths that have no core redirect.

Scanners and broken links ask for the same unknown paths again and again; once a
path is known to have no redirect, asking again costs no query. Everything is
forgotten when any redirect changes (see :mod:`.stamps`): at once in the process
that wrote, within ``INDEX_CHECK_SECONDS`` elsewhere. While the cache is down,
nothing is remembered beyond one check interval.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from .. import conf
from . import stamps

_lock = threading.Lock()
_misses: OrderedDict[Hashable, None] = OrderedDict()
_made_from: tuple[str | None, int | None] | None = None


def _valid_for(shared: stamps.Stamps) -> tuple[str | None, int | None]:
    # With the cache down, nothing outlives the check it was found in.
    return shared.redirects, None if shared.cache_ok else shared.check


def is_known_miss(key: Hashable, shared: stamps.Stamps) -> bool:
    """True when ``key`` was remembered as a miss under the stamps ``shared``."""
    valid_for = _valid_for(shared)
    with _lock:
        if _made_from != valid_for:
            return False
        if key in _misses:
            _misses.move_to_end(key)
            return True
        return False


def remember_miss(key: Hashable, shared: stamps.Stamps) -> None:
    """Remember ``key`` as a miss found in the database under the stamps ``shared``;
    skipped when redirects changed while the database was read."""
    global _made_from
    size = conf.miss_cache_size()
    valid_for = _valid_for(shared)
    if not size or _valid_for(stamps.current()) != valid_for:
        return
    with _lock:
        if _made_from != valid_for:
            _misses.clear()
            _made_from = valid_for
        _misses[key] = None
        while len(_misses) > size:
            _misses.popitem(last=False)


def forget() -> None:
    global _made_from
    with _lock:
        _misses.clear()
        _made_from = None
