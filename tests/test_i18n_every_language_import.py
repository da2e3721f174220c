"""Every-language redirects in imports and exports, on the multilingual test site (issue
30): an ``every_language`` column (or ``languages`` = ``all``) sets it per row, through the
admin's import screens and ``redirects_import``; exports write it back, so an export
imports back unchanged."""

from __future__ import annotations

import io
import os
import tempfile

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from tests.test_i18n_every_language import get
from tests.test_i18n_imports import MultilingualTestCase
from wagtail_redirect_tools.importing.columns import ColumnMapping
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution import forget_process_state

pytestmark = pytest.mark.i18n

FILE = (
    b"from,to,every_language\n"
    b"/old-about,/en/about/,yes\n"
    b"/old-news,/news/,true\n"
    b"/cy/hen-dudalen,/cy/amdanom/,\n"
)


def flags() -> dict[str, bool]:
    return {
        redirect.old_path: RedirectDetails.serves_every_language(redirect)
        for redirect in Redirect.objects.select_related("details")
    }


def run_command(content: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as file:
        file.write(content)
    try:
        out = io.StringIO()
        call_command("redirects_import", file.name, *args, stdout=out)
        return out.getvalue()
    finally:
        os.unlink(file.name)


class TestImport(MultilingualTestCase):
    def test_the_admin_import_sets_it_per_row(self) -> None:
        preview = self.preview(FILE)
        rows = preview.context["plan"].rows
        self.assertEqual([row.action for row in rows], ["new"] * 3, [r.errors for r in rows])
        self.assertEqual([row.every_language for row in rows], [True, True, False])
        self.confirm(preview)
        self.assertEqual(flags(), {"/old-about": True, "/old-news": True, "/cy/hen-dudalen": False})
        forget_process_state()
        self.assertEqual(get("/cy/old-about/"), (301, "/cy/amdanom/"))
        self.assertEqual(get("/fr/old-about/"), (301, "/fr/a-propos/"))
        self.assertEqual(get("/fr/old-news/"), (301, "/fr/news/"))

    def test_the_command_sets_it_and_a_changed_flag_is_an_update(self) -> None:
        run_command(FILE)
        self.assertEqual(flags()["/old-about"], True)
        self.assertIn("0 created, 0 updated", run_command(FILE))
        switched = FILE.replace(b"/old-about,/en/about/,yes", b"/old-about,/en/about/,no")
        preview = self.preview(switched)
        self.assertEqual(
            [row.action for row in preview.context["plan"].rows],
            ["update", "unchanged", "unchanged"],
        )
        self.confirm(preview)
        self.assertEqual(flags()["/old-about"], False)

    def test_synonyms_and_words(self) -> None:
        for header, value, expected in (
            ("languages", "all", True),
            ("all_languages", "1", True),
            ("Every Language", "No", False),
            ("every_language", "", False),
        ):
            with self.subTest(header=header, value=value):
                content = f"from,to,{header}\n/old,/news/,{value}\n".encode()
                row = self.plan(content).rows[0]
                self.assertEqual((row.action, row.every_language), ("new", expected), row.errors)

    def test_a_word_it_does_not_know_is_an_error(self) -> None:
        row = self.plan(b"from,to,every_language\n/old,/news/,cy\n").rows[0]
        self.assertEqual(row.action, "error")
        self.assertIn("every language", row.errors[0])

    def test_a_window_cannot_serve_every_language(self) -> None:
        row = self.plan(b"from,to,expires_at,every_language\n/old,/news/,2099-01-01,yes\n").rows[0]
        self.assertEqual(row.action, "error")
        self.assertIn("every_language", row.errors[0])

    def test_an_editor_can_match_the_column(self) -> None:
        mapping = ColumnMapping.parse("from,to,every_language", has_header=False)
        table = read_table(b"/old,/news/,yes\n", "x.csv", columns=mapping)
        row = plan_import(table, ImportOptions()).rows[0]
        self.assertEqual((row.action, row.every_language), ("new", True), row.errors)


class TestExport(MultilingualTestCase):
    def test_an_export_writes_it_and_imports_back_unchanged(self) -> None:
        run_command(FILE)
        for file_format in ("csv", "xlsx", "json"):
            with self.subTest(file_format):
                response = self.client.get(
                    "/admin/redirect-tools/redirects/", {"export": file_format}
                )
                self.assertEqual(response.status_code, 200)
                content = (
                    b"".join(response.streaming_content)
                    if response.streaming
                    else (response.content)
                )
                if file_format == "csv":
                    text = content.decode("utf-8-sig")
                    self.assertIn("every_language", text.splitlines()[0])
                    # "to" is where visitors land; "to_page" keeps the page for the import.
                    self.assertRegex(text, r"/old-about,http://localhost/en/about/,.*,yes,.*,page:")
                table = read_table(content, f"redirects.{file_format}")
                rows = plan_import(table, ImportOptions()).rows
                self.assertEqual(
                    {row.action for row in rows}, {"unchanged"}, [r.errors for r in rows]
                )

    def test_the_command_writes_it(self) -> None:
        run_command(FILE)
        out = io.StringIO()
        call_command("redirects_export", "--format", "csv", stdout=out)
        lines = out.getvalue().splitlines()
        header = lines[0].split(",")
        column = header.index("every_language")
        by_path = {line.split(",")[0]: line.split(",")[column] for line in lines[1:]}
        self.assertEqual(by_path, {"/old-about": "yes", "/old-news": "yes", "/cy/hen-dudalen": ""})
