"""``redirects_not_found``: the open 404 log (paths nothing answers), most hit first."""

from __future__ import annotations

import csv
import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...not_found.report import COLUMNS, as_row, open_log

#: Rows read from the database at a time.
CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Print the 404 log: the paths visitors asked for that nothing answers (no redirect, "
        "no live page, not ignored), most hit first, as CSV or JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            help="Only paths last seen on or after this date (YYYY-MM-DD), or this many "
            "days ago (a number, e.g. 7).",
        )
        parser.add_argument(
            "--min-hits", type=int, default=0, help="Only paths hit at least this often."
        )
        parser.add_argument(
            "--hide-bots", action="store_true", help="Leave out paths only bots asked for."
        )
        parser.add_argument(
            "--format", choices=["csv", "json"], default="csv", help="Default: csv."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"])
        if options["min_hits"] < 0:
            raise CommandError("--min-hits must be 0 or more.")
        entries = open_log(
            since=since, min_hits=options["min_hits"], hide_bots=options["hide_bots"]
        ).iterator(chunk_size=CHUNK)  # read in chunks as they are written, not all at once
        count = 0
        if options["format"] == "json":
            rows = [as_row(entry) for entry in entries]
            count = len(rows)
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            for entry in entries:
                row = as_row(entry)
                writer.writerow({**row, "referrers": " ".join(row["referrers"])})
                count += 1
        self.stderr.write(f"{count} paths not found.")


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    if value.isdigit():
        return datetime.date.today() - datetime.timedelta(days=int(value))
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--since {value!r}: give a date (YYYY-MM-DD) or a number of days."
        ) from None
