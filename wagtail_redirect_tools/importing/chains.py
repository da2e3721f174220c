"""Redirects that lead to redirects: a loop or a gone target is an error, and a chain is
flattened, each row going straight to the end (after the comparison with what exists, so
only rows that will be written take part).

Pattern redirects take no part: their source is not a path a target can name (``/old/*``
is a pattern, not the path with a star), and their target may hold placeholders, so a
pattern is neither followed nor a hop. A pattern whose target is under the pattern itself
(``/old/* → /old/new/:splat``), where no page or exact redirect answers first, is a loop:
each answer would be redirected again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..patterns import PatternError, examples, fill, parse
from .context import ImportContext, Key, Target
from .existing import Comparison
from .links import LinkKeys
from .plan import Action, PlannedRow

MAX_HOPS = 20


def follow_chains(
    rows: list[PlannedRow], context: ImportContext, links: LinkKeys, comparison: Comparison
) -> None:
    """Loops are errors; chains are flattened."""
    writing = [row for row in rows if row.action in (Action.NEW, Action.UPDATE)]
    graph = _Chains(context, writing)
    for row in writing:
        if row.is_pattern and row.link:
            _pattern_loop(row, graph, links, context)
    for row in writing:
        if row.old_path and _follow(row, graph, links) and row.action != Action.ERROR:
            row.action, row.existing_pk = Action.NEW, None
            comparison.compare_redirect(row)  # flattened: compare the new target again


def _follow(row: PlannedRow, graph: _Chains, links: LinkKeys) -> bool:
    """Fail ``row`` on a loop or a gone target; flatten a chain. True if flattened."""
    if not row.link or row.is_pattern:
        return False
    current = links(row.site_id, row.link)
    if current is None or _lookup(graph, current) is None:
        return False  # the target is not redirected (most rows)
    seen = {row.key}
    path_taken = [row.old_path]
    final: Target | None = None
    hop_site: int | None = None
    while current is not None and len(path_taken) <= MAX_HOPS:
        found = _lookup(graph, current)
        if found is None:
            break
        found_key, (target, code) = found
        path_taken.append(found_key[1])
        if found_key in seen or _same_source(row, found_key):
            row.fail(_("Loop: %(steps)s.") % {"steps": " → ".join(path_taken)})
            return False
        seen.add(found_key)
        if code == 410 or target.is_gone:
            row.fail(_("The target %(path)s is marked gone (410).") % {"path": found_key[1]})
            return False
        final, hop_site = target, found_key[0]
        current = links(found_key[0], target.link) if target.link else None
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


def _pattern_loop(row: PlannedRow, graph: _Chains, links: LinkKeys, context: ImportContext) -> None:
    """Fail a pattern row whose target, for an example path, is a path the same pattern
    answers (not a live page's, nor an exact redirect's: those answer first)."""
    try:
        pattern = parse(row.old_path)
    except PatternError:  # pragma: no cover (a row with such a source has failed)
        return
    for example in examples(pattern):
        captured = pattern.match(example)
        if captured is None:  # pragma: no cover (examples() gives matching paths)
            continue
        filled = fill(row.link, captured)
        key = links(row.site_id, filled)
        if key is None or row.site_id not in (None, key[0]):
            continue  # another host, or another site than the pattern's
        site_id, path = key
        path = path.split("?", 1)[0]
        if (
            pattern.match(path) is not None
            and not context.is_live_page_url(site_id if site_id is not None else row.site_id, path)
            and _lookup(graph, (site_id, path)) is None
        ):
            row.fail(
                _("Loop: %(steps)s, which the same pattern redirects again.")
                % {"steps": f"{example} → {filled}"}
            )
            return


def _lookup(graph: _Chains, key: Key) -> tuple[Key, tuple[Target, int | None]] | None:
    site_id, path = key
    candidates = [key, (None, path)]
    if site_id is None and graph.default_site_id is not None:
        candidates.append((graph.default_site_id, path))
    for candidate in candidates:
        if (found := graph.get(candidate)) is not None:
            return candidate, found
    return None


def _same_source(row: PlannedRow, key: Key) -> bool:
    site_id, path = key
    return path == row.old_path and (site_id is None or row.site_id in (None, site_id))


class _Chains:
    """The redirects a chain can go through: the rows about to be written (by site, then
    path), before the existing ones. A row's target is the one the file gave it, also once
    the row itself is flattened. Neither a key nor a value is made per row: copying them
    cost a 100,000-row preview 23 MB at its peak, and copying 100,000 existing ones 9 MB."""

    def __init__(self, context: ImportContext, writing: list[PlannedRow]) -> None:
        self.existing = context.redirects
        self.default_site_id = context.default_site_id
        self.rows: dict[int | None, dict[str, PlannedRow]] = {}
        for row in writing:
            if row.kind == "redirect" and not row.is_pattern:
                self.rows.setdefault(row.site_id, {})[row.old_path] = row
        self.given: dict[int, Target] = {}  # id of a flattened row -> its target as given

    def get(self, key: Key) -> tuple[Target, int | None] | None:
        site_id, path = key
        on_site = self.rows.get(site_id)
        row = on_site.get(path) if on_site is not None else None
        if row is not None:
            return self.given.get(id(row), row.target), row.status_code
        existing = self.existing.get(key)
        if existing is None or existing.is_pattern:
            return None
        return existing.target, existing.status_code

    def flatten(self, row: PlannedRow, final: Target) -> None:
        self.given[id(row)] = row.target
        row.page_id, row.route_path, row.link = final.page_id, final.route_path, final.link
