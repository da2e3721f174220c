"""After *Create redirect* from the "Not found" report, the editor is back on the report
with its filters and page (issue 32, item 5); a ``next`` naming another host is never
followed (Wagtail's ``get_valid_next_url_from_request``)."""

from __future__ import annotations

import re
import time
from html import unescape

from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.writing import write_counts

REPORT = reverse("wagtail_redirect_tools:not_found")


class TestCreateFromTheReport(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.parking = add_page(home, "parking", title="Parking")
        cls.editor = make_user("editor", "add_redirect")
        counts = NotFoundCounts(max_paths=100)
        for number in range(30):
            for _ in range(number + 2):
                counts.add((cls.site.pk, f"/old-{number}"), bot=False, when=time.time(), referer="")
        write_counts(counts)

    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def create_link(self, report_url: str, path: str) -> str:
        html = self.client.get(report_url).content.decode()
        row = next(
            r
            for r in re.findall(r"<tr.*?</tr>", html, re.S)
            if f">{path}<" in re.sub(r"<wbr>|<bdi>|</bdi>", "", r)
        )
        return unescape(re.search(r'href="([^"]*)"[^>]*data-not-found-fix="create"', row).group(1))

    def test_back_on_the_report_with_its_filters_and_page(self) -> None:
        report = f"{REPORT}?min_hits=3&p=2"
        link = self.create_link(report, "/old-1")
        form = self.client.get(link)
        self.assertEqual(form.status_code, 200)
        action = unescape(
            re.search(
                r'<form\s+id="w-editor-form"\s+action="([^"]*)"', form.content.decode()
            ).group(1)
        )
        response = self.client.post(
            action,
            {
                "old_path": "/old-1",
                "site": self.site.pk,
                "status_code": 301,
                "redirect_page": self.parking.pk,
                "source_kind": "path",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], report)
        self.assertTrue(Redirect.objects.filter(old_path="/old-1").exists())

    def test_another_host_is_never_followed(self) -> None:
        entry_url = reverse(
            "wagtail_redirect_tools:not_found_create",
            args=[self.client.get(REPORT).context["object_list"][0].pk],
        )
        response = self.client.post(
            f"{entry_url}?next=//evil.example/x",
            {
                "old_path": "/old-29",
                "site": self.site.pk,
                "status_code": 301,
                "redirect_link": "/parking/",
                "source_kind": "path",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], REPORT)
