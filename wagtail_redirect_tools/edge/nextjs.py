"""Next.js: the JSON array its ``redirects()`` in ``next.config.js`` returns.

From https://nextjs.org/docs/app/api-reference/config/next-config-js/redirects: each item
is ``{source, destination, permanent}`` (``permanent`` true is 308, false 307) or, for
301 and 302, ``{source, destination, statusCode}`` (never both). ``source`` is a
path-to-regexp pattern: ``:``, ``*``, ``?``, ``+``, ``(``, ``)``, ``{``, ``}`` and ``\\``
are escaped with a backslash so a path matches only itself. ``destination`` is read as a
pattern too, but parsed as a URL first, which turns a backslash into ``/``: it cannot be
escaped, so a destination whose path or fragment holds ``:``, ``(``, ``)``, ``*``, ``+``,
``{`` or ``}`` is left out (Next.js's ``loadCustomRoutes()`` refuses the whole file for one
such item). Next.js writes the destination's query string again from its parsed values,
so only a plain one (``key=value`` pairs, unreserved characters, each key once) is kept.
It refuses a pattern longer than 4,096 characters once built. Next.js has no "gone"
redirect, and matches query strings by ``has`` (a subset, not exactly): 410s and sources
with a query string are left out, and so is a path that also has one. Next.js passes the
request's query string on, and matches sources ignoring case unless
``experimental.caseSensitiveRoutes`` is true.

Pattern redirects (:mod:`.patterns`) follow the exact items, most specific first (Next.js
applies the first item that matches): ``/old/:splat*`` for ``/old/*`` (after an item for
``/old`` itself, which ``:splat*`` would send to the target without its slash) and
``:name`` for a named segment, each literal segment escaped as a path is. Next.js answers
redirects before its pages, so a pattern with a live page under it, or an exact path this
file does not hold, is left out, as are 410s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext

from .. import patterns
from .base import (
    QUERY_STRING_SOURCE,
    Output,
    decoded_path,
    encoded_path,
    is_path_or_url,
    left_out,
    normalised_by_servers,
    query_string_paths,
    source_problem,
)
from .entries import EdgeMap
from .patterns import PatternEntry, filled_problem, rendered_patterns, substitute

PATTERN_CHARACTERS = re.compile(r"([:*?+(){}\\])")
# What path-to-regexp reads in a destination's path or fragment.
DESTINATION_PATTERN = re.compile(r"[:*+(){}\\]")
# A query string Next.js writes back as it was: key=value pairs of unreserved characters.
PLAIN_QUERY = re.compile(r"[A-Za-z0-9._~-]*[A-Za-z._~-][A-Za-z0-9._~-]*=[A-Za-z0-9._~-]*")
# path-to-regexp's escapeString, to measure the pattern Next.js builds.
REGEX_ESCAPED = re.compile(r"([.+*?=^!:${}()\[\]|/\\])")
MAX_PATTERN = 4096 - 32  # what Next.js adds around the escaped path, with room to spare


def source_pattern(path: str) -> str:
    return PATTERN_CHARACTERS.sub(r"\\\1", encoded_path(path))


def destination_problem(location: str) -> str | None:
    """Why Next.js would refuse ``location`` or send another one, or None."""
    if not is_path_or_url(location):
        return gettext("Next.js reads only a URL or a path from '/' as a destination")
    parts = urlsplit(location)
    if DESTINATION_PATTERN.search(parts.path + parts.fragment):
        return gettext(
            "Next.js reads ':', '(', ')', '*', '+', '{' and '}' in a destination as a pattern"
        )
    decoded = decoded_path(parts.path)
    if decoded is None or normalised_by_servers(decoded):
        return gettext("Next.js would rewrite the destination's path")
    if parts.query and not _plain_query(parts.query):
        return gettext("Next.js would write the destination's query string differently")
    if too_long(location):
        return gettext("Next.js refuses a pattern this long")
    return None


def _plain_query(query: str) -> bool:
    pairs = query.split("&")
    keys = [pair.split("=", 1)[0] for pair in pairs]
    return all(PLAIN_QUERY.fullmatch(pair) for pair in pairs) and len(set(keys)) == len(keys)


def too_long(value: str) -> bool:
    return len(REGEX_ESCAPED.sub(r"\\\1", value)) > MAX_PATTERN


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    items: list[dict[str, Any]] = []
    shared = query_string_paths(edge_map)
    written: set[str] = set()  # decoded paths answered whatever the query string
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, gettext("Next.js cannot match a query string exactly")))
            continue
        if entry.location is None:
            omitted.append(left_out(entry, gettext("Next.js redirects cannot answer 410 Gone")))
            continue
        problem = source_problem(entry) or destination_problem(entry.location)
        if problem is None and entry.path in shared:
            problem = str(QUERY_STRING_SOURCE)
        if problem is None and too_long(encoded_path(entry.path)):
            problem = gettext("Next.js refuses a pattern this long")
        if problem is not None:
            omitted.append(left_out(entry, problem))
            continue
        items.append(_item(source_pattern(entry.path), entry.location, entry.status_code))
        written.add(decoded_path(entry.path) or "")
    pattern_items, unwritten = rendered_patterns(
        edge_map, lambda pattern_entry: _pattern_items(pattern_entry, written)
    )
    items += [item for each in pattern_items for item in each]
    omitted += unwritten
    return Output(pieces=lambda: _json_pieces(items), omitted=omitted)


def _json_pieces(items: list[dict[str, Any]]) -> Iterator[str]:
    """``json.dumps(items, indent=2, ensure_ascii=False)`` and a newline, a token at a
    time: ``dumps`` joins the same pieces, all held at once first."""
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(items)
    yield "\n"


def _item(source: str, destination: str, status_code: int) -> dict[str, Any]:
    item: dict[str, Any] = {"source": source, "destination": destination}
    if status_code in (307, 308):
        item["permanent"] = status_code == 308
    else:
        item["statusCode"] = status_code
    return item


def _pattern_items(
    entry: PatternEntry, written: set[str]
) -> tuple[list[dict[str, Any]], str | None]:
    """The items of a pattern redirect, or why there are none."""
    if entry.target is None:
        return [], gettext("Next.js redirects cannot answer 410 Gone")
    if entry.unwritten(written) or entry.subtrees:
        return [], gettext(
            "live pages or exact paths Next.js does not hold sit under it, and Next.js "
            "answers redirects before pages"
        )
    problem = filled_problem(entry) or destination_problem(
        substitute(entry.target, dict.fromkeys(entry.placeholders, "x"))
    )
    if problem is not None:
        return [], problem
    base = "".join(
        "/" + (segment if segment.startswith(":") else source_pattern(segment))
        for segment in entry.pattern.segments
    )
    if not entry.pattern.splat:
        return [_item(base or "/", entry.target, entry.status_code)], None
    # Without the rest of the path, Django fills ":splat" with nothing.
    unsplatted = substitute(entry.target, {patterns.SPLAT: ""})
    return [
        _item(base or "/", unsplatted, entry.status_code),
        _item(
            f"{base}/:{patterns.SPLAT}*",
            substitute(entry.target, {patterns.SPLAT: f":{patterns.SPLAT}*"}),
            entry.status_code,
        ),
    ], None
