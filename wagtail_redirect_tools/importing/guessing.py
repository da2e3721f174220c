"""Guess what the columns of a file hold from their names, or else from their values
(paths, URLs, status codes, dates, host names), for an editor to confirm.

Nothing here decides an import: a guess only preselects a choice of the matching step,
or is offered to ``redirects_import --columns``.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from .columns import IGNORE, match_header
from .widgets import TYPE_WORDS, MomentWidget, is_blank

# Status codes a redirect tool writes; a column of them (and type words) is a type.
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308, 410})
STATUS_RANGE = range(300, 600)
# A column is of a kind when this share of its filled cells is of that kind (a status
# column needs all of them: a 302 must never be read as something else).
MAJORITY = 0.8
HOST = re.compile(r"^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+)(:\d{1,5})?$", re.IGNORECASE)
URL = re.compile(r"^https?://", re.IGNORECASE)
THREE_DIGITS = re.compile(r"^\d{3}$")


class Kind(StrEnum):
    BLANK = "blank"
    PATH = "path"
    URL = "url"
    STATUS = "status"
    DATE = "date"
    HOST = "host"
    NUMBER = "number"
    TEXT = "text"


KIND_LABELS = {
    Kind.PATH: _("paths"),
    Kind.URL: _("paths and URLs"),
    Kind.STATUS: _("status codes"),
    Kind.DATE: _("dates"),
    Kind.HOST: _("host names"),
    Kind.NUMBER: _("numbers"),
    Kind.TEXT: _("text"),
    Kind.BLANK: _("nothing"),
}
# Kinds that a header's cell never is: a first row with one of them is a row of data.
DATA_KINDS = frozenset({Kind.PATH, Kind.URL, Kind.STATUS, Kind.DATE})


def kind_of(value: Any) -> Kind:
    """What one cell looks like."""
    if is_blank(value):
        return Kind.BLANK
    if isinstance(value, bool):
        return Kind.TEXT
    if isinstance(value, datetime.date):
        return Kind.DATE
    if isinstance(value, int | float):
        if value == value and abs(value) < 1000 and int(value) == value:  # not NaN
            return Kind.STATUS if int(value) in STATUS_RANGE else Kind.NUMBER
        return Kind.NUMBER
    return _kind_of_text(str(value).strip())


def _kind_of_text(text: str) -> Kind:
    if THREE_DIGITS.match(text):
        return Kind.STATUS if int(text) in STATUS_RANGE else Kind.NUMBER
    if text.lower() in TYPE_WORDS:
        return Kind.STATUS
    if (text.startswith("/") and not text.startswith("//")) or text.lower().startswith("page:"):
        return Kind.PATH
    if URL.match(text):
        return Kind.URL
    if HOST.match(text):
        return Kind.HOST
    if text.replace(".", "", 1).isdigit():
        return Kind.NUMBER
    if _is_date(text):
        return Kind.DATE
    return Kind.TEXT


def _is_date(text: str) -> bool:
    if not any(character.isdigit() for character in text):
        return False
    try:
        return MomentWidget().clean(text) is not None
    except ValueError:
        return False


def column_kind(values: list[Any]) -> Kind:
    """The kind of most of a column's filled cells (paths and URLs together are URLs,
    all of them status codes or type words a status, nothing clear is text)."""
    kinds = [kind_of(value) for value in values]
    filled = [kind for kind in kinds if kind != Kind.BLANK]
    if not filled:
        return Kind.BLANK
    counts = Counter(filled)
    if counts[Kind.STATUS] == len(filled):
        return Kind.STATUS
    links = counts[Kind.PATH] + counts[Kind.URL]
    if links >= MAJORITY * len(filled):
        return Kind.URL if counts[Kind.URL] else Kind.PATH
    kind, count = counts.most_common(1)[0]
    if kind != Kind.STATUS and count >= MAJORITY * len(filled):
        return kind
    return Kind.TEXT


def looks_like_header(first_row: list[Any]) -> bool:
    """Whether a file's first row names its columns: no path, URL, status code or date
    in it (a header's names are words)."""
    return not any(kind_of(value) in DATA_KINDS for value in first_row)


def looks_like_status_codes(values: list[Any]) -> bool:
    """A column whose filled cells are all status codes (or type words), one of them a
    redirect's: reading it as anything else would change what a redirect answers."""
    if column_kind(values) != Kind.STATUS:
        return False
    return any(kind_of(value) == Kind.STATUS and _code(value) in REDIRECT_CODES for value in values)


def _code(value: Any) -> int:
    text = str(value).strip().lower()
    if text in TYPE_WORDS:
        return TYPE_WORDS[text]
    try:
        return int(float(text))
    except ValueError:
        return 0


@dataclass(frozen=True)
class Guess:
    """What one column is taken to hold, and why: its ``name``, its ``values`` (of
    ``kind``), or nothing (ignored)."""

    meaning: str
    by: str  # "name", "values" or ""
    kind: Kind = Kind.BLANK

    @property
    def is_status_guess(self) -> bool:
        return self.by == "values" and self.kind == Kind.STATUS


def guess_columns(rows: list[list[Any]], *, has_header: bool) -> list[Guess]:
    """A meaning for each column of ``rows`` (the first rows of a file; the first of
    them the header when ``has_header``): first from the header's names, then from the
    values of the columns left, left to right."""
    width = max((len(row) for row in rows), default=0)
    header = rows[0] if has_header and rows else []
    data = rows[1:] if has_header else rows
    columns = [[row[index] if index < len(row) else None for row in data] for index in range(width)]
    kinds = [column_kind(values) for values in columns]
    guesses: dict[int, Guess] = {}
    if header:
        for name, position in match_header(header).positions.items():
            guesses[position] = Guess(name, "name", kinds[position])
    taken = {guess.meaning for guess in guesses.values()}
    dates = [index for index in range(width) if index not in guesses and kinds[index] == Kind.DATE]
    date_meanings = ["starts_at", "expires_at"] if len(dates) > 1 else ["expires_at", "starts_at"]
    for index in range(width):
        if index in guesses:
            continue
        meaning = _by_values(kinds[index], taken, date_meanings)
        guesses[index] = Guess(meaning or IGNORE, "values" if meaning else "", kinds[index])
        taken.add(guesses[index].meaning)
    return [guesses[index] for index in range(width)]


def _by_values(kind: Kind, taken: set[str], date_meanings: list[str]) -> str | None:
    wanted = {
        Kind.PATH: ["from", "to"],
        Kind.URL: ["from", "to"],
        Kind.STATUS: ["type"],
        Kind.DATE: date_meanings,
        Kind.HOST: ["site"],
        Kind.TEXT: ["reason"],
    }.get(kind, [])
    return next((meaning for meaning in wanted if meaning not in taken), None)
