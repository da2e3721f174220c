"""Hostile or unlucky files within the import's limits (issue 15): each is a clear file
error or a preview, never an exception, a 500 or a silently different redirect.

The files are the hostile ones scaled down (the same shape, the same ratio to the
limits); the time and memory they cost at full size are measured by hand, not here.
"""

from __future__ import annotations

import datetime
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from typing import Any
from unittest import mock

import openpyxl
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.test_import import ImportTestCase, csv_bytes
from tests.utils.hostile_files import (
    SHEET_END,
    SHEET_START,
    inline,
    long_cell_workbook,
    measured,
    wide_csv,
    workbook_streamed,
)
from wagtail_redirect_tools import rules
from wagtail_redirect_tools.importing import reading, workbook_parts
from wagtail_redirect_tools.importing.errors import ImportFileError
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails, RedirectImport, ScheduledRedirect

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def workbook_with_shared_strings(rows: list[list[str]], padding: int = 0) -> bytes:
    """A workbook whose cells are shared strings (as Excel writes them; openpyxl writes
    inline strings), with ``padding`` bytes of strings no cell uses."""
    strings = [value for row in rows for value in row]
    cells = iter(range(len(strings)))
    sheet_rows = "".join(
        f'<row r="{number}">'
        + "".join(
            f'<c r="{chr(65 + column)}{number}" t="s"><v>{next(cells)}</v></c>'
            for column in range(len(row))
        )
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    unused = "<si><t>" + "x" * 250 + "</t></si>"
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{value}</t></si>" for value in strings)
        + unused * (padding // len(unused))
        + "</sst>"
    )
    source = zipfile.ZipFile(io.BytesIO(workbook([["x"]])))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                start, end = data.index("<sheetData>"), data.index("</sheetData>")
                data = data[: start + len("<sheetData>")] + sheet_rows + data[end:]
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_RELATION}" '
                    f'Target="sharedStrings.xml"/></Relationships>',
                )
            archive.writestr(item, data)
        archive.writestr("xl/sharedStrings.xml", shared)
    return packed.getvalue()


class BoundsTestCase(ImportTestCase):
    def refused(self, content: bytes, name: str) -> str:
        """The form error of an upload that must be refused as a whole."""
        response = self.upload(content, name)
        self.assertEqual(response.status_code, 200)
        return " ".join(response.context["form"].errors["file"])

    def command_error(self, content: bytes, name: str) -> str:
        """What ``redirects_import --dry-run`` says of a file it refuses."""
        path = self.write(content, name)
        with self.assertRaises(CommandError) as caught:
            call_command("redirects_import", path, "--dry-run", stdout=io.StringIO())
        return str(caught.exception)

    def write(self, content: bytes, name: str) -> str:
        folder = self.enterContext(tempfile.TemporaryDirectory())
        path = f"{folder}/{name}"
        with open(path, "wb") as handle:
            handle.write(content)
        return path


class TestDeeplyNestedJson(BoundsTestCase):
    CONTENT = b"[" * 100_000 + b"]" * 100_000  # 200 KB, as found

    def test_the_admin_says_the_file_nests_too_deeply(self) -> None:
        self.assertIn("nests too deeply", self.refused(self.CONTENT, "deep.json"))

    def test_the_command_says_so_without_a_traceback(self) -> None:
        self.assertIn("nests too deeply", self.command_error(self.CONTENT, "deep.json"))

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_ROWS=10)
    def test_more_objects_than_the_rows_allowed_can_hold_is_refused_before_parsing(
        self,
    ) -> None:
        # Found besides: 48 MB of "{}," took 1.3 GB. Scaled: 10 rows allow 10,080.
        content = b"[" + b"{}," * 20_000 + b"{}]"
        with mock.patch.object(reading, "json_rows") as parsed:
            message = self.refused(content, "many.json")
        parsed.assert_not_called()
        self.assertIn("20,002 JSON objects and lists, more than 10 redirects need", message)

    def test_nested_values_in_a_cell_are_row_errors(self) -> None:
        content = b'[{"from": "/a/", "to": [["/b/"]]}, {"from": "/c/", "to": "/d/"}]'
        page = self.preview(content, "x.json")
        self.assertEqual(self.counts(page)["new"], 1)
        self.assertIn("is neither", self.errors(page)[1])


class TestSharedStringsBomb(BoundsTestCase):
    """Found: 13 MB whose shared strings unpack to 513 MB, one data row; 120 s and
    1.36 GB. Scaled down: the same one row, shared strings 3 MB past the floor."""

    def test_a_workbook_whose_text_outgrows_its_sheet_is_refused_before_it_is_opened(
        self,
    ) -> None:
        bomb = workbook_with_shared_strings([["from", "to"], ["/a/", "/b/"]], padding=3_000_000)
        self.assertLess(len(bomb), 200_000)  # it packs small
        with mock.patch.object(reading, "_open_workbook") as opened:
            message = self.refused(bomb, "bomb.xlsx")
        opened.assert_not_called()
        self.assertIn("more than its sheets' cells can use", message)
        self.assertIn("Save the sheet as CSV", message)
        self.assertIn("more than its sheets' cells can use", self.command_error(bomb, "b.xlsx"))

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=500_000)
    def test_the_limit_is_never_above_the_file_size_limit(self) -> None:
        # 10,000 rows could use 3 MB of text, but no file may hold more than 500 KB.
        rows = [["from", "to"], *([f"/p{number}/", "/t/"] for number in range(10_000))]
        with self.assertRaisesMessage(ImportFileError, "limit for this workbook is 500,000"):
            read_table(workbook_with_shared_strings(rows, padding=3_000_000), "x.xlsx")

    def test_a_workbook_of_shared_strings_its_cells_use_imports(self) -> None:
        content = workbook_with_shared_strings([["from", "to"], ["/a/", "/b/"], ["/c/", "/d/"]])
        page = self.preview(content, "excel.xlsx")
        self.assertEqual(self.counts(page)["new"], 2)


class TestWideFiles(BoundsTestCase):
    """Found: 150 rows x 16,384 columns, 93 s a parse. Only the used columns are read."""

    def wide_rows(self, rows: int, columns: int) -> list[list[Any]]:
        header = ["from", "to", *(f"extra {number}" for number in range(columns - 2))]
        return [header, *([f"/p{row}/", "/t/", *(["v"] * (columns - 2))] for row in range(rows))]

    def test_a_wide_workbook_reads_only_the_columns_the_import_uses(self) -> None:
        content = workbook(self.wide_rows(20, 600))
        with mock.patch.object(reading, "_xlsx_value", wraps=reading._xlsx_value) as read:
            table = read_table(content, "wide.xlsx")
        self.assertEqual(len(table), 20)
        self.assertLessEqual(read.call_count, 600 + 20 * 2)  # the header, then 2 a row
        self.assertEqual(table.ignored_columns[-1], "and 578 more")

    def test_a_workbook_far_wider_than_its_rows_need_is_refused_before_it_is_opened(
        self,
    ) -> None:
        # Found: 16,384 cells a row, 2.5 million in all. Scaled: 300 a row, over a floor
        # of 5,000 (the default is 100,000, or 100 cells a row on average).
        content = workbook(self.wide_rows(30, 300))
        with (
            mock.patch.object(workbook_parts, "CELLS_FLOOR", 5_000),
            mock.patch.object(reading, "_open_workbook") as opened,
        ):
            message = self.refused(content, "wide.xlsx")
            self.assertIn("9,300 cells in 31 rows", self.command_error(content, "w.xlsx"))
        opened.assert_not_called()
        self.assertIn("9,300 cells in 31 rows; an import reads at most 5,000", message)

    def test_a_wide_csv_previews_with_its_columns_summarised(self) -> None:
        lines = [",".join(row) for row in self.wide_rows(150, 2_000)]
        page = self.preview(csv_bytes(*lines))
        self.assertEqual(self.counts(page)["new"], 150)
        self.assertContains(page, "extra 19, and 1,978 more")


class TestBlankRows(BoundsTestCase):
    """Found: one million blank lines, or a workbook's one row at row 1,048,576, were
    "more than 200,000 rows". Blank rows count toward no limit and no message."""

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_ROWS=5)
    def test_blank_lines_do_not_count_toward_the_row_limit(self) -> None:
        content = b"from,to\n" + b"\n" * 50_000 + b" , \n" * 100 + b"/a/,/b/\n/c/,/d/\n"
        page = self.preview(content)
        self.assertEqual(self.counts(page)["new"], 2)
        self.assertEqual([row.number for row in page.context["plan"].rows], [50_102, 50_103])
        six = csv_bytes("from,to", *(f"/{number}/,/x/\n" for number in range(6)))
        self.assertIn("more than 5 rows", self.refused(six, "six.csv"))

    def test_a_workbook_row_at_excels_last_row_is_read_with_its_number(self) -> None:
        content = workbook([["from", "to"]])
        source = zipfile.ZipFile(io.BytesIO(content))
        last = io.BytesIO()
        with zipfile.ZipFile(last, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(
                        b"</sheetData>",
                        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>/a/</t></is>'
                        b'</c><c r="B1048576" t="inlineStr"><is><t>/b/</t></is></c></row>'
                        b"</sheetData>",
                    )
                archive.writestr(item, data)
        page = self.preview(last.getvalue(), "last.xlsx")
        self.assertEqual([row.number for row in page.context["plan"].rows], [1_048_576])

    def test_a_file_of_only_blank_rows_says_it_has_no_rows(self) -> None:
        self.assertIn("no rows", self.refused(b"from,to\n" + b",\n" * 10_000, "blank.csv"))


class TestRepeatedUnknownHeader(BoundsTestCase):
    """Found: a 10 MB header of repeated unknown names gave a 15 MB preview page (a row
    may now have 16,384 columns, as in Excel: the most that is still previewed)."""

    def test_ignored_columns_are_named_once_and_cut(self) -> None:
        header = "from,to," + ",".join(["unknown"] * 16_000 + [f"c{n}" * 50 for n in range(30)])
        content = csv_bytes(header, "/a/,/b/")
        page = self.preview(content)
        self.assertLess(len(page.content), 100_000)
        ignored = page.context["plan"].ignored_columns
        self.assertEqual(len(ignored), 21)
        self.assertEqual(ignored[0], "unknown")
        self.assertEqual(ignored[-1], "and 11 more")
        self.assertTrue(all(len(name) <= reading.IGNORED_NAME_LENGTH for name in ignored))
        path = self.write(content, "header.csv")
        out = io.StringIO()
        call_command("redirects_import", path, "--dry-run", stdout=out)
        self.assertLess(len(out.getvalue()), 5_000)


@time_machine.travel(NOW, tick=False)
class TestBackslashesAndControlCharacters(BoundsTestCase):
    """Found: a target ``/\\t/evil.com`` was stored as the home page (the tab dropped,
    ``//`` read as a host); ``/\\evil.example`` was accepted as a path."""

    HOSTILE = ("/\t/evil.com", "/\\evil.example", "/a\nb", "https://example.com\\@evil.example/")

    def test_import_rows_with_such_targets_are_errors(self) -> None:
        rows = [f'"/from{number}/","{target}"' for number, target in enumerate(self.HOSTILE)]
        page = self.preview(csv_bytes("from,to", *rows))
        errors = self.errors(page)
        self.assertEqual(len(errors), len(self.HOSTILE), errors)
        for message in errors.values():
            self.assertIn("Backslashes and control characters", message)
        self.assertFalse(any(row.page_id for row in page.context["plan"].rows))

    def test_import_rows_with_such_sources_are_errors(self) -> None:
        page = self.preview(csv_bytes("from,to", '"/\\evil.example",/b/', '"/a\tb",/b/'))
        errors = self.errors(page)
        self.assertEqual(len(errors), 2, errors)
        self.assertIn("Backslashes and control characters", errors[2])

    def test_the_redirect_form_refuses_them(self) -> None:
        for field, value in (("old_path", "/\\evil.example"), ("redirect_link", "/\t/evil.com")):
            with self.subTest(field):
                data = {"old_path": "/new-one", "site": "", "status_code": "301", field: value}
                if field == "old_path":
                    data["redirect_link"] = "/x/"
                response = self.client.post("/admin/redirect-tools/redirects/new/", data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(
                    "Backslashes and control characters",
                    " ".join(response.context["form"].errors[field]),
                )
        self.assertFalse(Redirect.objects.exists())

    def test_a_window_refuses_them(self) -> None:
        expires = NOW + datetime.timedelta(days=3)
        for fields in (
            {"old_path": "/a\\b", "redirect_link": "/x/"},
            {"old_path": "/a", "redirect_link": "/\\x"},
        ):
            with self.subTest(fields), self.assertRaises(ValidationError) as caught:
                ScheduledRedirect(expires_at=expires, **fields).full_clean()
            codes = {
                error.code for errors in caught.exception.error_dict.values() for error in errors
            }
            self.assertIn("unsafe_characters", codes)

    def test_the_rule(self) -> None:
        for value in self.HOSTILE:
            self.assertTrue(rules.has_unsafe_characters(value), value)
        self.assertFalse(rules.has_unsafe_characters("/café/?a=b#c%5C%09"))


@time_machine.travel(NOW, tick=False)
class TestFormulaEscapingRoundTrip(BoundsTestCase):
    """Found: a reason that really is ``'=1+1`` exported as ``'=1+1``, the same as the
    escaped ``=1+1``, so re-importing an unchanged export changed it."""

    def test_an_export_imports_again_unchanged_whatever_its_reasons_start_with(self) -> None:
        reasons = {"/f1": "=1+1", "/f2": "'=1+1", "/f3": "''x", "/f4": "'plain", "/f5": "-"}
        written = {path: "'" + reason for path, reason in reasons.items() if path != "/f4"}
        written["/f4"] = "'plain"  # a quote before text no spreadsheet runs stays as it is
        lines = [f'"{path}",/t/,"{reason}"' for path, reason in written.items()]
        self.confirm(self.preview(csv_bytes("from,to,reason", *lines)))
        stored = dict(RedirectDetails.objects.values_list("redirect__old_path", "reason"))
        self.assertEqual(stored, reasons)
        for file_format in ("csv", "xlsx"):
            with self.subTest(file_format):
                export = self.client.get(
                    "/admin/redirect-tools/redirects/", {"export": file_format}
                )
                exported = {
                    row["from"]: row["reason"]
                    for row in read_table(export.content, f"export.{file_format}").rows
                }
                self.assertEqual(exported["/f1"], "'=1+1")
                self.assertEqual(exported["/f2"], "''=1+1")
                again = self.preview(export.content, f"export.{file_format}")
                self.assertEqual(self.counts(again)["unchanged"], len(reasons))


class TestLongCells(BoundsTestCase):
    """Found (issue 29, item 8): a 491 KB workbook whose one inline-string cell unpacks to
    480 MB took 36.6 s and 657 → 2,794 MB in the request, kept ~1 GB of rows and plan,
    and each view of its preview page was 503 MB of HTML. Here the cell is 64 MB; a
    cell may hold what Excel's may (32,767 characters), checked as the sheet unpacks."""

    CELL = 64 * 1024 * 1024

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.bomb = long_cell_workbook(cls.CELL)

    def test_the_admin_refuses_it_as_it_unpacks_naming_the_cell(self) -> None:
        self.assertLess(len(self.bomb), 100_000)
        with measured() as cost:
            message = self.refused(self.bomb, "cell.xlsx")
        self.assertIn("Row 2, column B holds more than 32,767 characters", message)
        self.assertLess(cost.seconds, 3)
        self.assertLess(cost.peak_mb, 16)
        # Only the file itself is kept (for the editor's next try): no rows, no plan.
        self.assertLessEqual(cost.stored_bytes, len(self.bomb))
        self.assertFalse(RedirectImport.objects.exists())

    def test_the_command_refuses_it(self) -> None:
        with measured() as cost:
            message = self.command_error(self.bomb, "cell.xlsx")
        self.assertIn("Row 2, column B holds more than 32,767 characters", message)
        self.assertLess(cost.peak_mb, 16)

    def test_a_sheet_under_another_part_name_is_checked_too(self) -> None:
        # openpyxl finds sheets by the workbook's relationships, whatever their names.
        content = long_cell_workbook(100_000, column="A", row=7, part="xl/data/cells.bin")
        self.assertIn("Row 7, column A holds more than", self.refused(content, "renamed.xlsx"))

    def test_a_shared_string_over_the_limit_is_refused_where_a_cell_uses_it(self) -> None:
        content = workbook_with_shared_strings(
            [["from", "to"], ["/a/", "/b/"], ["/c/", "y" * 40_000]]
        )
        message = self.refused(content, "shared.xlsx")
        self.assertIn("Row 3, column B holds more than 32,767 characters", message)

    def test_a_workbook_declaring_a_document_type_is_refused(self) -> None:
        def sheet() -> Iterator[bytes]:
            yield b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
            yield SHEET_START.split(b"?>", 1)[1]
            yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a;&a;</t></is></c></row>'
            yield SHEET_END

        message = self.refused(workbook_streamed(sheet()), "doctype.xlsx")
        self.assertIn("declares a document type", message)

    def test_a_tag_longer_than_any_workbook_needs_is_refused(self) -> None:
        def sheet() -> Iterator[bytes]:
            yield SHEET_START + b'<row r="1"><c r="A1" t="inlineStr" x="'
            for _chunk in range(8):
                yield b"y" * 1024 * 1024
            yield b'"><is><t>from</t></is></c></row>' + SHEET_END

        with measured() as cost:
            message = self.refused(workbook_streamed(sheet()), "tag.xlsx")
        self.assertIn("a tag or comment of more than", message)
        self.assertLess(cost.peak_mb, 16)

    def test_a_cell_hidden_in_cdata_or_behind_a_false_end_is_counted(self) -> None:
        def sheet() -> Iterator[bytes]:
            yield SHEET_START + b'<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA['
            for _chunk in range(4):
                yield b"</c><c>" + b"z" * 20_000
            yield b"]]></t></is></c></row>" + SHEET_END

        message = self.refused(workbook_streamed(sheet()), "cdata.xlsx")
        self.assertIn("Row 1, column A holds more than 32,767 characters", message)

    def test_cells_within_the_limit_are_previewed_and_shown_cut(self) -> None:
        long_target = "/" + "t" * 32_000
        rows = [["from", "to"], *([f"/p{number}/", long_target] for number in range(50))]
        page = self.preview(workbook(rows), "long.xlsx")
        self.assertEqual(self.counts(page)["error"], 50)
        self.assertIn("the limit is 255", self.errors(page)[2])
        # 50 rows of 32,000 characters; the page shows 300 of each.
        self.assertLess(len(page.content), 200_000)
        self.assertNotContains(page, "t" * 400)

    def test_a_csv_cell_over_the_limit_is_refused_naming_its_row_and_column(self) -> None:
        content = csv_bytes("from,to,reason", "/a/,/b/,ok", "/c/,/d/," + "r" * 40_000)
        self.assertIn(
            "Row 3, column 3 holds more than 32,767 characters",
            self.refused(content, "long.csv"),
        )
        huge = csv_bytes("from,to", "/a/," + "r" * 200_000)  # past csv's own limit too
        self.assertIn("Row 2 holds a cell of more than 32,767", self.refused(huge, "h.csv"))

    def test_a_json_value_or_key_over_the_limit_is_refused(self) -> None:
        value = json.dumps([{"from": "/a/", "to": "/b/"}, {"from": "/c/", "to": "x" * 40_000}])
        self.assertIn(
            "Row 2, column 'to' holds more than 32,767",
            self.refused(value.encode(), "long.json"),
        )
        key = json.dumps([{"from": "/a/", "to": "/b/", "k" * 40_000: 1}])
        self.assertIn("Row 1, column 'kkk", self.refused(key.encode(), "key.json"))

    def test_a_netlify_field_over_the_limit_is_refused(self) -> None:
        content = b"/a /b 301\n/c /" + b"d" * 40_000 + b" 301\n"
        self.assertIn(
            "Row 2, column 'to' holds more than 32,767",
            self.refused(content, "_redirects"),
        )

    def test_the_column_matching_shows_sample_values_cut(self) -> None:
        content = csv_bytes("Alte URL,Neue URL", "/a/," + "/n" * 10_000)
        response = self.upload(content, "mapped.csv")
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "/n" * 100)
        self.assertContains(page, "/n" * 50)


class TestWideRows(BoundsTestCase):
    """Found (issue 29, item 8): a 50 MB line of 25 million one-character columns took
    2.3 GB before the column count was checked. A row may have 16,384 columns (Excel's
    limit), counted before ``csv`` splits it. Here the line has 2 million (4 MB)."""

    def test_the_admin_says_which_row_has_too_many_columns(self) -> None:
        content = csv_bytes("from,to") + wide_csv(2_000_000)
        with measured() as cost:
            response = self.upload(content, "wide.csv")  # over 1 MB: read by the job
            self.assertEqual(response.status_code, 302)
            page = self.client.get(response["Location"])
        self.assertContains(page, "Row 2 has more than 16,384 columns")
        self.assertEqual(RedirectImport.objects.get().status, "failed")
        self.assertLess(cost.seconds, 5)
        # Copies of the file (the request, the upload, storage, its text), not of its cells.
        self.assertLess(cost.peak_mb, 12 * len(content) / 1024 / 1024)
        self.assertLessEqual(cost.stored_bytes, len(content))  # the upload, no rows

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_BYTES=10 * 1024 * 1024)
    def test_read_in_the_request_and_by_the_command_it_is_a_form_error(self) -> None:
        content = wide_csv(2_000_000)
        self.assertIn("Row 1 has more than 16,384 columns", self.refused(content, "w.csv"))
        self.assertIn("Row 1 has more than", self.command_error(content, "w.csv"))

    def test_a_row_split_over_lines_by_quoted_line_ends_is_counted_whole(self) -> None:
        content = csv_bytes("from,to", "/a/,/b/") + b'"\n",' * 20_000 + b"x\n"
        self.assertIn("Row 3", self.refused(content, "quoted.csv"))
        self.assertIn("more than 16,384 columns", self.refused(content, "quoted.csv"))

    def test_a_row_of_excels_width_is_read(self) -> None:
        header = "from,to," + ",".join(f"c{number}" for number in range(16_382))
        page = self.preview(csv_bytes(header, "/a/,/b/"))
        self.assertEqual(self.counts(page)["new"], 1)

    def test_a_workbook_row_of_more_columns_is_refused(self) -> None:
        def sheet() -> Iterator[bytes]:
            yield SHEET_START + b'<row r="1">'
            yield inline("A1", "from") + inline("B1", "to") + b"<c/>" * 16_383
            yield b"</row>" + SHEET_END

        message = self.refused(workbook_streamed(sheet()), "wide.xlsx")
        self.assertIn("Row 1 has more than 16,384 columns", message)

    def test_json_with_more_keys_than_columns_is_refused(self) -> None:
        keys = {f"k{number}": 1 for number in range(16_385)}
        content = json.dumps([{"from": "/a/", "to": "/b/"}, keys]).encode()
        self.assertIn("Row 2 has more than 16,384 columns", self.refused(content, "k.json"))

    def test_json_objects_are_read_by_the_keys_the_import_uses(self) -> None:
        # Found besides: the first object names 16,000 keys, then 20,000 empty ones; each
        # row was built 16,000 cells wide (minutes at 200,000 rows, from under 1 MB).
        keys = {f"k{number}": 1 for number in range(16_000)}
        items = [keys, *([{}] * 20_000), {"from": "/a/", "to": "/b/"}]
        content = json.dumps(items).encode()
        with measured() as cost:
            table = read_table(content, "sparse.json")
        self.assertEqual(table.numbers, [20_002])
        self.assertLess(cost.seconds, 10)  # 424 s before

    def test_netlify_and_apache_lines_of_too_many_fields_are_refused(self) -> None:
        netlify = b"/a /b 301\n" + b"/x " * 20_000 + b"\n"
        self.assertIn("Row 2 has more than 16,384", self.refused(netlify, "_redirects"))
        apache = b"Redirect 301 /a /b\nRedirect " + b"/x " * 20_000 + b"\n"
        self.assertIn("Row 2 has more than 16,384", self.refused(apache, ".htaccess"))

    def test_a_text_file_of_line_ends_is_read_one_line_at_a_time(self) -> None:
        content = b"\n" * 2_000_000 + b"/a /b 301\n"
        with measured() as cost:
            table = read_table(content, "_redirects")
        self.assertEqual(table.numbers, [2_000_001])
        self.assertLess(cost.peak_mb, 20)  # the text, not 2 million lines in a list


class TestCommandReadsNoMoreThanTheLimit(BoundsTestCase):
    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=1_000_000)
    def test_a_file_over_the_limit_is_refused_having_read_the_limit(self) -> None:
        content = csv_bytes("from,to") + b"/a/,/b/\n" * 1_000_000  # 8 MB
        path = self.write(content, "big.csv")
        with measured() as cost, self.assertRaises(CommandError) as caught:
            call_command("redirects_import", path, "--dry-run", stdout=io.StringIO())
        self.assertIn("The file is 8,000,008 bytes; the limit is 1,000,000", str(caught.exception))
        self.assertLess(cost.peak_mb, 3)


class TestPartsOpenpyxlReadsWhole(BoundsTestCase):
    """Found besides (issue 29): a 185 KB workbook whose styles declare a million cell
    formats took 38 s and 900 MB as openpyxl opened it; the cells of a sheet padded with
    empty rows were all parsed before the cell limit was checked."""

    def styled(self, formats: int) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(workbook([["from", "to"], ["/a/", "/b/"]])))
        packed = io.BytesIO()
        xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/styles.xml":
                    data = data.replace(
                        b'<cellXfs count="1">', b'<cellXfs count="1">' + xf * formats
                    )
                archive.writestr(item, data)
        return packed.getvalue()

    def test_styles_of_more_elements_than_excel_writes_are_refused_before_opening(self) -> None:
        content = self.styled(300_000)
        with mock.patch.object(reading, "_open_workbook") as opened, measured() as cost:
            message = self.refused(content, "styles.xlsx")
        opened.assert_not_called()
        self.assertIn("xl/styles.xml holds more than 262,144 elements", message)
        self.assertLess(cost.peak_mb, 16)  # openpyxl held 900 MB for a million

    def test_excels_own_most_cell_formats_are_read(self) -> None:
        self.assertEqual(len(read_table(self.styled(64_000), "styles.xlsx")), 1)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_ROWS=10)
    def test_the_scan_stops_at_the_most_cells_any_rows_allowed_may_use(self) -> None:
        # 10,000 empty rows allow a million cells by the rows; 10 rows allowed, 100,000.
        def sheet() -> Iterator[bytes]:
            yield SHEET_START + b"<row/>" * 10_000
            for _row in range(50):
                yield b"<row>" + b"<c/>" * 10_000 + b"</row>"
            yield SHEET_END

        with mock.patch.object(reading, "_open_workbook") as opened:
            message = self.refused(workbook_streamed(sheet()), "padded.xlsx")
        opened.assert_not_called()
        self.assertIn("an import reads at most 100,000", message)


class TestDeclaredSizes(BoundsTestCase):
    """The declared unpacked sizes are checked before anything unpacks; a part that
    unpacks to more than it declares is never read past its declaration (zipfile stops
    there, and its checksum then fails)."""

    def test_a_part_larger_than_it_declares_is_not_read_past_its_declaration(self) -> None:
        content = bytearray(long_cell_workbook(2_000_000))
        archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        self.assertGreater(sheet.file_size, 2_000_000)
        # Declare 1,000 bytes wherever the size is written (the central directory's four
        # bytes, the zip64 fields' eight).
        patched = bytes(content)
        for width in (8, 4):
            real = sheet.file_size.to_bytes(width, "little")
            patched = patched.replace(real, (1_000).to_bytes(width, "little"))
        self.assertEqual(
            zipfile.ZipFile(io.BytesIO(patched)).getinfo("xl/worksheets/sheet1.xml").file_size,
            1_000,
        )
        with measured() as cost:
            message = self.refused(patched, "lying.xlsx")
        self.assertIn("not a valid .xlsx workbook", message)
        self.assertLess(cost.peak_mb, 16)


class TestProblemsShownCut(BoundsTestCase):
    def test_an_unexpected_failure_is_shown_without_echoing_what_it_holds(self) -> None:
        # Whatever an unexpected error says (a library may quote a value whole), the
        # import's page shows at most 2,000 characters of it.
        failure = RuntimeError("v" * 100_000)
        with mock.patch(
            "wagtail_redirect_tools.importing.service.plan_import", side_effect=failure
        ):
            response = self.upload(csv_bytes("from,to", "/a/,/b/"))
        self.assertEqual(response.status_code, 302)
        record = RedirectImport.objects.get()
        self.assertEqual(record.status, "failed")
        self.assertLessEqual(len(record.problem), 2_000)
        page = self.client.get(response["Location"])
        self.assertNotContains(page, "v" * 2_000)


class TestPartsOpenpyxlDoesNotRead(BoundsTestCase):
    def test_a_part_that_is_not_well_formed_xml_is_passed_over(self) -> None:
        # Excel's legacy VML drawings (comments' boxes) are not well-formed XML.
        source = zipfile.ZipFile(io.BytesIO(workbook([["from", "to"], ["/a/", "/b/"]])))
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                archive.writestr(item, source.read(item.filename))
            archive.writestr("xl/drawings/vmlDrawing1.vml", "<xml><o:p><br></o:p></xml>")
        page = self.preview(packed.getvalue(), "vml.xlsx")
        self.assertEqual(self.counts(page)["new"], 1)
