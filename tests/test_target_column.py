"""The *To* column names a page target by its title and its URL, and a link target by the
link (issue 32, item 7): an editor sees where visitors land, with no query a row."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect

REDIRECTS = "/admin/redirect-tools/redirects/"
SCHEDULED = "/admin/scheduled-redirects/"


def column_of(html: str, label: str) -> int:
    """The position (from 0) of the listing's column headed ``label``."""
    header = next(
        head.split("</thead>", 1)[0] for head in html.split("<thead")[1:] if "ordering=" in head
    )
    labels = [
        " ".join(re.sub(r"<[^>]+>", " ", th).split())
        for th in re.findall(r"<th[ >].*?</th>", header, flags=re.S)
    ]
    return labels.index(label)


def cell_text(html: str, row_text: str, column: int) -> str:
    """The text of cell ``column`` (from 0) of the one row that mentions ``row_text``."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in re.findall(r"<tr.*?</tr>", body, flags=re.S) if row_text in row]
    assert len(rows) == 1, (row_text, len(rows))
    cells = re.findall(r"<t[dh][ >].*?</t[dh]>", rows[0], flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[column]).split())


class TestToColumn(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.services = add_page(cls.home, "services", title="Services")
        cls.parking = add_page(cls.services, "parking", title="Parking permits")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        Redirect.add_redirect("/permits", cls.parking)
        Redirect.add_redirect("/elsewhere", "https://example.org/a")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def listing(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_page_target_shows_its_title_and_url(self) -> None:
        html = self.listing(REDIRECTS)
        column = column_of(html, "To")
        self.assertEqual(cell_text(html, "/permits", column), "Parking permits /services/parking/")
        self.assertEqual(cell_text(html, "/elsewhere", column), "https://example.org/a")

    def test_no_query_a_row(self) -> None:
        expires = timezone.now() + datetime.timedelta(days=3)
        schedule_redirect("/sale", self.parking, expires_at=expires, site=self.site)
        self.listing(REDIRECTS)  # the site root paths, cached
        few = {}
        for url in (REDIRECTS, SCHEDULED):
            with CaptureQueriesContext(connection) as queries:
                self.listing(url)
            few[url] = len(queries)
        for number in range(8):
            page = add_page(self.services, f"page-{number}", title=f"Page {number}")
            Redirect.add_redirect(f"/old-{number}", page)
            schedule_redirect(f"/sale-{number}", page, expires_at=expires, site=self.site)
        for url in (REDIRECTS, SCHEDULED):
            with self.subTest(url), self.assertNumQueries(few[url]):
                self.listing(url)

    def test_the_scheduled_listing_too(self) -> None:
        expires = timezone.now() + datetime.timedelta(days=3)
        schedule_redirect("/sale", self.parking, expires_at=expires, site=self.site)
        html = self.listing(SCHEDULED)
        column = column_of(html, "Redirect to")
        self.assertEqual(cell_text(html, "/sale", column), "Parking permits /services/parking/")
