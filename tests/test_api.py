"""Wagtail's redirects API answers through resolve(): the same answers as the middleware,
for a headless front end, in one call."""

from __future__ import annotations

import datetime
from unittest import skipUnless

import time_machine
from django.test import Client, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.test_resolve import CASES, DURING, END, CasesTestCase
from wagtail_redirect_tools.resolution import forget_process_state, hits


@override_settings(ALLOWED_HOSTS=["localhost", "other.test", "testserver"])
class APITestCase(CasesTestCase):
    def setUp(self) -> None:
        forget_process_state()

    def api(self, endpoint: str, path: str, host: str, query: str = "") -> tuple[int, dict]:
        html_path = path + ("?" + query if query else "")
        response = Client().get(
            f"/api/v2/redirects/{endpoint}/", {"html_path": html_path, "site": host}
        )
        return response.status_code, response.json()


class TestResolveEndpoint(APITestCase):
    def test_the_same_answers_as_the_middleware(self) -> None:
        for moment, host, path, query, expected in CASES:
            with (
                self.subTest(moment=moment, host=host, path=path, query=query),
                time_machine.travel(moment, tick=False),
            ):
                status, data = self.api("resolve", path, host, query)
                if expected[0] == 200:
                    self.assertEqual((status, data["kind"]), (200, "page"))
                elif expected[0] == 404:
                    self.assertEqual((status, data["kind"]), (404, "none"))
                else:
                    self.assertEqual(status, 200)
                    self.assertEqual((data["status_code"], data["location"] or ""), expected)

    def test_a_page_says_where_to_read_it(self) -> None:
        status, data = self.api("resolve", "/about/", "localhost")
        self.assertEqual(status, 200)
        self.assertEqual(data["page"]["id"], self.about.pk)
        self.assertEqual(data["page"]["url"], "http://localhost/about/")
        self.assertTrue(data["page"]["detail_url"].endswith(f"/api/v2/pages/{self.about.pk}/"))

    def test_a_window_carries_its_end_and_a_bounded_cache_lifetime(self) -> None:
        with time_machine.travel(END - datetime.timedelta(seconds=20), tick=False):
            response = Client().get(
                "/api/v2/redirects/resolve/", {"html_path": "/sale/", "site": "localhost"}
            )
        data = response.json()
        self.assertEqual((data["kind"], data["id"]), ("window", self.window.pk))
        self.assertEqual(data["valid_until"], END.isoformat())
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        self.assertEqual(directives, {"max-age=0", "s-maxage=20", "must-revalidate"})

    def test_a_gone(self) -> None:
        status, data = self.api("resolve", "/withdrawn/", "localhost")
        self.assertEqual((status, data["kind"], data["status_code"]), (200, "gone", 410))

    def test_a_percent_encoded_path_is_the_path_a_browser_asks_for(self) -> None:
        self.about.slug = "über"
        self.about.save_revision().publish()
        status, data = self.api("resolve", "/%C3%BCber/", "localhost")
        self.assertEqual((status, data["kind"]), (200, "page"))
        self.assertEqual(Client().get("/%C3%BCber/", HTTP_HOST="localhost").status_code, 200)

    def test_html_path_is_required(self) -> None:
        self.assertEqual(Client().get("/api/v2/redirects/resolve/").status_code, 400)

    def test_resolutions_count_as_hits(self) -> None:
        with time_machine.travel(DURING, tick=False):
            self.api("resolve", "/sale/", "localhost")
            self.api("find", "/temp-307/", "localhost")
        counts = hits.take_due(force=True)
        assert counts is not None
        redirect = Redirect.objects.get(old_path="/temp-307")
        self.assertEqual(counts.window[self.window.pk][0], 1)
        self.assertEqual(counts.redirect[redirect.pk][0], 1)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_API_COUNTS_HITS=False)
    def test_counting_can_be_switched_off(self) -> None:
        with time_machine.travel(DURING, tick=False):
            self.api("resolve", "/sale/", "localhost")
        self.assertIsNone(hits.take_due(force=True))


class TestFindEndpoint(APITestCase):
    def test_a_window_on_a_live_page_wins(self) -> None:
        with time_machine.travel(DURING, tick=False):
            status, data = self.api("find", "/sale/", "localhost")
        self.assertEqual(status, 200)
        self.assertEqual(
            (data["kind"], data["status_code"], data["location"]), ("window", 302, "/campaign/")
        )
        self.assertEqual(data["meta"]["type"], "wagtail_redirect_tools.ScheduledRedirect")
        with time_machine.travel(END, tick=False):
            self.assertEqual(self.api("find", "/sale/", "localhost")[0], 404)

    def test_exact_codes_and_gone(self) -> None:
        for path, code in (("/temp-307/", 307), ("/perm-308/", 308), ("/withdrawn/", 410)):
            with self.subTest(path=path):
                status, data = self.api("find", path, "localhost")
                self.assertEqual((status, data["status_code"]), (200, code))

    def test_site_specific_before_all_sites(self) -> None:
        self.assertEqual(self.api("find", "/shared/", "localhost")[1]["location"], "/on-localhost/")
        self.assertEqual(
            self.api("find", "/shared/", "other.test")[1]["location"], "/for-all-sites/"
        )

    def test_a_redirect_links_to_its_detail_which_core_serves(self) -> None:
        _status, data = self.api("find", "/temp-307/", "localhost")
        detail = Client().get(data["meta"]["detail_url"])
        self.assertEqual((detail.status_code, detail.json()["old_path"]), (200, "/temp-307"))

    def test_find_by_id_is_cores(self) -> None:
        redirect = Redirect.objects.get(old_path="/temp-307")
        response = Client().get("/api/v2/redirects/find/", {"id": redirect.pk})
        self.assertEqual(response.status_code, 302)

    def test_nothing_is_a_404(self) -> None:
        self.assertEqual(self.api("find", "/about/", "localhost")[0], 404)


try:
    import wagtail.api.v3  # noqa: F401
except ImportError:  # Wagtail 7.4
    HAS_V3 = False
else:
    HAS_V3 = True


@skipUnless(HAS_V3, "Wagtail 7.4 has no v3 API")
class TestV3(APITestCase):
    def v3(self, endpoint: str, path: str, host: str) -> tuple[int, dict]:
        response = Client().get(
            f"/api/v3/redirect-tools/{endpoint}/", {"html_path": path, "site": host}
        )
        return response.status_code, response.json()

    def test_the_same_answers_as_v2(self) -> None:
        for moment, host, path, query, _expected in CASES:
            html_path = path + ("?" + query if query else "")
            for endpoint in ("find", "resolve"):
                with (
                    self.subTest(moment=moment, host=host, path=html_path, endpoint=endpoint),
                    time_machine.travel(moment, tick=False),
                ):
                    v2 = self.api(endpoint, html_path, host)
                    v3 = self.v3(endpoint, html_path, host)
                    self.assertEqual(v3[0], v2[0])
                    for key in ("kind", "status_code", "location", "valid_until", "id"):
                        self.assertEqual(v3[1].get(key), v2[1].get(key), key)

    def test_links_point_at_v3_details(self) -> None:
        _status, found = self.v3("find", "/temp-307/", "localhost")
        self.assertEqual(Client().get(found["meta"]["detail_url"]).json()["old_path"], "/temp-307")
        _status, page = self.v3("resolve", "/about/", "localhost")
        self.assertEqual(Client().get(page["page"]["detail_url"]).json()["id"], self.about.pk)
