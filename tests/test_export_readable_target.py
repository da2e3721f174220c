"""An export's ``to`` is where visitors land, readable (issue 32, item 7): a page target's
URL, not ``page:65``; the page's id is in its own later column, ``to_page``, which the
import prefers, so a file imported back still points at the page."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
REDIRECTS = "/admin/redirect-tools/redirects/"


def csv_table(content: bytes) -> tuple[list[str], dict[str, dict[str, str]]]:
    text = content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    return header, {row["from"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.collation
@time_machine.travel(NOW, tick=False)
class TestReadableTarget(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.shop_home = add_page(cls.home, "shop-home", title="Shop")
        cls.shop = make_site("shop.example", cls.shop_home, port=8080)
        cls.about = add_page(cls.home, "about", title="About us")
        cls.sale = add_page(cls.shop_home, "sale", title="Winter sale")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        RedirectDetails.record(
            Redirect.objects.create(old_path="/old-about", redirect_page=cls.about),
            status_code=301,
        )
        Redirect.objects.create(
            old_path="/old-sale",
            site=cls.shop,
            redirect_page=cls.sale,
            redirect_page_route_path="/past/",
        )
        Redirect.objects.create(old_path="/kaffee", redirect_link="/café/")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def export(self) -> tuple[list[str], dict[str, dict[str, str]]]:
        return csv_table(self.client.get(REDIRECTS, {"export": "csv"}).content)

    def test_to_is_the_url_and_the_page_id_comes_later(self) -> None:
        header, rows = self.export()
        self.assertEqual(header[:3], ["from", "to", "type"])
        self.assertGreater(header.index("to_page"), header.index("last_hit"))
        self.assertEqual(
            (rows["/old-about"]["to"], rows["/old-about"]["to_page"]),
            ("http://localhost/about/", f"page:{self.about.pk}"),
        )
        self.assertEqual(
            (rows["/old-sale"]["to"], rows["/old-sale"]["to_page"]),
            ("http://shop.example:8080/sale/past/", f"page:{self.sale.pk}/past/"),
        )
        self.assertEqual((rows["/kaffee"]["to"], rows["/kaffee"]["to_page"]), ("/café/", ""))

    def test_imported_back_it_points_at_the_pages(self) -> None:
        content = self.client.get(REDIRECTS, {"export": "csv"}).content
        plan = plan_import(read_table(content, "r.csv"), ImportOptions())
        self.assertEqual([row.errors for row in plan.rows if row.errors], [])
        self.assertEqual(plan.counts["unchanged"], 3)
        pages = {row.old_path: (row.page_id, row.route_path) for row in plan.rows}
        self.assertEqual(pages["/old-about"], (self.about.pk, ""))
        self.assertEqual(pages["/old-sale"], (self.sale.pk, "/past/"))

    def test_to_page_wins_over_a_url_that_has_changed(self) -> None:
        """A page moved since the export: its old URL in ``to``, its id in ``to_page``."""
        content = f"from,to,to_page\n/renamed,http://localhost/old-url/,page:{self.about.pk}\n"
        plan = plan_import(read_table(content.encode(), "r.csv"), ImportOptions())
        [row] = plan.rows
        self.assertEqual((list(row.errors), row.page_id), ([], self.about.pk))
