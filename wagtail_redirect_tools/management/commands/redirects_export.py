"""``redirects_export [FILE]``: every redirect (or one kind) in a file that imports back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...exporting import FORMATS, KINDS, export_kind


class Command(BaseCommand):
    help = (
        "Export redirects and scheduled redirects to CSV, TSV, XLSX or JSON, with the "
        "columns the import reads (and, for people, each page's title and URL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Write here (default: standard output).")
        parser.add_argument("--format", choices=list(FORMATS), help="Default: from FILE, or csv.")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default="all",
            help="all (default): redirects and scheduled redirects in one file; "
            "redirects: no scheduled ones; or one kind.",
        )
        parser.add_argument(
            "--excel",
            action="store_true",
            help="CSV or TSV for Excel: start with a UTF-8 byte-order mark, so Excel "
            "reads accents right (default: plain UTF-8).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        file_format = options["format"] or _format_of(path)
        if file_format == "xlsx" and not path:
            raise CommandError("XLSX is written to a file: give FILE.")
        data = export_kind(options["kind"], file_format, excel=options["excel"])
        if path:
            with open(path, "wb") as handle:
                handle.write(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")


def _format_of(path: str | None) -> str:
    extension = (path or "").rsplit(".", 1)[-1].lower()
    return extension if extension in FORMATS else "csv"
