"""Benchmark: the edge export (``redirects_export --format nginx --site localhost``), read in
bulk, against each path asked of ``resolve()`` on its own (the way before issue 34).

    .venv/bin/python tests/benchmarks/bench_edge_export.py --database postgres --redirects 100000

The database (a temporary SQLite file, or the PostgreSQL database ``wrt_bench_edge``, or
``$WRT_BENCH_DATABASE``: created, migrated once, dropped; PGHOST and the rest as in
tests/settings.py) gets --redirects redirects shaped like a site migration (the rows of
``make_large.py``: ``/section-S/topic-T/page-N`` to ``/new/G/article-N/``), for the site
``localhost`` or all sites; every 50th leads to a page (of 200 live pages under the home
page), every 20th is a 302, every 100th a 410; and 100 active windows, half on paths and
half on pages.

Each run is a fresh process of this script (a hidden --worker flag), so that its peak
memory (``ru_maxrss``, which includes Django and Wagtail, about 120 MB) is its own: the
command writes the nginx file (to /dev/null) as a deploy hook would. Three runs; the
targets (issue 34: < 10 s and < 300 MB at 100,000 redirects, < 90 s at 1,000,000) are
judged on the slowest. ``--format cloudflare`` (repeatable) times other formats the same
way, after nginx's runs. The per-path way is timed on a sample of the same paths (--sample,
spread over all of them), from a process that has read none of them; its time for all of
them is that sample's time per path times the number of paths: an extrapolation (the whole
run takes minutes). The sample's answers are also compared with the bulk map's.

Wagtail core has no edge export: there is no core figure, and the ratio printed is the
per-path way's over the bulk way's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import ROOT, boot, pg_admin
from make_large import rows

BENCH_NAME = os.environ.get("WRT_BENCH_DATABASE", "wrt_bench_edge")
RESULT = "BENCH-RESULT "
TARGET_SECONDS = {100_000: 10.0, 1_000_000: 90.0}
TARGET_PEAK_MB = {100_000: 300.0}
PAGES = 200
WINDOWS = 100


def fill(count: int) -> dict[str, Any]:
    """``count`` redirects, their details, pages and windows (see the module docstring)."""
    import datetime

    from django.core.management import call_command
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, Site

    from tests.testapp.models import SimplePage
    from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect

    call_command("migrate", interactive=False, verbosity=0)
    site = Site.objects.get(hostname="localhost")
    home = site.root_page
    pages = []
    for number in range(PAGES):
        page = SimplePage(title=f"Article {number}", slug=f"article-{number}")
        home.add_child(instance=page)
        pages.append(page)
    batch: list[Redirect] = []
    for number, (source, target, *_rest) in enumerate(rows(count, mixed=False)):
        made = Redirect(
            old_path=Redirect.normalise_path(source),
            site=site if number % 3 == 0 else None,
            redirect_link="" if number % 50 == 0 else target,
            redirect_page=pages[number % PAGES] if number % 50 == 0 else None,
        )
        batch.append(made)
        if len(batch) == 10_000:
            Redirect.objects.bulk_create(batch)
            batch = []
    Redirect.objects.bulk_create(batch)
    details = [
        RedirectDetails(redirect_id=pk, status_code=410 if index % 5 == 0 else 302)
        for index, pk in enumerate(
            Redirect.objects.order_by("pk").values_list("pk", flat=True)[::20]
        )
    ]
    RedirectDetails.objects.bulk_create(details, batch_size=10_000)
    now = datetime.datetime.now(datetime.UTC)
    windows = [
        ScheduledRedirect(
            site=site,
            old_path="" if number % 2 else f"/campaign-{number}",
            source_page=pages[number] if number % 2 else None,
            redirect_link=f"/offer-{number}/",
            starts_at=now - datetime.timedelta(days=1),
            expires_at=now + datetime.timedelta(days=30),
        )
        for number in range(WINDOWS)
    ]
    ScheduledRedirect.objects.bulk_create(windows)
    return {"redirects": Redirect.objects.count(), "pages": Page.objects.count()}


def run_worker(spec: dict[str, Any]) -> dict[str, Any]:
    boot(spec["database"], spec["name"])
    if spec["op"] == "fill":
        return fill(spec["redirects"])
    from django.core.management import call_command
    from wagtail.models import Site

    from wagtail_redirect_tools.edge.entries import (
        EdgeMap,
        _add,
        build_map,
        request_forms,
        source_paths,
    )

    site = Site.objects.get(hostname="localhost")  # opens the connection before timing
    if spec["op"] == "bulk":
        started = time.perf_counter()
        cpu_started = time.process_time()
        with open(os.devnull, "w") as devnull:
            call_command(
                "redirects_export",
                os.devnull,
                format=spec.get("format", "nginx"),
                site="localhost",
                stderr=devnull,
            )
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu_started,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    # The per-path way, on a sample spread over every path.
    from django.utils import timezone

    now = timezone.now()
    forms = [
        (path, form) for path in sorted(source_paths(site, now)) for form in request_forms(path)
    ]
    step = max(1, len(forms) // spec["sample"])
    sample = forms[::step]
    edge_map = EdgeMap(sites=[site], now=now)
    started = time.perf_counter()
    for path, form in sample:
        _add(edge_map, site, path, form, None)
    seconds = time.perf_counter() - started
    bulk = build_map([site], now=now)
    wanted = {form for _path, form in sample}
    same = [e for e in bulk.entries if e.path in wanted] == edge_map.entries and [
        str(o) for o in bulk.omitted if o.path in wanted
    ] == [str(o) for o in edge_map.omitted]
    return {"seconds": seconds, "sampled": len(sample), "paths": len(forms), "same": same}


def worker(database: str, name: str, op: str, **spec: Any) -> dict[str, Any]:
    payload = json.dumps({"database": database, "name": name, "op": op, **spec})
    done = subprocess.run(
        [sys.executable, __file__, "--worker", payload], capture_output=True, text=True, cwd=ROOT
    )
    found = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not found:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"worker {op} on {database} failed ({done.returncode})")
    return dict(json.loads(found[-1][len(RESULT) :]))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redirects", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="paths asked one by one")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--format", action="append", default=[], help="another format to time, after nginx"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(RESULT + json.dumps(run_worker(json.loads(args.worker))), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.database == "postgres":
            pg_admin(f"DROP DATABASE IF EXISTS {BENCH_NAME}")
            pg_admin(f"CREATE DATABASE {BENCH_NAME}")
            name = BENCH_NAME
        else:
            name = str(Path(tmp) / "bench.sqlite3")
        try:
            filled = worker(args.database, name, "fill", redirects=args.redirects)
            print(
                f"{args.database}: {filled['redirects']} redirects, {filled['pages']} pages, "
                f"{WINDOWS} windows; load average {os.getloadavg()[0]:.1f} "
                f"on {os.cpu_count()} cores",
                flush=True,
            )
            runs = []
            for run in range(args.runs):
                found = worker(args.database, name, "bulk")
                runs.append(found)
                print(
                    f"  bulk run {run + 1}: {found['seconds']:.2f} s (cpu "
                    f"{found['cpu_seconds']:.2f} s), peak {found['peak_mb']:.0f} MB",
                    flush=True,
                )
            for other in args.format:
                for run in range(args.runs):
                    found = worker(args.database, name, "bulk", format=other)
                    print(
                        f"  {other} run {run + 1}: {found['seconds']:.2f} s (cpu "
                        f"{found['cpu_seconds']:.2f} s), peak {found['peak_mb']:.0f} MB; "
                        f"load average {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
            exact = worker(args.database, name, "exact", sample=args.sample)
        finally:
            if args.database == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {BENCH_NAME}")
    slowest = max(run["seconds"] for run in runs)
    peak = max(run["peak_mb"] for run in runs)
    per_path_ms = exact["seconds"] / exact["sampled"] * 1000
    extrapolated = per_path_ms * exact["paths"] / 1000
    print(
        f"  per-path resolve(): {exact['sampled']} of {exact['paths']} paths in "
        f"{exact['seconds']:.2f} s, {per_path_ms:.3f} ms a path: about "
        f"{extrapolated:.0f} s for all (extrapolated); sample's answers "
        f"{'the same as' if exact['same'] else 'DIFFERENT from'} the bulk map's"
    )
    print("  Wagtail core has no edge export: no core figure; ratio to the per-path way.")
    cpu = max(run["cpu_seconds"] for run in runs)
    print(
        f"  bulk (slowest of {len(runs)}): {slowest:.2f} s (cpu {cpu:.2f} s), peak {peak:.0f} MB; "
        f"per-path / bulk: {extrapolated / slowest:.0f}x"
    )
    target = TARGET_SECONDS.get(args.redirects)
    if target is not None:
        print(
            f"  target < {target:.0f} s at {args.redirects:,} redirects: "
            f"{verdict(slowest < target)}"
        )
    peak_target = TARGET_PEAK_MB.get(args.redirects)
    if peak_target is not None:
        print(f"  target < {peak_target:.0f} MB: {verdict(peak < peak_target)}")
    if not exact["same"]:
        raise SystemExit("the bulk map differs from resolve()'s on the sample")


if __name__ == "__main__":
    main()
