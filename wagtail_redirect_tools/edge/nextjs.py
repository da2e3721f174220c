"""Next.js: the JSON array its ``redirects()`` in ``next.config.js`` returns.

From https://nextjs.org/docs/app/api-reference/config/next-config-js/redirects: each item
is ``{source, destination, permanent}`` (``permanent`` true is 308, false 307) or, for
301 and 302, ``{source, destination, statusCode}`` (never both). ``source`` is a
path-to-regexp pattern: ``:``, ``*``, ``?``, ``+``, ``(``, ``)``, ``{``, ``}`` and ``\\``
are escaped with a backslash so a path matches only itself. Next.js has no "gone"
redirect, and matches query strings by ``has`` (a subset, not exactly): 410s and sources
with a query string are left out. Next.js passes the request's query string on.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .base import Output, encoded_path, left_out
from .entries import EdgeMap

PATTERN_CHARACTERS = re.compile(r"([:*?+(){}\\])")


def source_pattern(path: str) -> str:
    return PATTERN_CHARACTERS.sub(r"\\\1", encoded_path(path))


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    items: list[dict[str, Any]] = []
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, "Next.js cannot match a query string exactly"))
            continue
        if entry.location is None:
            omitted.append(left_out(entry, "Next.js redirects cannot answer 410 Gone"))
            continue
        item: dict[str, Any] = {
            "source": source_pattern(entry.path),
            "destination": entry.location,
        }
        if entry.status_code in (307, 308):
            item["permanent"] = entry.status_code == 308
        else:
            item["statusCode"] = entry.status_code
        items.append(item)
    return Output(content=json.dumps(items, indent=2, ensure_ascii=False) + "\n", omitted=omitted)
