"""The columns of an import file: their names, and the other names editors and tools give them.

Besides our own columns, the exports of other redirect tools name theirs in their own
way: Wagtail core (``From, To, Type, Site``), WordPress Redirection (``source, target,
regex, code, type, hits, title, status``, where ``code`` is the status code and ``type``
the kind of action), Yoast SEO Premium (``Origin, Target, Type, Format``), Rank Math
(``id, source, matching, destination, type, category, status, ignore``) and Drupal's
redirect module (``redirect_source__path, redirect_source__query,
redirect_redirect__uri, status_code, language``). Those columns are read here into the
canonical names below; what their values mean is decided by the import planner, and
by the module of that tool in :mod:`.tools`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import ImportFileError
from .tools import vercel

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
    # A page target as page:ID, beside a readable "to" (our export's): preferred to "to".
    "to_page": ("to_page",),
    # The source's query string in a column of its own (Drupal's redirect table).
    "query": ("source_query", "from_query", "query_string", "redirect_source_query"),
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
    # A redirect that serves every language's prefix (multilingual sites).
    "every_language": ("every_language", "all_languages", "languages"),
    # A source in pattern notation (/old-section/*, /news/:slug): yes, no, or blank for
    # "as the source reads" (see wagtail_redirect_tools.patterns).
    "is_pattern": ("is_pattern", "pattern"),
    # Whose notation a pattern source is in, when not ours (Vercel's, Squarespace's).
    "notation": ("notation",),
    # A scheduled redirect of a page: yes to redirect its translations too.
    "translations": ("translations", "with_translations", "and_translations"),
    # How other tools say what kind of redirect a row is; the tools' modules refuse what
    # we cannot serve (regular expressions, other matching, actions other than a redirect);
    # the planner skips what the file says is switched off.
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
EXPORT_ONLY = (
    "origin",
    "hits",
    "last_hit",
    "last_hit_at",
    "target_page_title",
    "target_page_url",
    "source_page_title",
    "source_page_url",
)
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


@dataclass(frozen=True)
class HeaderMatch:
    """What the names of a header say: where each canonical column is, the positions of
    the columns no name is known for, and why the header cannot be read (or "")."""

    positions: dict[str, int]
    ignored: list[int]
    problem: str = ""


def match_header(header: list[Any]) -> HeaderMatch:
    """Read ``header`` by its names, without raising (see :func:`canonical_headers`)."""
    positions: dict[str, int] = {}
    ignored: list[int] = []
    status_columns: list[tuple[int, int]] = []  # (tier, position)
    alone: dict[str, int] = {}
    problems: list[str] = []
    for position, value in enumerate(header):
        key = _key(normalise_header(value))
        if key in WHEN_ALONE:
            alone.setdefault(key, position)
        elif key in _TIER_OF:
            status_columns.append((_TIER_OF[key], position))
        elif key in _BY_NAME:
            problems += _place(positions, _BY_NAME[key], position, header)
        elif key and key not in _EXPORT_ONLY:
            ignored.append(position)
    problems += _place_status_columns(positions, status_columns, header)
    for key, position in alone.items():
        if WHEN_ALONE[key] not in positions:
            positions[WHEN_ALONE[key]] = position
        elif key not in _EXPORT_ONLY:
            ignored.append(position)
    missing = [name for name in ("from", "to") if name not in positions]
    if missing and not problems:
        problems.append(_missing_columns(missing, header))
    return HeaderMatch(positions, ignored, problems[0] if problems else "")


def canonical_headers(header: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Where each canonical column of ``header`` is, and the headers ignored.

    Raises :class:`ImportFileError` when ``from`` or ``to`` is missing, or a column
    appears twice under different names.
    """
    match = match_header(header)
    if match.problem:
        raise ImportFileError(match.problem)
    return match.positions, [str(header[position]) for position in match.ignored]


def first_row_summary(header: list[Any]) -> str:
    """What the first row of a file holds, cut short, for a message."""
    shown = ", ".join(str(value)[:40] for value in header[:8] if value not in (None, ""))
    more = len(header) - 8
    return (shown or gettext("nothing")) + (
        gettext(" and %(count)s more") % {"count": more} if more > 0 else ""
    )


def _missing_columns(missing: list[str], header: list[Any]) -> str:
    return gettext(
        "The first row must name the columns; '%(missing)s' was not found. "
        "Expected columns: from (or source, old, old_url, origin), to (or target, new, "
        "new_url, destination), and if you like type (or code, status_code), site, "
        "starts_at, expires_at, reason. The first row holds: %(header)s."
    ) % {"missing": "', '".join(missing), "header": first_row_summary(header)}


def _place(positions: dict[str, int], name: str, position: int, header: list[Any]) -> list[str]:
    """Put column ``name`` at ``position``; the problem if it is there already."""
    if name in positions:
        return [
            gettext("Two columns mean '%(name)s': %(first)s and %(second)s. Keep one.")
            % {"name": name, "first": header[positions[name]], "second": header[position]}
        ]
    positions[name] = position
    return []


def _place_status_columns(
    positions: dict[str, int], columns: list[tuple[int, int]], header: list[Any]
) -> list[str]:
    """The strongest status column is the code ("type"); the weaker ones keep their
    own meaning (see ``DEMOTED``)."""
    if not columns:
        return []
    strongest = min(tier for tier, _position in columns)
    problems: list[str] = []
    for tier, position in columns:
        name = "type" if tier == strongest else DEMOTED[tier]
        problems += _place(positions, name, position, header)
    return problems


# -- Columns an editor matches -------------------------------------------------------

# What an editor may say a column holds (the choices of the matching step, and the
# names ``--columns`` takes), then what other tools' columns mean, which a header's
# names may give a column but the step does not offer.
MEANINGS: tuple[str, ...] = (
    "from",
    "to",
    "type",
    "site",
    "starts_at",
    "expires_at",
    "reason",
    "every_language",
)
TOOL_MEANINGS: tuple[str, ...] = (
    "matching",
    "regex",
    "action",
    "enabled",
    "query",
    "to_page",
    "is_pattern",
    "notation",
)
IGNORE = "ignore"
MEANING_ALIASES = {"starts": "starts_at", "expires": "expires_at", "": IGNORE, "-": IGNORE}
MEANING_LABELS = {
    "from": _("from"),
    "to": _("to"),
    "type": _("type"),
    "site": _("site"),
    "starts_at": _("starts"),
    "expires_at": _("expires"),
    "reason": _("reason"),
    "every_language": _("every language"),
    "matching": _("matching"),
    "regex": _("regular expression"),
    "action": _("action"),
    "enabled": _("enabled"),
    "query": _("source query string"),
    "to_page": _("target page (page:ID)"),
    "is_pattern": _("pattern (yes or no)"),
    "notation": _("pattern notation"),
    IGNORE: _("ignore"),
}


def accepted_meanings() -> str:
    """The names a column can be given, for messages."""
    return ", ".join((*MEANINGS, IGNORE))


@dataclass(frozen=True)
class ColumnMapping:
    """What each column of a file holds, by position, as an editor said (the matching
    step, or ``redirects_import --columns``); columns past ``meanings`` are ignored.
    Without a header, the first row is read as a row of redirects."""

    meanings: tuple[str, ...]
    has_header: bool = True

    @classmethod
    def parse(cls, text: str, *, has_header: bool = True) -> ColumnMapping:
        """``from,to,type,ignore``; raises :class:`ImportFileError` for a name not known."""
        meanings = []
        for name in text.split(","):
            key = name.strip().lower()
            meaning = MEANING_ALIASES.get(key, key)
            if meaning not in (*MEANINGS, *TOOL_MEANINGS, IGNORE):
                raise ImportFileError(
                    gettext("'%(name)s' is not a column the import knows. Use: %(names)s.")
                    % {"name": name.strip(), "names": accepted_meanings()}
                )
            meanings.append(meaning)
        mapping = cls(tuple(meanings), has_header=has_header)
        mapping.check()
        return mapping

    def check(self) -> None:
        """Raise :class:`ImportFileError` unless from and to are each given once, and no
        other meaning twice."""
        for name in dict.fromkeys(self.meanings):
            count = self.meanings.count(name)
            if name != IGNORE and count > 1:
                raise ImportFileError(
                    gettext("%(count)s columns are matched to '%(name)s'; choose one.")
                    % {"count": count, "name": name}
                )
        missing = [name for name in ("from", "to") if name not in self.meanings]
        if missing:
            raise ImportFileError(
                gettext("Choose the column that holds '%(missing)s'.")
                % {"missing": "' and '".join(missing)}
            )

    def positions(self, header: list[Any]) -> tuple[dict[str, int], list[str]]:
        """Where each canonical column is in a file whose first row is ``header``, and the
        names of the columns ignored (none: the mapping shows every column)."""
        width = len(header)
        positions = {
            meaning: position
            for position, meaning in enumerate(self.meanings)
            if meaning != IGNORE and position < width
        }
        beyond = [name for name in ("from", "to") if name not in positions]
        if beyond:
            raise ImportFileError(
                gettext(
                    "The file has %(width)s columns, so no column holds '%(missing)s'. "
                    "The first row holds: %(header)s."
                )
                % {
                    "width": width,
                    "missing": "', '".join(beyond),
                    "header": first_row_summary(header),
                }
            )
        return positions, []


def json_rows(data: Any) -> Any:
    """The redirects of a JSON export written by another tool, as flat objects whose
    keys are column names; any other JSON is returned as it is.

    WordPress Redirection writes ``{"plugin": …, "groups": […], "redirects": […]}``
    (documented at redirection.me, "JSON format"), each redirect with its target in
    ``action_data.url`` and its regular-expression flag in ``regex`` or
    ``match_data.source.flag_regex``. A redirect in a disabled group is disabled.
    Vercel's ``vercel.json`` has ``redirects`` too, with ``source`` and ``destination``
    (:mod:`.tools.vercel`).
    """
    if not isinstance(data, dict) or not isinstance(data.get("redirects"), list):
        return data
    if vercel.is_vercel(data["redirects"]):
        return [
            vercel.json_row(item) if isinstance(item, dict) else item for item in data["redirects"]
        ]
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
