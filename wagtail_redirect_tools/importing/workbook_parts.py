"""A workbook's parts checked as they unpack, before openpyxl reads any of them.

openpyxl builds each row of a sheet whole (every cell, read or not) and each shared
string whole, so what a row or a string holds is checked first, here: the declared
unpacked sizes (zipfile never unpacks more than a part declares), then every XML part
streamed through expat, which counts cells and rows, refuses a cell (inline or shared
string) of more than ``MAX_CELL_LENGTH`` characters, a row of more than ``MAX_COLUMNS``
cells, a document type (workbooks declare none; entities could multiply the text) and a
tag or comment longer than a cell may be, as each arrives. What is held at a time is a
chunk of the part and a few counters, whatever the part unpacks to.

Parts are found by what they hold, not by their names: openpyxl finds a sheet or the
shared strings by the workbook's relationships, which may name any part.
"""

from __future__ import annotations

import io
import pyexpat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .. import conf
from .errors import ImportFileError, ImportLimitError
from .limits import MAX_CELL_LENGTH, MAX_COLUMNS, cell_too_long, too_many_columns

# Unpacked, an XLSX file may be at most this many times the size limit.
UNPACKED_FACTOR = 10
# A workbook's shared strings hold the text of its cells: at most as much text as a
# file at the size limit, and no more than its sheets' cells can refer to (a shared
# string is used by a cell of at least ~20 bytes of sheet XML; a few hundred
# characters per cell is more than any redirect needs).
SHARED_STRINGS_FLOOR = 1024 * 1024
SHARED_STRINGS_PER_SHEET_BYTE = 16
# openpyxl parses every cell of a sheet (twice when it has no <dimension>), whether the
# import reads it or not; a sheet may hold this many cells a row on average (or
# CELLS_FLOOR in all), which every export of a redirect tool fits many times over.
CELLS_PER_ROW = 100
CELLS_FLOOR = 100_000
CHUNK = 256 * 1024
# The parts openpyxl reads whole as it opens a workbook (by their root element: they
# may have any name), and the elements each may hold: its cost is by the element
# (1 million cell formats took 38 s and 900 MB); Excel allows 64,000 cell formats.
WHOLE_PARTS = frozenset({"styleSheet", "workbook", "Types", "Relationships"})
WHOLE_PART_ELEMENTS = 256 * 1024
# A tag, comment or declaration expat holds whole until it ends: no workbook needs one
# this long (a cell's text streams, and is held to MAX_CELL_LENGTH).
PENDING_LIMIT = 1024 * 1024


@dataclass
class PartCounts:
    """What the XML parts of a workbook hold, as counted while they streamed."""

    cells: int = 0
    rows: int = 0
    sheet_bytes: int = 0  # of the parts that hold cells
    string_chars: int = 0  # of the shared strings
    string_limit: int = 0  # past this many, the scan stops: no workbook may hold more
    cells_limit: int = 0  # past this many (the most any rows allowed may use), it stops too
    long_strings: set[int] = field(default_factory=set)  # shared strings over the limit


def check_workbook(content: bytes, size_limit: int) -> None:
    """Refuse a workbook whose parts unpack to more than its rows can need: its declared
    sizes before any part is unpacked, then what its parts hold as they stream (before
    openpyxl parses them: its cost is by the cell, read or not, and by the string)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            check_declared_sizes(members, size_limit)
            counts = _scan_parts(
                archive,
                members,
                PartCounts(
                    string_limit=size_limit,
                    cells_limit=max(CELLS_FLOOR, conf.import_max_rows() * CELLS_PER_ROW),
                ),
            )
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error) as error:
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from error
    _check_strings(counts, size_limit)
    _check_cells(counts.cells, counts.rows, max(CELLS_FLOOR, counts.rows * CELLS_PER_ROW))


def _check_cells(cells: int, rows: int, cells_limit: int) -> None:
    if cells > cells_limit:
        raise ImportLimitError(
            _(
                "The workbook has %(cells)s cells in %(rows)s rows; an import reads at most "
                "%(limit)s. Delete the columns the import does not use (from, to, type, "
                "site, starts_at, expires_at, reason), or save the sheet as CSV."
            )
            % {"cells": f"{cells:,}", "rows": f"{rows:,}", "limit": f"{cells_limit:,}"}
        )


def _is_sheet(name: str) -> bool:
    return name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml")


def check_declared_sizes(members: list[zipfile.ZipInfo], size_limit: int) -> None:
    unpacked = sum(member.file_size for member in members)
    unpacked_limit = size_limit * UNPACKED_FACTOR
    if unpacked > unpacked_limit:
        raise ImportLimitError(
            _("The workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": f"{unpacked:,}", "limit": f"{unpacked_limit:,}"}
        )
    sheets = sum(member.file_size for member in members if _is_sheet(member.filename))
    strings = sum(
        member.file_size
        for member in members
        if member.filename.lower().endswith("sharedstrings.xml")
    )
    _refuse_strings(strings, _strings_limit(sheets, size_limit))


def _strings_limit(sheet_bytes: int, size_limit: int) -> int:
    return min(size_limit, SHARED_STRINGS_FLOOR + SHARED_STRINGS_PER_SHEET_BYTE * sheet_bytes)


def _refuse_strings(size: int, limit: int) -> None:
    if size > limit:
        raise ImportLimitError(
            _(
                "The workbook's text unpacks to %(size)s bytes, more than its sheets' cells "
                "can use (the limit for this workbook is %(limit)s bytes). Save the sheet "
                "as CSV and import that."
            )
            % {"size": f"{size:,}", "limit": f"{limit:,}"}
        )


def _check_strings(counts: PartCounts, size_limit: int) -> None:
    """The shared strings as counted, wherever they were (their part may have any name)."""
    _refuse_strings(counts.string_chars, _strings_limit(counts.sheet_bytes, size_limit))


def _looks_like_xml(start: bytes) -> bool:
    """A part openpyxl could parse: XML text (UTF-8, or UTF-16 with its mark)."""
    stripped = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    return stripped.startswith(b"<") or start.startswith((b"\xff\xfe", b"\xfe\xff"))


def _scan_parts(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], counts: PartCounts
) -> PartCounts:
    """Stream every XML part: the shared strings first (a cell that uses a string over
    the limit is then named), then the others."""
    parts = [member for member in members if not member.is_dir()]
    # A part that holds <si> elements is the shared strings; its name usually says so.
    parts.sort(key=lambda member: not member.filename.lower().endswith("sharedstrings.xml"))
    for member in parts:
        with archive.open(member) as stream:
            first = stream.read(CHUNK)
            if _looks_like_xml(first):
                _PartScan(member.filename, counts).run(first, stream)
    return counts


class _PartScan:
    """One XML part through expat, with a handler per event that counts what it holds."""

    def __init__(self, name: str, counts: PartCounts) -> None:
        self.name = name
        self.counts = counts
        self.parser = pyexpat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.buffer_text = True  # a text in one event, not a piece a line
        self.in_cell = self.in_string = False
        self.chars = 0  # of the cell or shared string being read
        self.row = 0  # the row number (its r, or counted)
        self.row_cells = 0
        self.cell_reference = ""
        self.shared_cell = False  # a cell whose value is a shared string's number
        self.value = ""  # that number, as it streams
        self.strings = 0  # shared strings read in this part
        self.cells = self.rows = 0  # in this part
        self.elements = 0  # of a part openpyxl reads whole
        self.whole: bool | None = None  # a part openpyxl reads whole (None: not known yet)
        self.cells_left = counts.cells_limit - counts.cells

    def run(self, first: bytes, stream: Any) -> None:
        fed = 0
        chunk = first
        try:
            while chunk:
                self.parser.Parse(chunk, False)
                fed += len(chunk)
                if fed - self.parser.CurrentByteIndex > PENDING_LIMIT:
                    raise ImportLimitError(
                        _(
                            "The workbook's part %(part)s holds a tag or comment of more "
                            "than %(limit)s bytes, which no workbook needs."
                        )
                        % {"part": self.name[:80], "limit": f"{PENDING_LIMIT:,}"}
                    )
                chunk = stream.read(CHUNK)
            self.parser.Parse(b"", True)
        except pyexpat.ExpatError:
            # Not XML from here on: what came before is counted. A part openpyxl reads
            # stops it at the same place (it parses with expat too); others (Excel's VML
            # drawings are not well-formed) it never reads.
            pass
        self.counts.cells += self.cells
        self.counts.rows += self.rows
        if self.cells:
            self.counts.sheet_bytes += fed

    # -- expat's events --------------------------------------------------------------

    # Most elements are c, v, is, t and row, unprefixed: their names are compared as they
    # are, and only a prefixed name is cut (the scan's cost is by the element).

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if self.whole is not False:
            self._count_element(local)
        if local == "c":
            self.cells += 1
            self.row_cells += 1
            if self.cells > self.cells_left:
                _check_cells(self.counts.cells + self.cells, self.rows, self.counts.cells_limit)
            if self.row_cells > MAX_COLUMNS:
                raise too_many_columns(self.row)
            self.in_cell, self.chars = True, 0
            self.cell_reference = attributes.get("r", "")
            self.shared_cell = attributes.get("t") == "s" and bool(self.counts.long_strings)
            self.value = ""
        elif local == "row":
            self.rows += 1
            self.row_cells = 0
            number = attributes.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
        elif local == "si":
            self.in_string, self.chars = True, 0

    def end(self, name: str) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "c":
            self.in_cell = False
            number = self.value.strip()
            if self.shared_cell and number.isdigit() and int(number) in self.counts.long_strings:
                raise self._too_long()
        elif local == "si":
            self.in_string = False
            self.counts.string_chars += self.chars
            if self.counts.string_chars > self.counts.string_limit:
                _refuse_strings(self.counts.string_chars, self.counts.string_limit)
            if self.chars > MAX_CELL_LENGTH:
                self.counts.long_strings.add(self.strings)
            self.strings += 1

    def text(self, data: str) -> None:
        if self.in_cell:
            self.chars += len(data)
            if self.chars > MAX_CELL_LENGTH:
                raise self._too_long()
            if self.shared_cell:
                self.value += data
        elif self.in_string:
            self.chars += len(data)
            if self.counts.string_chars + self.chars > self.counts.string_limit:
                _refuse_strings(self.counts.string_chars + self.chars, self.counts.string_limit)

    def doctype(self, *args: Any) -> None:
        raise ImportFileError(
            _(
                "The file is not a valid .xlsx workbook: its part %(part)s declares a "
                "document type, which workbooks do not."
            )
            % {"part": self.name[:80]}
        )

    # -- Helpers ---------------------------------------------------------------------

    def _count_element(self, local: str) -> None:
        if self.whole is None:  # the root element says what the part is
            self.whole = local in WHOLE_PARTS
        self.elements += 1
        if self.elements > WHOLE_PART_ELEMENTS:
            raise ImportLimitError(
                _(
                    "The workbook's part %(part)s holds more than %(limit)s elements, more "
                    "than Excel writes (it allows 64,000 cell formats). Save the sheet as "
                    "CSV and import that."
                )
                % {"part": self.name[:80], "limit": f"{WHOLE_PART_ELEMENTS:,}"}
            )

    def _too_long(self) -> ImportLimitError:
        reference = self.cell_reference
        column = reference.rstrip("0123456789") or get_column_letter(
            min(self.row_cells, MAX_COLUMNS)
        )
        return cell_too_long(self.row, column)
