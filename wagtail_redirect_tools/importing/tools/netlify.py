"""Netlify's ``_redirects`` file (docs.netlify.com, "Redirects and rewrites"), read into rows.

One rule a line, ``from [query params] to [status][!] [conditions]``, fields separated by
spaces, ``#`` starts a comment line, 301 when no status is given. ``!`` (force) is read
as the plain redirect. Splats (``/blog/*  /news/:splat``) and ``:placeholders`` are our
own pattern notation (:mod:`wagtail_redirect_tools.patterns`): the planner reads such a
rule as a pattern redirect. Query parameters and conditions (``Country=``, ``Language=``,
``Role=``, ``Cookie=``) match more than a path, and 200 (rewrite) or 404 (custom page)
are not redirects: the row says so in the ``matching`` and ``action`` columns, which
:mod:`.patterns` and :mod:`.redirection` refuse. A rule for another domain names its site.
``netlify.toml``'s ``[[redirects]]`` tables say the same in TOML (:func:`read_toml`).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from ..errors import ImportFileError
from ..limits import MAX_COLUMNS, too_many_columns
from ..text_lines import Numbered, is_url, numbered_lines, split_lines

DEFAULT_STATUS = 301
ACTIONS = {200: "rewrite (200)", 404: "custom 404 page"}
STATUS = re.compile(r"(\d{3})(!?)")
TOML_HEADER = re.compile(r"\s*\[\[\s*redirects\s*\]\]")


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
    return _rule_row(source, target, status, query, rest)


def _rule_row(
    source: str, target: str, status: Any, query: list[str], conditions: list[str]
) -> dict[str, Any]:
    """The row of one rule, from ``_redirects`` or ``netlify.toml``."""
    row: dict[str, Any] = {"from": source, "to": target, "type": status}
    row.update(_netlify_host(source))
    if "*" in row["from"] or any(part.startswith(":") for part in row["from"].split("/")):
        row["is_pattern"] = 1  # a splat anywhere, so /a/*/b is refused as a pattern
    unsupported = _netlify_matching(row["from"], query, conditions)
    if unsupported:
        row["matching"] = ", ".join(unsupported)
    if status in ACTIONS:
        row["action"], row["type"] = ACTIONS[status], None
    return row


def read_toml(text: str) -> Numbered:
    """``netlify.toml``'s ``[[redirects]]`` tables (``from``, ``to``, ``status``, ``force``,
    ``query``, ``conditions``, ``signed``), each numbered by the line of its header; the
    file's other settings are passed over."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportFileError(
            _("The file is not valid TOML: %(error)s") % {"error": str(error)[:200]}
        ) from error
    rules = data.get("redirects")
    if not isinstance(rules, list):
        return
    headers = [
        number for number, line in enumerate(split_lines(text), start=1) if TOML_HEADER.match(line)
    ]
    for index, rule in enumerate(rules):
        number = headers[index] if len(headers) == len(rules) else index + 1
        if not isinstance(rule, dict):
            continue
        query = _settings(rule.get("query"))
        conditions = _settings(rule.get("conditions"))
        if rule.get("signed"):
            conditions.append("signed")
        status = rule.get("status", DEFAULT_STATUS)
        yield (
            number,
            _rule_row(
                str(rule.get("from", "")), str(rule.get("to", "")), status, query, conditions
            ),
        )


def _settings(table: Any) -> list[str]:
    """A TOML table as ``_redirects`` writes it: ``Country=au,nz``."""
    if not isinstance(table, dict):
        return []
    return [
        f"{name}={','.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in table.items()
    ]


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
