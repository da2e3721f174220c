"""Apache's mod_alias lines (httpd.apache.org, mod_alias), read into rows.

``Redirect [status] URL-path URL``, status ``permanent`` (301), ``temp`` (302, the
default), ``seeother`` (303), ``gone`` (410, no URL) or a number; ``RedirectPermanent``
and ``RedirectTemp``. ``RedirectMatch`` takes a regular expression: its rows say so in the
``regex`` column, which :mod:`.patterns` reads as a pattern when it is a literal prefix
followed by ``(.*)``, and refuses otherwise. ``RewriteRule`` rewrites unless its flags say
``R``: its rows say so in the ``action`` column, which :mod:`.redirection` refuses. Other
directives (``RewriteEngine``, ``<IfModule>``, ``Options``…) are not redirects and are
passed over.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from ..limits import MAX_COLUMNS, too_many_columns
from ..text_lines import Numbered, is_url, numbered_lines

DEFAULT_STATUS = 302
STATUS_WORDS = {"permanent": 301, "temp": 302, "seeother": 303, "gone": 410}
FIXED_STATUS = {"redirectpermanent": 301, "redirecttemp": 302}
REGEX_DIRECTIVES = ("redirectmatch", "rewriterule")
# The directives that tell an Apache file from other text when its name does not.
DIRECTIVES = frozenset(
    {
        "redirect",
        *FIXED_STATUS,
        *REGEX_DIRECTIVES,
        "rewriteengine",
        "rewritecond",
        "rewritebase",
        "options",
    }
)
ARGUMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def read(text: str) -> Numbered:
    for number, line in numbered_lines(text):
        row = _row(number, line)
        if row is not None:
            yield number, row


def _arguments(number: int, line: str) -> list[str]:
    found = itertools.islice(ARGUMENT.finditer(line), MAX_COLUMNS + 1)
    arguments = [match.group(1) or match.group(2) or "" for match in found]
    if len(arguments) > MAX_COLUMNS:
        raise too_many_columns(number)
    return arguments


def _is_status(directive: str, arguments: list[str]) -> bool:
    """Whether the first argument is the status (optional): a ``RedirectMatch``'s
    expression need not start with a slash (``^/old/(.*)$``)."""
    first = arguments[0]
    if directive == "redirectmatch":
        return first.lower() in STATUS_WORDS or first.isdigit() or len(arguments) > 2
    return not first.startswith("/") and not is_url(first)


def _row(number: int, line: str) -> dict[str, Any] | None:
    """The row of one Redirect line; None for a directive that is not a redirect."""
    directive, *arguments = _arguments(number, line)
    directive = directive.lower()
    if directive in FIXED_STATUS:
        status: int | str = FIXED_STATUS[directive]
    elif directive in ("redirect", "redirectmatch"):
        status = DEFAULT_STATUS
        if arguments and _is_status(directive, arguments):
            word = arguments.pop(0)
            status = STATUS_WORDS.get(word.lower(), word)
    elif directive == "rewriterule":
        status = ""
    else:
        return None
    row: dict[str, Any] = {
        "from": arguments[0] if arguments else "",
        "to": arguments[1] if len(arguments) > 1 else "",
        "type": status,
    }
    if directive == "redirectmatch":
        row["regex"] = 1
    elif directive == "rewriterule":
        # Its flags, not its arguments, say whether it redirects at all ([R=301]).
        row["action"] = "RewriteRule (mod_rewrite)"
    return row
