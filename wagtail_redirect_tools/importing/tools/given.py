"""What a row of a file gives the tools to read, and what they leave of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TRUE_WORDS = ("1", "true", "yes", "y", "on", "active", "enabled")
FALSE_WORDS = ("0", "false", "no", "n", "off", "inactive", "disabled")


@dataclass(slots=True)
class Given:
    """A row's cells by their canonical names, and its source and target as read so far.

    ``file_status`` is the status code the file gives (None when it gives none, or one
    that is not understood: ``bad_status``). ``target`` is None once a tool has refused
    the target: there is nothing left for the planner to read. ``pattern`` is True when a
    tool read the row as a pattern redirect, False when its file says the source is one
    exact path, None when the planner decides (our own ``is_pattern`` column, else the
    source's notation).
    """

    cells: dict[str, Any]
    source: str
    target: str | None
    file_status: int | None
    bad_status: bool
    gone: bool  # the row's status code, as the import writes it, is 410
    pattern: bool | None = None
    # A tool refused the source and said why: the planner does not read it again.
    source_refused: bool = False


def text(value: Any) -> str:
    """A cell as lower-case words, "" when empty."""
    return "" if value is None else str(value).strip().lower()


def flag(value: Any, *, blank: bool) -> bool | None:
    """A yes/no cell (``blank`` when empty); None for a value that is neither."""
    if isinstance(value, bool | int | float):
        return bool(value)
    words = text(value)
    if not words:
        return blank
    return True if words in TRUE_WORDS else False if words in FALSE_WORDS else None
