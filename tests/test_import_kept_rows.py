"""A file is parsed once per step: the rows the upload read are kept with the import,
so the preview (now or in its job) and the confirm plan from them, and the confirm
checks them against the database as it is then without reading the file again.

Each test replaces the stored upload with other bytes after it was read: a step that
read the file again would plan those bytes instead of the rows the editor saw."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.importing import jobs, service
from wagtail_redirect_tools.importing.reading import Table
from wagtail_redirect_tools.importing.row_store import read_table_from, write_table
from wagtail_redirect_tools.models import ImportStatus, RedirectImport

UPLOAD = reverse("wagtail_redirect_tools:import")
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
FILE = b"from,to\n/s1/,/t1/\n/s2/,/t2/\n/s3/,/t3/\n"
# What the stored upload is replaced with: rows of its own, then bytes no parser reads.
OTHER_ROWS = b"from,to\n/other/,/elsewhere/\n"
NOT_A_FILE = b"PK\x03\x04 not a workbook"


def round_trip(table: Table) -> Table:
    kept = io.BytesIO()
    write_table(table, kept)
    kept.seek(0)
    return read_table_from(kept)


def replace_stored_upload(record: RedirectImport, content: bytes) -> None:
    name = record.file.name
    default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    assert saved == name  # the same name, so the import finds these bytes


class KeptRowsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def upload(self, content: bytes = FILE) -> Any:
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("r.csv", content),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(response.status_code, 302)
        return self.client.get(response["Location"])

    def confirm(self, page: Any) -> Any:
        url = reverse("wagtail_redirect_tools:import_confirm", args=[page.context["token"]])
        return self.client.get(self.client.post(url)["Location"])

    def counts(self, page: Any) -> dict[str, int]:
        return {action: count for action, _label, count in page.context["tabs"]}


class TestTheConfirmDoesNotReadTheFileAgain(KeptRowsTestCase):
    def test_the_confirm_imports_the_rows_the_preview_read(self) -> None:
        page = self.upload()
        replace_stored_upload(RedirectImport.objects.get(), NOT_A_FILE)
        summary = self.confirm(page)
        self.assertContains(summary, "3 created")
        self.assertEqual(
            dict(Redirect.objects.values_list("old_path", "redirect_link")),
            {"/s1": "/t1/", "/s2": "/t2/", "/s3": "/t3/"},
        )

    def test_a_redirect_added_since_the_preview_is_found_again(self) -> None:
        page = self.upload()
        replace_stored_upload(RedirectImport.objects.get(), OTHER_ROWS)
        Redirect.objects.create(old_path="/s2", redirect_link="/somewhere-else/")
        summary = self.confirm(page)
        self.assertContains(summary, "2 created, 1 updated")
        self.assertEqual(Redirect.objects.get(old_path="/s2").redirect_link, "/t2/")
        self.assertFalse(Redirect.objects.filter(old_path="/other").exists())

    def test_a_loop_made_since_the_preview_refuses_the_import(self) -> None:
        page = self.upload(b"from,to\n/a/,/b/\n")
        replace_stored_upload(RedirectImport.objects.get(), NOT_A_FILE)
        Redirect.objects.create(old_path="/b", redirect_link="/a/")
        result = self.confirm(page)
        record = RedirectImport.objects.get()
        self.assertEqual(record.status, ImportStatus.PREVIEWED)
        self.assertIn("1 rows have errors; nothing was written", record.problem)
        self.assertIn("Loop: /a → /b → /a.", " ".join(result.context["plan"].rows[0].errors))
        self.assertEqual(Redirect.objects.count(), 1)

    def test_once_imported_the_upload_and_its_rows_are_deleted(self) -> None:
        page = self.upload()
        record = RedirectImport.objects.get()
        names = [record.file.name, record.rows_file.name]
        self.assertTrue(all(default_storage.exists(name) for name in names))
        self.confirm(page)
        record.refresh_from_db()
        self.assertFalse(record.file or record.rows_file)
        self.assertFalse(any(default_storage.exists(name) for name in names))
        self.assertTrue(record.preview_file)  # the summary's rows

    def test_discarding_an_upload_deletes_its_rows(self) -> None:
        self.upload()
        record = RedirectImport.objects.get()
        name = record.rows_file.name
        service.discard_upload(record)
        self.assertFalse(default_storage.exists(name))


class TestOneProcessPreviewsAndImports(KeptRowsTestCase):
    """A caller that previews and confirms in one process (a command): the preview lets
    each row's cells go as it plans it, so a large file's cells and plan are not held
    whole at once; the confirm then plans from the kept rows, not from the upload."""

    def test_the_preview_lets_the_rows_go_and_the_confirm_loads_them_again(self) -> None:
        record = service.start_upload(FILE, "r.csv", service.ImportOptions())
        _name, table = record._rows_read
        plan = jobs.request_preview(record, wait=True)
        assert plan is not None
        self.assertEqual(plan.counts["new"], 3)
        self.assertEqual(table.rows, [None, None, None])  # let go, row by row
        self.assertFalse(hasattr(record, "_rows_read"))
        replace_stored_upload(record, OTHER_ROWS)  # the upload is not read again
        outcome = jobs.request_import(record, wait=True)
        assert outcome is not None
        self.assertEqual(outcome.created, 3)
        self.assertEqual(
            sorted(Redirect.objects.values_list("old_path", flat=True)), ["/s1", "/s2", "/s3"]
        )


@override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS=1, TASKS=DUMMY_TASKS)
class TestThePreviewJobDoesNotReadTheFileAgain(KeptRowsTestCase):
    def test_the_job_plans_the_rows_the_upload_read(self) -> None:
        from wagtail_redirect_tools.importing.tasks import preview_import_task

        page = self.upload()
        self.assertContains(page, "data-import-progress")  # queued: a worker previews it
        record = RedirectImport.objects.get()
        self.assertEqual(record.total_rows, 3)  # the upload read it once
        replace_stored_upload(record, OTHER_ROWS)
        preview_import_task.call(record.pk)
        page = self.client.get(
            reverse("wagtail_redirect_tools:import_detail", args=[page.context["token"]])
        )
        self.assertEqual(self.counts(page)["new"], 3)
        self.assertEqual([row.old_path for row in page.context["plan"].rows], ["/s1", "/s2", "/s3"])


class TestTheRowStore(TestCase):
    def test_every_kind_of_cell_comes_back_as_it_was_read(self) -> None:
        moment = datetime.datetime(2026, 3, 29, 1, 30)
        table = Table(
            rows=[
                {"from": "/a/", "to": "/ä/", "type": 302, "reason": None, "__extra__": True},
                {"from": "/b/", "to": 1.5, "expires_at": moment, "starts_at": moment.date()},
                {"from": "/c/", "to": "x", "reason": datetime.time(9, 15), "type": True},
                {"from": "/d/", "to": float("nan"), "reason": datetime.timedelta(hours=2)},
            ],
            numbers=[2, 5, 6, 9],
            ignored_columns=["hits", "and 3 more"],
        )
        kept = round_trip(table)
        self.assertEqual(kept.numbers, table.numbers)
        self.assertEqual(kept.ignored_columns, table.ignored_columns)
        for row, kept_row in zip(table.rows[:3], kept.rows[:3], strict=True):
            # A column another row has is None in this one, as ``row.get`` reads it.
            self.assertEqual(
                {k: v for k, v in kept_row.items() if v is not None},
                {k: v for k, v in row.items() if v is not None},
            )
            for name, value in row.items():
                self.assertIs(type(kept_row[name]), type(value))
        last = kept.rows[3]
        self.assertNotEqual(last["to"], last["to"])  # still NaN
        self.assertEqual(last["reason"], datetime.timedelta(hours=2))

    def test_a_chunk_of_rows_a_line_and_rows_kept_by_version_1_still_load(self) -> None:
        rows = [{"from": f"/s{i}/", "to": f"/t{i}/"} for i in range(2500)]
        table = Table(rows=rows, numbers=list(range(2, 2502)))
        kept = io.BytesIO()
        write_table(table, kept)
        head, *chunks = kept.getvalue().splitlines()
        self.assertEqual(json.loads(head)["version"], 2)
        self.assertEqual([len(json.loads(chunk)) for chunk in chunks], [1000, 1000, 500])
        self.assertEqual(round_trip(table).rows, rows)
        old = {
            "version": 1,
            "columns": ["from", "to"],
            "numbers": [2, 3],
            "ignored_columns": [],
            "rows": [["/a/", "/b/"], ["/c/"]],
        }
        loaded = read_table_from(io.BytesIO(json.dumps(old).encode()))
        self.assertEqual(loaded.rows, [{"from": "/a/", "to": "/b/"}, {"from": "/c/", "to": None}])
        self.assertEqual(loaded.numbers, [2, 3])


CELLS = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)
NAMES = st.sampled_from(["from", "to", "type", "site", "reason", "__extra__", "é col"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.dictionaries(NAMES, CELLS, max_size=7), min_size=1, max_size=8))
def test_any_table_comes_back_as_it_was_read(rows: list[dict[str, Any]]) -> None:
    table = Table(rows=rows, numbers=list(range(2, len(rows) + 2)), ignored_columns=["x"])
    kept = round_trip(table)
    assert kept.numbers == table.numbers
    for row, kept_row in zip(rows, kept.rows, strict=True):
        for name, value in kept_row.items():
            expected = row.get(name)
            assert type(value) is type(expected)
            assert value == expected or value != value  # NaN is NaN
