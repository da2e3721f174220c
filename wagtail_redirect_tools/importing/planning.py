"""Decide what an import would do to every row, without writing anything.

Each row becomes a :class:`PlannedRow`: new, update, unchanged, skip or error, with
a reason an editor can act on. Checks that need the whole file (duplicates, loops,
chains) and the database (existing redirects, live pages, overlapping windows) are
made here, so the preview and the import make the same decisions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.contrib.redirects.models import Redirect

from .. import rules
from ..permissions import scheduled_redirect_policy, window_pages_refused
from ..rules import admin_root, validate_redirect_link
from .columns import ColumnMapping
from .context import ImportContext, Key, Target
from .limits import cut
from .query_strings import QueryError, read_query
from .reading import Table
from .resources import ESCAPE, PAGE_PREFIX, RedirectResource, spreadsheet_unsafe
from .widgets import site_label

MAX_LENGTH = 255
DEFAULT_PORT_OF_SCHEME = {"http": 80, "https": 443}
MAX_HOPS = 20
Progress = Callable[[int, int], None]


class Action(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    SKIP = "skip", gettext_lazy("Skip")
    ERROR = "error", gettext_lazy("Error")


class OnExisting(models.TextChoices):
    UPDATE = "update", gettext_lazy("Update it")
    SKIP = "skip", gettext_lazy("Skip the row")
    ERROR = "error", gettext_lazy("Report an error for the row")


@dataclass(frozen=True)
class ImportOptions:
    """What the editor chose on the upload form (or on the command line)."""

    site_id: int | None = None
    default_type: int = 301
    on_existing: str = OnExisting.UPDATE
    valid_only: bool = False
    file_format: str = "auto"
    encoding: str = "auto"
    # What each column holds, by position, as the editor matched them (None: read by the
    # header's names), whether the first row is a header, and the header's names then.
    columns: tuple[str, ...] | None = None
    has_header: bool = True
    column_labels: tuple[str, ...] = ()
    # The upload waits for the editor to match its columns before it is previewed.
    match_columns: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = list(self.columns) if self.columns is not None else None
        data["column_labels"] = list(self.column_labels)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:
        values = dict(data)
        if values.get("columns") is not None:
            values["columns"] = tuple(values["columns"])
        values["column_labels"] = tuple(values.get("column_labels") or ())
        return cls(**values)

    def column_mapping(self) -> ColumnMapping | None:
        """How the file's columns are read: by the editor's matching, or by their names."""
        if self.columns is None:
            return None
        return ColumnMapping(self.columns, has_header=self.has_header)


@dataclass(slots=True)
class PlannedRow:
    number: int
    action: str = Action.NEW
    kind: str = "redirect"  # or "scheduled"
    site_id: int | None = None
    old_path: str = ""
    source_page_id: int | None = None
    page_id: int | None = None
    route_path: str = ""
    link: str = ""
    status_code: int | None = None
    starts_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    reason: str = ""
    existing_pk: int | None = None
    written_link: str = ""  # the path in the file when it was stored as its page
    source_label: str = ""
    target_label: str = ""
    # Tuples: most rows have none, and the empty tuple costs a row nothing.
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.site_id, self.old_path)

    @property
    def target(self) -> Target:
        return Target(self.page_id, self.route_path, self.link)

    def fail(self, message: str) -> None:
        self.errors += (message,)
        self.action = Action.ERROR

    def note(self, message: str) -> None:
        self.notes += (message,)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.values, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == Action.ERROR]

    def to_write(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in (Action.NEW, Action.UPDATE)]


def plan_import(
    table: Table,
    options: ImportOptions,
    *,
    context: ImportContext | None = None,
    progress: Progress | None = None,
    user: Any = None,
) -> ImportPlan:
    """What importing ``table`` with ``options`` would do to each row (for ``user``, if
    given: rows that need a permission they lack are errors)."""
    context = context or ImportContext.load()
    planner = _Planner(context, options)
    total = len(table)
    rows = []
    for index, (number, cells) in enumerate(zip(table.numbers, table.rows, strict=True)):
        rows.append(planner.read(number, cells))
        if progress is not None and index % 1000 == 999:
            progress(index + 1, total)
    planner.reject_duplicates(rows)
    planner.compare_with_existing(rows)
    planner.follow_chains(rows)
    if user is not None:
        planner.check_permissions(rows, user)
    if progress is not None:
        progress(total, total)
    return ImportPlan(rows=rows, ignored_columns=table.ignored_columns)


def _too_long(what: str, value: str) -> str:
    return _("The %(what)s is %(length)s characters long; the limit is %(limit)s.") % {
        "what": what,
        "length": len(value),
        "limit": MAX_LENGTH,
    }


class _Planner:
    def __init__(self, context: ImportContext, options: ImportOptions) -> None:
        self.context = context
        self.options = options
        self.resource = RedirectResource(sites=context.sites)
        self.now = timezone.now()
        self.site_labels = {site.pk: site_label(site, context.sites) for site in context.sites}
        self.admin_root = admin_root()
        self.link_keys: dict[tuple[int | None, str], Key | None] = {}
        self.claimed_windows: dict[int, int] = {}  # existing window pk → the row replacing it

    # -- One row -------------------------------------------------------------------

    def read(self, number: int, cells: dict[str, Any]) -> PlannedRow:
        cells = _with_page_target(_unescaped(cells))
        values, problems = self.resource.clean_row(cells)
        row = PlannedRow(number=number)
        raw_source = str(cells.get("from") or "").strip()
        raw_target = str(cells.get("to") or "").strip()
        # What the preview shows of the cells (the whole of any the import keeps).
        row.source_label, row.target_label = cut(raw_source), cut(raw_target)
        enabled = _flag(cells.get("enabled"), blank=True)
        if enabled is False:
            row.action = Action.SKIP
            row.note(_("Disabled in the file: skipped."))
            return row
        if enabled is None:
            row.fail(
                _(
                    "'%(value)s' does not say whether the redirect is on (active, enabled, 1) "
                    "or off (inactive, disabled, 0)."
                )
                % {"value": str(cells.get("enabled"))[:40]}
            )
        for message in problems.values():
            row.fail(message)
        if cells.get("__extra__"):
            row.fail(_("The row has more cells than the header has columns."))
        for column, value in cells.items():
            # No database stores a NUL: refused here, not when the import writes.
            if column != "from" and isinstance(value, str) and "\x00" in value:
                row.fail(_("The '%(column)s' cell contains a null byte.") % {"column": column})
        site = values.get("site") if "site" in values else None
        row.site_id = site.pk if site is not None else self.options.site_id
        row.reason = values.get("reason") or ""
        row.starts_at = values.get("starts_at")
        row.expires_at = values.get("expires_at")
        row.status_code = values.get("type")
        windowed = bool(
            row.starts_at or row.expires_at or "starts_at" in problems or "expires_at" in problems
        )
        row.kind = "scheduled" if windowed else "redirect"
        self._read_kind(row, cells, raw_source, "type" in problems)
        raw_source = self._with_query(row, raw_source, cells.get("query"))
        self._guarded(self._read_source, row, raw_source)
        self._read_type(row, "type" in problems)
        raw_target = self._gone_without_target(row, raw_target)
        self._guarded(self._read_target, row, raw_target)
        if windowed:
            self._read_window(row, problems)
        elif row.source_page_id is not None:
            row.fail(
                _("A page can only be redirected for a while: give the row an expiry (expires_at).")
            )
        elif (
            row.old_path
            and row.key not in self.context.redirects  # an existing one is only updated
            and self.context.is_live_page_url(row.site_id, row.old_path)
        ):
            row.fail(
                _(
                    "A live page is at %(path)s, so this redirect would never be used "
                    "(the page is served first). Give the row an expiry to redirect the "
                    "page for a while."
                )
                % {"path": row.old_path}
            )
        return row

    @staticmethod
    def _guarded(read: Callable[[PlannedRow, str], None], row: PlannedRow, raw: str) -> None:
        try:
            read(row, raw)
        except ValueError:  # urlsplit: "Invalid IPv6 URL" and the like
            row.fail(_("'%(value)s' is not a valid path or URL.") % {"value": raw[:80]})

    def _read_source(self, row: PlannedRow, raw: str) -> None:
        if not raw:
            row.fail(_("The 'from' cell is empty."))
            return
        if raw.lower().startswith(PAGE_PREFIX):
            page_id = self._page_id(row, raw, "from")
            if page_id is not None:
                row.source_page_id = page_id
                if row.site_id is not None and row.kind == "scheduled":
                    row.site_id = None  # a page is redirected on every site it is on
            return
        # The rules every writer of a source shares, before normalising (which would
        # drop a tab without a word).
        error = rules.source_error(raw, admin=self.admin_root)
        if error is not None:
            row.fail(" ".join(error.messages))
            return
        # A path has no scheme (and one of a single slash no host that could be malformed).
        plain = raw.startswith("/") and not raw.startswith("//")
        scheme = "" if plain else urlsplit(raw).scheme.lower()
        if not raw.startswith("/") and scheme not in ("http", "https"):
            if scheme:
                row.fail(
                    _("'%(value)s' is not a path: start it with / (or give a full URL).")
                    % {"value": raw[:80]}
                )
                return
            row.note(
                _("'%(value)s' has no leading slash: read as %(path)s.")
                % {"value": raw[:80], "path": rules.normalise_path(raw)[:80]}
            )
        path = rules.normalise_path(raw)
        if len(path) > MAX_LENGTH:
            row.fail(_too_long(_("'from' path"), path))
            return
        row.old_path = path
        row.source_label = self._with_site(row.site_id, path)

    @staticmethod
    def _with_query(row: PlannedRow, raw: str, value: Any) -> str:
        """The source with the query a column of its own gives (see :mod:`.query_strings`):
        core matches a path with its query, so the query belongs to the source."""
        if value is None or value == "":
            return raw
        try:
            query = read_query(value)
        except QueryError:
            row.fail(
                _(
                    "The source's query (column 'query') cannot be written as a query "
                    "string: '%(value)s'. Give it as name=value&… or leave it empty."
                )
                % {"value": str(value)[:80]}
            )
            return raw
        if not query or not raw:
            return raw
        if raw.lower().startswith(PAGE_PREFIX):
            row.fail(
                _("A page (page:ID) cannot be given a query ('%(query)s').") % {"query": query}
            )
            return raw
        source = f"{raw}&{query}" if "?" in raw else f"{raw}?{query}"
        row.note(
            _("The query %(query)s is added to the source: %(source)s.")
            % {"query": query[:80], "source": source[:120]}
        )
        return source

    def _with_site(self, site_id: int | None, path: str) -> str:
        return f"{self.site_labels[site_id]}{path}" if site_id is not None else path

    def _page_id(self, row: PlannedRow, raw: str, column: str) -> int | None:
        reference = raw[len(PAGE_PREFIX) :]
        digits, _slash, route = reference.partition("/")
        if not digits.isdigit() or int(digits) not in self.context.page_ids:
            row.fail(
                _("'%(value)s' in '%(column)s' is not an existing page (page:ID).")
                % {"value": raw[:80], "column": column}
            )
            return None
        if column == "to" and route:
            row.route_path = Redirect.normalise_page_route_path(route)
            if len(row.route_path) > MAX_LENGTH:
                row.fail(_too_long(_("page route"), row.route_path))
        return int(digits)

    def _read_type(self, row: PlannedRow, bad: bool) -> None:
        if bad:
            return
        if row.status_code is None:
            windowed = row.kind == "scheduled"
            row.status_code = 302 if windowed else self.options.default_type

    def _read_kind(
        self, row: PlannedRow, cells: dict[str, Any], raw_source: str, bad_type: bool
    ) -> None:
        """Refuse what another tool's export marks as more than a redirect of one exact
        path: a regular expression, another way of matching, another action."""
        regex = _flag(cells.get("regex"), blank=False)
        matching = _text(cells.get("matching"))
        if regex is None:
            row.fail(
                _("'%(value)s' in the 'regex' column is neither yes nor no.")
                % {"value": str(cells.get("regex"))[:40]}
            )
        elif regex or matching in REGEX_MATCHING:
            row.fail(
                _(
                    "'%(value)s' is a regular expression, and regular expressions are not "
                    "supported: give each path on a row of its own."
                )
                % {"value": raw_source[:80]}
            )
        elif matching not in EXACT_MATCHING:
            row.fail(
                _(
                    "The file matches this source by '%(kind)s'; only redirects of one "
                    "exact path can be imported."
                )
                % {"kind": matching[:40]}
            )
        self._read_action(row, _text(cells.get("action")), bad_type)

    @staticmethod
    def _read_action(row: PlannedRow, action: str, bad_type: bool) -> None:
        """WordPress Redirection's action: a redirect to a URL, or an error page (which
        is ours to serve only as 410 gone; other codes are refused as the type)."""
        if action in REDIRECT_ACTIONS or (
            action == "error" and (row.status_code == 410 or bad_type)
        ):
            return
        if action.isdigit() and int(action) == row.status_code:
            return
        row.fail(
            _(
                "The file's action for this row is '%(action)s'; only redirects (and 410 "
                "gone) can be imported."
            )
            % {"action": action[:40]}
        )

    @staticmethod
    def _gone_without_target(row: PlannedRow, raw: str) -> str:
        """Yoast SEO writes the target of a gone (410) redirect as '/'."""
        if row.status_code == 410 and raw == "/":
            row.note(_("The target '/' of a gone (410) row is read as no target."))
            return ""
        return raw

    @staticmethod
    def _drupal_uri(row: PlannedRow, raw: str) -> str:
        """Drupal's redirect module stores targets as URIs: ``internal:/path`` and
        ``base:path`` are paths here; ``entity:node/7`` names content this site lacks."""
        scheme, _colon, rest = raw.partition(":")
        scheme = scheme.lower()
        if scheme in ("internal", "base") and rest:
            path = rest if rest.startswith("/") else f"/{rest}"
            row.note(
                _("Drupal's %(value)s read as %(path)s.") % {"value": raw[:80], "path": path[:80]}
            )
            return path
        if scheme == "entity":
            row.fail(
                _(
                    "'%(value)s' is a Drupal entity, which this site does not have: give the "
                    "path or URL it should redirect to."
                )
                % {"value": raw[:80]}
            )
            return ""
        return raw

    def _read_target(self, row: PlannedRow, raw: str) -> None:
        if row.status_code == 410:
            if raw:
                row.fail(str(rules.gone_with_target_error().message))
            return
        if not raw:
            row.fail(
                _(
                    "The 'to' cell is empty: give a path, a URL or page:ID "
                    "(or type 410 for a page that is gone)."
                )
            )
            return
        if raw.lower().startswith(PAGE_PREFIX):
            row.page_id = self._page_id(row, raw, "to")
            if row.page_id is not None and not row.route_path and self._is_own_page(row):
                row.fail(str(rules.LOOP_MESSAGE))
            return
        if "\x00" in raw:
            return  # said for every cell in ``read``
        raw = self._drupal_uri(row, raw)
        if not raw:
            return
        try:
            validate_redirect_link(raw)
        except ValidationError as error:
            row.fail(" ".join(error.messages))
            return
        if len(raw) > MAX_LENGTH:
            row.fail(_too_long(_("'to' target"), raw))
            return
        local = self._link_key(row.site_id, raw)
        if (
            local is not None
            and local[1] == row.old_path
            and (row.site_id is None or local[0] in (None, row.site_id))
        ):
            row.fail(str(rules.LOOP_MESSAGE))
            return
        if raw.startswith("/") and local is not None and not any(c in raw for c in "?#"):
            page_id = self.context.page_at(row.site_id, local[1])
            if page_id is not None:
                row.page_id, row.written_link = page_id, raw
                row.note(
                    _("%(path)s is a page's URL: stored as the page, so it follows moves.")
                    % {"path": raw}
                )
                return
        row.link = raw

    def _is_own_page(self, row: PlannedRow) -> bool:
        if row.source_page_id is not None:
            return row.page_id == row.source_page_id
        return bool(row.old_path) and self.context.page_at(row.site_id, row.old_path) == row.page_id

    def _link_key(self, site_id: int | None, link: str) -> Key | None:
        """The (site, path) on one of our sites that ``link`` leads to, if it does."""
        if link.startswith("/"):  # a path: quicker to work out than to remember
            return (site_id, rules.normalise_path(link))
        cache_key = (site_id, link)
        if cache_key not in self.link_keys:
            self.link_keys[cache_key] = self._find_link_key(site_id, link)
        return self.link_keys[cache_key]

    def _find_link_key(self, site_id: int | None, link: str) -> Key | None:
        try:
            parts = urlsplit(link)
        except ValueError:  # a malformed link stored before: it leads nowhere we know
            return None
        try:
            port = parts.port or DEFAULT_PORT_OF_SCHEME.get(parts.scheme.lower())
        except ValueError:  # a port that is not a number
            return None
        site_id = self.context.site_for_host(parts.hostname, port)
        if site_id is None:
            return None
        return (site_id, rules.normalise_path(parts.path or "/"))

    def _read_window(self, row: PlannedRow, problems: dict[str, str]) -> None:
        if error := rules.window_status_error(row.status_code):
            row.fail(str(error.message))
        if row.expires_at is None and "expires_at" not in problems:
            row.fail(_("A redirect with a start needs an expiry (expires_at)."))
        if error := rules.window_order_error(row.starts_at, row.expires_at):
            row.fail(str(error.message))

    # -- The whole file --------------------------------------------------------------

    def reject_duplicates(self, rows: list[PlannedRow]) -> None:
        # The first row of each source by its path, in a dict per kind, site and source
        # page, and a list only for a source with more rows: a list and a key per row
        # cost a 100,000-row preview 20 MB at its peak.
        first_rows: dict[tuple[Any, ...], dict[str, PlannedRow]] = {}
        later_rows: dict[tuple[Any, ...], list[PlannedRow]] = {}
        for row in rows:
            if row.action in (Action.ERROR, Action.SKIP):  # a row disabled in the file
                continue
            group = first_rows.setdefault((row.kind, row.site_id, row.source_page_id), {})
            first = group.setdefault(row.old_path, row)
            if first is row:
                continue
            key = (row.kind, row.site_id, row.old_path, row.source_page_id)
            later = later_rows.setdefault(key, [])
            clashing = [
                earlier
                for earlier in (first, *later)
                if row.kind == "redirect" or self._windows_overlap(earlier, row)
            ]
            later.append(row)
            if not clashing:
                continue  # new, or one more window of a source after another
            earlier = clashing[0]
            if _same(earlier, row):
                row.action = Action.SKIP
                row.note(_("The same as row %(row)s.") % {"row": earlier.number})
                continue
            message = _("Row %(a)s and row %(b)s give %(source)s different targets or times.")
            params = {"a": earlier.number, "b": row.number, "source": row.source_label}
            for duplicate in (earlier, row):
                if duplicate.action != Action.ERROR:
                    duplicate.fail(message % params)

    def _windows_overlap(self, a: PlannedRow, b: PlannedRow) -> bool:
        """Two rows' windows share a moment (see :meth:`_began`)."""
        if a.expires_at is None or b.expires_at is None:
            return True
        return rules.windows_overlap(
            (self._began(a.starts_at, a.expires_at), a.expires_at),
            (self._began(b.starts_at, b.expires_at), b.expires_at),
        )

    def _began(
        self, starts_at: datetime.datetime | None, expires_at: datetime.datetime
    ) -> datetime.datetime:
        """When a row's window begins: its start; without one, now (it starts on import),
        or for a window that has ended, its end: when it began elsewhere is unknown, so it
        shares a moment only with a window that was running when it ended."""
        if starts_at is not None:
            return starts_at
        return expires_at if expires_at <= self.now else self.now

    def follow_chains(self, rows: list[PlannedRow]) -> None:
        """Loops are errors; chains are flattened (after the comparison with what exists,
        so only rows that will be written take part)."""
        writing = [row for row in rows if row.action in (Action.NEW, Action.UPDATE)]
        graph = _Chains(self.context, writing)
        for row in writing:
            if row.old_path and self._follow(row, graph) and row.action != Action.ERROR:
                row.action, row.existing_pk = Action.NEW, None
                self._compare_redirect(row)  # flattened: compare the new target again

    def _lookup(self, graph: _Chains, key: Key) -> tuple[Key, tuple[Target, int | None]] | None:
        site_id, path = key
        candidates = [key, (None, path)]
        if site_id is None and self.context.default_site_id is not None:
            candidates.append((self.context.default_site_id, path))
        for candidate in candidates:
            if (found := graph.get(candidate)) is not None:
                return candidate, found
        return None

    def _follow(self, row: PlannedRow, graph: _Chains) -> bool:
        """Fail ``row`` on a loop or a gone target; flatten a chain. True if flattened."""
        if not row.link:
            return False
        current = self._link_key(row.site_id, row.link)
        if current is None or self._lookup(graph, current) is None:
            return False  # the target is not redirected (most rows)
        seen = {row.key}
        path_taken = [row.old_path]
        final: Target | None = None
        hop_site: int | None = None
        while current is not None and len(path_taken) <= MAX_HOPS:
            found = self._lookup(graph, current)
            if found is None:
                break
            found_key, (target, code) = found
            path_taken.append(found_key[1])
            if found_key in seen or self._same_source(row, found_key):
                row.fail(_("Loop: %(steps)s.") % {"steps": " → ".join(path_taken)})
                return False
            seen.add(found_key)
            if code == 410 or target.is_gone:
                row.fail(_("The target %(path)s is marked gone (410).") % {"path": found_key[1]})
                return False
            final, hop_site = target, found_key[0]
            current = self._link_key(found_key[0], target.link) if target.link else None
        if final is None or row.kind != "redirect":
            return False
        steps = " → ".join(path_taken)
        if final.link.startswith("/") and hop_site not in (None, row.site_id):
            # A path on another site: as this row's own link it would mean this site.
            row.note(_("Chain: %(steps)s (through another site; kept).") % {"steps": steps})
            return False
        row.note(_("Chain: %(steps)s; this row goes straight to the end.") % {"steps": steps})
        graph.flatten(row, final)
        return True

    @staticmethod
    def _same_source(row: PlannedRow, key: Key) -> bool:
        site_id, path = key
        return path == row.old_path and (site_id is None or row.site_id in (None, site_id))

    def check_permissions(self, rows: list[PlannedRow], user: Any) -> None:
        """Scheduled rows need the scheduled-redirect permissions (core's are checked by
        whoever lets ``user`` import at all)."""
        allowed: dict[str, bool] = {
            Action.NEW: scheduled_redirect_policy.user_has_permission(user, "add"),
            Action.UPDATE: scheduled_redirect_policy.user_has_permission(user, "change"),
        }
        for row in rows:
            if row.kind == "scheduled" and not allowed.get(row.action, True):
                row.fail(_("You do not have permission to add or change scheduled redirects."))
        # A window on a page also needs edit rights on the page (issue 29, item 11).
        writes = [row for row in rows if row.kind == "scheduled" and row.action in allowed]
        refused = window_pages_refused(user, [row.source_page_id for row in writes])
        for row in writes:
            if row.source_page_id in refused:
                row.fail(_("You may not redirect this page: that needs permission to edit it."))

    def compare_with_existing(self, rows: list[PlannedRow]) -> None:
        for row in rows:
            if row.action != Action.NEW:
                continue
            if row.kind == "redirect":
                self._compare_redirect(row)
            else:
                self._compare_window(row)

    def _compare_redirect(self, row: PlannedRow) -> None:
        existing = self.context.redirects.get(row.key)
        if existing is None:
            return
        if (existing.status_code, existing.reason) == (row.status_code, row.reason) and (
            existing.target == row.target
            or (row.written_link and existing.target == Target(link=row.written_link))
        ):
            row.action = Action.UNCHANGED  # (a link that is a page's URL, as it was stored)
            return
        self._apply_policy(row, existing.pk)

    def _apply_policy(self, row: PlannedRow, pk: int) -> None:
        policy = self.options.on_existing
        if policy == OnExisting.UPDATE:
            row.action, row.existing_pk = Action.UPDATE, pk
        elif policy == OnExisting.SKIP:
            row.action = Action.SKIP
            row.note(_("Already redirected; kept as it is."))
        else:
            row.fail(_("%(source)s already has a redirect.") % {"source": row.source_label})

    def _compare_window(self, row: PlannedRow) -> None:
        assert row.expires_at is not None  # noqa: S101 (a window row without expiry has failed)
        windows = self.context.windows.get((row.site_id, row.old_path, row.source_page_id), [])
        # Among all of the source's windows: an ended one without a start overlaps none.
        if any(
            (w.target, w.status_code, w.starts_at, w.expires_at, w.reason)
            == (row.target, row.status_code, row.starts_at, row.expires_at, row.reason)
            for w in windows
        ):
            row.action = Action.UNCHANGED
            return
        starts_at = self._began(row.starts_at, row.expires_at)
        overlapping = [w for w in windows if w.overlaps(starts_at, row.expires_at)]
        ended = row.expires_at <= self.now
        if ended:
            # History (an export's ended window, restored): written as an ended window
            # that never redirects, and that replaces no window still running or to come.
            row.note(rules.window_ended_note(row.expires_at))
        if ended and any(w.expires_at > self.now for w in overlapping):
            row.fail(str(rules.ended_window_overlap_error().message))
        elif len(overlapping) > 1:
            row.fail(
                _("The window overlaps %(count)s scheduled redirects of the same source.")
                % {"count": len(overlapping)}
            )
        elif overlapping and overlapping[0].pk in self.claimed_windows:
            row.fail(
                _("Row %(row)s already replaces the scheduled redirect this window overlaps.")
                % {"row": self.claimed_windows[overlapping[0].pk]}
            )
        elif overlapping:
            self.claimed_windows[overlapping[0].pk] = row.number
            self._apply_policy(row, overlapping[0].pk)


class _Chains:
    """The redirects a chain can go through: the rows about to be written (by site, then
    path), before the existing ones. A row's target is the one the file gave it, also once
    the row itself is flattened. Neither a key nor a value is made per row: copying them
    cost a 100,000-row preview 23 MB at its peak, and copying 100,000 existing ones 9 MB."""

    def __init__(self, context: ImportContext, writing: list[PlannedRow]) -> None:
        self.existing = context.redirects
        self.rows: dict[int | None, dict[str, PlannedRow]] = {}
        for row in writing:
            if row.kind == "redirect":
                self.rows.setdefault(row.site_id, {})[row.old_path] = row
        self.given: dict[int, Target] = {}  # id of a flattened row -> its target as given

    def get(self, key: Key) -> tuple[Target, int | None] | None:
        site_id, path = key
        on_site = self.rows.get(site_id)
        row = on_site.get(path) if on_site is not None else None
        if row is not None:
            return self.given.get(id(row), row.target), row.status_code
        existing = self.existing.get(key)
        return None if existing is None else (existing.target, existing.status_code)

    def flatten(self, row: PlannedRow, final: Target) -> None:
        self.given[id(row)] = row.target
        row.page_id, row.route_path, row.link = final.page_id, final.route_path, final.link


# How other tools' exports say that a row is a plain redirect, or something else.
EXACT_MATCHING = ("", "exact", "plain", "url")
REGEX_MATCHING = ("regex", "regexp", "regular_expression")
REDIRECT_ACTIONS = ("", "url", "redirect")
TRUE_WORDS = ("1", "true", "yes", "y", "on", "active", "enabled")
FALSE_WORDS = ("0", "false", "no", "n", "off", "inactive", "disabled")


def _with_page_target(cells: dict[str, Any]) -> dict[str, Any]:
    """A row whose ``to_page`` holds a page (our export's: ``to`` is then that page's URL
    when exported, for people) has that page as its target, even if it has moved since."""
    page = str(cells.get("to_page") or "").strip()
    return {**cells, "to": page} if page else cells


def _unescaped(cells: dict[str, Any]) -> dict[str, Any]:
    """``cells`` with text an export escaped (see ``spreadsheet_safe``) as it was; the
    same dict when no cell was escaped (most rows of most files)."""
    for value in cells.values():
        if isinstance(value, str) and value.startswith(ESCAPE):
            return {name: spreadsheet_unsafe(value) for name, value in cells.items()}
    return cells


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip().lower()


def _flag(value: Any, *, blank: bool) -> bool | None:
    """A yes/no cell (``blank`` when empty); None for a value that is neither."""
    if isinstance(value, bool | int | float):
        return bool(value)
    text = _text(value)
    if not text:
        return blank
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def _same(a: PlannedRow, b: PlannedRow) -> bool:
    return (a.target, a.status_code, a.starts_at, a.expires_at) == (
        b.target,
        b.status_code,
        b.starts_at,
        b.expires_at,
    )
