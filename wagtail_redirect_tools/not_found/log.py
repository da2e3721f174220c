"""The 404s of this process, counted in memory until a job writes them.

At most ``NOT_FOUND_MAX_PATHS`` distinct (site, path) entries are kept: when a new path
would pass that, the least-hit tenth (the oldest first among equals) is dropped in one go,
so a scanner sending a million unique URLs costs a bounded amount of memory and an
occasional sort, and the paths people really hit stay. At most every
``NOT_FOUND_FLUSH_SECONDS`` the counts are handed over to ``flush_not_found_task``.

Paths are kept as requested (``request.path``); the job turns each into the form the
middleware matches (``resolution.paths.matched_path``).
The settings are read through ``conf`` once, and again after any setting changes (Django's
``setting_changed``, sent by ``override_settings``): a request reads none.
"""

from __future__ import annotations

import heapq
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.signals import setting_changed

from .. import conf
from .rules import setting_patterns

#: Referrers kept per path, and the length each is cut to.
MAX_REFERRERS = 3
REFERRER_LENGTH = 200
#: When full, drop this share of the entries at once.
EVICT_SHARE = 0.1

Key = tuple[int, str]  # (site id, path)


def referrer_of(referer: str) -> str:
    """A ``Referer``'s host and path only (no scheme, query or fragment), cut short."""
    parts = urlsplit(referer)
    return (parts.netloc + parts.path)[:REFERRER_LENGTH] if parts.netloc else ""


@dataclass(slots=True)
class Entry:
    """One path's 404s since the last hand-over. Times are seconds since the epoch."""

    hits: int
    bot_hits: int
    first_seen: float
    last_seen: float
    referrers: list[str] = field(default_factory=list)
    #: The hash of the raw ``Referer`` read last (a repeat is not parsed again).
    last_referer: int = 0

    def add(self, *, bot: bool, when: float, referer: str) -> None:
        """Count a hit; ``referer`` is the raw header, read only while referrers are few."""
        self.hits += 1
        self.bot_hits += bot
        if when > self.last_seen:
            self.last_seen = when
        if referer and len(self.referrers) < MAX_REFERRERS and hash(referer) != self.last_referer:
            self.last_referer = hash(referer)
            referrer = referrer_of(referer)
            if referrer and referrer not in self.referrers:
                self.referrers.append(referrer)

    def merge(self, other: Entry) -> None:
        self.hits += other.hits
        self.bot_hits += other.bot_hits
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        for referrer in other.referrers:
            if referrer not in self.referrers and len(self.referrers) < MAX_REFERRERS:
                self.referrers.append(referrer)


@dataclass
class NotFoundCounts:
    """Entries by (site id, path), bounded by ``max_paths``."""

    max_paths: int
    entries: dict[Key, Entry] = field(default_factory=dict)
    evicted: int = 0

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, key: Key, *, bot: bool, when: float, referer: str) -> None:
        entry = self.entries.get(key)
        if entry is None:
            if len(self.entries) >= self.max_paths:
                self._evict()
            entry = self.entries[key] = Entry(0, 0, when, when)
        entry.add(bot=bot, when=when, referer=referer)

    def _evict(self) -> None:
        count = max(1, int(self.max_paths * EVICT_SHARE))
        least = heapq.nsmallest(
            count, self.entries.items(), key=lambda item: (item[1].hits, item[1].last_seen)
        )
        for key, _entry in least:
            del self.entries[key]
        self.evicted += len(least)

    def to_json(self) -> list[list[Any]]:
        return [
            [site_id, path, e.hits, e.bot_hits, e.first_seen, e.last_seen, e.referrers]
            for (site_id, path), e in self.entries.items()
        ]

    @classmethod
    def from_json(cls, rows: list[list[Any]]) -> NotFoundCounts:
        counts = cls(max_paths=max(len(rows), 1))
        for site_id, path, hits, bot_hits, first, last, referrers in rows:
            counts.entries[(int(site_id), str(path))] = Entry(
                int(hits), int(bot_hits), float(first), float(last), [str(r) for r in referrers]
            )
        return counts


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The settings the recording reads, as ``conf`` gives them."""

    enabled: bool
    max_paths: int
    flush_seconds: float
    ignored_prefixes: tuple[str, ...]
    ignored_suffixes: tuple[str, ...]


_settings: Settings | None = None


def settings() -> Settings:
    global _settings
    if _settings is None:
        patterns = setting_patterns()
        _settings = Settings(
            enabled=conf.not_found_log(),
            max_paths=conf.not_found_max_paths(),
            flush_seconds=conf.not_found_flush_seconds(),
            ignored_prefixes=tuple(p for p in patterns if p.startswith("/")),
            ignored_suffixes=tuple(p for p in patterns if not p.startswith("/")),
        )
    return _settings


def _forget_settings(**kwargs: Any) -> None:
    global _settings
    _settings = None


setting_changed.connect(_forget_settings, dispatch_uid="wagtail_redirect_tools.not_found")


_lock = threading.Lock()
_pending: NotFoundCounts | None = None
_handed_at = time.monotonic()


def add(key: Key, *, bot: bool, referer: str) -> None:
    """Count one 404 of ``key`` now."""
    global _pending
    now = time.time()
    with _lock:
        if _pending is None:
            _pending = NotFoundCounts(max_paths=settings().max_paths)
        _pending.add(key, bot=bot, when=now, referer=referer)


def take_due(*, force: bool = False) -> NotFoundCounts | None:
    """The counts gathered since the last hand-over, if one is due (and resets them)."""
    global _pending, _handed_at
    if not force and time.monotonic() - _handed_at < settings().flush_seconds:
        return None  # the common case, without the lock
    with _lock:
        if not _pending:
            return None
        due, _pending, _handed_at = _pending, None, time.monotonic()
    return due


def forget() -> None:
    global _pending, _handed_at
    with _lock:
        _pending, _handed_at = None, time.monotonic()
