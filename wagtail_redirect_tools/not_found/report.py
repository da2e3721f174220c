"""The open 404 log as rows, for the ``redirects_not_found`` command (the admin report
filters the same queryset with its filter set)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F

from .models import NotFoundPath
from .queries import open_paths

COLUMNS = ("path", "site", "hits", "bot_hits", "first_seen_at", "last_seen_at", "referrers")


def open_log(
    *, since: datetime.date | None = None, min_hits: int = 0, hide_bots: bool = False
) -> Any:
    """Open paths, most hit first: seen since ``since``, with ``min_hits`` or more."""
    queryset = open_paths().select_related("site")
    if since is not None:
        queryset = queryset.filter(last_seen_at__date__gte=since)
    if min_hits:
        queryset = queryset.filter(hits__gte=min_hits)
    if hide_bots:
        queryset = queryset.filter(bot_hits__lt=F("hits"))
    return queryset.order_by("-hits", "path", "pk")


def as_row(entry: NotFoundPath) -> dict[str, Any]:
    return {
        "path": entry.path,
        "site": entry.site.hostname
        if entry.site.port == 80
        else f"{entry.site.hostname}:{entry.site.port}",
        "hits": entry.hits,
        "bot_hits": entry.bot_hits,
        "first_seen_at": entry.first_seen_at.isoformat(),
        "last_seen_at": entry.last_seen_at.isoformat(),
        "referrers": list(entry.referrers or []),
    }
