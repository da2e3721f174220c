"""Netlify's ``_redirects`` file (docs.netlify.com, "Redirects and rewrites"), read into rows.

One rule a line, ``from [query params] to [status][!] [conditions]``, fields separated by
spaces, ``#`` starts a comment line, 301 when no status is given. ``!`` (force) is read
as the plain redirect. Splats (``/blog/*  /news/:splat``) and ``:placeholders`` are our
own pattern notation (:mod:`wagtail_redirect_tools.patterns`): the planner reads such a
rule as a pattern redirect. Query parameters and conditions (``Country=``, ``Language=``,
``Role=``, ``Cookie=``) match more than a path, and 200 (rewrite) or 404 (custom page)
are not redirects: the row says so in the ``matching`` and ``action`` columns, which
:mod:`.patterns` and :mod:`.redirection` refuse. A rule for another domain names its site.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..limits import MAX_COLUMNS, too_many_columns
from ..text_lines import Numbered, is_url, numbered_lines

DEFAULT_STATUS = 301
ACTIONS = {200: "rewrite (200)", 404: "custom 404 page"}
STATUS = re.compile(r"(\d{3})(!?)")


def read(text: str) -> Numbered:
    for number, line in numbered_lines(text):
        fields = line.split(None, MAX_COLUMNS)
        if len(fields) > MAX_COLUMNS:
            raise too_many_columns(number)
        yield number, _netlify_row(fields)


def _netlify_row(fields: list[str]) -> dict[str, Any]:
    source, rest = fields[0], fields[1:]
    query = []
    while rest and "=" in rest[0] and not rest[0].startswith("/") and not is_url(rest[0]):
        query.append(rest.pop(0))
    target = rest.pop(0) if rest else ""
    status: int | None = DEFAULT_STATUS
    if rest and (found := STATUS.fullmatch(rest[0])):
        status = int(found.group(1))
        rest.pop(0)
    row: dict[str, Any] = {"from": source, "to": target, "type": status}
    row.update(_netlify_host(source))
    unsupported = _netlify_matching(row["from"], query, rest)
    if unsupported:
        row["matching"] = ", ".join(unsupported)
    if status in ACTIONS:
        row["action"], row["type"] = ACTIONS[status], None
    return row


def _netlify_host(source: str) -> dict[str, str]:
    """A rule for another domain (``https://old.example/path``): its host is the site."""
    if not is_url(source):
        return {}
    try:
        parts = urlsplit(source)
    except ValueError:  # the planner says the source is not a valid URL
        return {}
    return {"site": parts.netloc, "from": parts.path or "/"}


def _netlify_matching(source: str, query: list[str], conditions: list[str]) -> list[str]:
    """What a rule matches beyond its path, in the words of Netlify's docs (splats and
    placeholders are our own notation: the planner reads them as a pattern)."""
    found = []
    if query:
        found.append(f"query parameters ({query[0]})")
    if conditions:
        found.append(f"conditions ({conditions[0]})")
    return found


def looks_like(line: str) -> bool:
    """A source and a target separated by spaces, neither holding a CSV delimiter (a
    condition such as ``Country=au,nz`` may)."""
    fields = line.split()
    return (
        len(fields) >= 2
        and (fields[0].startswith("/") or is_url(fields[0]))
        and not any(mark in "".join(fields[:2]) for mark in ",;|")
    )
