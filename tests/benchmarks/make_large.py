"""Write a large redirect file for the import benchmark: ``make_large.py ROWS OUT.csv [--mixed]``.

Rows look like a site migration: ``/section-S/topic-T/page-N/`` to ``/new/G/article-N/``,
one row per page N, all in the import's columns (from, to, type, site, starts_at,
expires_at, reason). Plain files are all 301s to paths. With ``--mixed``, rows whose N is a
multiple of 10 are scheduled temporary redirects (a window a month from now, lasting a
month: always upcoming, whatever day the benchmark runs), and the other multiples of 7 are
for the site ``localhost`` only, so a preview and an import go through every column.

The file depends on ROWS only through its length (and on the day, through the windows'
dates): the first N rows are the same for any ROWS >= N.
"""

from __future__ import annotations

import argparse
import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

COLUMNS = ["from", "to", "type", "site", "starts_at", "expires_at", "reason"]


def rows(count: int, *, mixed: bool, today: datetime.date | None = None) -> Iterator[list[str]]:
    """The ``count`` data rows (no header)."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    starts = f"{today + datetime.timedelta(days=30)}T00:00:00Z"
    expires = f"{today + datetime.timedelta(days=61)}T00:00:00Z"
    for number in range(count):
        source = f"/section-{number % 97}/topic-{number % 1009}/page-{number}/"
        target = f"/new/{number % 13}/article-{number}/"
        if mixed and number % 10 == 0:
            yield [source, target, "temporary", "", starts, expires, f"campaign {number}"]
        elif mixed and number % 7 == 0:
            yield [source, target, "301", "localhost", "", "", ""]
        else:
            yield [source, target, "301", "", "", "", ""]


def write(path: Path, count: int, *, mixed: bool = False) -> Path:
    """Write a CSV file of ``count`` rows to ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows(count, mixed=mixed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--mixed", action="store_true", help="windows and site rows too")
    args = parser.parse_args()
    write(args.out, args.rows, mixed=args.mixed)


if __name__ == "__main__":
    main()
