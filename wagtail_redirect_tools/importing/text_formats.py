"""Plain-text redirect files of other tools, read into the rows a CSV file gives.

Netlify's ``_redirects`` and ``netlify.toml`` (:mod:`.tools.netlify`), Apache's mod_alias
lines (:mod:`.tools.apache`) and Squarespace's URL mappings (:mod:`.tools.squarespace`):
each reader yields ``(line number, cells)`` with the canonical column names; what a cell
means is decided by the planner, as for any file. A line is split into at most
``MAX_COLUMNS`` fields (a rule needs a handful). :func:`sniff` tells
such a file from a table when its name does not.
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Callable

from .text_lines import Numbered, numbered_lines
from .tools import apache, netlify, squarespace

SNIFF_LINES = 20

READERS: dict[str, Callable[[str], Numbered]] = {
    "netlify": netlify.read,
    "netlify_toml": netlify.read_toml,
    "apache": apache.read,
    "squarespace": squarespace.read_file,
}


def sniff(sample: bytes) -> str | None:
    """ "netlify", "apache" or "squarespace" when the first lines of ``sample`` are such
    rules."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # Excel's "Unicode text" is a tab-separated table
    text = sample.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = [line for _number, line in itertools.islice(numbered_lines(text), SNIFF_LINES)]
    if not lines:
        return None
    first_word = lines[0].split()[0].lower()
    if first_word in apache.DIRECTIVES or first_word.startswith("<"):
        return "apache"
    if all(squarespace.looks_like(line) for line in lines):
        return "squarespace"
    if all(netlify.looks_like(line) for line in lines):
        return "netlify"
    return None
