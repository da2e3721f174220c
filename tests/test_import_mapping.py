"""Columns the editor matches (issue 15): a header the import does not understand, a
file without one, a column of status codes under an unknown name. The guesses, the
admin's "Match the columns" step and ``redirects_import --columns``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.test_import import BEFORE_THE_WINDOWS, ImportTestCase, corpus, csv_bytes, targets
from wagtail_redirect_tools.importing.columns import ColumnMapping
from wagtail_redirect_tools.importing.errors import ImportFileError
from wagtail_redirect_tools.importing.guessing import (
    Kind,
    column_kind,
    guess_columns,
    kind_of,
    looks_like_header,
    looks_like_status_codes,
)
from wagtail_redirect_tools.importing.planning import ImportOptions
from wagtail_redirect_tools.models import ImportStatus, RedirectDetails, RedirectImport

STATUS_COLUMN = csv_bytes(
    "from,to,http_redirect", "/a/,/b/,301", "/c/,https://example.org/c/,302", "/d/,/e/,302"
)


def meanings(rows: list[list[Any]], *, has_header: bool = True) -> list[str]:
    return [guess.meaning for guess in guess_columns(rows, has_header=has_header)]


# -- Guessing (no database) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("/old/", Kind.PATH),
        ("page:12", Kind.PATH),
        ("https://example.com/x", Kind.URL),
        ("//evil.example", Kind.TEXT),
        ("301", Kind.STATUS),
        (302, Kind.STATUS),
        (301.0, Kind.STATUS),
        ("permanent", Kind.STATUS),
        ("123", Kind.NUMBER),
        (7, Kind.NUMBER),
        ("example.com:8080", Kind.HOST),
        ("localhost", Kind.HOST),
        ("Ancienne URL", Kind.TEXT),
        ("", Kind.BLANK),
        (None, Kind.BLANK),
        (datetime.date(2026, 12, 31), Kind.DATE),
    ],
)
def test_kind_of_a_cell(value: Any, kind: Kind) -> None:
    assert kind_of(value) == kind


@pytest.mark.django_db
def test_kind_of_a_date_written_as_text() -> None:
    assert kind_of("2026-12-31") == Kind.DATE
    assert kind_of("2026-12-31T18:00:00+01:00") == Kind.DATE


def test_a_column_is_of_the_kind_of_most_of_its_cells() -> None:
    assert column_kind(["/a/", "https://x.org/", "/c/", ""]) == Kind.URL
    assert column_kind(["/a/", "/b/"]) == Kind.PATH
    assert column_kind(["Hello", "/a/"]) == Kind.TEXT
    assert column_kind(["", None]) == Kind.BLANK


def test_a_status_column_is_status_codes_only() -> None:
    assert looks_like_status_codes(["301", "302", ""])
    assert looks_like_status_codes([301, "temporary"])
    assert not looks_like_status_codes(["301", "hello"])
    assert not looks_like_status_codes(["404", "451"]), "no code a redirect answers with"
    assert not looks_like_status_codes(["12", "13"])


def test_a_first_row_of_paths_is_not_a_header() -> None:
    assert looks_like_header(["Ancienne URL", "Nouvelle URL", "Type"])
    assert looks_like_header(["from", "to"])
    assert not looks_like_header(["/a/", "/b/", "301"])
    assert not looks_like_header(["old", "https://example.com/"])


def test_guesses_of_the_french_file() -> None:
    rows = [
        ["Ancienne URL", "Nouvelle URL", "Type", "Raison"],
        ["/produits/", "/products/", "301", "Refonte"],
        ["/soldes/", "https://shop.example.com/", "302", "Soldes d'été"],
    ]
    assert meanings(rows) == ["from", "to", "type", "reason"]
    assert [guess.by for guess in guess_columns(rows, has_header=True)] == [
        "values",
        "values",
        "name",
        "values",
    ]


def test_guesses_without_a_header() -> None:
    rows = [["/a/", "/b/", "302"], ["/c/", "https://x.org/", ""]]
    assert meanings(rows, has_header=False) == ["from", "to", "type"]


def test_guesses_of_dates_sites_and_numbers() -> None:
    rows = [
        ["a", "b", "c", "d", "e", "f"],
        ["/x/", "/y/", "example.com", datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), 17],
    ]
    assert meanings(rows) == ["from", "to", "site", "starts_at", "expires_at", "ignore"]
    one_date = [["a", "b", "c"], ["/x/", "/y/", datetime.date(2026, 2, 1)]]
    assert meanings(one_date) == ["from", "to", "expires_at"]


def test_names_win_over_values() -> None:
    rows = [["target", "whatever", "source"], ["/new/", "/other/", "/old/"]]
    assert meanings(rows) == ["to", "ignore", "from"]


def test_a_status_column_under_an_unknown_name_is_guessed_as_the_type() -> None:
    rows = [["from", "to", "http_redirect"], ["/a/", "/b/", "302"]]
    guesses = guess_columns(rows, has_header=True)
    assert [guess.meaning for guess in guesses] == ["from", "to", "type"]
    assert guesses[2].is_status_guess


# -- The mapping ---------------------------------------------------------------------


def test_a_mapping_is_parsed_from_the_command_line() -> None:
    mapping = ColumnMapping.parse("from, to,type,-,Expires", has_header=False)
    assert mapping.meanings == ("from", "to", "type", "ignore", "expires_at")
    assert not mapping.has_header


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("from,to,colour", "'colour' is not a column the import knows. Use: from, to, type"),
        ("from,type", "Choose the column that holds 'to'."),
        ("from,to,to", "2 columns are matched to 'to'; choose one."),
    ],
)
def test_a_mapping_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        ColumnMapping.parse(text)


def test_options_keep_the_mapping_as_json() -> None:
    options = ImportOptions(columns=("from", "to"), has_header=False, column_labels=("a", "b"))
    data = options.to_json()
    assert data["columns"] == ["from", "to"]
    assert ImportOptions.from_json(data) == options
    assert ImportOptions.from_json({"site_id": None}).columns is None  # records made before


# -- The command ---------------------------------------------------------------------


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestCommand(ImportTestCase):
    def write(self, name: str, content: bytes) -> str:
        path = Path(self.enterContext(_TemporaryDirectory())) / name
        path.write_bytes(content)
        return str(path)

    def test_a_header_not_understood_names_what_row_1_holds_and_the_guess(self) -> None:
        _code, output = self.cli_error(self.write("fr.csv", corpus("french_excel.csv")))
        self.assertIn("The first row holds: Ancienne URL, Nouvelle URL, Type, Raison", output)
        self.assertIn("from (or source, old", output)
        self.assertIn("Guessed from the values: --columns from,to,type,reason", output)
        self.assertEqual(Redirect.objects.count(), 0)
        self.assertEqual(RedirectImport.objects.count(), 0, "the upload is not kept")

    def test_the_french_file_with_columns(self) -> None:
        path = self.write("fr.csv", corpus("french_excel.csv"))
        code, output = self.cli(path, "--columns", "from,to,type,reason")
        self.assertEqual(code, 0, output)
        self.assertIn("Column 1 'Ancienne URL' → from", output)
        self.assertIn("Column 4 'Raison' → reason", output)
        self.assertIn("4 created", output)
        self.assert_french_file_imported()

    def test_a_file_without_a_header(self) -> None:
        path = self.write("no_header.csv", corpus("no_header.csv"))
        code, output = self.cli_error(path)
        self.assertIn("The first row holds /old-blog/2019/, /blog/, 301", output)
        self.assertIn("--no-header --columns from,to,type", output)
        code, output = self.cli(path, "--no-header", "--columns", "from,to,type")
        self.assertEqual(code, 0, output)
        self.assertIn("Column 1 → from", output)
        self.assert_no_header_file_imported()

    def test_a_status_column_under_an_unknown_name_is_not_ignored(self) -> None:
        path = self.write("codes.csv", STATUS_COLUMN)
        code, output = self.cli_error(path)
        self.assertIn("The column 'http_redirect' holds status codes", output)
        self.assertIn("--columns from,to,type", output)
        self.assertEqual(Redirect.objects.count(), 0)
        code, output = self.cli(path, "--columns", "from,to,type")
        self.assertEqual(code, 0, output)
        self.assertEqual(RedirectDetails.objects.get(redirect__old_path="/c").status_code, 302)

    def test_a_mapping_the_command_cannot_use(self) -> None:
        path = self.write("basic.csv", corpus("basic.csv"))
        for args, message in [
            (["--columns", "from,colour"], "'colour' is not a column the import knows"),
            (["--no-header"], "--no-header needs --columns"),
            (["--columns", "ignore,ignore,ignore,ignore,from,to"], "The file has 2 columns"),
        ]:
            with self.subTest(args):
                self.assertIn(message, self.cli_error(path, *args)[1])
        self.assertEqual(RedirectImport.objects.count(), 0)

    def test_columns_override_a_header_the_import_knows(self) -> None:
        content = csv_bytes("from,to,type", "/a/,/b/,302")
        code, output = self.cli(self.write("swap.csv", content), "--columns", "to,from,ignore")
        self.assertEqual(code, 0, output)
        self.assertEqual(targets(), {"/b": "/a/"})

    def cli_error(self, *args: str) -> tuple[int, str]:
        from django.core.management import CommandError, call_command

        try:
            call_command("redirects_import", *args, stdout=_Sink(), stderr=_Sink())
        except CommandError as error:
            return error.returncode, str(error)
        self.fail("the command did not refuse")

    def assert_french_file_imported(self) -> None:
        codes = {
            details.redirect.old_path: details.status_code
            for details in RedirectDetails.objects.select_related("redirect")
        }
        self.assertEqual(
            codes,
            {
                "/ancien-site/produits/chaussures": 301,
                "/ancien-site/à-propos": 301,
                "/ancien-site/soldes-été": 302,
                "/ancien-site/contact.php": 308,
            },
        )
        self.assertEqual(
            RedirectDetails.objects.get(
                redirect__old_path="/ancien-site/soldes-été"
            ).redirect.redirect_link,
            "https://boutique.example.com/soldes/",
        )

    def assert_no_header_file_imported(self) -> None:
        codes = {
            details.redirect.old_path: details.status_code
            for details in RedirectDetails.objects.select_related("redirect")
        }
        self.assertEqual(
            codes, {"/old-blog/2019": 301, "/summer-sale": 302, "/legacy/contact.php": 301}
        )


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


class _TemporaryDirectory:
    def __enter__(self) -> str:
        import tempfile

        self.directory = tempfile.TemporaryDirectory()
        return self.directory.name

    def __exit__(self, *args: object) -> None:
        self.directory.cleanup()


# -- The admin -----------------------------------------------------------------------


class MatchingTestCase(ImportTestCase):
    def match_page(self, content: bytes, name: str = "redirects.csv") -> Any:
        response = self.upload(content, name)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/columns/", response["Location"])
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        return page

    def initial(self, page: Any) -> dict[str, Any]:
        form = page.context["form"]
        return {name: form[name].value() for name in form.fields}

    def submit(self, page: Any, **changes: Any) -> Any:
        data = {**self.initial(page), **changes}
        data = {name: value for name, value in data.items() if value not in (False, None)}
        url = reverse("wagtail_redirect_tools:import_columns", args=[page.context["token"]])
        return self.client.post(url, data)


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestMatchingStep(MatchingTestCase):
    def test_the_french_file_is_matched_previewed_and_imported(self) -> None:
        page = self.match_page(corpus("french_excel.csv"), "redirections.csv")
        record = RedirectImport.objects.get()
        self.assertTrue(record.file, "the file is kept: the editor does not choose it again")
        self.assertContains(page, "The first row holds: Ancienne URL, Nouvelle URL, Type, Raison")
        self.assertContains(page, "Soldes d\u2019été (jusqu\u2019au 31 août)")  # cp1252, read
        self.assertEqual(
            self.initial(page),
            {
                "has_header": True,
                "column_0": "from",
                "column_1": "to",
                "column_2": "type",
                "column_3": "reason",
            },
        )
        self.assertContains(page, "Guessed from its values (paths)")
        # The detail link waits for the matching too.
        detail = self.client.get(
            reverse("wagtail_redirect_tools:import_detail", args=[page.context["token"]])
        )
        self.assertRedirects(detail, page.request["PATH_INFO"], fetch_redirect_response=False)

        response = self.submit(page)
        self.assertEqual(response.status_code, 302)
        preview = self.client.get(response["Location"])
        self.assertEqual(self.counts(preview)["new"], 4)
        self.assertContains(preview, "Column 1 &#x27;Ancienne URL&#x27; → from")
        self.assertContains(preview, "Change column matching")
        self.assertEqual(Redirect.objects.count(), 0)
        summary = self.confirm(preview)
        self.assertContains(summary, "4 created")
        self.assertContains(summary, "Column 4 &#x27;Raison&#x27; → reason")
        self.assertEqual(
            RedirectDetails.objects.get(redirect__old_path="/ancien-site/soldes-été").status_code,
            302,
        )
        self.assertEqual(
            Redirect.objects.get(old_path="/ancien-site/contact.php").redirect_link, "/contact/"
        )

    def test_a_file_without_a_header(self) -> None:
        page = self.match_page(corpus("no_header.csv"))
        self.assertEqual(self.initial(page)["has_header"], False)
        self.assertContains(page, "it is not a header")
        self.assertEqual(len(page.context["shown_rows"]), 3)
        preview = self.client.get(self.submit(page)["Location"])
        self.assertEqual(self.counts(preview)["new"], 3)
        self.assertEqual([row.number for row in preview.context["plan"].rows], [1, 2, 3])
        self.confirm(preview)
        self.assertEqual(
            RedirectDetails.objects.get(redirect__old_path="/summer-sale").status_code, 302
        )

    def test_a_status_column_under_an_unknown_name_stops_at_the_matching_step(self) -> None:
        page = self.match_page(STATUS_COLUMN)
        self.assertContains(page, "The column &#x27;http_redirect&#x27; holds status codes")
        self.assertEqual(self.initial(page)["column_2"], "type")
        self.assertContains(page, "Guessed from its values (status codes)")
        preview = self.client.get(self.submit(page)["Location"])
        self.confirm(preview)
        codes = {d.redirect.old_path: d.status_code for d in RedirectDetails.objects.all()}
        self.assertEqual(codes, {"/a": 301, "/c": 302, "/d": 302})

    def test_the_editor_may_ignore_the_status_column_but_must_say_so(self) -> None:
        page = self.match_page(STATUS_COLUMN)
        preview = self.client.get(self.submit(page, column_2="ignore")["Location"])
        self.assertContains(preview, "http_redirect&#x27; → ignore")
        self.confirm(preview)
        self.assertEqual(set(RedirectDetails.objects.values_list("status_code", flat=True)), {301})

    def test_a_matching_that_cannot_be_used_is_a_form_error(self) -> None:
        page = self.match_page(corpus("french_excel.csv"))
        response = self.submit(page, column_1="from")
        self.assertEqual(response.status_code, 200)
        # The error is each of the two columns' (read out with its select, issue 32).
        form = response.context["form"]
        for name in ("column_0", "column_1"):
            self.assertIn("2 columns are matched to 'from'", " ".join(form.errors[name]))
        response = self.submit(page, column_0="ignore", column_1="ignore")
        self.assertIn(
            "Choose the column that holds 'from' and 'to'",
            " ".join(response.context["form"].non_field_errors()),
        )
        self.assertEqual(RedirectImport.objects.get().status, ImportStatus.UPLOADED)

    def test_a_recognised_header_is_changed_from_the_preview(self) -> None:
        content = csv_bytes("from,to,type", "/a/,/b/,302", "/c/,/d/,301")
        preview = self.preview(content)
        self.assertContains(preview, "Change column matching")
        url = reverse("wagtail_redirect_tools:import_columns", args=[preview.context["token"]])
        page = self.client.get(url)
        self.assertEqual(
            self.initial(page),
            {"has_header": True, "column_0": "from", "column_1": "to", "column_2": "type"},
        )
        self.assertEqual(page.context["messages_about_columns"], [])
        again = self.client.get(self.submit(page, column_0="to", column_1="from")["Location"])
        self.assertEqual({row.old_path for row in again.context["plan"].rows}, {"/b", "/d"})
        self.confirm(again)
        self.assertEqual(targets(), {"/b": "/a/", "/d": "/c/"})
        imported = self.client.get(url)
        self.assertEqual(imported.status_code, 404, "an imported file's columns are settled")

    def test_a_known_header_with_harmless_unknown_columns_goes_straight_to_the_preview(
        self,
    ) -> None:
        preview = self.preview(csv_bytes("from,to,category", "/a/,/b/,blog", "/c/,/d/,404"))
        self.assertEqual(self.counts(preview)["new"], 2)
        self.assertEqual(preview.context["plan"].ignored_columns, ["category"])

    def test_only_the_uploader_matches_the_columns(self) -> None:
        from tests.utils.users import make_user

        page = self.match_page(corpus("french_excel.csv"))
        other = make_user("importer", "add_redirect", "change_redirect", "delete_redirect")
        self.client.force_login(other)
        url = reverse("wagtail_redirect_tools:import_columns", args=[page.context["token"]])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, self.initial(page)).status_code, 404)


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestMatchingOtherFormats(MatchingTestCase):
    def test_a_workbook_without_a_header(self) -> None:
        from tests.test_import_bounds import workbook

        content = workbook(
            [
                ["/w1/", "/x/", 302, "Moved"],
                ["/w2/", "https://example.org/", 307, datetime.date(2026, 12, 31)],
            ]
        )
        page = self.match_page(content, "sheet.xlsx")
        self.assertEqual(
            self.initial(page),
            {
                "has_header": False,
                "column_0": "from",
                "column_1": "to",
                "column_2": "type",
                "column_3": "reason",
            },
        )
        preview = self.client.get(self.submit(page, column_3="ignore")["Location"])
        rows = preview.context["plan"].rows
        self.assertEqual([(row.number, row.status_code) for row in rows], [(1, 302), (2, 307)])
        self.assertEqual(self.counts(preview)["new"], 2)

    def test_a_json_file_with_keys_the_import_does_not_know(self) -> None:
        content = (
            b'[{"alt": "/j1/", "neu": "/x/", "http_redirect": 302},'
            b' {"alt": "/j2/", "neu": "/y/", "http_redirect": 301}]'
        )
        page = self.match_page(content, "redirects.json")
        form = page.context["form"]
        self.assertTrue(form.fields["has_header"].disabled, "a JSON file's keys name its columns")
        self.assertEqual(
            [self.initial(page)[f"column_{index}"] for index in range(3)], ["from", "to", "type"]
        )
        preview = self.client.get(self.submit(page)["Location"])
        self.assertEqual(self.counts(preview)["new"], 2)
        self.confirm(preview)
        self.assertEqual(RedirectDetails.objects.get(redirect__old_path="/j1").status_code, 302)

    def test_netlify_lines_have_no_columns_to_match(self) -> None:
        preview = self.preview(corpus("netlify_redirects.txt"), "_redirects")
        self.assertNotContains(preview, "Change column matching")
        url = reverse("wagtail_redirect_tools:import_columns", args=[preview.context["token"]])
        self.assertEqual(self.client.get(url).status_code, 404)
