"""The columns an editor matches: when a file's header is not understood, when it has
none, or when a column under a name the import does not know holds status codes.

:func:`propose` reads the first rows of a file and proposes what each column holds
(from the header's names, then guessed from the values); the import service keeps an
upload waiting for the editor's answer, which is kept in the import's options (see
``ImportOptions.columns``) and used for the preview, the import and the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .columns import (
    IGNORE,
    MEANING_LABELS,
    ColumnMapping,
    first_row_summary,
    match_header,
)
from .guessing import KIND_LABELS, Guess, Kind, guess_columns, looks_like_header
from .guessing import looks_like_status_codes as _status_like
from .options import ImportOptions
from .reading import read_head

# Rows shown to the editor, and rows the guesses look at (the header not counted).
SHOWN_ROWS = 5
GUESSED_ROWS = 50
# Columns offered to match: those after them are ignored (a row may be 16,384 wide).
MATCHABLE_COLUMNS = 50
LABEL_LENGTH = 60
# Formats whose columns can be matched (Netlify's and Apache's lines have none).
MATCHABLE_FORMATS = ("csv", "tsv", "xlsx", "json")


@dataclass(frozen=True)
class ColumnProposal:
    """The first rows of a file, and what each column is proposed to hold."""

    file_format: str
    rows: list[list[Any]]  # as they are in the file, the header (if any) first
    has_header: bool
    guesses: list[Guess]
    problem: str = ""  # why the header's names are not enough to read the file
    status_columns: tuple[int, ...] = ()  # unknown names whose values are status codes

    @property
    def needs_editor(self) -> bool:
        return bool(self.problem or self.status_columns)

    @property
    def shown_rows(self) -> list[list[Any]]:
        return self.rows[: SHOWN_ROWS + (1 if self.has_header else 0)]

    @property
    def width(self) -> int:
        return len(self.guesses)

    @property
    def header_is_fixed(self) -> bool:
        """A JSON file's keys always name its columns."""
        return self.file_format == "json"

    def mapping(self) -> ColumnMapping:
        return ColumnMapping(
            tuple(guess.meaning for guess in self.guesses), has_header=self.has_header
        )

    def labels(self) -> tuple[str, ...]:
        return header_labels(self.rows[0]) if self.has_header and self.rows else ()

    def command_options(self) -> str:
        """The options of ``redirects_import`` that say what the guesses say."""
        columns = "--columns " + ",".join(guess.meaning for guess in self.guesses)
        return columns if self.has_header else f"--no-header {columns}"

    def messages(self) -> list[str]:
        """What the editor is told about the file's columns."""
        found = [self.problem] if self.problem else []
        labels = self.labels()
        for index in self.status_columns:
            as_type = self.guesses[index].meaning == "type"
            found.append(status_column_message(labels[index], as_type=as_type))
        return found


def header_labels(header: list[Any]) -> tuple[str, ...]:
    return tuple(_cut(str(value).strip()) if value is not None else "" for value in header)


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def status_column_message(label: str, *, as_type: bool) -> str:
    if as_type:
        message = _(
            "The column '%(name)s' holds status codes, but its name is not one the import "
            "knows: it is read as the type (the status code). Check that this is right."
        )
    else:
        message = _(
            "The column '%(name)s' holds status codes too, but another column is the "
            "type: it is ignored unless you choose it as the type."
        )
    return message % {"name": label}


def propose(content: bytes, filename: str, options: ImportOptions) -> ColumnProposal | None:
    """What the columns of a file hold, as far as its first rows tell: the editor's own
    matching if ``options`` has one, else the header's names and guesses from the values.
    None for a format without columns. Raises ``ImportFileError`` for an unreadable file.
    """
    file_format, rows = read_head(
        content,
        filename,
        file_format=options.file_format,
        encoding=options.encoding,
        rows=GUESSED_ROWS + 1,
        columns=MATCHABLE_COLUMNS,
    )
    if file_format not in MATCHABLE_FORMATS or not rows:
        return None
    if options.columns is not None:
        return _editors(file_format, rows, options)
    has_header = file_format == "json" or looks_like_header(rows[0])
    guesses = guess_columns(rows, has_header=has_header)
    if not has_header:
        problem = _(
            "The first row holds %(row)s: it is not a header, so say what each column holds."
        ) % {"row": first_row_summary(rows[0])}
        return ColumnProposal(file_format, rows, False, guesses, problem)
    match = match_header(rows[0])
    status_columns = tuple(
        index
        for index in match.ignored
        if index < len(guesses)
        and _status_like([row[index] for row in rows[1:] if index < len(row)])
    )
    return ColumnProposal(file_format, rows, True, guesses, match.problem, status_columns)


def _editors(file_format: str, rows: list[list[Any]], options: ImportOptions) -> ColumnProposal:
    has_header = file_format == "json" or options.has_header
    width = max(len(row) for row in rows)
    meanings = list(options.columns or ())[:width]
    meanings += [IGNORE] * (width - len(meanings))
    return ColumnProposal(
        file_format, rows, has_header, [Guess(meaning, "editor") for meaning in meanings]
    )


def describe(options: ImportOptions) -> list[dict[str, str]]:
    """The editor's matching of the columns, for the preview and the summary:
    ``Column 'Ancienne URL' → from``; empty when the columns were read by their names."""
    if options.columns is None:
        return []
    labels = options.column_labels if options.has_header else ()
    return [
        {
            "column": column_label(index, labels),
            "meaning": str(MEANING_LABELS.get(meaning, meaning)),
            "name": meaning,
        }
        for index, meaning in enumerate(options.columns)
    ]


def column_label(index: int, labels: tuple[str, ...] | list[str]) -> str:
    name = labels[index] if index < len(labels) else ""
    if name:
        return _("Column %(number)s '%(name)s'") % {"number": index + 1, "name": name}
    return _("Column %(number)s") % {"number": index + 1}


def guess_note(guess: Guess) -> str:
    """Why a column is preselected as it is."""
    if guess.by == "name":
        return _("From its name.")
    if guess.by == "values":
        return _("Guessed from its values (%(kind)s).") % {"kind": KIND_LABELS[guess.kind]}
    if guess.by == "editor":
        return ""
    if guess.kind == Kind.BLANK:
        return _("Empty in the first rows.")
    return _("Not recognised (%(kind)s).") % {"kind": KIND_LABELS[guess.kind]}
