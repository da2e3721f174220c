"""Files that pack small and unpack (or parse) large, written as they stream so that a
test building one stays light, and what reading one costs: time, memory, storage.

``long_cell_workbook`` is issue 29's 491 KB workbook with a 480 MB inline-string cell,
at any length; ``wide_csv`` its 50 MB line of 25 million one-character columns.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import openpyxl
from django.core.files.storage import Storage

from wagtail_redirect_tools.models import RedirectImport

CHUNK = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_END = b"</sheetData></worksheet>"


def inline(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _skeleton() -> zipfile.ZipFile:
    book = openpyxl.Workbook()
    book.active.append(["x"])
    saved = io.BytesIO()
    book.save(saved)
    return zipfile.ZipFile(saved)


def workbook_streamed(sheet: Iterator[bytes], part: str = SHEET) -> bytes:
    """A workbook whose first sheet's XML is the chunks of ``sheet``, deflated as they come
    (the rest is openpyxl's own workbook of one cell); the sheet is the part ``part``,
    which the workbook's relationships name."""
    skeleton = _skeleton()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in skeleton.infolist():
            if item.filename == SHEET:
                continue
            data = skeleton.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", f"/{part}".encode())
                data = data.replace(b"worksheets/sheet1.xml", part.removeprefix("xl/").encode())
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"/xl/worksheets/sheet1.xml", f"/{part}".encode())
            archive.writestr(item, data)
        with archive.open(part, "w", force_zip64=True) as stream:
            for chunk in sheet:
                stream.write(chunk)
    return packed.getvalue()


def long_cell_workbook(length: int, *, row: int = 2, column: str = "B", part: str = SHEET) -> bytes:
    """A header (from, to) and a row whose ``column`` cell is an inline string of
    ``length`` characters (``x``), at row ``row``, in the sheet part ``part``."""

    def sheet() -> Iterator[bytes]:
        yield SHEET_START
        yield b'<row r="1">' + inline("A1", "from") + inline("B1", "to") + b"</row>"
        cells = {"A": "/a/", "B": "/b/"}
        yield f'<row r="{row}">'.encode()
        for name in ("A", "B"):
            if name != column:
                yield inline(f"{name}{row}", cells[name])
                continue
            yield f'<c r="{name}{row}" t="inlineStr"><is><t>'.encode()
            left = length
            while left > 0:
                yield b"x" * min(CHUNK, left)
                left -= CHUNK
            yield b"</t></is></c>"
        yield b"</row>" + SHEET_END

    return workbook_streamed(sheet(), part)


def wide_csv(columns: int) -> bytes:
    """Issue 29's line: ``columns`` one-character columns, and nothing else."""
    return b"a," * (columns - 1) + b"a\n"


def stored_bytes() -> int:
    """The bytes in the imports' storage (uploads, kept files, rows, plans)."""
    storage = RedirectImport._meta.get_field("file").storage
    return _folder_bytes(storage, "")


def _folder_bytes(storage: Storage, folder: str) -> int:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    prefix = f"{folder}/" if folder else ""
    total = sum(storage.size(prefix + name) for name in files)
    return total + sum(_folder_bytes(storage, prefix + name) for name in folders)


@dataclass
class Cost:
    seconds: float = 0.0
    peak_bytes: int = 0  # the most Python held at once above what it held before
    stored_bytes: int = 0  # written to the imports' storage, and still there

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 1024 / 1024


@contextmanager
def measured() -> Iterator[Cost]:
    """The time, the peak of traced memory (tracemalloc) and the storage written while
    the block runs."""
    cost = Cost()
    stored_before = stored_bytes()
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        cost.peak_bytes = max(0, tracemalloc.get_traced_memory()[1] - base)
        if not tracing:
            tracemalloc.stop()
        cost.stored_bytes = stored_bytes() - stored_before
