"""Cloudflare Bulk Redirects: the CSV a Bulk Redirect List imports.

From https://developers.cloudflare.com/rules/url-forwarding/bulk-redirects/reference/csv-file-format/:
no header row; each line ``source_url,target_url,status_code,preserve_query_string,
include_subdomains,subpath_matching,preserve_path_suffix``; a value with a comma is
quoted. Source URLs name the host; targets are full URLs. Status codes are 301, 302, 307
and 308, so 410 is left out, and a source URL cannot carry a query string to match.
``preserve_query_string`` follows ``KEEP_QUERY_STRING``, as Django's own fallback does.
CSV has no comments: the next change is only reported on standard error.
"""

from __future__ import annotations

import csv
import io

from .. import conf
from .base import Output, encoded_path, left_out
from .entries import EdgeMap

STATUS_CODES = (301, 302, 307, 308)


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keep_query = "TRUE" if conf.keep_query_string() else "FALSE"
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, "a Bulk Redirect source cannot match a query string"))
            continue
        if entry.status_code not in STATUS_CODES or entry.location is None:
            omitted.append(left_out(entry, f"Cloudflare cannot answer {entry.status_code}"))
            continue
        target = entry.location
        if target.startswith("/"):
            target = entry.site.root_url + target
        source = f"{entry.site.hostname}{encoded_path(entry.path)}"
        writer.writerow([source, target, entry.status_code, keep_query, "FALSE", "FALSE", "FALSE"])
    return Output(content=buffer.getvalue(), omitted=omitted)
