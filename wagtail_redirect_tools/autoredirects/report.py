"""What one move or slug change did to the redirects, and its audit-log actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

ACTION_CREATED = "wagtail_redirect_tools.auto_redirects"

ACTION_UNDONE = "wagtail_redirect_tools.auto_redirects_undone"

#: How many replaced redirects a move's log entry keeps for Undo to put back. A move
#: replaces an automatic redirect only at an old URL that another page took over after an
#: earlier move: a handful, where a move writes thousands.
REPLACED_KEPT = 1000


@dataclass(kw_only=True)
class AutoRedirectReport:
    """What one move or slug change did to the redirects."""

    page_id: int
    url_path_before: str
    url_path_after: str
    #: Every redirect this move created carries this ``created_at``: Undo finds them by it.
    created_at: datetime.datetime = field(default_factory=timezone.now)
    log_entry_id: int | None = None
    created: int = 0
    replaced: int = 0
    repointed: int = 0
    removed: int = 0
    conflicts: list[str] = field(default_factory=list)
    #: All-sites redirects to an old path that means another page on some site: kept.
    kept_chains: list[str] = field(default_factory=list)
    old_links: list[str] = field(default_factory=list)
    #: Old URLs longer than a redirect's ``old_path`` holds: not redirected.
    too_long: list[str] = field(default_factory=list)
    #: Old URLs no redirect may have (``rules.source_error``: e.g. the admin's): not
    #: redirected.
    refused: list[str] = field(default_factory=list)
    #: The automatic redirects at old URLs that this move's redirects replaced, as
    #: :func:`replaced_row` keeps them: Undo puts them back.
    replaced_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def old_url(self) -> str:
        """The page's own old URL as visitors knew it (``/services/parking/``), not its
        place in the page tree (``/harbourside/services/parking/``)."""
        return urlsplit(self.old_links[0]).path if self.old_links else ""

    def log_data(self) -> dict[str, Any]:
        return {
            "old_url": self.old_url,
            "url_path_before": self.url_path_before,
            "url_path_after": self.url_path_after,
            "created_at": self.created_at.isoformat(),
            "created": self.created,
            "replaced": self.replaced,
            "repointed": self.repointed,
            "removed": self.removed,
            "conflicts": self.conflicts[:50],
            "conflict_count": len(self.conflicts),
            "kept_chains": self.kept_chains[:50],
            "kept_chain_count": len(self.kept_chains),
            "too_long": self.too_long[:10],
            "too_long_count": len(self.too_long),
            "refused": self.refused[:10],
            "refused_count": len(self.refused),
            "replaced_rows": self.replaced_rows[:REPLACED_KEPT],
        }


def replaced_row(redirect: Any) -> dict[str, Any]:
    """What Undo needs to put back an automatic redirect that a move replaced."""
    return {
        "site": redirect.site_id,
        "old_path": redirect.old_path,
        "page": redirect.redirect_page_id,
        "route": redirect.redirect_page_route_path,
        "link": redirect.redirect_link,
        "permanent": redirect.is_permanent,
        "created_at": redirect.created_at.isoformat() if redirect.created_at else None,
    }
