"""Plain-text redirect files of other tools, read into the rows a CSV file gives.

- Netlify's ``_redirects`` (docs.netlify.com, "Redirects and rewrites"): one rule a
  line, ``from [query params] to [status][!] [conditions]``, fields separated by
  spaces, ``#`` starts a comment line, 301 when no status is given. ``!`` (force) is
  read as the plain redirect; splats (``*``), ``:placeholders``, query parameters and
  conditions (``Country=``, ``Language=``, ``Role=``, ``Cookie=``) match more than one
  exact path, and 200 (rewrite) or 404 (custom page) are not redirects: those rows
  say so.
- Apache's mod_alias lines (httpd.apache.org, mod_alias): ``Redirect [status]
  URL-path URL``, status ``permanent`` (301), ``temp`` (302, the default),
  ``seeother`` (303), ``gone`` (410, no URL) or a number; ``RedirectPermanent`` and
  ``RedirectTemp``. ``RedirectMatch`` and ``RewriteRule`` take regular expressions,
  which rows refuse; other directives (``RewriteEngine``, ``<IfModule>``, ``Options``…)
  are not redirects and are passed over.

Each reader yields ``(line number, cells)`` with the canonical column names; what a
cell means is decided by the planner, as for any file. A line is split into at most
``MAX_COLUMNS`` fields (a rule needs a handful).
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from .limits import MAX_COLUMNS, too_many_columns

Numbered = Iterator[tuple[int, dict[str, Any]]]

NETLIFY_DEFAULT_STATUS = 301
NETLIFY_ACTIONS = {200: "rewrite (200)", 404: "custom 404 page"}
NETLIFY_STATUS = re.compile(r"(\d{3})(!?)")

APACHE_DEFAULT_STATUS = 302
APACHE_STATUS_WORDS = {"permanent": 301, "temp": 302, "seeother": 303, "gone": 410}
APACHE_FIXED_STATUS = {"redirectpermanent": 301, "redirecttemp": 302}
APACHE_REGEX_DIRECTIVES = ("redirectmatch", "rewriterule")
# The directives that tell an Apache file from other text when its name does not.
APACHE_DIRECTIVES = frozenset(
    {
        "redirect",
        *APACHE_FIXED_STATUS,
        *APACHE_REGEX_DIRECTIVES,
        "rewriteengine",
        "rewritecond",
        "rewritebase",
        "options",
    }
)
APACHE_ARGUMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')
SNIFF_LINES = 20


BLOCK = 1024 * 1024


def blocks(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``BLOCK`` characters, each ending with a line end."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + BLOCK)
        end = len(text) if end == -1 else end + 1
        yield text[start:end]
        start = end


def csv_lines(text: str) -> Iterator[str]:
    """The lines ``io.StringIO(text, newline="")`` gives (what ``csv`` reads), without its
    copy of the whole text (4 bytes a character): a block at a time."""
    for block in blocks(text):
        yield from io.StringIO(block, newline="")


def _split_lines(text: str) -> Iterator[str]:
    """``text.splitlines()``, a block at a time: 50 MB of line ends would otherwise be a
    list of 50 million."""
    for block in blocks(text):
        yield from block.splitlines()


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines that hold something, numbered from 1; comment lines are passed over."""
    for number, line in enumerate(_split_lines(text), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


# -- Netlify -------------------------------------------------------------------------


def read_netlify(text: str) -> Numbered:
    for number, line in _lines(text):
        fields = line.split(None, MAX_COLUMNS)
        if len(fields) > MAX_COLUMNS:
            raise too_many_columns(number)
        yield number, _netlify_row(fields)


def _netlify_row(fields: list[str]) -> dict[str, Any]:
    source, rest = fields[0], fields[1:]
    query = []
    while rest and "=" in rest[0] and not rest[0].startswith("/") and not _is_url(rest[0]):
        query.append(rest.pop(0))
    target = rest.pop(0) if rest else ""
    status: int | None = NETLIFY_DEFAULT_STATUS
    if rest and (found := NETLIFY_STATUS.fullmatch(rest[0])):
        status = int(found.group(1))
        rest.pop(0)
    row: dict[str, Any] = {"from": source, "to": target, "type": status}
    row.update(_netlify_host(source))
    unsupported = _netlify_matching(row["from"], query, rest)
    if unsupported:
        row["matching"] = ", ".join(unsupported)
    if status in NETLIFY_ACTIONS:
        row["action"], row["type"] = NETLIFY_ACTIONS[status], None
    return row


def _netlify_host(source: str) -> dict[str, str]:
    """A rule for another domain (``https://old.example/path``): its host is the site."""
    if not _is_url(source):
        return {}
    try:
        parts = urlsplit(source)
    except ValueError:  # the planner says the source is not a valid URL
        return {}
    return {"site": parts.netloc, "from": parts.path or "/"}


def _netlify_matching(source: str, query: list[str], conditions: list[str]) -> list[str]:
    """What a rule matches beyond one exact path, in the words of Netlify's docs."""
    found = []
    if "*" in source:
        found.append("a splat (*)")
    placeholders = [part for part in source.split("/") if part.startswith(":")]
    if placeholders:
        found.append(f"a placeholder ({placeholders[0]})")
    if query:
        found.append(f"query parameters ({query[0]})")
    if conditions:
        found.append(f"conditions ({conditions[0]})")
    return found


# -- Apache --------------------------------------------------------------------------


def read_apache(text: str) -> Numbered:
    for number, line in _lines(text):
        row = _apache_row(number, line)
        if row is not None:
            yield number, row


def _apache_arguments(number: int, line: str) -> list[str]:
    found = itertools.islice(APACHE_ARGUMENT.finditer(line), MAX_COLUMNS + 1)
    arguments = [match.group(1) or match.group(2) or "" for match in found]
    if len(arguments) > MAX_COLUMNS:
        raise too_many_columns(number)
    return arguments


def _apache_row(number: int, line: str) -> dict[str, Any] | None:
    """The row of one Redirect line; None for a directive that is not a redirect."""
    directive, *arguments = _apache_arguments(number, line)
    directive = directive.lower()
    if directive in APACHE_FIXED_STATUS:
        status: int | str = APACHE_FIXED_STATUS[directive]
    elif directive in ("redirect", "redirectmatch"):
        status = APACHE_DEFAULT_STATUS
        if arguments and not arguments[0].startswith("/") and not _is_url(arguments[0]):
            word = arguments.pop(0)
            status = APACHE_STATUS_WORDS.get(word.lower(), word)
    elif directive == "rewriterule":
        status = ""
    else:
        return None
    row: dict[str, Any] = {
        "from": arguments[0] if arguments else "",
        "to": arguments[1] if len(arguments) > 1 else "",
        "type": status,
    }
    if directive in APACHE_REGEX_DIRECTIVES:
        row["regex"] = 1
    return row


READERS: dict[str, Callable[[str], Numbered]] = {"netlify": read_netlify, "apache": read_apache}


# -- Detection -----------------------------------------------------------------------


def sniff(sample: bytes) -> str | None:
    """ "netlify" or "apache" when the first lines of ``sample`` are such rules."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # Excel's "Unicode text" is a tab-separated table
    text = sample.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = [line for _number, line in itertools.islice(_lines(text), SNIFF_LINES)]
    if not lines:
        return None
    first_word = lines[0].split()[0].lower()
    if first_word in APACHE_DIRECTIVES or first_word.startswith("<"):
        return "apache"
    if all(_looks_like_netlify(line) for line in lines):
        return "netlify"
    return None


def _looks_like_netlify(line: str) -> bool:
    """A source and a target separated by spaces, neither holding a CSV delimiter (a
    condition such as ``Country=au,nz`` may)."""
    fields = line.split()
    return (
        len(fields) >= 2
        and (fields[0].startswith("/") or _is_url(fields[0]))
        and not any(mark in "".join(fields[:2]) for mark in ",;|")
    )
