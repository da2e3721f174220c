"""``redirects_export [FILE]``: every redirect (or one kind) in a file that imports back,
or the current redirect map in a web server's or CDN's own format."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...edge import EDGE_FORMATS
from ...edge.base import joined_pieces
from ...edge.export import export_map, sites_for
from ...importing.exporting import FORMATS, KINDS, export_kind


class Command(BaseCommand):
    help = (
        "Export redirects and scheduled redirects to CSV, TSV, XLSX or JSON, with the "
        "columns the import reads (and, for people, each page's title and URL); or the "
        "redirects a site answers now for nginx, Apache, Netlify, Cloudflare or Next.js."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Write here (default: standard output).")
        parser.add_argument(
            "--format",
            choices=[*FORMATS, *EDGE_FORMATS],
            help="Default: from FILE, or csv. nginx, apache, netlify, cloudflare and nextjs "
            "write what the site answers now (active scheduled redirects included) in that "
            "server's own form; what it cannot say is listed on standard error.",
        )
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default="all",
            help="all (default): redirects and scheduled redirects in one file, ended "
            "ones included (redirects_import writes them back as ended windows, kept as "
            "history); redirects: no scheduled ones; or one kind. Not for server formats.",
        )
        parser.add_argument(
            "--site",
            help="hostname[:port] of the site whose redirects a server format writes (its "
            "own and those for all sites). Needed when there are several sites, except "
            "for cloudflare, which writes every site.",
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
        if file_format in EDGE_FORMATS:
            pieces = self.edge_export(file_format, options)
            if path:
                with open(path, "w", encoding="utf-8", newline="") as text_handle:
                    for piece in joined_pieces(pieces, PIECE):
                        text_handle.write(piece)
            else:
                for piece in joined_pieces(pieces, PIECE):
                    self.stdout.write(piece, ending="")
            return
        if options["site"]:
            raise CommandError("--site is for the server formats (nginx, apache, ...).")
        elif file_format == "xlsx" and not path:
            raise CommandError("XLSX is written to a file: give FILE.")
        else:
            data = export_kind(options["kind"], file_format, excel=options["excel"])
        if path:
            with open(path, "wb") as handle:
                handle.write(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def edge_export(self, file_format: str, options: dict[str, Any]) -> Iterable[str]:
        if options["kind"] != "all":
            raise CommandError("--kind is for csv, tsv, xlsx and json: a server gets it all.")
        try:
            sites = sites_for(options["site"], file_format)
        except ValueError as error:
            raise CommandError(f"--site: {error}") from error
        export = export_map(file_format, sites)
        for omission in export.omitted:
            self.stderr.write(f"Left out: {omission}")
        self.stderr.write(f"{export.written} paths written, {len(export.omitted)} left out.")
        self.stderr.write(export.next_change)
        return export.pieces()


# How much of a server format's text is written at once: pieces joined up to about this
# many characters, never the whole file (hundreds of MB for a million redirects) at once.
PIECE = 1 << 20


def _format_of(path: str | None) -> str:
    extension = (path or "").rsplit(".", 1)[-1].lower()
    return extension if extension in FORMATS else "csv"
