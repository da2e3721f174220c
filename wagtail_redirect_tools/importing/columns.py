"""The columns of an import file: their names, and the other names editors and tools give them.

Besides our own columns, the exports of other redirect tools name theirs in their own
way: Wagtail core (``From, To, Type, Site``), WordPress Redirection (``source, target,
regex, code, type, hits, title, status``, where ``code`` is the status code and ``type``
the kind of action), Yoast SEO Premium (``Origin, Target, Type, Format``), Rank Math
(``id, source, matching, destination, type, category, status, ignore``) and Drupal's
redirect module (``redirect_source__path, redirect_redirect__uri, status_code,
language``). Those columns are read here into the canonical names below; what their
values mean is decided by the import planner.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import ImportFileError

# Canonical name → the header names (after normalising) that mean it. The status code
# ("type") is not here: see ``STATUS_TIERS``.
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
        "redirect_source",
        "redirect_source_path",
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
        "redirect_redirect",
        "redirect_redirect_uri",
    ),
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
    # How other tools say what kind of redirect a row is; the planner refuses what we
    # cannot serve (regular expressions, other matching, actions other than a redirect)
    # and skips what the file says is switched off.
    "matching": ("matching", "match", "match_type", "comparison", "format"),
    "regex": ("regex", "is_regex", "regular_expression"),
    "action": ("action", "action_type"),
    "enabled": ("enabled", "active", "is_enabled", "is_active"),
}
# The status code column ("type"), strongest name first: when a file has columns of two
# tiers, the stronger one holds the code and the weaker keeps the meaning it has in
# those tools (WordPress Redirection's ``type`` is its action, its and Rank Math's
# ``status`` says whether the redirect is switched on).
STATUS_TIERS: tuple[tuple[str, ...], ...] = (
    (
        "status_code",
        "http_code",
        "http_status",
        "http_status_code",
        "redirect_code",
        "redirect_status",
        "redirect_status_code",
        "response_code",
        "response_status",
        "http_response_code",
        "header_code",
        "code",
    ),
    ("type", "redirect_type", "kind", "redirect"),
    ("status",),
)
# What a column of a weaker tier means when a stronger one holds the status code.
DEMOTED = {1: "action", 2: "enabled"}
# Columns our own export adds for people; an import reads past them quietly.
EXPORT_ONLY = ("origin", "hits", "last_hit", "last_hit_at")
# Names that mean a column only in a file without a column of that name: Yoast SEO
# Premium's source is "Origin", which our export uses for where a redirect came from;
# WordPress Redirection's "title" is its note, a name other exports give a page's title.
WHEN_ALONE = {"origin": "from", "title": "reason"}


def _key(name: str) -> str:
    """The lookup key of a normalised header: ``status_code`` and ``statuscode`` alike."""
    return name.replace("_", "")


_BY_NAME = {_key(synonym): name for name, synonyms in SYNONYMS.items() for synonym in synonyms}
_TIER_OF = {_key(name): tier for tier, names in enumerate(STATUS_TIERS) for name in names}
_EXPORT_ONLY = {_key(name) for name in EXPORT_ONLY}


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
    status_columns: list[tuple[int, int]] = []  # (tier, position)
    alone: dict[str, int] = {}
    for position, value in enumerate(header):
        key = _key(normalise_header(value))
        if key in WHEN_ALONE:
            alone.setdefault(key, position)
        elif key in _TIER_OF:
            status_columns.append((_TIER_OF[key], position))
        elif key in _BY_NAME:
            _place(positions, _BY_NAME[key], position, header)
        elif key and key not in _EXPORT_ONLY:
            ignored.append(str(value))
    _place_status_columns(positions, status_columns, header)
    for key, position in alone.items():
        if WHEN_ALONE[key] not in positions:
            positions[WHEN_ALONE[key]] = position
        elif key not in _EXPORT_ONLY:
            ignored.append(str(header[position]))
    missing = [name for name in ("from", "to") if name not in positions]
    if missing:
        raise ImportFileError(_missing_columns(missing, header))
    return positions, ignored


def _missing_columns(missing: list[str], header: list[Any]) -> str:
    shown = ", ".join(str(value)[:40] for value in header[:8] if value not in (None, ""))
    more = len(header) - 8
    return gettext(
        "The first row must name the columns; '%(missing)s' was not found. "
        "Expected columns: from (or source, old, old_url, origin), to (or target, new, "
        "new_url, destination), and if you like type (or code, status_code), site, "
        "starts_at, expires_at, reason. The first row holds: %(header)s."
    ) % {
        "missing": "', '".join(missing),
        "header": (shown or gettext("nothing"))
        + (gettext(" and %(count)s more") % {"count": more} if more > 0 else ""),
    }


def _place(positions: dict[str, int], name: str, position: int, header: list[Any]) -> None:
    if name in positions:
        raise ImportFileError(
            _("Two columns mean '%(name)s': %(first)s and %(second)s. Keep one.")
            % {"name": name, "first": header[positions[name]], "second": header[position]}
        )
    positions[name] = position


def _place_status_columns(
    positions: dict[str, int], columns: list[tuple[int, int]], header: list[Any]
) -> None:
    """The strongest status column is the code ("type"); the weaker ones keep their
    own meaning (see ``DEMOTED``)."""
    if not columns:
        return
    strongest = min(tier for tier, _position in columns)
    for tier, position in columns:
        name = "type" if tier == strongest else DEMOTED[tier]
        _place(positions, name, position, header)


def json_rows(data: Any) -> Any:
    """The redirects of a JSON export written by another tool, as flat objects whose
    keys are column names; any other JSON is returned as it is.

    WordPress Redirection writes ``{"plugin": …, "groups": […], "redirects": […]}``
    (documented at redirection.me, "JSON format"), each redirect with its target in
    ``action_data.url`` and its regular-expression flag in ``regex`` or
    ``match_data.source.flag_regex``. A redirect in a disabled group is disabled.
    """
    if not isinstance(data, dict) or not isinstance(data.get("redirects"), list):
        return data
    groups = data.get("groups")
    disabled_groups = {
        group.get("id")
        for group in (groups if isinstance(groups, list) else [])
        if isinstance(group, dict) and _is_off(group.get("enabled", True))
    }
    return [
        _redirection_row(item, disabled_groups) if isinstance(item, dict) else item
        for item in data["redirects"]
    ]


def _is_off(value: Any) -> bool:
    return value in (False, 0, "0", "false")


def _redirection_row(item: dict[str, Any], disabled_groups: set[Any]) -> dict[str, Any]:
    action_data = item.get("action_data")
    target = action_data.get("url") if isinstance(action_data, dict) else action_data
    match_data = item.get("match_data")
    flags = match_data.get("source") if isinstance(match_data, dict) else None
    regex = bool(item.get("regex")) or (isinstance(flags, dict) and bool(flags.get("flag_regex")))
    enabled = not _is_off(item.get("enabled", True)) and item.get("group_id") not in disabled_groups
    return {
        "source": item.get("url"),
        "target": target if isinstance(target, str) else "",
        "regex": 1 if regex else 0,
        "code": item.get("action_code"),
        "action": item.get("action_type"),
        "match_type": item.get("match_type"),
        "status": "active" if enabled else "disabled",
        "title": item.get("title") or "",
    }
