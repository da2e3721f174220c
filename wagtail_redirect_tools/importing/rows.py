"""One row of an import file read into a :class:`~.plan.PlannedRow`: its cells cleaned
(:mod:`.resources`), what other tools' exports mean (:mod:`.tools`), its source, type,
target and window checked against the rules every writer shares and against the sites
and pages the database holds (:mod:`.context`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect

from .. import rules
from ..patterns import PatternError, check_target, is_pattern_source, parse, placeholders_in
from ..rules import admin_root, validate_redirect_link
from .context import ImportContext
from .limits import cut
from .links import LinkKeys
from .options import ImportOptions
from .plan import Action, PlannedRow
from .resources import ESCAPE, PAGE_PREFIX, RedirectResource, spreadsheet_unsafe
from .tools import Given, read_row
from .tools.given import flag
from .widgets import site_label

MAX_LENGTH = 255
#: One object for each status code a row may have, not an int per row (each cell of a
#: million rows read as its own 301: 32 MB of a large plan).
_CODES = {code: code for code, _label in rules.REDIRECT_STATUS_CHOICES}


class RowReader:
    def __init__(self, context: ImportContext, options: ImportOptions, links: LinkKeys) -> None:
        self.context = context
        self.options = options
        self.links = links
        self.resource = RedirectResource(sites=context.sites)
        self.site_labels = {site.pk: site_label(site, context.sites) for site in context.sites}
        self.admin_root = admin_root()

    def read(self, number: int, cells: dict[str, Any]) -> PlannedRow:
        cells = _with_page_target(_unescaped(cells))
        values, problems = self.resource.clean_row(cells)
        row = PlannedRow(number=number)
        raw_source = str(cells.get("from") or "").strip()
        raw_target = str(cells.get("to") or "").strip()
        # What the preview shows of the cells (the whole of any the import keeps).
        row.source_label, row.target_label = cut(raw_source), cut(raw_target)
        enabled = flag(cells.get("enabled"), blank=True)
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
        row.every_language = bool(values.get("every_language"))
        row.starts_at = values.get("starts_at")
        row.expires_at = values.get("expires_at")
        code = values.get("type")
        row.status_code = _CODES.get(code, code) if type(code) is int else code
        windowed = bool(
            row.starts_at or row.expires_at or "starts_at" in problems or "expires_at" in problems
        )
        row.kind = "scheduled" if windowed else "redirect"
        file_status = row.status_code
        self._read_type(row, "type" in problems)
        given = Given(
            cells, raw_source, raw_target, file_status, "type" in problems, row.status_code == 410
        )
        read_row(row, given)  # what other tools' exports mean
        row.is_pattern = self._is_pattern(row, given)
        if given.source_refused:
            pass  # the tool said why
        elif row.is_pattern:
            self._read_pattern(row, given.source, given.target)
        else:
            self._guarded(self._read_source, row, given.source)
        if given.target is not None:
            self._guarded(self._read_target, row, given.target)
        if windowed:
            self._read_window(row, problems)
            if row.is_pattern:
                row.fail(_("A pattern redirect cannot be scheduled (starts_at, expires_at)."))
            if row.every_language:
                row.fail(_("A scheduled redirect cannot serve every language (every_language)."))
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
    def _is_pattern(row: PlannedRow, given: Given) -> bool:
        """What a tool said, else our own ``is_pattern`` column, else the source's notation
        (``/old-section/*``, ``/news/:slug``: see :func:`~..patterns.is_pattern_source`)."""
        if given.pattern is not None:
            return given.pattern
        cell = given.cells.get("is_pattern")
        said = flag(cell, blank=False) if cell is not None and cell != "" else None
        if cell is not None and cell != "" and said is None:
            row.fail(
                _("'%(value)s' in the 'is_pattern' column is neither yes nor no.")
                % {"value": str(cell)[:40]}
            )
        if said is not None:
            return said
        source = given.source
        # Most sources hold neither mark: 100,000 plain sources cost ~25 ms, not ~540.
        return ("*" in source or ":" in source) and is_pattern_source(source)

    def _read_pattern(self, row: PlannedRow, raw: str, target: str | None) -> None:
        """A pattern source, stored in its canonical form, and its target's placeholders."""
        error = rules.source_error(raw, admin=self.admin_root) if raw else None
        if error is not None:
            row.fail(" ".join(error.messages))
            return
        try:
            pattern = parse(raw)
            if target and row.status_code != 410:
                check_target(pattern, target)
        except PatternError as refused:
            row.fail(_("%(value)s: %(reason)s") % {"value": raw[:80], "reason": refused})
            return
        source = pattern.canonical
        if len(source) > MAX_LENGTH:
            row.fail(_too_long(_("'from' path"), source))
            return
        row.old_path = source
        row.source_label = self._with_site(row.site_id, source)

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
        try:
            validate_redirect_link(raw)
        except ValidationError as error:
            row.fail(" ".join(error.messages))
            return
        if len(raw) > MAX_LENGTH:
            row.fail(_too_long(_("'to' target"), raw))
            return
        local = self.links(row.site_id, raw)
        if (
            local is not None
            and local[1] == row.old_path
            and (row.site_id is None or local[0] in (None, row.site_id))
        ):
            row.fail(str(rules.LOOP_MESSAGE))
            return
        if (
            raw.startswith("/")
            and local is not None
            and not any(c in raw for c in "?#")
            and not (row.is_pattern and placeholders_in(raw))
        ):
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

    def _read_window(self, row: PlannedRow, problems: dict[str, str]) -> None:
        if error := rules.window_status_error(row.status_code):
            row.fail(str(error.message))
        if row.expires_at is None and "expires_at" not in problems:
            row.fail(_("A redirect with a start needs an expiry (expires_at)."))
        if error := rules.window_order_error(row.starts_at, row.expires_at):
            row.fail(str(error.message))


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


def _too_long(what: str, value: str) -> str:
    return _("The %(what)s is %(length)s characters long; the limit is %(limit)s.") % {
        "what": what,
        "length": len(value),
        "limit": MAX_LENGTH,
    }
