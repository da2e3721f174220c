"""Benchmark: what the middleware keeps in each process's memory at a large site's scale,
each structure with the setting that bounds it.

    python tests/benchmarks/bench_memory.py                                        # SQLite
    WRT_DATABASE=postgres WRT_CACHE=redis python tests/benchmarks/bench_memory.py  # PostgreSQL

--redirects core redirects (1,000,000) are stored in bulk, then --asked distinct paths
(5,000) are requested once each through the full stack (Django's test client): a third
with a redirect, a third 404s with no redirect, a third 404s with a query string. What
the middleware then keeps is measured with tracemalloc, one structure at a time, as the
bytes Python frees when that structure is dropped (after a garbage collection): the
remembered lookups, the early answers, the sites by host, the 404 counts and the hit
counts not yet handed over (their hand-over intervals are set to an hour for the run).
The membership structure of every redirect's path (``resolution.membership``) has its
own figure in ``bench_resolution.py``.

--windows scheduled windows (100,000) are then stored in bulk (most on paths, one in a
hundred on a page; one in ten active, the others starting later) and the window index
is built: its size (held, and the peak while it is built), its build time and its
queries, the slowest of --runs builds.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
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
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402

from tests.utils.pages import add_page, fresh_site_tree  # noqa: E402
from wagtail_redirect_tools import conf  # noqa: E402
from wagtail_redirect_tools.models import ScheduledRedirect  # noqa: E402
from wagtail_redirect_tools.not_found import log as not_found_log  # noqa: E402
from wagtail_redirect_tools.resolution import (  # noqa: E402
    forget_process_state,
    hits,
    remembered,
    stamps,
    window_index,
)

BATCH = 10_000
MB = 1e6


def freed_by(drop: Callable[[], object]) -> int:
    """Bytes Python frees when ``drop`` lets a structure go (tracemalloc running)."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    drop()
    gc.collect()
    return before - tracemalloc.get_traced_memory()[0]


def add_redirects(site_id: int, count: int) -> float:
    began = time.perf_counter()
    for start in range(0, count, BATCH):
        Redirect.objects.bulk_create(
            Redirect(
                old_path=f"/old/{i}",
                site_id=site_id if i % 2 else None,
                redirect_link=f"/new/{i}/",
            )
            for i in range(start, min(start + BATCH, count))
        )
    stamps.redirects_changed()
    return time.perf_counter() - began


def asked_paths(redirects: int, asked: int) -> list[str]:
    """Distinct paths: with a redirect, without, and without one but with a query."""
    step = max(1, redirects // max(1, asked // 3))
    third = asked // 3
    return [
        *(f"/old/{(i * step) % redirects}/" for i in range(third)),
        *(f"/gone-missing/{i}/" for i in range(third)),
        *(f"/gone-missing/{i}/?utm_source=x&n={i}" for i in range(asked - 2 * third)),
    ]


def middleware_memory(args: argparse.Namespace, site_id: int) -> None:
    took = add_redirects(site_id, args.redirects)
    print(
        f"{connection.vendor}: {Redirect.objects.count():,} redirects stored in {took:.0f} s; "
        f"{args.asked:,} distinct paths asked for once each, through the full stack"
    )
    paths = asked_paths(args.redirects, args.asked)
    client = Client(HTTP_HOST="localhost")
    forget_process_state()
    not_found_log.forget()
    gc.collect()
    tracemalloc.start()
    began = time.perf_counter()
    codes: dict[int, int] = {}
    with override_settings(
        WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS=3600,
        WAGTAIL_REDIRECT_TOOLS_NOT_FOUND_FLUSH_SECONDS=3600,
    ):
        for path in paths:
            status = client.get(path).status_code
            codes[status] = codes.get(status, 0) + 1
        took = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        size = conf.lookup_cache_size()
        memories = [
            ("remembered lookups", remembered.lookups, "LOOKUP_CACHE_SIZE"),
            ("early answers", remembered.early_answers, "LOOKUP_CACHE_SIZE"),
            ("sites by host", remembered.host_sites, "LOOKUP_CACHE_SIZE"),
            ("root paths", remembered.root_paths, "LOOKUP_CACHE_SIZE"),
            ("translations", remembered.translations, "LOOKUP_CACHE_SIZE"),
        ]
        rows = []
        for name, memory, bound in memories:
            entries = len(memory._answers)
            rows.append((name, entries, freed_by(memory.forget), f"{bound} = {size:,} entries"))
        pending = not_found_log._pending
        entries = len(pending) if pending is not None else 0
        del pending  # held here, it would not be freed
        rows.append(
            (
                "404 counts not yet written",
                entries,
                freed_by(not_found_log.forget),
                f"NOT_FOUND_MAX_PATHS = {conf.not_found_max_paths():,} paths",
            )
        )
        entries = len(hits._pending.redirect) + len(hits._pending.window)
        rows.append(
            (
                "hit counts not yet handed over",
                entries,
                freed_by(hits.forget),
                "redirects hit in HITS_FLUSH_SECONDS (no count bound)",
            )
        )
    tracemalloc.stop()
    print(
        f"  {len(paths):,} requests in {took:.1f} s (under tracemalloc), answered "
        + ", ".join(f"{n:,} x {code}" for code, n in sorted(codes.items()))
    )
    print(f"\n  {'structure':<32} {'entries':>8} {'MB':>8} {'B/entry':>8}   bound")
    for name, entries, freed, bound in rows:
        each = f"{freed / entries:8.0f}" if entries else f"{'':>8}"
        print(f"  {name:<32} {entries:>8,} {freed / MB:8.2f} {each}   {bound}")
    total = sum(row[2] for row in rows)
    print(f"  {'total':<32} {'':>8} {total / MB:8.2f}")
    print(f"  peak of Python's memory over the requests: {peak / MB:.1f} MB")


def add_windows(home_id: int, count: int, now: datetime.datetime) -> tuple[int, float]:
    """``count`` windows: one in a hundred on a page, one in ten active now."""
    from wagtail.models import Page

    home = Page.objects.get(pk=home_id)
    pages = [add_page(home, f"windowed-{i}") for i in range(max(1, count // 1000))]
    began = time.perf_counter()
    for start in range(0, count, BATCH):
        batch = []
        for i in range(start, min(start + BATCH, count)):
            starts = now - datetime.timedelta(days=1) if i % 10 == 0 else None
            starts = starts or now + datetime.timedelta(days=1 + i % 60)
            on_page = i % 100 == 0
            batch.append(
                ScheduledRedirect(
                    old_path="" if on_page else f"/campaign/{i // 2}",  # two windows a path
                    source_page=pages[i % len(pages)] if on_page else None,
                    redirect_link=f"/offers/{i}/",
                    starts_at=starts,
                    expires_at=starts + datetime.timedelta(days=7),
                )
            )
        ScheduledRedirect.objects.bulk_create(batch)
    stamps.windows_changed()
    return len(pages), time.perf_counter() - began


def window_index_memory(args: argparse.Namespace, home_id: int) -> None:
    now = timezone.now()
    pages, took = add_windows(home_id, args.windows, now)
    print(
        f"\n{connection.vendor}: {ScheduledRedirect.objects.count():,} windows stored in "
        f"{took:.0f} s ({pages} source pages)"
    )
    shared = stamps.current()
    builds = []
    for _ in range(args.runs):
        window_index.forget()
        gc.collect()
        tracemalloc.start()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            built = [window_index.WindowIndex.build(shared, now)]
        seconds = time.perf_counter() - began
        held, peak = tracemalloc.get_traced_memory()
        freed = freed_by(built.clear)
        tracemalloc.stop()
        builds.append((seconds, held, peak, freed, len(queries)))
    windows = args.windows
    slowest = max(b[0] for b in builds)
    held = max(b[3] for b in builds)
    peak = max(b[2] for b in builds)
    print(f"  window index of {windows:,} windows (slowest of {args.runs} builds)")
    print(f"    built in {slowest:.2f} s, {builds[0][4]} queries")
    print(f"    held: {held / MB:.1f} MB ({held / windows:.0f} B a window)")
    print(f"    peak while it is built: {peak / MB:.1f} MB")
    print(
        "    bound: the windows not yet expired (no count setting); rebuilt only when "
        "windows or pages change (the stamps, read at most every "
        f"INDEX_CHECK_SECONDS = {conf.index_check_seconds()} s) or one expires"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redirects", type=int, default=1_000_000)
    parser.add_argument("--asked", type=int, default=5000, help="distinct paths requested")
    parser.add_argument("--windows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="builds of the window index")
    parser.add_argument("--skip-redirects", action="store_true", help="only the window index")
    args = parser.parse_args()

    from django.test.runner import DiscoverRunner

    settings.DEBUG = False
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    runner = DiscoverRunner(verbosity=0, interactive=False)
    databases = runner.setup_databases()
    try:
        site, home = fresh_site_tree("localhost")
        if not args.skip_redirects:
            middleware_memory(args, site.pk)
        window_index_memory(args, home.pk)
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
