"""A file's rows are held compactly until planned (issue 34, item 4: a million rows under
600 MB): the names once and each dense row's cells as a tuple, short cells that repeat
held once, and each row read back as the dict it was, as the upload read it and as the
kept rows file gives it back."""

from __future__ import annotations

import io

from django.test import SimpleTestCase, TestCase

from wagtail_redirect_tools.importing.compact_rows import CompactRows
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.importing.row_store import read_table_from, write_table

FILE = (
    b"from,to,type,reason\n"
    b"/a/,/new/a/,301,moved\n"
    b"/b/,/new/b/,301\n"
    b"/c/,/new/c/,302,moved,extra cell\n"
    b"/d/,/new/d/,301,\n"
)


class CompactRowsTests(SimpleTestCase):
    def read(self) -> CompactRows:
        table = read_table(FILE, "redirects.csv")
        self.assertIsInstance(table.rows, CompactRows)
        assert isinstance(table.rows, CompactRows)
        return table.rows

    def test_rows_read_back_as_their_dicts(self) -> None:
        rows = self.read()
        self.assertEqual(len(rows), 4)
        self.assertEqual(
            rows[0], {"from": "/a/", "to": "/new/a/", "type": "301", "reason": "moved"}
        )
        self.assertEqual(rows[1], {"from": "/b/", "to": "/new/b/", "type": "301", "reason": None})
        self.assertEqual(rows[2]["__extra__"], True)  # the cell past the header is said
        self.assertNotIn("__extra__", rows[3])
        self.assertEqual(list(rows)[3], rows[3])
        self.assertEqual(rows[1:3], [rows[1], rows[2]])

    def test_dense_rows_are_tuples_and_repeated_short_cells_shared(self) -> None:
        rows = self.read()
        held = rows._rows
        self.assertEqual([type(row) for row in held], [tuple, tuple, dict, tuple])
        self.assertEqual(sorted(rows.columns), ["from", "reason", "to", "type"])
        kind = rows.columns.index("type")
        self.assertEqual(held[0][kind], "301")
        self.assertIs(held[0][kind], held[1][kind])  # "301" once
        self.assertIs(held[0][kind], held[3][kind])

    def test_a_row_read_is_a_copy_and_a_row_let_go_is_none(self) -> None:
        rows = self.read()
        rows[0]["to"] = "/changed/"
        self.assertEqual(rows[0]["to"], "/new/a/")
        rows[2]["to"] = "/changed/"  # a row held as its dict (a cell past the header)
        self.assertEqual(rows[2]["to"], "/new/c/")
        rows[0] = None  # type: ignore[call-overload]
        self.assertIsNone(rows[0])
        self.assertEqual(rows[1]["from"], "/b/")

    def test_the_kept_rows_file_gives_the_same_rows(self) -> None:
        table = read_table(FILE, "redirects.csv")
        kept = io.BytesIO()
        write_table(table, kept)
        kept.seek(0)
        again = read_table_from(kept)
        self.assertIsInstance(again.rows, CompactRows)
        # The kept file holds every name for every row: what a row lacked comes back None.
        expected = [{"__extra__": None, **row} for row in table.rows]
        self.assertEqual(list(again.rows), expected)
        self.assertEqual(again.numbers, table.numbers)
        assert isinstance(again.rows, CompactRows)
        self.assertEqual({type(row) for row in again.rows._rows}, {tuple})


class PlannedRowsShareTests(TestCase):
    def test_rows_of_one_status_code_share_its_object(self) -> None:
        content = b"from,to,type\n/a/,/new/a/,301\n/b/,/new/b/,301\n/c/,/new/c/,302\n/d/,/new/d/\n"
        rows = plan_import(read_table(content, "redirects.csv"), ImportOptions()).rows
        self.assertEqual([row.status_code for row in rows], [301, 301, 302, 301])
        self.assertIs(rows[0].status_code, rows[1].status_code)  # not an int per row
