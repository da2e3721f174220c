"""Apache's mod_alias lines (httpd.apache.org, mod_alias), read into rows.

``Redirect [status] URL-path URL``, status ``permanent`` (301), ``temp`` (302, the
default), ``seeother`` (303), ``gone`` (410, no URL) or a number; ``RedirectPermanent``
and ``RedirectTemp``. ``RedirectMatch`` and ``RewriteRule`` take regular expressions:
their rows say so in the ``regex`` column, which :mod:`.patterns` refuses. Other
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


def _row(number: int, line: str) -> dict[str, Any] | None:
    """The row of one Redirect line; None for a directive that is not a redirect."""
    directive, *arguments = _arguments(number, line)
    directive = directive.lower()
    if directive in FIXED_STATUS:
        status: int | str = FIXED_STATUS[directive]
    elif directive in ("redirect", "redirectmatch"):
        status = DEFAULT_STATUS
        if arguments and not arguments[0].startswith("/") and not is_url(arguments[0]):
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
    if directive in REGEX_DIRECTIVES:
        row["regex"] = 1
    return row
