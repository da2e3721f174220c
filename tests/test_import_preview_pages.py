"""The preview of a large import is shown a page at a time from its kept plan: each page
(of every row, or of one tab) shows the right rows, and costs the same queries and reads
only the chunks of the plan it shows, whatever the file's size (issue 34: a million-row
import's preview is paged)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.importing import plan_store

UPLOAD = reverse("wagtail_redirect_tools:import")
ROWS = 2 * plan_store.CHUNK + 600  # three chunks of the kept plan
PER_PAGE = 100


def csv_file(rows: int) -> bytes:
    """Every 7th row has no target: an error."""
    lines = ["from,to"]
    for i in range(rows):
        lines.append(f"/s{i}/," + ("" if i % 7 == 0 else f"/t{i}/"))
    return ("\n".join(lines) + "\n").encode()


@override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_ASYNC_ROWS=10_000)  # previewed at once
class TestPreviewPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def upload(self, rows: int) -> str:
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("r.csv", csv_file(rows)),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(response.status_code, 302)
        return str(response["Location"])

    def shown(self, page: Any) -> list[int]:
        return [int(number) for number in re.findall(r'data-row="(\d+)"', page.content.decode())]

    def test_each_page_shows_its_rows(self) -> None:
        url = self.upload(ROWS)
        numbers = list(range(2, ROWS + 2))  # the header is row 1
        errors = [number for number in numbers if (number - 2) % 7 == 0]
        new = [number for number in numbers if (number - 2) % 7]
        for query, expected in (
            ("", numbers[:PER_PAGE]),
            ("?p=11", numbers[1000:1100]),  # the first page of the second chunk
            ("?p=26", numbers[2500:]),  # the last page, part of the third chunk
            ("?show=error&p=2", errors[100:200]),  # across the first two chunks
            ("?show=error&p=4", errors[300:]),
            ("?show=new&p=23", new[2200:]),  # the last page of 2,228 new rows
            ("?show=new&p=99", new[2200:]),  # past the end: the last page
            ("?show=update", []),
        ):
            with self.subTest(query=query):
                page = self.client.get(url + query)
                self.assertEqual(page.status_code, 200)
                self.assertEqual(self.shown(page), expected)
        page = self.client.get(url)
        counts = {action: count for action, _label, count in page.context["tabs"]}
        self.assertEqual(counts["error"], len(errors))
        self.assertEqual(counts["new"], len(new))
        self.assertEqual(len(page.context["plan"].rows), ROWS)

    def test_a_page_costs_the_same_queries_and_chunks_for_any_size(self) -> None:
        small = self.upload(150)
        with CaptureQueriesContext(connection) as first:
            self.client.get(small)
        queries = len(first)
        large = self.upload(ROWS)
        read: list[int] = []
        chunk = plan_store.KeptPlan.chunk

        def counted(plan: plan_store.KeptPlan, index: int) -> Any:
            read.append(index)
            return chunk(plan, index)

        for query, chunks in (("", [0]), ("?p=26", [2]), ("?show=error&p=2", [0, 1])):
            with self.subTest(query=query):
                read.clear()
                with self.assertNumQueries(queries), patch_chunk(counted):
                    self.assertEqual(self.client.get(large + query).status_code, 200)
                self.assertEqual(read, chunks)


def patch_chunk(replacement: Any) -> Any:
    from unittest import mock

    return mock.patch.object(plan_store.KeptPlan, "chunk", replacement)
