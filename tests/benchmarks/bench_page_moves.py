"""Benchmark: automatic redirects when a section moves or changes slug — ours, Wagtail
core's handler, and no handler at all, in the same run.

    python tests/benchmarks/bench_page_moves.py                 # SQLite: 900, 1,000, 10,000 pages
    WRT_DATABASE=postgres python tests/benchmarks/bench_page_moves.py --sizes 1000 10000

Each row is the median of --runs moves (or slug changes) of a fresh section of N live
descendants (N pages below the section, so N + 1 redirects), timed around Wagtail's own
``Page.move()`` / ``publish()``. "in handler" is the time spent inside the redirect
handler's signal receiver (its queries and, for a move, its own commit), measured
directly: the targets are judged on it. "handler cost" is the time minus the same
operation with no handler; within a run, moves with no handler and with ours alternate
--pairs times and our cost is the median of the pairs' differences, yet it still swings
by up to 0.5 s between runs on a 2-core machine (Wagtail's own UPDATE of 10,000 pages
takes 0.3-1.2 s). "db floor" is the database's own time to store the rows ours wrote,
given as rows (written again by one COPY or executemany, and committed).
On PostgreSQL the page and redirect tables are vacuumed and analysed before each timed
operation, as autovacuum would have done between an editor's moves.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from wagtail.contrib.redirects import signal_handlers as core  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402
from wagtail.signals import page_slug_changed, post_page_move  # noqa: E402

from tests.utils.pages import add_page, fresh_site_tree  # noqa: E402
from wagtail_redirect_tools import signal_handlers as ours  # noqa: E402
from wagtail_redirect_tools.database.arrays import insert_rows  # noqa: E402
from wagtail_redirect_tools.models import REDIRECT_INSERT_FIELDS  # noqa: E402

# name -> (move receiver, slug-change receiver, dispatch uid prefix or None)
HANDLERS: dict[str, tuple[Callable[..., None], Callable[..., None], str | None] | None] = {
    "none": None,
    "core": (
        core.autocreate_redirects_on_page_move,
        core.autocreate_redirects_on_slug_change,
        None,
    ),
    "ours": (ours.redirect_on_move, ours.redirect_on_slug_change, "wagtail_redirect_tools"),
}


@dataclass
class Row:
    size: int
    action: str
    handler: str
    seconds: float | None
    queries: int
    redirects: int
    error: str = ""
    in_handler: float = 0.0
    #: Our handler's cost in this run: the median of the paired differences.
    paired_cost: float | None = None
    #: The database's own time to store the redirects ours wrote, rows given.
    floor: float = 0.0


#: Seconds spent inside the connected receiver during the current operation.
_in_handler = [0.0]


def _timed(receiver: Callable[..., None]) -> Callable[..., None]:
    def timed(*args: object, **kwargs: object) -> None:
        started = time.perf_counter()
        try:
            receiver(*args, **kwargs)
        finally:
            _in_handler[0] += time.perf_counter() - started

    return timed


_TIMED: dict[Callable[..., None], Callable[..., None]] = {}


def use_handler(name: str) -> None:
    """Exactly one redirect handler (or none) connected to Wagtail's signals."""
    for handler in HANDLERS.values():
        if handler:
            on_move, on_slug, uid = handler
            post_page_move.disconnect(on_move, dispatch_uid=uid and f"{uid}_move")
            page_slug_changed.disconnect(on_slug, dispatch_uid=uid and f"{uid}_slug")
    for timed in _TIMED.values():
        post_page_move.disconnect(timed)
        page_slug_changed.disconnect(timed)
    handler = HANDLERS[name]
    if handler:
        on_move, on_slug, uid = handler
        post_page_move.connect(on_move, dispatch_uid=uid and f"{uid}_move")
        page_slug_changed.connect(on_slug, dispatch_uid=uid and f"{uid}_slug")


def use_timed_handler(name: str) -> None:
    """Exactly one handler (or none), each receiver wrapped in a timer."""
    use_handler("none")
    handler = HANDLERS[name]
    if handler:
        on_move, on_slug, _uid = handler
        for signal, receiver in ((post_page_move, on_move), (page_slug_changed, on_slug)):
            _TIMED.setdefault(receiver, _timed(receiver))
            signal.connect(_TIMED[receiver], weak=False)


def bulk_section(parent: Page, slug: str, size: int) -> Page:
    """A live section with ``size`` live descendants, written with bulk inserts."""
    section = add_page(parent, slug)
    groups = max(1, size // 100)
    per_group = size // groups - 1
    content_type = ContentType.objects.get_for_model(Page)
    locale = Locale.get_default()
    pages: list[Page] = []

    def new_page(under_path: str, under_url: str, depth: int, index: int, name: str) -> Page:
        return Page(
            title=name,
            draft_title=name,
            slug=name,
            path=Page._get_path(under_path, depth, index),
            depth=depth,
            numchild=0,
            url_path=f"{under_url}{name}/",
            live=True,
            content_type=content_type,
            locale=locale,
            translation_key=uuid.uuid4(),
        )

    for g in range(1, groups + 1):
        group = new_page(section.path, section.url_path, section.depth + 1, g, f"g{g}")
        group.numchild = per_group
        pages.append(group)
        for p in range(1, per_group + 1):
            pages.append(new_page(group.path, group.url_path, group.depth + 1, p, f"p{p}"))
    Page.objects.bulk_create(pages, batch_size=500)
    Page.objects.filter(pk=section.pk).update(numchild=groups)
    return Page.objects.get(pk=section.pk)


#: Issue 17's targets for a move: our handler's cost at 10,000 descendants on PostgreSQL,
#: and core's cost over ours at 1,000 and 10,000.
MOST_SECONDS_AT_10000 = 0.5
LEAST_RATIO = 5.0


def report_targets(runs: list[dict[tuple[int, str, str], Row]], sizes: list[int]) -> None:
    """Each target beside the figures of every run (min-max), with PASS or MISS.

    A handler's cost is the time spent inside its receiver (for a move, its queries and
    its own commit: Wagtail sends the signal after the move's transaction). The move's
    time minus the same move with no handler, which should say the same, is printed
    beside it: here it swings by up to 0.5 s between runs, as Wagtail's own UPDATE of
    10,000 pages takes 0.3-1.2 s, so it is no basis for a pass."""
    print(f"\nTargets (moves; {len(runs)} interleaved runs, min-max):")

    def spread(values: list[float], unit: str = " s", digits: int = 3) -> str:
        return f"{min(values):.{digits}f}-{max(values):.{digits}f}{unit}"

    for size in sizes:
        if size not in (1000, 10000):
            continue
        rows = [run[(size, "move", "ours")] for run in runs]
        ours = [row.in_handler for row in rows]
        if any(run[(size, "move", "core")].error for run in runs):
            print(f"  {size:>6} descendants: core's handler failed here, so no ratio  n/a")
            continue
        core = [run[(size, "move", "core")].in_handler for run in runs]
        ratios = [c / max(o, 1e-6) for c, o in zip(core, ours, strict=True)]
        passed = min(ratios) >= LEAST_RATIO
        wanted = f">= {LEAST_RATIO:.0f}x core"
        if size == 10000:
            wanted += f", < {MOST_SECONDS_AT_10000} s (PostgreSQL)"
            if connection.vendor == "postgresql":
                passed = passed and max(ours) < MOST_SECONDS_AT_10000
        subtracted = [row.paired_cost or 0.0 for row in rows]
        print(
            f"  {size:>6} descendants: want {wanted}; got {spread(ours)} in our handler, "
            f"{spread(ratios, 'x', 1)} core's  {'PASS' if passed else 'MISS'}\n"
            f"  {'':>6}   of which the database's own time to store the same rows "
            f"{spread([row.floor for row in rows])}; move minus move with no handler "
            f"(median of pairs) {spread(subtracted)}"
        )


def store_again(since_pk: int) -> float:
    """The database's own time to store the redirects written after ``since_pk``: they
    are deleted, then written again as given rows (one COPY on PostgreSQL, one INSERT
    per row through the driver's executemany elsewhere) and committed, which runs the
    foreign-key checks."""
    fields = [Redirect._meta.get_field(name) for name in REDIRECT_INSERT_FIELDS]
    written = Redirect.objects.filter(pk__gt=since_pk)
    rows = list(written.values_list(*(field.attname for field in fields)))
    written.delete()
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            insert_rows(Redirect, REDIRECT_INSERT_FIELDS, rows)
        else:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            values = ", ".join(["%s"] * len(fields))
            table = quote(Redirect._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608 (names)
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
    return time.perf_counter() - started


def measure(
    size: int,
    action: str,
    handler: str,
    home: Page,
    destination: Page,
    run: int = 0,
    *,
    floor: bool = False,
) -> Row:
    section = bulk_section(home, f"{action}-{handler}-{size}-{run}-{uuid.uuid4().hex[:6]}", size)
    use_timed_handler(handler)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Page._meta.db_table, Redirect._meta.db_table):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    before = Redirect.objects.count()
    last_pk = Redirect.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    error = ""
    _in_handler[0] = 0.0
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        try:
            if action == "move":
                section.move(destination, pos="last-child")
            else:
                specific = section.specific
                specific.slug += "-renamed"
                specific.save_revision().publish()
        except Exception as exc:  # core's handler fails on SQLite beyond ~1,000 pages
            error = f"{type(exc).__name__}: {str(exc)[:60]}"
    seconds = time.perf_counter() - started
    return Row(
        size=size,
        action=action,
        handler=handler,
        seconds=seconds,
        queries=len(queries.captured_queries),
        redirects=Redirect.objects.count() - before,
        error=error,
        in_handler=_in_handler[0],
        floor=store_again(last_pk) if floor and not error else 0.0,
    )


def one_run(
    sizes: list[int], home: Page, destination: Page, run: int, pairs: int
) -> dict[tuple[int, str, str], Row]:
    """Every size and action: core's handler once, then ``pairs`` of (no handler, ours)
    back to back, in alternating order. The rows of "none" and "ours" are their median
    moves; ours carries the median of the pairs' differences as its cost."""
    rows: dict[tuple[int, str, str], Row] = {}
    for size in sizes:
        for action in ("move", "slug"):
            rows[(size, action, "core")] = measure(size, action, "core", home, destination, run)
            measured = []
            for pair in range(pairs):
                # Alternating which goes first, so that neither always follows the other.
                if pair % 2:
                    ours_row = measure(size, action, "ours", home, destination, run, floor=True)
                    none_row = measure(size, action, "none", home, destination, run)
                else:
                    none_row = measure(size, action, "none", home, destination, run)
                    ours_row = measure(size, action, "ours", home, destination, run, floor=True)
                measured.append((none_row, ours_row))
            nones, ours = zip(*measured, strict=True)
            rows[(size, action, "none")] = _median_row(nones)
            rows[(size, action, "ours")] = _median_row(ours)
            rows[(size, action, "ours")].paired_cost = statistics.median(
                (o.seconds or 0) - (n.seconds or 0) for n, o in measured
            )
            rows[(size, action, "ours")].in_handler = statistics.median(o.in_handler for o in ours)
    return rows


def _median_row(rows: tuple[Row, ...]) -> Row:
    return sorted(rows, key=lambda row: row.seconds or 0)[(len(rows) - 1) // 2]


def report(rows: list[Row]) -> None:
    print(f"\nDatabase: {connection.vendor}")
    header = (
        f"{'pages':>7} {'action':<12} {'handler':<6} {'time s':>8} {'handler cost s':>15} "
        f"{'in handler s':>13} {'db floor s':>11} {'queries':>8} {'redirects':>10}  "
        "ratio core/ours (handler cost)"
    )
    print(header)
    print("-" * len(header))
    baseline = {(r.size, r.action): r.seconds for r in rows if r.handler == "none"}
    costs = {
        (r.size, r.action, r.handler): r.paired_cost
        if r.paired_cost is not None
        else (r.seconds or 0) - baseline[(r.size, r.action)]
        for r in rows
    }
    for row in rows:
        cost = costs[(row.size, row.action, row.handler)]
        ratio = ""
        if row.handler == "ours":
            core_row = next(
                r for r in rows if (r.size, r.action, r.handler) == (row.size, row.action, "core")
            )
            core_cost = costs[(row.size, row.action, "core")]
            ratio = "core failed" if core_row.error else f"{core_cost / max(cost, 1e-6):.1f}x"
        action = "slug change" if row.action == "slug" else "move"
        print(
            f"{row.size:>7} {action:<12} {row.handler:<6} {row.seconds:>8.3f} "
            f"{cost if row.handler != 'none' else 0:>15.3f} {row.in_handler:>13.3f} "
            f"{row.floor:>11.3f} "
            f"{row.queries:>8} {row.redirects:>10}  "
            f"{ratio}{'  FAILED ' + row.error if row.error else ''}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[900, 1000, 10000])
    parser.add_argument(
        "--runs", type=int, default=3, help="interleaved runs; rows show the median"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=3,
        help="moves without a handler and with ours, alternating, per size and run",
    )
    args = parser.parse_args()

    from django.test.runner import DiscoverRunner

    # Time the handler itself, during the move: no background job for large sections.
    settings.WAGTAIL_REDIRECT_TOOLS_BACKGROUND_MOVE_PAGES = 0
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    databases = runner.setup_databases()
    try:
        _site, home = fresh_site_tree("localhost")
        destination = add_page(home, "destination")
        combos = [
            (size, action, handler)
            for size in args.sizes
            for action in ("move", "slug")
            for handler in ("none", "core", "ours")
        ]
        # Runs interleaved: every combination in every run, so drift hits them alike.
        runs = [one_run(args.sizes, home, destination, run, args.pairs) for run in range(args.runs)]
        rows = [
            sorted(
                (r[combo] for r in runs),
                key=lambda row: (
                    row.paired_cost if row.paired_cost is not None else row.seconds or 0
                ),
            )[len(runs) // 2]
            for combo in combos
        ]
        report(rows)
        report_targets(runs, args.sizes)
    finally:
        use_handler("ours")
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
