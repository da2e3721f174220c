"""Cloudflare Bulk Redirects: the CSV a Bulk Redirect List imports.

From https://developers.cloudflare.com/rules/url-forwarding/bulk-redirects/reference/csv-file-format/:
no header row; each line ``source_url,target_url,status_code,preserve_query_string,
include_subdomains,subpath_matching,preserve_path_suffix``; a value with a comma is
quoted. Source URLs name the host; targets are full URLs. Status codes are 301, 302, 307
and 308, so 410 is left out, and a source URL cannot carry a query string to match (so
a path that also has a source with one is left out too: Cloudflare would answer both).
``preserve_query_string`` follows ``KEEP_QUERY_STRING``, as Django's own fallback does;
a target with a query string needs it false. From .../reference/parameters/: source and
target URLs are at most 32 KB, and a list holds a source URL once (two stored spellings of
one request are written once). A target is Django's ``Location`` made absolute on the site;
one that is neither a URL nor a path from ``/`` is left out. CSV has no comments: the next
change is only reported on standard error.

What to write and what to leave out is decided at once (the omissions are listed before
the file is read); the CSV text is made as it is read, a block of rows at a time, never
the whole file at once (:class:`.base.Output`).

Pattern redirects (:mod:`.patterns`): a prefix pattern (``/old/*``) is a row with
``subpath_matching`` true for ``host/old/`` (what it matches under the path;
``include_subdomains`` stays false: the site's own host only), with
``preserve_path_suffix`` true when the target carries the rest of the path
(``/new/:splat``: the target ``/new/``, to which Cloudflare appends what follows
``/old/``), false for a fixed target. Cloudflare has no named segments, no way to leave a
path under a row to the origin, and no documented order between an exact row and a
subpath row that both match: a pattern with named segments, or with an exact path or a
live page under it, is left out, as is one whose source path holds more than 16 slashes
(.../reference/parameters/, "Subpath matching").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from django.utils.translation import gettext

from .. import conf
from ..patterns import SPLAT
from .base import (
    QUERY_STRING_SOURCE,
    Output,
    encoded_path,
    is_path_or_url,
    left_out,
    query_string_paths,
    source_problem,
)
from .entries import EdgeMap, Entry, printable
from .patterns import PatternEntry, filled_problem, rendered_patterns

STATUS_CODES = (301, 302, 307, 308)
MAX_URL_BYTES = 32 * 1024


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    keep_query = conf.keep_query_string()
    shared = query_string_paths(edge_map)
    written: dict[str, str] = {}
    rows: list[tuple[str, str, int]] = []  # source, target, status code
    for entry in edge_map.entries:
        source = f"{entry.site.hostname}{encoded_path(entry.path)}"
        problem = _problem(entry, source, keep_query=keep_query, shared=shared)
        if problem is None and source in written:
            problem = gettext("the same request as %(path)s, written already") % {
                "path": printable(written[source])
            }
        if problem is not None or entry.location is None:
            omitted.append(left_out(entry, problem or ""))
            continue
        written[source] = entry.path
        target = entry.location
        if target.startswith("/"):
            target = entry.site.root_url + target
        rows.append((source, target, entry.status_code))
    pattern_rows, unwritten = rendered_patterns(
        edge_map, lambda pattern_entry: _pattern_row(pattern_entry, keep_query=keep_query)
    )
    omitted += unwritten
    flags = ("TRUE" if keep_query else "FALSE", "FALSE", "FALSE", "FALSE")

    def pieces() -> Iterator[str]:
        yield from _csv_blocks((*row, *flags) for row in rows)
        yield from _csv_blocks(pattern_rows)

    return Output(pieces=pieces, omitted=omitted)


#: Rows written to the CSV text at a time.
BLOCK_ROWS = 1000


def _csv_blocks(rows: Iterator[Sequence[object]] | list[list[object]]) -> Iterator[str]:
    """The CSV text of ``rows``, a block of ``BLOCK_ROWS`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count == BLOCK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            count = 0
    if count:
        yield buffer.getvalue()


MAX_SUBPATH_SLASHES = 16


def _pattern_row(entry: PatternEntry, *, keep_query: bool) -> tuple[list[object], str | None]:
    """The row of a prefix pattern, or why there is none."""
    if not entry.pattern.is_prefix:
        return [], gettext(
            "a Bulk Redirect matches a path and everything under it, not a named segment"
        )
    if entry.status_code not in STATUS_CODES or entry.target is None:
        return [], gettext("Cloudflare cannot answer %(code)s") % {"code": entry.status_code}
    if entry.exact_paths or entry.live_paths or entry.subtrees:
        return [], gettext(
            "exact redirects or live pages sit under it, and a subpath row would answer them"
        )
    path = encoded_path(entry.pattern.literal_prefix.rstrip("/") + "/")
    if path.count("/") > MAX_SUBPATH_SLASHES:
        return [], gettext("Cloudflare's subpath matching takes at most 16 slashes")
    problem = filled_problem(entry)
    if problem is None and not is_path_or_url(entry.target):
        problem = gettext("a Bulk Redirect target is a URL or a path from '/'")
    target = entry.target
    carries = SPLAT in entry.placeholders
    if problem is None and carries:
        parts = urlsplit(target)
        if parts.query or parts.fragment or not parts.path.endswith("/:" + SPLAT):
            problem = gettext(
                "Cloudflare appends the rest of the path to the target's path only after a '/'"
            )
        target = target.removesuffix(":" + SPLAT)
    if problem is None and keep_query and urlsplit(target).query:
        problem = gettext("a target with a query string needs preserve_query_string false")
    if problem is not None:
        return [], problem
    if target.startswith("/"):
        target = entry.site.root_url + target
    source = f"{entry.site.hostname}{path}"
    if max(len(source.encode()), len(target.encode())) > MAX_URL_BYTES:
        return [], gettext("Cloudflare takes URLs of at most 32 KB")
    flags = ["TRUE" if keep_query else "FALSE", "FALSE", "TRUE", "TRUE" if carries else "FALSE"]
    return [source, target, entry.status_code, *flags], None


def _problem(entry: Entry, source: str, *, keep_query: bool, shared: set[str]) -> str | None:
    if entry.query:
        return gettext("a Bulk Redirect source cannot match a query string")
    if entry.status_code not in STATUS_CODES or entry.location is None:
        return gettext("Cloudflare cannot answer %(code)s") % {"code": entry.status_code}
    if entry.path in shared:
        return str(QUERY_STRING_SOURCE)
    problem = source_problem(entry)
    if problem is not None:
        return problem
    if not is_path_or_url(entry.location):
        return gettext("a Bulk Redirect target is a URL or a path from '/'")
    if keep_query and urlsplit(entry.location).query:
        return gettext("a target with a query string needs preserve_query_string false")
    if max(len(source.encode()), len(entry.site.root_url + entry.location)) > MAX_URL_BYTES:
        return gettext("Cloudflare takes URLs of at most 32 KB")
    return None
