"""The redirect map a server format is written from: what each path of a site answers now,
with the middleware's own rules, and what is left out."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.edge import build_map
from wagtail_redirect_tools.edge.entries import EdgeMap
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def answers(edge_map: EdgeMap) -> dict[str, tuple[int, str | None]]:
    return {entry.path: (entry.status_code, entry.location) for entry in edge_map.entries}


def redirect(path: str, target: str = "", *, code: int = 301, **fields: object) -> Redirect:
    made = Redirect.objects.create(old_path=path, redirect_link=target, **fields)
    RedirectDetails.record(made, status_code=code)
    return made


@time_machine.travel(NOW, tick=False)
class TestMap(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        for code, path, target in (
            (301, "/perm", "/about/"),
            (308, "/perm-308", "https://example.org/x"),
            (302, "/temp", "/offers/"),
            (307, "/temp-307", "/pay/"),
        ):
            redirect(path, target, code=code)
        redirect("/gone", code=410)
        Redirect.objects.create(old_path="/to-page", redirect_page=cls.about)
        redirect("/index.php?id=7", "/about/")

    def test_every_code_and_both_slash_forms(self) -> None:
        found = answers(build_map([self.site]))
        self.assertEqual(found["/perm"], (301, "/about/"))
        self.assertEqual(found["/perm/"], (301, "/about/"))
        self.assertEqual(found["/perm-308"], (308, "https://example.org/x"))
        self.assertEqual(found["/temp"], (302, "/offers/"))
        self.assertEqual(found["/temp-307"], (307, "/pay/"))
        self.assertEqual(found["/gone"], (410, None))
        self.assertEqual(found["/to-page"], (301, "/about/"))
        self.assertEqual(found["/index.php?id=7"], (301, "/about/"))
        self.assertEqual(found["/index.php/?id=7"], (301, "/about/"))

    def test_the_same_answers_as_django(self) -> None:
        client = Client()
        for entry in build_map([self.site]).entries:
            with self.subTest(entry.path):
                response = client.get(entry.path)
                self.assertEqual(response.status_code, entry.status_code)
                self.assertEqual(response.headers.get("Location"), entry.location)

    def test_a_live_page_is_not_shadowed_by_a_redirect(self) -> None:
        redirect("/about", "/elsewhere/")
        found = answers(build_map([self.site]))
        # Django serves the page at /about/; without the slash it is a 404 it redirects.
        self.assertNotIn("/about/", found)
        self.assertEqual(found["/about"], (301, "/elsewhere/"))
        self.assertEqual(Client().get("/about/").status_code, 200)

    def test_another_view_is_not_shadowed(self) -> None:
        redirect("/admin/login", "/elsewhere/")
        self.assertNotIn("/admin/login/", answers(build_map([self.site])))

    def test_a_loop_is_left_out(self) -> None:
        redirect("/loop", "/loop/")
        edge_map = build_map([self.site])
        self.assertNotIn("/loop/", answers(edge_map))
        self.assertIn("/loop/", [omission.path for omission in edge_map.omitted])

    def test_no_window_no_change(self) -> None:
        self.assertIsNone(build_map([self.site]).next_change)


@time_machine.travel(NOW, tick=False)
class TestSites(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.shop_home = add_page(cls.home, "shop-home")
        cls.shop = make_site("shop.example", cls.shop_home, port=8080)
        cls.product = add_page(cls.shop_home, "mug")
        redirect("/everywhere", "/all/")
        redirect("/everywhere", "/council/", site=cls.site)
        redirect("/only-shop", "/shop/", site=cls.shop)
        Redirect.objects.create(old_path="/to-mug", redirect_page=cls.product, site=cls.site)

    def test_a_site_gets_its_own_rows_and_those_for_all_sites(self) -> None:
        council = answers(build_map([self.site]))
        shop = answers(build_map([self.shop]))
        self.assertEqual(council["/everywhere"], (301, "/council/"))
        self.assertEqual(shop["/everywhere"], (301, "/all/"))
        self.assertNotIn("/only-shop", council)
        self.assertEqual(shop["/only-shop"], (301, "/shop/"))

    def test_a_page_on_another_site_is_an_absolute_url(self) -> None:
        council = answers(build_map([self.site]))
        self.assertEqual(council["/to-mug"], (301, "http://shop.example:8080/mug/"))

    def test_several_sites_need_site(self) -> None:
        with pytest.raises(CommandError, match="--site"):
            call_command("redirects_export", "--format", "nginx", stdout=io.StringIO())
        out = io.StringIO()
        call_command(
            "redirects_export",
            "--format",
            "netlify",
            "--site",
            "shop.example:8080",
            stdout=out,
            stderr=io.StringIO(),
        )
        self.assertIn("/only-shop /shop/ 301", out.getvalue())
        self.assertNotIn("/council/", out.getvalue())

    def test_cloudflare_writes_every_site(self) -> None:
        out = io.StringIO()
        call_command("redirects_export", "--format", "cloudflare", stdout=out, stderr=io.StringIO())
        self.assertIn("localhost/everywhere,http://localhost/council/,301", out.getvalue())
        self.assertIn("shop.example/everywhere,http://shop.example:8080/all/,301", out.getvalue())


class TestWindows(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.offer = add_page(cls.home, "offer")
        cls.sale = add_page(cls.home, "sale")
        redirect("/promo", "/core-target/")
        with time_machine.travel(NOW, tick=False):
            schedule_redirect(
                "/promo", cls.sale, starts_at=NOW + DAY, expires_at=NOW + 3 * DAY, status_code=307
            )
            schedule_redirect(
                cls.offer, "/sale/", starts_at=NOW + 2 * DAY, expires_at=NOW + 5 * DAY
            )

    def map_at(self, moment: datetime.datetime) -> EdgeMap:
        with time_machine.travel(moment, tick=False):
            return build_map([self.site])

    def test_before_during_and_after(self) -> None:
        before = self.map_at(NOW)
        self.assertEqual(answers(before)["/promo"], (301, "/core-target/"))
        self.assertNotIn("/offer/", answers(before))
        self.assertEqual(before.next_change, NOW + DAY)
        during = self.map_at(NOW + 2 * DAY + datetime.timedelta(hours=1))
        self.assertEqual(answers(during)["/promo"], (307, "/sale/"))
        # A window on a live page shadows it, with and without the slash.
        self.assertEqual(answers(during)["/offer/"], (302, "/sale/"))
        self.assertEqual(answers(during)["/offer"], (302, "/sale/"))
        self.assertEqual(during.next_change, NOW + 3 * DAY)
        after = self.map_at(NOW + 6 * DAY)
        self.assertEqual(answers(after)["/promo"], (301, "/core-target/"))
        self.assertNotIn("/offer/", answers(after))
        self.assertIsNone(after.next_change)

    def test_the_same_answers_as_django_during_a_window(self) -> None:
        with time_machine.travel(NOW + 2 * DAY + datetime.timedelta(hours=1), tick=False):
            edge_map = build_map([self.site])
            client = Client()
            for entry in edge_map.entries:
                with self.subTest(entry.path):
                    response = client.get(entry.path)
                    self.assertEqual(response.status_code, entry.status_code)
                    self.assertEqual(response.headers.get("Location"), entry.location)

    def test_the_command_says_when_it_next_changes(self) -> None:
        out, err = io.StringIO(), io.StringIO()
        with time_machine.travel(NOW, tick=False):
            call_command("redirects_export", "--format", "nginx", stdout=out, stderr=err)
        self.assertIn("Next change: 2026-11-02T12:00:00+00:00", err.getvalue())
        self.assertIn("# Next change: 2026-11-02T12:00:00+00:00", out.getvalue())
