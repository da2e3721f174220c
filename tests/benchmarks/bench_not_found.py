"""Benchmark: the 404 log after a scanner's flood — what the admin's dashboard, the Not
found report and its CSV export cost when 100,000 unique paths have been logged.

    python tests/benchmarks/bench_not_found.py                                        # SQLite
    WRT_DATABASE=postgres WRT_CACHE=redis python tests/benchmarks/bench_not_found.py  # PostgreSQL

--paths unique paths (100,000) are written by the log's own job (``write_counts``) in
flushes of 10,000, as processes at their in-memory bound hand them over, most hit once by
a bot, 200 of them hit by people 2-50 times; with 1,000 redirects and 200 live pages for
the report's "is it answered now" checks. The table keeps what ``NOT_FOUND_KEEP_PATHS``
allows (--keep-paths sets it; the default is the app's, 10,000 a site: run it again with
--keep-paths 100000 for a table of 100,000 rows). On PostgreSQL the table is then
vacuumed and analysed, as autovacuum would. Timed, each --repeats times (3; the median
and the slowest shown, the slowest judged), as an editor with the right to add redirects
through Django's test client: the dashboard (the whole page, and the Not found panel
alone, rendered), the report's first page (busiest first), sorted by fewest hits and by
last seen, and the CSV and XLSX exports (--export-repeats times, 1: the time to the first
byte, the total, and the peak of Python's memory while each is sent). Wagtail core has no
404 log, so there is no core figure: each stands beside the 200 ms target (the exports'
first byte included; their total has none) with PASS or MISS. --explain prints
PostgreSQL's plans of the report's and the panel's queries. --patterns N adds N pattern
redirects as the admin stores them (half ``/pat-i/*``, half ``/pat-i/:slug/*``, answering
no logged path, and ten ``/old/article-i/*`` answering one of the people's paths each), so
the report is read as on a site with many patterns.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402

from tests.utils.pages import add_page, fresh_site_tree  # noqa: E402
from tests.utils.patterns import store_patterns  # noqa: E402
from tests.utils.users import make_user  # noqa: E402
from wagtail_redirect_tools.admin.views.not_found_panel import NotFoundPanel  # noqa: E402
from wagtail_redirect_tools.not_found.log import NotFoundCounts  # noqa: E402
from wagtail_redirect_tools.not_found.models import NotFoundPath  # noqa: E402
from wagtail_redirect_tools.not_found.writing import write_counts  # noqa: E402
from wagtail_redirect_tools.resolution import pattern_index  # noqa: E402

TARGET_MS = 200.0
FLUSH = 10_000
REPORT = "wagtail_redirect_tools:not_found"


def fill(site_id: int, paths: int) -> list[float]:
    """Log ``paths`` unique paths through the write job; the seconds each flush took."""
    took = []
    now = time.time()
    for start in range(0, paths, FLUSH):
        counts = NotFoundCounts(max_paths=FLUSH + 200)
        for i in range(start, min(start + FLUSH, paths)):
            counts.add((site_id, f"/scan/{i:06d}/backup.zip"), bot=True, when=now, referer="")
        for i in range(200):  # the paths people follow, again in every flush
            for _ in range(1 + i % 5):
                counts.add(
                    (site_id, f"/old/article-{i}"),
                    bot=False,
                    when=now,
                    referer="https://news.example.com/links",
                )
        began = time.perf_counter()
        write_counts(counts)
        took.append(time.perf_counter() - began)
    return took


def add_patterns(count: int) -> None:
    """``count`` pattern redirects (see the module's docstring), with their details row."""
    sources = [f"/old/article-{i}/*" for i in range(min(count, 10))] + [
        f"/pat-{i}/*" if i % 2 else f"/pat-{i}/:slug/*" for i in range(count - min(count, 10))
    ]
    store_patterns([(source, "/page-1/") for source in sources])
    assert len(pattern_index.current().entries) == count


def timed(action: Callable[[], object], repeats: int) -> tuple[list[float], int, list[float]]:
    """Seconds per call (``repeats`` calls after one warm-up), queries of one call, and
    this process's CPU seconds per call (on SQLite the database's work included: a
    figure a busy machine inflates less than the wall clock)."""
    action()
    with CaptureQueriesContext(connection) as queries:
        action()
    count = len(queries)  # now: the log is read when asked, and later requests empty it
    seconds, cpu = [], []
    for _ in range(repeats):
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        seconds.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return seconds, count, cpu


def export(client: Client, file_format: str) -> tuple[float, float, float, int]:
    """Seconds to the first byte and in total, peak MB of Python's memory, and lines (CSV)
    or bytes (XLSX) sent."""
    tracemalloc.start()
    began = time.perf_counter()
    response = client.get(reverse(REPORT), {"export": file_format})
    assert response.streaming, "an export is streamed, never built whole in the response"
    chunks = iter(response.streaming_content)  # type: ignore[attr-defined]
    first = next(chunks)
    first_byte = time.perf_counter() - began
    if file_format == "csv":
        sent = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
    else:
        sent = len(first) + sum(len(chunk) for chunk in chunks)
    total = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    return first_byte, total, peak / 1e6, sent


def line(
    name: str,
    seconds: list[float],
    queries: int | str,
    cpu: list[float] | None = None,
    target: bool = True,
) -> None:
    """The median and the slowest (judged against the target), and the slowest CPU time."""
    p50, slowest = statistics.median(seconds) * 1000, max(seconds) * 1000
    verdict = ("PASS" if slowest < TARGET_MS else "MISS") if target else ""
    want = f"< {TARGET_MS:.0f} ms" if target else "(no target)"
    in_cpu = f"{max(cpu) * 1000:8.1f}" if cpu else f"{'':>8}"
    print(
        f"  {name:<38} {p50:8.1f} {slowest:8.1f} {in_cpu} ms  {queries!s:>7}   {want:<12} {verdict}"
    )


def explain(label: str, sql: str) -> None:
    print(f"\nEXPLAIN ANALYZE: {label}\n  {sql[:300]}{'...' if len(sql) > 300 else ''}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        for (row,) in cursor.fetchall():
            print("   ", row)


def explain_views(client: Client, panel: Callable[[], object]) -> None:
    if connection.vendor != "postgresql":
        print("\n--explain: PostgreSQL only")
        return
    for label, action in [
        ("the panel", panel),
        ("the report's first page", lambda: client.get(reverse(REPORT))),
    ]:
        with CaptureQueriesContext(connection) as queries:
            action()
        for query in queries:
            if "notfoundpath" in query["sql"] and "notfoundignorerule" not in query["sql"]:
                explain(label, query["sql"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", type=int, default=100_000, help="unique paths logged")
    parser.add_argument("--keep-paths", type=int, help="NOT_FOUND_KEEP_PATHS (default: the app's)")
    parser.add_argument("--repeats", type=int, default=3, help="timed calls of each view")
    parser.add_argument(
        "--export-repeats", type=int, default=1, help="timed downloads of each format"
    )
    parser.add_argument("--patterns", type=int, default=0, help="pattern redirects added")
    parser.add_argument("--formats", default="csv,xlsx", help="downloads timed (csv,xlsx)")
    parser.add_argument("--explain", action="store_true", help="PostgreSQL's query plans")
    args = parser.parse_args()

    from django.test.runner import DiscoverRunner

    # Not setup_test_environment(): it instruments every template's rendering (a signal
    # per template), which the report's 50 rows of cells would pay for and a site does not.
    settings.DEBUG = False
    # As Django's TestCase does: one connection for the run, not one per request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    overrides = {}
    if args.keep_paths:
        overrides["WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_KEEP_PATHS"] = args.keep_paths
    runner = DiscoverRunner(verbosity=0, interactive=False)
    databases = runner.setup_databases()
    try:
        with override_settings(**overrides):
            run(args)
    finally:
        runner.teardown_databases(databases)


def run(args: argparse.Namespace) -> None:
    site, home = fresh_site_tree("localhost")
    for i in range(200):
        add_page(home, f"page-{i}")
    Redirect.objects.bulk_create(
        Redirect(old_path=f"/moved/{i}", redirect_link=f"/page-{i % 200}/") for i in range(1000)
    )
    add_patterns(args.patterns)
    flushes = fill(site.pk, args.paths)
    rows = NotFoundPath.objects.count()
    print(
        f"{connection.vendor}: {args.paths:,} unique paths logged in {len(flushes)} flushes "
        f"of {FLUSH:,} (each {min(flushes):.2f}-{max(flushes):.2f} s); {rows:,} rows kept; "
        f"{args.patterns:,} pattern redirects"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE wagtail_redirect_tools_notfoundpath")

    editor = make_user("editor", "add_redirect")
    client = Client()
    client.force_login(editor)
    request = RequestFactory().get("/admin/")
    request.user = editor

    def panel() -> object:
        return NotFoundPanel(request).render_html()

    def page(**params: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(reverse(REPORT), params)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def dashboard() -> object:
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200, response.status_code
        return response

    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"\n  {'':<38} {'p50':>8} {'slowest':>8} {'CPU':>8}     queries   target")
    for name, action in [
        ("dashboard (whole page)", dashboard),
        ("dashboard: Not found panel alone", panel),
        ("report, first page (most hit)", page()),
        ("report sorted by fewest hits", page(ordering="hits")),
        ("report sorted by last seen", page(ordering="-last_seen_at")),
        ("report, page 20", page(p="20")),
        ("report with no rows (the page alone)", page(min_hits="1000000")),
    ]:
        line(name, *timed(action, args.repeats))
    for file_format in args.formats.split(","):
        exports = [export(client, file_format) for _ in range(args.export_repeats)]
        name = file_format.upper()
        line(f"{name} export: first byte", [e[0] for e in exports], "")
        line(f"{name} export: total", [e[1] for e in exports], "", None, target=False)
        sent = f"{exports[0][3] - 1:,} rows" if file_format == "csv" else f"{exports[0][3]:,} bytes"
        print(f"  {name} export: {sent}, peak Python memory {max(e[2] for e in exports):.1f} MB")
    print("  Wagtail core: no 404 log, report or export to compare with")
    if args.explain:
        explain_views(client, panel)


if __name__ == "__main__":
    main()
