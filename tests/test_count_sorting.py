"""A count column's first click sorts the most first (issue 32, item 7): an editor who
sorts by *Hits* wants the busiest redirects and paths, not those nobody uses."""

from __future__ import annotations

import datetime
import html
import re
import time

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.writing import write_counts

LISTINGS = {
    "redirects": ("/admin/redirect-tools/redirects/", "hit_count"),
    "scheduled": ("/admin/scheduled-redirects/", "hits"),
    "not found": (None, "hits"),
}


def header_link(page: str, label: str) -> str:
    """The ``href`` of the column header link labelled ``label``."""
    for header in re.findall(r"<th[ >].*?</th>", page, flags=re.S):
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>\s*([^<]*?)\s*</a>', header):
            if text == label:
                return html.unescape(href)
    raise AssertionError(f"no header link {label!r} in {page}")


def ordering_of(href: str) -> str:
    match = re.search(r"ordering=([^&]*)", href)
    assert match is not None, href
    return match.group(1)


class TestCountColumnsSortMostFirst(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        site, home = fresh_site_tree("localhost")
        page = add_page(home, "about", title="About us")
        Redirect.add_redirect("/busy", "/about/")
        schedule_redirect("/sale", page, expires_at=timezone.now() + datetime.timedelta(days=3))
        counts = NotFoundCounts(max_paths=10)
        counts.add((site.pk, "/missing"), bot=False, when=time.time(), referer="")
        write_counts(counts)

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def url(self, listing: str) -> str:
        url, _key = LISTINGS[listing]
        return url or reverse("wagtail_redirect_tools:not_found")

    def test_first_click_on_hits_sorts_most_hit_first(self) -> None:
        for listing, (_url, key) in LISTINGS.items():
            with self.subTest(listing):
                # The redirects and scheduled listings start sorted by another column.
                response = self.client.get(
                    self.url(listing),
                    {"ordering": "-last_seen_at"} if listing == "not found" else {},
                )
                self.assertEqual(response.status_code, 200)
                link = header_link(response.content.decode(), "Hits")
                self.assertEqual(ordering_of(link), f"-{key}")

    def test_then_it_toggles_as_any_column(self) -> None:
        for listing, (_url, key) in LISTINGS.items():
            with self.subTest(listing):
                most_first = self.client.get(self.url(listing), {"ordering": f"-{key}"})
                link = header_link(most_first.content.decode(), "Hits")
                self.assertEqual(ordering_of(link), key)
                least_first = self.client.get(self.url(listing), {"ordering": key})
                link = header_link(least_first.content.decode(), "Hits")
                self.assertEqual(ordering_of(link), f"-{key}")
