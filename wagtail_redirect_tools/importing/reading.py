"""Turn an uploaded file into rows: format and encoding detection, limits, row numbers.

Each format is read here, not by django-import-export's formats: XLSX with openpyxl
in read-only mode (the first sheet rather than the active one, keeping row numbers and
telling date cells from date-time cells), JSON with Python's ``json`` (each object by
its keys, where tablib would read later objects by position), and delimited text with
Python's ``csv`` module (tablib rejects a row with fewer cells than the header, which
would lose the row number and every other row of the file). Netlify's ``_redirects``
and Apache's ``Redirect`` lines are read by :mod:`.text_formats` into the same table.

What a file may cost is bounded by its size in bytes: blank rows are skipped without
counting, a workbook's parts are checked as they unpack before it is opened (see
:mod:`.workbook_parts`), a row's columns and a cell's length are held to Excel's limits
(see :mod:`.limits`) as each row is read, only the columns the import uses are read from
a workbook or a JSON object, and a file that nests too deeply or cannot be parsed is an
:class:`ImportFileError`, never another exception.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import charset_normalizer
from django.utils.translation import gettext_lazy as _

from .. import conf
from . import text_formats, text_lines, workbook_parts
from .columns import ColumnMapping, canonical_headers, json_rows
from .compact_rows import CompactRows
from .errors import ImportFileError, ImportLimitError
from .limits import (
    MAX_CELL_LENGTH,
    MAX_COLUMNS,
    cell_too_long,
    check_named_cells,
    check_text_cells,
    cut,
    too_many_columns,
)

FORMAT_CHOICES = [
    ("auto", _("Detect from the file")),
    ("csv", _("CSV (any delimiter)")),
    ("tsv", _("TSV (tab-separated)")),
    ("xlsx", _("Excel workbook (.xlsx)")),
    ("json", _("JSON")),
    ("netlify", _("Netlify _redirects")),
    ("netlify_toml", _("Netlify netlify.toml")),
    ("apache", _("Apache Redirect lines (.htaccess, .conf)")),
    ("squarespace", _("Squarespace URL mappings")),
]
ENCODING_CHOICES = [
    ("auto", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", _("Windows-1252 (Western European)")),
    ("latin-1", "ISO-8859-1"),
]
DELIMITERS = ",;\t|"
READ_CHUNK = 1024 * 1024
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
    """The rows of a file: each a dict of canonical column name to cell value (as a
    file is read, held compactly: see :mod:`.compact_rows`)."""

    rows: list[dict[str, Any]] | CompactRows
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
    if name.endswith(".toml"):
        return "netlify_toml"
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
        raise ImportLimitError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{size:,}", "limit": f"{limit:,}"}
        )


def read_bounded(path: str) -> bytes:
    """The bytes of the file at ``path``, read a chunk at a time and no further than the
    size limit allows (a larger file is an :class:`ImportFileError` with its size)."""
    limit = conf.import_max_file_size()
    read = io.BytesIO()
    with open(path, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            read.write(chunk)
            if read.tell() > limit:
                check_file_size(max(os.fstat(handle.fileno()).st_size, read.tell()))
    return read.getvalue()


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
        return _collect(_checked_cells(numbered), ignored=[])
    if file_format == "json":
        header, items = _read_json(text)  # its keys always name the columns
        return _tabulate_json(header, items, columns)
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
        workbook_parts.check_workbook(content, conf.import_max_file_size())
        raw: Iterator[list[Any]] = iter(
            _damaged_workbook_is_an_error(lambda: _xlsx_head(content, rows, columns))
        )
    else:
        text = decode(content, encoding)
        if file_format == "json":
            header, items = _read_json(text)
            shown = header[:columns]
            rows_read: Iterator[list[Any]] = (
                [_json_cell(item.get(key)) for key in shown] for item in items
            )
        else:
            delimiter = "\t" if file_format == "tsv" else _sniff_delimiter(text)
            header, raw_rows = _read_delimited(text, delimiter)
            rows_read = (values for _number, values in raw_rows)
        raw = itertools.chain([header], rows_read)
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
    # Fewer delimiters in all than a row may have: no row is counted.
    lines = text_lines.csv_lines(text)
    if text.count(delimiter) >= MAX_COLUMNS:
        lines = _BoundedLines(lines, delimiter)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        if _past_field_limit(error):
            raise cell_too_long(reader.line_num) from error
        raise ImportFileError(_("The file could not be read as CSV: %s") % error) from error
    check_text_cells(1, header)

    def rows() -> RawRows:
        try:
            for values in reader:
                _record_read(lines)
                if values:  # an empty line
                    check_text_cells(reader.line_num, values)
                    yield reader.line_num, values
        except csv.Error as error:
            if _past_field_limit(error):
                raise cell_too_long(reader.line_num) from error
            raise ImportFileError(
                _("Line %(line)s could not be read as CSV: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error

    _record_read(lines)
    return header, rows()


class _BoundedLines:
    """The lines of ``text`` for ``csv.reader``, which builds a row's cells all at once:
    a row that could have more than ``MAX_COLUMNS`` cells (as counted by its delimiters,
    quoted ones too) is refused before ``csv`` splits it."""

    def __init__(self, lines: Iterator[str], delimiter: str) -> None:
        self.lines = lines
        self.delimiter = delimiter
        self.number = 0
        self.first = 0  # the line the row being read starts on (it may span lines, quoted)
        self.delimiters = 0  # in that row

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        self.first = self.first or self.number
        self.delimiters += line.count(self.delimiter)
        if self.delimiters >= MAX_COLUMNS:
            raise too_many_columns(self.first)
        return line

    def record_read(self) -> None:
        self.first = self.delimiters = 0


def _record_read(lines: Iterator[str]) -> None:
    if isinstance(lines, _BoundedLines):
        lines.record_read()


def _past_field_limit(error: csv.Error) -> bool:
    """A cell past ``csv``'s own limit (131,072 characters), so past ours."""
    return "field larger than field limit" in str(error)


# -- Workbooks -----------------------------------------------------------------------


def _read_xlsx(content: bytes, columns: ColumnMapping | None = None) -> Table:
    workbook_parts.check_workbook(content, conf.import_max_file_size())
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


def _read_json(text: str) -> tuple[list[Any], list[dict[str, Any]]]:
    """A JSON list of objects, each read by its keys (tablib would read later objects by
    position, in their own key order), or another tool's JSON export (``json_rows``):
    its keys in the order they first come (at most ``MAX_COLUMNS``), and its objects."""
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
    for number, item in enumerate(items, start=1):
        check_named_cells(number, item)
        for key in item:
            if key not in seen:
                if len(key) > MAX_CELL_LENGTH:
                    raise cell_too_long(number, f"'{cut(key, 60)}'")
                seen.add(key)
                header.append(key)
                if len(header) > MAX_COLUMNS:
                    raise too_many_columns(number)
    return header, items


def _tabulate_json(
    header: list[Any], items: list[dict[str, Any]], columns: ColumnMapping | None
) -> Table:
    """Each object's cells the import uses, by their keys (not a cell per key of the
    file: a file's first object may name 16,384 keys, and its others none)."""
    positions, ignored = _positions(header, columns)
    keys = {name: header[position] for name, position in positions.items()}
    numbered = (
        (number, {name: _json_cell(item.get(key)) for name, key in keys.items()})
        for number, item in enumerate(items, start=1)
    )
    return _collect(numbered, ignored=ignored)


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


def _checked_cells(
    numbered: Iterator[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, row in numbered:
        check_named_cells(number, row)
        yield number, row


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
    rows = CompactRows()
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
