"""Turn an uploaded file into rows: format and encoding detection, limits, row numbers.

django-import-export's formats parse JSON and XLSX (our XLSX reader reads the first
sheet rather than the active one, keeps row numbers and tells date cells from
date-time cells). Delimited text is read with Python's ``csv`` module because tablib
rejects a row with fewer cells than the header, which would lose the row number
and every other row of the file. Netlify's ``_redirects`` and Apache's ``Redirect`` lines
are read by :mod:`.text_formats` into the same table.

What a file may cost is bounded by its size in bytes: blank rows are skipped without
counting, a workbook's declared unpacked sizes are checked before it is opened, only
the columns the import uses are read from a workbook, and a file that nests too
deeply or cannot be parsed is an :class:`ImportFileError`, never another exception.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import json
import operator
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import charset_normalizer
from django.utils.translation import gettext_lazy as _

from .. import conf
from . import text_formats
from .columns import ColumnMapping, canonical_headers, json_rows
from .errors import ImportFileError

FORMAT_CHOICES = [
    ("auto", _("Detect from the file")),
    ("csv", _("CSV (any delimiter)")),
    ("tsv", _("TSV (tab-separated)")),
    ("xlsx", _("Excel workbook (.xlsx)")),
    ("json", _("JSON")),
    ("netlify", _("Netlify _redirects")),
    ("apache", _("Apache Redirect lines (.htaccess, .conf)")),
]
ENCODING_CHOICES = [
    ("auto", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", _("Windows-1252 (Western European)")),
    ("latin-1", "ISO-8859-1"),
]
DELIMITERS = ",;\t|"
# Unpacked, an XLSX file may be at most this many times the size limit.
XLSX_UNPACKED_FACTOR = 10
# A workbook's shared strings hold the text of its cells: at most as much text as a
# file at the size limit, and no more than its sheets' cells can refer to (a shared
# string is used by a cell of at least ~20 bytes of sheet XML; a few hundred
# characters per cell is more than any redirect needs).
XLSX_SHARED_STRINGS_FLOOR = 1024 * 1024
XLSX_SHARED_STRINGS_PER_SHEET_BYTE = 16
# openpyxl parses every cell of a sheet (twice when it has no <dimension>), whether the
# import reads it or not; a sheet may hold this many cells a row on average (or
# XLSX_CELLS_FLOOR in all), which every export of a redirect tool fits many times over.
XLSX_CELLS_PER_ROW = 100
XLSX_CELLS_FLOOR = 100_000
XLSX_SCAN_CHUNK = 1024 * 1024
# A cell or a row element, bare or with the "x:" prefix some writers use. Text holds no
# "<" (XML escapes it), so these count tags exactly; a sheet with another prefix counts
# no rows and is held to XLSX_CELLS_FLOOR cells as it is, if any are counted.
CELL_MARKS = (b"<c ", b"<c>", b"<c/", b"<x:c ", b"<x:c>", b"<x:c/")
ROW_MARKS = (b"<row ", b"<row>", b"<row/", b"<x:row ", b"<x:row>", b"<x:row/")
MARK_LENGTH = max(len(mark) for mark in (*CELL_MARKS, *ROW_MARKS))
# Excel's last row: a workbook claiming rows beyond it is read no further.
XLSX_MAX_ROW = 1_048_576
# A JSON redirect is an object, often with a few more inside (WordPress Redirection's
# export has four a redirect); a file may hold this many a row allowed, and a few more.
JSON_CONTAINERS_PER_ROW = 8
JSON_CONTAINERS_FLOOR = 10_000
# The unrecognised columns named in a preview: the first few, then how many more.
IGNORED_COLUMNS_SHOWN = 20
IGNORED_NAME_LENGTH = 80

RawRows = Iterator[tuple[int, list[Any]]]
T = TypeVar("T")


@dataclass
class Table:
    """The rows of a file: each a dict of canonical column name to cell value."""

    rows: list[dict[str, Any]]
    numbers: list[int]
    ignored_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def detect_format(content: bytes, filename: str) -> str:
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    name = os.path.basename(filename.replace("\\", "/")).lower()
    by_name = {".xlsx": "xlsx", ".json": "json", ".tsv": "tsv", ".csv": "csv"}
    for ending, file_format in by_name.items():
        if name.endswith(ending):
            return file_format
    if name == "_redirects":
        return "netlify"
    if name.endswith((".htaccess", ".conf")):
        return "apache"
    stripped = content.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return text_formats.sniff(content[: 64 * 1024]) or "csv"


def decode(content: bytes, encoding: str = "auto") -> str:
    """The text of ``content``, in ``encoding`` or the one detected."""
    if encoding != "auto":
        try:
            return _strip_bom(content.decode(encoding))
        except (UnicodeDecodeError, LookupError) as error:
            raise ImportFileError(
                _("The file is not valid %(encoding)s text. Choose another encoding.")
                % {"encoding": encoding}
            ) from error
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file starts as UTF-16 text but is not. Choose its encoding.")
            ) from error
    try:
        return _strip_bom(content.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content).best()
    if best is None:
        raise ImportFileError(
            _("The file's encoding could not be detected. Choose its encoding and try again.")
        )
    return _strip_bom(str(best))


def _strip_bom(text: str) -> str:
    return text.removeprefix("\ufeff")


def check_file_size(size: int) -> None:
    """Raise :class:`ImportFileError` for a file over ``IMPORT_MAX_FILE_SIZE`` bytes."""
    limit = conf.import_max_file_size()
    if size > limit:
        raise ImportFileError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{size:,}", "limit": f"{limit:,}"}
        )


def read_table(
    content: bytes,
    filename: str,
    *,
    file_format: str = "auto",
    encoding: str = "auto",
    columns: ColumnMapping | None = None,
) -> Table:
    """Read ``content`` (the bytes of an uploaded file) into a :class:`Table`, its
    columns by their names or, given ``columns``, as an editor matched them.

    Raises :class:`ImportFileError` for a file that is too large, unreadable,
    without the needed columns, or with more rows than allowed.
    """
    file_format = _checked_format(content, filename, file_format)
    if file_format == "xlsx":
        return _read_xlsx(content, columns)
    text = decode(content, encoding)
    if file_format in text_formats.READERS:
        numbered = text_formats.READERS[file_format](text)
        return _collect(numbered, ignored=[])
    if file_format == "json":
        header, raw_rows = _read_json(text)  # its keys always name the columns
    else:
        delimiter = "\t" if file_format == "tsv" else _sniff_delimiter(text)
        header, raw_rows = _read_delimited(text, delimiter)
        if columns is not None and not columns.has_header:
            raw_rows = itertools.chain([(1, header)], raw_rows)
    return _tabulate(header, raw_rows, columns)


def check_content(content: bytes) -> None:
    """Raise :class:`ImportFileError` for a file over the size limit, or an empty one."""
    check_file_size(len(content))
    if not content.strip():
        raise ImportFileError(_("The file is empty."))


def _checked_format(content: bytes, filename: str, file_format: str) -> str:
    check_content(content)
    return detect_format(content, filename) if file_format == "auto" else file_format


def read_head(
    content: bytes,
    filename: str,
    *,
    file_format: str = "auto",
    encoding: str = "auto",
    rows: int = 6,
    columns: int = 50,
) -> tuple[str, list[list[Any]]]:
    """The format of ``content`` and its first ``rows`` rows as they are in the file
    (the header too; blank rows left out), at most ``columns`` cells wide, for an editor
    to match its columns. A JSON file's first row is its keys; Netlify's and Apache's
    lines have no columns to match, so none of their rows are read."""
    file_format = _checked_format(content, filename, file_format)
    if file_format in text_formats.READERS:
        return file_format, []
    if file_format == "xlsx":
        _check_unpacked_sizes(content, conf.import_max_file_size())
        raw: Iterator[list[Any]] = iter(
            _damaged_workbook_is_an_error(lambda: _xlsx_head(content, rows, columns))
        )
    else:
        text = decode(content, encoding)
        if file_format == "json":
            header, raw_rows = _read_json(text)
        else:
            delimiter = "\t" if file_format == "tsv" else _sniff_delimiter(text)
            header, raw_rows = _read_delimited(text, delimiter)
        raw = itertools.chain([header], (values for _number, values in raw_rows))
    filled = (_trimmed(values[:columns]) for values in raw)
    return file_format, list(itertools.islice((values for values in filled if values), rows))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trimmed(values: list[Any]) -> list[Any]:
    """``values`` without the blank cells at its end (a workbook's row is padded)."""
    end = len(values)
    while end and _blank(values[end - 1]):
        end -= 1
    return values[:end]


def _xlsx_head(content: bytes, rows: int, columns: int) -> list[list[Any]]:
    book = _open_workbook(content)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        found: list[list[Any]] = []
        for row in sheet.iter_rows(max_row=XLSX_MAX_ROW, max_col=columns):
            values = [_xlsx_value(cell) for cell in row]
            if any(not _blank(value) for value in values):
                found.append(values)
            if len(found) >= rows:
                break
        return found
    finally:
        book.close()


def _sniff_delimiter(text: str) -> str:
    first_line = text[: 64 * 1024].split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    # A first line without any delimiter is a file of one column: the header check
    # says which column is missing (csv.Sniffer could take seconds on such a line).
    return best if counts[best] else ","


def _read_delimited(text: str, delimiter: str) -> tuple[list[Any], RawRows]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise ImportFileError(_("The file could not be read as CSV: %s") % error) from error

    def rows() -> RawRows:
        try:
            for values in reader:
                if values:  # an empty line
                    yield reader.line_num, values
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)s could not be read as CSV: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error

    return header, rows()


# -- Workbooks -----------------------------------------------------------------------


def _read_xlsx(content: bytes, columns: ColumnMapping | None = None) -> Table:
    _check_unpacked_sizes(content, conf.import_max_file_size())
    from openpyxl.cell.read_only import EMPTY_CELL

    book = _open_workbook(content)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a small file can claim a million rows of padding
        header = _damaged_workbook_is_an_error(lambda: _xlsx_header(sheet))
        positions, ignored = _positions(header, columns)
        # Only the columns the import uses are read (a row may be 16,384 cells wide).
        width = max(positions.values()) + 1
        first = 1 if columns is not None and not columns.has_header else 2
        rows = sheet.iter_rows(min_row=first, max_row=XLSX_MAX_ROW, max_col=width)
        missing_row = (EMPTY_CELL,) * width  # what openpyxl gives for a row not in the file
        numbered = (
            (number, [_xlsx_value(cell) for cell in row])
            for number, row in enumerate(rows, start=first)
            if not all(map(operator.is_, row, missing_row))
        )
        return _damaged_workbook_is_an_error(
            lambda: _collect(_by_name(numbered, positions, width), ignored=ignored)
        )
    finally:
        book.close()


def _check_unpacked_sizes(content: bytes, size_limit: int) -> None:
    """Refuse a workbook whose parts unpack to more than its rows can need: its declared
    sizes before any part is unpacked, then its sheets' cells before openpyxl parses
    them (openpyxl's cost is by the cell, read or not)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_declared_sizes(members, size_limit)
            sheets = [member for member in members if _is_sheet(member.filename)]
            cells, rows = _count_cells(archive, sheets)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error) as error:
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error
    cells_limit = max(XLSX_CELLS_FLOOR, rows * XLSX_CELLS_PER_ROW)
    if cells > cells_limit:
        raise ImportFileError(
            _(
                "The workbook has %(cells)s cells in %(rows)s rows; an import reads at most "
                "%(limit)s. Delete the columns the import does not use (from, to, type, "
                "site, starts_at, expires_at, reason), or save the sheet as CSV."
            )
            % {"cells": f"{cells:,}", "rows": f"{rows:,}", "limit": f"{cells_limit:,}"}
        )


def _is_sheet(name: str) -> bool:
    return name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml")


def _check_declared_sizes(members: list[zipfile.ZipInfo], size_limit: int) -> None:
    unpacked = sum(member.file_size for member in members)
    unpacked_limit = size_limit * XLSX_UNPACKED_FACTOR
    if unpacked > unpacked_limit:
        raise ImportFileError(
            _("The workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{unpacked:,}", "limit": f"{unpacked_limit:,}"}
        )
    sheets = sum(member.file_size for member in members if _is_sheet(member.filename))
    strings = sum(
        member.file_size
        for member in members
        if member.filename.lower().endswith("sharedstrings.xml")
    )
    strings_limit = min(
        size_limit, XLSX_SHARED_STRINGS_FLOOR + XLSX_SHARED_STRINGS_PER_SHEET_BYTE * sheets
    )
    if strings > strings_limit:
        raise ImportFileError(
            _(
                "The workbook's text unpacks to %(size)s bytes, more than its sheets' cells "
                "can use (the limit for this workbook is %(limit)s bytes). Save the sheet "
                "as CSV and import that."
            )
            % {"size": f"{strings:,}", "limit": f"{strings_limit:,}"}
        )


def _count_cells(archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo]) -> tuple[int, int]:
    """How many cells and rows the sheets hold, counted on their unpacked bytes as they
    stream (a count of tags, not a parse: at most a few marks too many)."""
    cells = rows = 0
    for sheet in sheets:
        tail = b""
        with archive.open(sheet) as stream:
            while chunk := stream.read(XLSX_SCAN_CHUNK):
                # The end of the previous chunk is read again, so a tag cut in two is
                # found; what lay wholly in it was counted then, and is taken off.
                text = tail + chunk
                cells += _count(text, CELL_MARKS) - _count(tail, CELL_MARKS)
                rows += _count(text, ROW_MARKS) - _count(tail, ROW_MARKS)
                tail = text[-(MARK_LENGTH - 1) :]
    return cells, rows


def _count(text: bytes, marks: tuple[bytes, ...]) -> int:
    return sum(text.count(mark) for mark in marks)


def _open_workbook(content: bytes) -> Any:
    import openpyxl  # import-export imports it lazily too

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error


def _xlsx_header(sheet: Any) -> list[Any]:
    """The first row of ``sheet``, without the empty cells at its end."""
    first = next(sheet.iter_rows(max_row=1), ())
    header = [_xlsx_value(cell) for cell in first]
    while header and header[-1] in (None, ""):
        header.pop()
    if not header:
        raise ImportFileError(_("The first sheet of the workbook is empty."))
    return header


def first_sheet_rows(content: bytes) -> RawRows:
    """The rows of a workbook's *first* sheet with their row numbers (openpyxl, as
    import-export's XLSX format uses, which reads the *active* sheet instead).

    Rows are read no wider than the header. A cell formatted as a date without a time
    is read as a ``datetime.date``, so a date-only expiry can mean the end of that day.
    """
    book = _open_workbook(content)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        header = _xlsx_header(sheet)
        yield 1, header
        rows = sheet.iter_rows(min_row=2, max_row=XLSX_MAX_ROW, max_col=len(header))
        for number, row in enumerate(rows, start=2):
            yield number, [_xlsx_value(cell) for cell in row]
    finally:
        book.close()


def _xlsx_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if isinstance(value, datetime.datetime) and getattr(cell, "is_date", False):
        number_format = (cell.number_format or "").lower()
        if (
            not any(part in number_format for part in ("h", "s"))
            and value.time() == datetime.time()
        ):
            return value.date()
    return value


def _damaged_workbook_is_an_error(read: Callable[[], T]) -> T:
    try:
        return read()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error


# -- JSON ----------------------------------------------------------------------------


def _read_json(text: str) -> tuple[list[Any], RawRows]:
    """A JSON list of objects, each read by its keys (tablib would read later objects by
    position, in their own key order), or another tool's JSON export (``json_rows``)."""
    _check_json_containers(text)
    try:
        items = json_rows(json.loads(text))
    except RecursionError as error:
        raise ImportFileError(
            _("The file is not valid JSON for an import: it nests too deeply.")
        ) from error
    except ValueError as error:
        raise ImportFileError(_("The file is not valid JSON: %s") % error) from error
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportFileError(_("The file must be a JSON list of objects, one per redirect."))
    header: list[Any] = []
    seen: set[str] = set()
    for item in items:
        for key in item:
            if key not in seen:
                seen.add(key)
                header.append(key)
    return header, (
        (number, [_json_cell(item.get(key)) for key in header])
        for number, item in enumerate(items, start=1)
    )


def _check_json_containers(text: str) -> None:
    """Refuse JSON with more objects and lists than the rows allowed can hold, before
    it is parsed: 48 MB of ``{},`` is 16 million dictionaries, 1.3 GB in memory."""
    max_rows = conf.import_max_rows()
    limit = max_rows * JSON_CONTAINERS_PER_ROW + JSON_CONTAINERS_FLOOR
    containers = text.count("{") + text.count("[")
    if containers > limit:
        raise ImportFileError(
            _(
                "The file holds %(count)s JSON objects and lists, more than %(rows)s "
                "redirects need (at most %(limit)s). Split it into smaller files."
            )
            % {"count": f"{containers:,}", "rows": f"{max_rows:,}", "limit": f"{limit:,}"}
        )


def _json_cell(value: Any) -> Any:
    """A list or an object in a cell is kept as its JSON text, which no column accepts."""
    if isinstance(value, list | dict):
        return json.dumps(value)[:1000]
    return value


# -- Rows ----------------------------------------------------------------------------


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": f"{max_rows:,}"}
    )


def summarise_ignored(names: list[str]) -> list[str]:
    """The unrecognised column names an editor is shown: each once, the first
    ``IGNORED_COLUMNS_SHOWN`` of them (cut short), then how many more there are."""
    distinct = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    shown = [
        name if len(name) <= IGNORED_NAME_LENGTH else name[: IGNORED_NAME_LENGTH - 1] + "…"
        for name in distinct[:IGNORED_COLUMNS_SHOWN]
    ]
    more = len(distinct) - len(shown)
    if more > 0:
        shown.append(str(_("and %(count)s more") % {"count": f"{more:,}"}))
    return shown


def _by_name(
    raw_rows: RawRows, positions: dict[str, int], width: int
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row's cells by canonical column name; cells past the header are flagged."""
    for number, values in raw_rows:
        if len(values) < width:
            values = [*values, *([None] * (width - len(values)))]
        row = {name: values[position] for name, position in positions.items()}
        if len(values) > width and any(value not in (None, "") for value in values[width:]):
            row["__extra__"] = True
        yield number, row


def _positions(
    header: list[Any], columns: ColumnMapping | None
) -> tuple[dict[str, int], list[str]]:
    return canonical_headers(header) if columns is None else columns.positions(header)


def _tabulate(header: list[Any], raw_rows: RawRows, columns: ColumnMapping | None = None) -> Table:
    positions, ignored = _positions(header, columns)
    return _collect(_by_name(raw_rows, positions, len(header)), ignored=ignored)


def _is_blank(row: dict[str, Any]) -> bool:
    """No cell the import reads holds anything (and none past the header)."""
    if row.get("__extra__"):
        return False
    return all(
        value is None or (isinstance(value, str) and not value.strip()) for value in row.values()
    )


def _collect(numbered: Iterator[tuple[int, dict[str, Any]]], *, ignored: list[str]) -> Table:
    """The rows that are not blank, up to ``IMPORT_MAX_ROWS`` (blank rows neither count
    nor are named in a message: the file's size in bytes bounds them)."""
    max_rows = conf.import_max_rows()
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, row in numbered:
        if _is_blank(row):
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return Table(rows=rows, numbers=numbers, ignored_columns=summarise_ignored(ignored))
