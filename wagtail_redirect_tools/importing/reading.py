"""Turn an uploaded file into rows: format and encoding detection, limits, row numbers.

django-import-export's formats parse JSON and XLSX (our XLSX reader reads the first
sheet rather than the active one, keeps row numbers and tells date cells from
date-time cells). Delimited text is read with Python's ``csv`` module because tablib
rejects a row with fewer cells than the header, which would lose the row number
and every other row of the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer
from django.utils.translation import gettext_lazy as _

from .. import conf
from .columns import canonical_headers
from .errors import ImportFileError

FORMAT_CHOICES = [
    ("auto", _("Detect from the file")),
    ("csv", _("CSV (any delimiter)")),
    ("tsv", _("TSV (tab-separated)")),
    ("xlsx", _("Excel workbook (.xlsx)")),
    ("json", _("JSON")),
]
ENCODING_CHOICES = [
    ("auto", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1252", _("Windows-1252 (Western European)")),
    ("latin-1", "ISO-8859-1"),
]
# Blank rows are skipped, but only so many: a file of nothing but blank rows is refused.
BLANK_ROWS_ALLOWED = 10_000
DELIMITERS = ",;\t|"
# Unpacked, an XLSX file may be at most this many times the size limit.
XLSX_UNPACKED_FACTOR = 10


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
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".tsv"):
        return "tsv"
    stripped = content.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "csv"


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
        return content.decode("utf-16")
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
    content: bytes, filename: str, *, file_format: str = "auto", encoding: str = "auto"
) -> Table:
    """Read ``content`` (the bytes of an uploaded file) into a :class:`Table`.

    Raises :class:`ImportFileError` for a file that is too large, unreadable,
    without the needed columns, or with more rows than allowed.
    """
    max_size = conf.import_max_file_size()
    check_file_size(len(content))
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if file_format == "auto":
        file_format = detect_format(content, filename)
    if file_format == "xlsx":
        header, raw_rows = _read_xlsx(content, max_size * XLSX_UNPACKED_FACTOR)
    elif file_format == "json":
        header, raw_rows = _read_json(decode(content, encoding))
    else:
        text = decode(content, encoding)
        delimiter = "\t" if file_format == "tsv" else _sniff_delimiter(text)
        header, raw_rows = _read_delimited(text, delimiter)
    return _tabulate(header, raw_rows)


def _sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    first_line = sample.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _read_delimited(text: str, delimiter: str) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFileError(_("The file could not be read as CSV: %s") % error) from error

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error as error:
            raise ImportFileError(
                _("Line %(line)s could not be read as CSV: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error

    return header, rows()


def first_sheet_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a workbook's *first* sheet with their row numbers (openpyxl, as
    import-export's XLSX format uses, which reads the *active* sheet instead).

    The sheet's own claim of its size is ignored (a small file can claim a million
    rows of padding), and rows are read no wider than the header. A cell formatted as
    a date without a time is read as a ``datetime.date``, so a date-only expiry can
    mean the end of that day.
    """
    import openpyxl  # import-export imports it lazily too

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows()
        header = [_xlsx_value(cell) for cell in next(rows, ())]
        while header and header[-1] in (None, ""):
            header.pop()
        yield 1, header
        for number, row in enumerate(
            sheet.iter_rows(min_row=2, max_col=max(len(header), 1)), start=2
        ):
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


def _read_xlsx(
    content: bytes, unpacked_limit: int
) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error
    if unpacked > unpacked_limit:
        raise ImportFileError(
            _("The workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{unpacked:,}", "limit": f"{unpacked_limit:,}"}
        )
    rows = _damaged_workbook_is_an_error(first_sheet_rows(content))
    _number, header = next(rows, (1, []))
    if not header:
        raise ImportFileError(_("The first sheet of the workbook is empty."))
    return header, rows


def _damaged_workbook_is_an_error(
    rows: Iterator[tuple[int, list[Any]]],
) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error


def _read_json(text: str) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """A JSON list of objects, each read by its keys (tablib would read later objects by
    position, in their own key order)."""
    try:
        items = json.loads(text)
    except ValueError as error:
        raise ImportFileError(_("The file is not valid JSON: %s") % error) from error
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ImportFileError(_("The file must be a JSON list of objects, one per redirect."))
    header: list[Any] = []
    for item in items:
        header.extend(key for key in item if key not in header)
    return header, (
        (number, [item.get(key) for key in header]) for number, item in enumerate(items, start=1)
    )


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files.")
        % {"limit": f"{max_rows:,}"}
    )


def _tabulate(header: list[Any], raw_rows: Iterator[tuple[int, list[Any]]]) -> Table:
    positions, ignored = canonical_headers(header)
    max_rows = conf.import_max_rows()
    width = len(header)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    raw_limit = max_rows + BLANK_ROWS_ALLOWED
    for raw_count, (number, values) in enumerate(raw_rows, start=1):
        if raw_count > raw_limit:
            raise _too_many_rows(max_rows)
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue  # a blank row
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        padded = list(values[:width]) + [None] * (width - len(values))
        row = {name: padded[position] for name, position in positions.items()}
        if len(values) > width and any(value not in (None, "") for value in values[width:]):
            row["__extra__"] = True
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return Table(rows=rows, numbers=numbers, ignored_columns=ignored)
