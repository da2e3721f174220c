"""Drupal's redirect module: the source's query in a column of its own, and targets as URIs.

Its table keeps a source's query apart from its path (``redirect_source__query``, read
by :mod:`..query_strings`; other files give such a column as text): core matches a path
with its query, so the query is added to the source. Its targets are URIs:
``internal:/path`` and ``base:path`` are paths here; ``entity:node/7`` names content
this site lacks, and is refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..plan import PlannedRow
from ..query_strings import QueryError, read_query
from ..resources import PAGE_PREFIX
from .given import Given


def read(row: PlannedRow, given: Given) -> None:
    query = given.cells.get("query")
    if query is not None and query != "":
        given.source = _with_query(row, given.source, query)
    if given.target and not given.gone:
        given.target = _uri(row, given.target)


def _with_query(row: PlannedRow, raw: str, value: Any) -> str:
    """The source with the query its column gives."""
    try:
        query = read_query(value)
    except QueryError:
        row.fail(
            _(
                "The source's query (column 'query') cannot be written as a query "
                "string: '%(value)s'. Give it as name=value&… or leave it empty."
            )
            % {"value": str(value)[:80]}
        )
        return raw
    if not query or not raw:
        return raw
    if raw.lower().startswith(PAGE_PREFIX):
        row.fail(_("A page (page:ID) cannot be given a query ('%(query)s').") % {"query": query})
        return raw
    source = f"{raw}&{query}" if "?" in raw else f"{raw}?{query}"
    row.note(
        _("The query %(query)s is added to the source: %(source)s.")
        % {"query": query[:80], "source": source[:120]}
    )
    return source


def _uri(row: PlannedRow, raw: str) -> str | None:
    """``raw`` as a path or URL of this site; None for a target refused."""
    if raw.lower().startswith(PAGE_PREFIX) or "\x00" in raw:
        return raw  # our own page:ID, or a cell refused for its null byte
    scheme, _colon, rest = raw.partition(":")
    scheme = scheme.lower()
    if scheme in ("internal", "base") and rest:
        path = rest if rest.startswith("/") else f"/{rest}"
        row.note(_("Drupal's %(value)s read as %(path)s.") % {"value": raw[:80], "path": path[:80]})
        return path
    if scheme == "entity":
        row.fail(
            _(
                "'%(value)s' is a Drupal entity, which this site does not have: give the "
                "path or URL it should redirect to."
            )
            % {"value": raw[:80]}
        )
        return None
    return raw
