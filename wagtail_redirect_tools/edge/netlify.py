"""Netlify ``_redirects``: ``/old /new 301`` lines.

From https://docs.netlify.com/routing/redirects/ and .../redirect-options/: one rule per
line, ``#`` starts a comment, paths are case-sensitive with special characters
URL-encoded, the first matching rule wins. Status codes: 301 and 302 (307 is "currently
unsupported", 308 is not documented), so those are left out, as is 410 (Netlify's 404
rule shows another page, which is not "gone"). A rule does not apply where a file
exists unless it is forced with ``!`` ("shadowing"): a scheduled window shadows the live
page, so its rule is forced; a redirect only answers a path with nothing there, so its
rule is not. Netlify matches query parameters by name, not a query string exactly, so a
source with one is left out, and so is a path that also has one (a rule without query
parameters matches the path whatever the query string). In ``from``, ``*`` is a splat and
``:name`` a placeholder, and ``:name`` is replaced in ``to``: a path or target holding one
is left out, as is a target that is neither a URL nor a path from ``/``. Fields are
separated by whitespace, which encoded paths and Django's locations never hold.

Pattern redirects (:mod:`.patterns`) follow the exact lines, most specific first, in
Netlify's own notation (``/old/*  /new/:splat``, ``/news/:year/:slug  /blog/:slug``),
not forced: as for the exact lines, a live page (a file) shadows them, which is
Django's rule too (a pattern answers 404s only). An exact path under a pattern that this
file does not hold (a 410, a query string) would fall to the pattern: such a pattern is
left out.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from .base import (
    QUERY_STRING_SOURCE,
    Output,
    decoded_path,
    encoded_path,
    file_lines,
    header_lines,
    is_path_or_url,
    left_out,
    query_string_paths,
    source_problem,
)
from .entries import WINDOW, EdgeMap
from .patterns import PatternEntry, filled_problem, rendered_patterns, substitute

STATUS_CODES = (301, 302)
PLACEHOLDER = re.compile(r":[A-Za-z_]|\*")


def target_problem(location: str) -> str | None:
    if not is_path_or_url(location):
        return gettext("Netlify reads only a URL or a path from '/' as a target")
    if re.search(r":[A-Za-z_]", location.split("://", 1)[-1]):
        return gettext("Netlify replaces ':name' in a target")
    return None


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    lines = [f"# {line}" for line in header_lines(edge_map)]
    shared = query_string_paths(edge_map)
    written: set[str] = set()  # decoded paths answered whatever the query string
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, gettext("Netlify cannot match a query string exactly")))
            continue
        if entry.status_code not in STATUS_CODES or entry.location is None:
            omitted.append(
                left_out(
                    entry, gettext("Netlify cannot answer %(code)s") % {"code": entry.status_code}
                )
            )
            continue
        source = encoded_path(entry.path)
        problem = source_problem(entry) or target_problem(entry.location)
        if problem is None and PLACEHOLDER.search(source):
            problem = "Netlify reads '*' and ':name' in a path as placeholders"
        if problem is None and entry.path in shared:
            problem = str(QUERY_STRING_SOURCE)
        if problem is not None:
            omitted.append(left_out(entry, problem))
            continue
        forced = "!" if entry.kind == WINDOW else ""
        lines.append(f"{source} {entry.location} {entry.status_code}{forced}")
        written.add(decoded_path(entry.path) or "")
    pattern_lines, unwritten = rendered_patterns(
        edge_map, lambda pattern_entry: pattern_line(pattern_entry, written)
    )
    lines += pattern_lines
    omitted += unwritten
    return Output(pieces=file_lines(lines), omitted=omitted)


def pattern_line(entry: PatternEntry, written: set[str]) -> tuple[str, str | None]:
    """The rule of a pattern redirect, or why there is none."""
    if entry.status_code not in STATUS_CODES or entry.target is None:
        return "", gettext("Netlify cannot answer %(code)s") % {"code": entry.status_code}
    if set(entry.exact_paths) - written:
        return "", gettext(
            "an exact path under it is not in this file (a 410 or a query string), and "
            "the pattern would answer it"
        )
    literals = [encoded_path(s) for s in entry.pattern.segments if not s.startswith(":")]
    if any(PLACEHOLDER.search(literal) for literal in literals):
        return "", gettext("Netlify reads '*' and ':name' in a path as placeholders")
    if set(entry.placeholders) - set(entry.pattern.names):
        return "", gettext("Netlify replaces ':name' in a target")
    problem = filled_problem(entry) or target_problem(
        substitute(entry.target, dict.fromkeys(entry.placeholders, "x"))
    )
    if problem is not None:
        return "", problem
    source = "".join(
        "/" + (segment if segment.startswith(":") else encoded_path(segment))
        for segment in entry.pattern.segments
    )
    source += "/*" if entry.pattern.splat else ""
    return f"{source or '/'} {entry.target} {entry.status_code}", None
