"""The columns of an import file: their names, and the other names editors give them."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import ImportFileError

# Canonical name → the header names (after normalising) that mean it.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "from": (
        "from",
        "source",
        "old",
        "old_url",
        "old_path",
        "from_url",
        "from_path",
        "redirect_from",
        "source_url",
        "source_path",
    ),
    "to": (
        "to",
        "target",
        "new",
        "new_url",
        "new_path",
        "to_url",
        "to_path",
        "redirect_to",
        "target_url",
        "target_path",
        "destination",
    ),
    "type": ("type", "status", "status_code", "code", "redirect_type", "kind"),
    "site": ("site", "host", "hostname", "domain"),
    "starts_at": ("starts_at", "starts", "start", "start_at", "start_date", "valid_from"),
    "expires_at": (
        "expires_at",
        "expires",
        "expiry",
        "expiry_date",
        "end",
        "ends",
        "ends_at",
        "end_date",
        "until",
        "valid_until",
    ),
    "reason": ("reason", "note", "notes", "comment", "comments", "description"),
}
# Columns our own export adds for people; an import reads past them quietly.
EXPORT_ONLY = ("origin", "hits", "last_hit", "last_hit_at")

_BY_NAME = {synonym: name for name, synonyms in SYNONYMS.items() for synonym in synonyms}


def normalise_header(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def canonical_headers(header: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Where each canonical column of ``header`` is, and the headers ignored.

    Raises :class:`ImportFileError` when ``from`` or ``to`` is missing, or a column
    appears twice under different names.
    """
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for position, value in enumerate(header):
        key = normalise_header(value)
        name = _BY_NAME.get(key)
        if name is None:
            if key and key not in EXPORT_ONLY:
                ignored.append(str(value))
            continue
        if name in positions:
            raise ImportFileError(
                _("Two columns mean '%(name)s': %(first)s and %(second)s. Keep one.")
                % {"name": name, "first": header[positions[name]], "second": value}
            )
        positions[name] = position
    missing = [name for name in ("from", "to") if name not in positions]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns; '%(missing)s' was not found. "
                "Expected columns: from, to, type, site, starts_at, expires_at, reason."
            )
            % {"missing": "', '".join(missing)}
        )
    return positions, ignored
