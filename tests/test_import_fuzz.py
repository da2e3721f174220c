"""Property-based tests (hypothesis): whatever bytes or file shapes arrive, the reader and
the planner give a clear file error (``ImportFileError``) or a plan with a reason on
every row in error, never another exception; and each input costs at most
``MAX_SECONDS`` and ``MAX_MB`` more traced memory, hostile shapes included (cells far
longer than a cell may be, rows far wider, packed small or not; issue 29)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.utils.hostile_files import SHEET_END, SHEET_START, measured, workbook_streamed
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.importing.context import ImportContext
from wagtail_redirect_tools.importing.errors import ImportFileError
from wagtail_redirect_tools.importing.plan_store import read_plan, write_plan
from wagtail_redirect_tools.importing.planning import Action, ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.importing.resources import spreadsheet_safe, spreadsheet_unsafe

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
HOSTILE = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
# What one input may cost the reader and the planner (measured with tracemalloc, whose
# tracing slows them): generous for a busy machine, far below what the hostile shapes
# cost before issue 29 (seconds and hundreds of MB).
MAX_SECONDS = 10.0
MAX_MB = 48.0
# Around the limits (32,767 characters a cell, 16,384 columns a row) and far past them.
LENGTHS = [0, 1, 255, 256, 32_767, 32_768, 200_000, 4_000_000]
WIDTHS = [1, 2, 3, 100, 16_383, 16_384, 16_385, 60_000]
NAMES = ["x.csv", "x.tsv", "x.json", "x.xlsx", "x.txt", "_redirects", ".htaccess", "noext"]
HEADERS = [
    "from",
    "to",
    "type",
    "site",
    "starts_at",
    "expires_at",
    "reason",
    "Source",
    "Target",
    "code",
    "status",
    "regex",
    "origin",
    "hits",
    "",
    "from",  # twice: "two columns mean 'from'"
]
# Cell values near what the planner tells apart: paths, URLs, pages, codes, dates, sites.
CELL_SEEDS = [
    "/a/",
    "/b",
    "/",
    "//evil.example",
    "/\\evil",
    "/\t/x",
    "http://localhost/x",
    "https://[x/a",
    "page:1",
    "page:99999",
    "page:x/route/",
    "301",
    "302",
    "307",
    "410",
    "451",
    "permanent",
    "temporary",
    "2027-01-01",
    "2027-01-01T10:00",
    "2026-03-29 02:30",
    "9999-12-31",
    "localhost",
    "localhost:8000",
    "localhost [default]",
    "=1+1",
    "'=1+1",
    "",
    " ",
]
cells = st.one_of(
    st.sampled_from(CELL_SEEDS),
    st.text(max_size=30),
    st.sampled_from(CELL_SEEDS).flatmap(lambda seed: st.text(max_size=5).map(seed.__add__)),
)
json_cells = st.one_of(
    cells,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
headers = st.lists(
    st.one_of(st.sampled_from(HEADERS), st.text(max_size=10)), min_size=1, max_size=8
)


def table_rows(cell_strategy: Any) -> Any:
    return st.lists(st.lists(cell_strategy, max_size=9), max_size=12)


# Cells a workbook can hold (openpyxl refuses control characters in text).
xlsx_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30
) | st.sampled_from([seed for seed in CELL_SEEDS if seed.isprintable()])
xlsx_cells = st.one_of(
    xlsx_text,
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1901, 1, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.dates(min_value=datetime.date(1901, 1, 1)),
)


def csv_content(header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    def line(values: list[str]) -> str:
        return delimiter.join(_quoted(value, delimiter) for value in values)

    text = "\n".join(line(values) for values in [header, *rows]) + "\n"
    return text.encode(encoding, errors="replace")


def _quoted(value: str, delimiter: str) -> str:
    if any(mark in value for mark in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def xlsx_content(header: list[Any], rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in [header, *rows]:
        sheet.append(values)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


class FuzzTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        make_site("localhost", cls.home, port=8000)
        add_page(cls.home, "about", title="About")
        get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.context = ImportContext.load()

    def read_and_plan(self, content: bytes, name: str, **reading: str) -> None:
        """The property: a file error, or a plan whose error rows each say why; within
        ``MAX_SECONDS`` and ``MAX_MB``."""
        with measured() as cost:
            self._read_and_plan(content, name, **reading)
        self.assertLess(cost.seconds, MAX_SECONDS, name)
        self.assertLess(cost.peak_mb, MAX_MB, name)

    def _read_and_plan(self, content: bytes, name: str, **reading: str) -> None:
        try:
            table = read_table(content, name, **reading)
        except ImportFileError as error:
            self.assertTrue(str(error))
            return
        self.assertEqual(len(table.rows), len(table.numbers))
        self.assertLessEqual(len(table.ignored_columns), 21)
        for options in (ImportOptions(), ImportOptions(site_id=self.site.pk, default_type=302)):
            plan = plan_import(table, options, context=self.context)
            self.assertEqual(len(plan.rows), len(table.rows))
            for row in plan.rows:
                self.assertIn(row.action, Action.values)
                if row.action == Action.ERROR:
                    self.assertTrue(all(row.errors), row)
            # The preview keeps every plan as a file, and shows it as it was made.
            kept = io.BytesIO()
            write_plan(plan, kept)
            kept.seek(0)
            self.assertEqual(read_plan(kept), plan)


class TestAnyBytes(FuzzTestCase):
    @FAST
    @given(content=st.binary(max_size=3000), name=st.sampled_from(NAMES))
    def test_random_bytes(self, content: bytes, name: str) -> None:
        self.read_and_plan(content, name)

    @FAST
    @given(
        content=st.binary(max_size=2000),
        file_format=st.sampled_from(["csv", "tsv", "json", "xlsx", "netlify", "apache"]),
        encoding=st.sampled_from(["auto", "utf-8", "utf-16", "cp1252", "latin-1"]),
    )
    def test_random_bytes_in_a_chosen_format_and_encoding(
        self, content: bytes, file_format: str, encoding: str
    ) -> None:
        self.read_and_plan(content, "x", file_format=file_format, encoding=encoding)

    @FAST
    @given(
        content=st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail),
    )
    def test_anything_that_starts_like_a_zip(self, content: bytes) -> None:
        self.read_and_plan(content, "x.xlsx")


class TestShapes(FuzzTestCase):
    @FAST
    @given(
        header=headers,
        rows=table_rows(cells),
        delimiter=st.sampled_from([",", ";", "\t", "|"]),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    )
    def test_csv(
        self, header: list[str], rows: list[list[str]], delimiter: str, encoding: str
    ) -> None:
        self.read_and_plan(csv_content(header, rows, delimiter, encoding), "x.csv")

    @FAST
    @given(
        data=st.one_of(
            st.lists(st.dictionaries(st.sampled_from(HEADERS) | st.text(max_size=6), json_cells)),
            st.recursive(
                st.none() | st.integers() | st.text(max_size=5),
                lambda children: (
                    st.lists(children, max_size=3)
                    | st.dictionaries(st.text(max_size=3), children, max_size=3)
                ),
                max_leaves=10,
            ),
            st.fixed_dictionaries(
                {"redirects": st.lists(st.dictionaries(st.text(max_size=8), json_cells))}
            ),
        )
    )
    def test_json(self, data: Any) -> None:
        self.read_and_plan(json.dumps(data).encode(), "x.json")

    @FAST
    @given(
        lines=st.lists(
            st.lists(
                st.sampled_from(
                    [
                        "Redirect",
                        "RedirectMatch",
                        "RedirectPermanent",
                        "RewriteRule",
                        "permanent",
                        "gone",
                        "301",
                        "302!",
                        "200",
                        "/a",
                        "/*",
                        "/:x",
                        "id=:id",
                        "Country=fr",
                        '"/b c"',
                        '"',
                        "http://localhost/x",
                        "https://[x",
                        "#",
                    ]
                )
                | st.text(max_size=6),
                min_size=1,
                max_size=5,
            ),
            max_size=10,
        ),
        name=st.sampled_from(["_redirects", ".htaccess", "x.txt"]),
    )
    def test_text_formats(self, lines: list[list[str]], name: str) -> None:
        content = "\n".join(" ".join(words) for words in lines).encode()
        self.read_and_plan(content, name)


@pytest.mark.slow
class TestWorkbookShapes(FuzzTestCase):
    @settings(max_examples=25, deadline=None, derandomize=True)
    @given(
        header=st.lists(st.sampled_from(HEADERS) | xlsx_text, min_size=1, max_size=6),
        rows=st.lists(st.lists(xlsx_cells, max_size=7), max_size=8),
    )
    def test_xlsx(self, header: list[Any], rows: list[list[Any]]) -> None:
        self.read_and_plan(xlsx_content(header, rows), "x.xlsx")


def hostile_sheet(rows: list[list[tuple[str, int]]], wrapper: str) -> Any:
    """A sheet's XML as it streams: each cell (kind, length) an inline string, a number, a
    CDATA section or a comment holding a false end, or ``length`` empty cells."""
    prefix = "x:" if wrapper == "prefix" else ""
    row_tag, cell_tag = f"{prefix}row", f"{prefix}c"

    def text(length: int) -> Any:
        while length > 0:
            yield b"y" * min(length, 1024 * 1024)
            length -= 1024 * 1024

    def chunks() -> Any:
        start = SHEET_START
        if wrapper == "doctype":
            start = start.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY e "eeee">]><worksheet')
        if prefix:
            start = start.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
            start = start.replace(b"<sheetData>", b"<x:sheetData>")
        yield start
        for number, cells in enumerate(rows, start=1):
            yield f'<{row_tag} r="{number}">'.encode()
            for kind, length in cells:
                if kind == "empty":
                    yield f"<{cell_tag}/>".encode() * length
                    continue
                yield f'<{cell_tag} t="inlineStr"><{prefix}is><{prefix}t>'.encode()
                if kind == "cdata":
                    yield b"<![CDATA[</c><c>"
                elif kind == "comment":
                    yield b"<!-- </c><c> -->"
                yield from text(length)
                if kind == "cdata":
                    yield b"]]>"
                yield f"</{prefix}t></{prefix}is></{cell_tag}>".encode()
            yield f"</{row_tag}>".encode()
        end = SHEET_END
        if prefix:
            end = b"</x:sheetData></x:worksheet>"
        yield end

    return chunks()


hostile_cells = st.tuples(
    st.sampled_from(["inline", "cdata", "comment", "empty"]), st.sampled_from(LENGTHS)
)
hostile_rows = st.lists(st.lists(hostile_cells, min_size=1, max_size=3), min_size=1, max_size=3)


class TestHostileShapes(FuzzTestCase):
    """Near-valid files with cells and rows around and far past the limits, packed small
    (a workbook) or not: a clear error or a plan, each within the bounds."""

    @HOSTILE
    @given(
        rows=hostile_rows,
        wrapper=st.sampled_from(["none", "prefix", "doctype"]),
        header=st.booleans(),
    )
    def test_workbooks(self, rows: list[list[tuple[str, int]]], wrapper: str, header: bool) -> None:
        if header:
            rows = [[("inline", 4), ("inline", 2)], *rows]
        self.read_and_plan(workbook_streamed(hostile_sheet(rows, wrapper)), "x.xlsx")

    @HOSTILE
    @given(
        width=st.sampled_from(WIDTHS),
        length=st.sampled_from(LENGTHS[:7]),
        quoted_lines=st.sampled_from([0, 1, 20_000]),
        delimiter=st.sampled_from([",", ";", "\t"]),
    )
    def test_csv(self, width: int, length: int, quoted_lines: int, delimiter: str) -> None:
        header = delimiter.join(["from", "to"])
        row = delimiter.join(["/a/", "/b" + "c" * length, *(["v"] * (width - 2))])
        quoted = f'"\n"{delimiter}' * quoted_lines
        content = f"{header}\n{row}\n{quoted}/d/{delimiter}/e/\n".encode()
        self.read_and_plan(content, "x.csv")

    @HOSTILE
    @given(
        keys=st.sampled_from(WIDTHS[:7]),
        length=st.sampled_from(LENGTHS[:7]),
        empty_objects=st.sampled_from([0, 1, 20_000]),
        long_key=st.booleans(),
    )
    def test_json(self, keys: int, length: int, empty_objects: int, long_key: bool) -> None:
        wide = {f"k{number}": 1 for number in range(keys)}
        first = {"from": "/a/", "to": "/b" + "c" * length, **wide}
        if long_key:
            first["k" * length] = 1
        content = json.dumps([first, *([{}] * empty_objects), {"from": "/d/", "to": "/e/"}])
        self.read_and_plan(content.encode(), "x.json")

    @HOSTILE
    @given(
        fields=st.sampled_from(WIDTHS),
        length=st.sampled_from(LENGTHS[:7]),
        blank_lines=st.sampled_from([0, 1_000_000]),
        name=st.sampled_from(["_redirects", ".htaccess"]),
    )
    def test_text_formats(self, fields: int, length: int, blank_lines: int, name: str) -> None:
        first = "Redirect 301" if name == ".htaccess" else ""
        line = f"{first} /a /b{'c' * length} " + "x " * (fields - 2)
        content = ("\n" * blank_lines + line + "\n").encode()
        self.read_and_plan(content, name)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=st.text() | st.sampled_from(["'", "''", "'=", "=", "'\t", "''=1"]))
def test_formula_escaping_gives_back_every_value(value: str) -> None:
    assert spreadsheet_unsafe(spreadsheet_safe(value)) == value
