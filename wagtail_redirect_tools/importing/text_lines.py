"""The lines of a plain-text file, a block at a time: what the CSV reader and the
readers of other tools' rule files (:mod:`.tools.netlify`, :mod:`.tools.apache`) share."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

Numbered = Iterator[tuple[int, dict[str, Any]]]
"""``(line number, cells)`` with the canonical column names."""

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


def split_lines(text: str) -> Iterator[str]:
    """``text.splitlines()``, a block at a time: 50 MB of line ends would otherwise be a
    list of 50 million."""
    for block in blocks(text):
        yield from block.splitlines()


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines that hold something, numbered from 1; comment lines are passed over."""
    for number, line in enumerate(split_lines(text), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))
