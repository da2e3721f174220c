"""Netlify ``_redirects``: ``/old /new 301`` lines.

From https://docs.netlify.com/routing/redirects/ and .../redirect-options/: one rule per
line, ``#`` starts a comment, paths are case-sensitive with special characters
URL-encoded, the first matching rule wins. Status codes: 301 and 302 (307 is "currently
unsupported", 308 is not documented), so those are left out, as is 410 (Netlify's 404
rule shows another page, which is not "gone"). A rule does not apply where a file
exists unless it is forced with ``!`` ("shadowing"): a scheduled window shadows the live
page, so its rule is forced; a redirect only answers a path with nothing there, so its
rule is not. Netlify matches query parameters by name, not a query string exactly, so a
source with one is left out.
"""

from __future__ import annotations

from .base import Output, encoded_path, header_lines, left_out
from .entries import WINDOW, EdgeMap

STATUS_CODES = (301, 302)


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    lines = [f"# {line}" for line in header_lines(edge_map)]
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, "Netlify cannot match a query string exactly"))
            continue
        if entry.status_code not in STATUS_CODES:
            omitted.append(left_out(entry, f"Netlify cannot answer {entry.status_code}"))
            continue
        forced = "!" if entry.kind == WINDOW else ""
        lines.append(f"{encoded_path(entry.path)} {entry.location} {entry.status_code}{forced}")
    return Output(content="\n".join(lines) + "\n", omitted=omitted)
