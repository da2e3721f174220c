"""Wagtail's redirects API answers through resolve(): the same answers as the middleware,
for a headless front end, in one call."""

from __future__ import annotations

import datetime
from unittest import skipUnless

import time_machine
from django.test import Client, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.test_resolve import BEFORE, CASES, DURING, END, CasesTestCase, with_code
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

    def test_an_answer_says_what_answers_and_where_core_details_it(self) -> None:
        with time_machine.travel(DURING, tick=False):
            _status, window = self.api("resolve", "/sale/", "localhost")
            _status, redirect = self.api("resolve", "/temp-307/", "localhost")
        self.assertEqual(
            window["meta"], {"type": "wagtail_redirect_tools.ScheduledRedirect", "detail_url": None}
        )
        self.assertEqual(redirect["meta"]["type"], "wagtailredirects.Redirect")
        detail = Client().get(redirect["meta"]["detail_url"])
        self.assertEqual((detail.status_code, detail.json()["old_path"]), (200, "/temp-307"))

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

    @override_settings(WAGTAIL_REDIRECT_TOOLS_API_COUNTS_HITS=True)
    def test_resolutions_count_as_hits_when_the_site_asks(self) -> None:
        with time_machine.travel(DURING, tick=False):
            self.api("resolve", "/sale/", "localhost")
            self.api("resolve", "/temp-307/", "localhost")
            # find/ is core's, which counts nothing.
            Client().get("/api/v2/redirects/find/", {"html_path": "/temp-307"})
        counts = hits.take_due(force=True)
        assert counts is not None
        redirect = Redirect.objects.get(old_path="/temp-307")
        self.assertEqual(counts.window[self.window.pk][0], 1)
        self.assertEqual(counts.redirect[redirect.pk][0], 1)

    def test_by_default_only_served_redirects_count(self) -> None:
        """The API is a public read: by default its answers count no hit, so no caller can
        inflate "busiest redirects" (issue 29, item 12); a visitor served the redirect is
        counted as always."""
        with time_machine.travel(DURING, tick=False):
            for _ in range(100):
                self.api("resolve", "/temp-307/", "localhost")
                self.api("resolve", "/sale/", "localhost")
            self.assertIsNone(hits.take_due(force=True))
            Client().get("/temp-307/", HTTP_HOST="localhost")
        counts = hits.take_due(force=True)
        assert counts is not None
        redirect = Redirect.objects.get(old_path="/temp-307")
        self.assertEqual((counts.redirect[redirect.pk][0], dict(counts.window)), (1, {}))


class TestFindIsCores(APITestCase):
    """``find/`` answers as core's endpoint does (a 302 to the redirect's detail, or 404),
    whatever our windows and codes say: a front end written for core's API keeps working
    (issue 28, item 12)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A window over a core redirect: core's find knows only the redirect.
        with_code("/flash", "/after-the-flash/", 301)

    def asked(self, prefix: str, params: dict[str, str], host: str) -> tuple[int, str, bytes]:
        response = Client().get(f"/api/{prefix}/redirects/find/", params, HTTP_HOST=host)
        location = response.get("Location", "").replace(f"/api/{prefix}/", "/api/")
        return response.status_code, location, response.content

    def test_the_same_answers_as_cores(self) -> None:
        paths = [
            *(path + ("?" + query if query else "") for _m, _h, path, query, _e in CASES),
            "/temp-307",
            "/withdrawn",
            "/flash",
            "/old-news",
            "/%C3%BCber",
            "/sale/?x=1",
        ]
        for moment in (BEFORE, DURING):
            for host in ("localhost", "other.test"):
                for html_path in paths:
                    with (
                        self.subTest(moment=moment, host=host, html_path=html_path),
                        time_machine.travel(moment, tick=False),
                    ):
                        params = {"html_path": html_path}
                        ours = self.asked("v2", params, host)
                        self.assertEqual(ours, self.asked("core-v2", params, host))
        redirect = Redirect.objects.get(old_path="/temp-307")
        for params in ({"id": str(redirect.pk)}, {"id": "999999"}, {}):
            with self.subTest(params=params):
                ours = self.asked("v2", params, "localhost")
                self.assertEqual(ours, self.asked("core-v2", params, "localhost"))

    def test_a_redirect_under_a_running_window_is_found_as_core_finds_it(self) -> None:
        with time_machine.travel(DURING, tick=False):
            response = Client().get("/api/v2/redirects/find/", {"html_path": "/flash"})
            self.assertEqual(response.status_code, 302)
            detail = Client().get(response["Location"]).json()
        self.assertEqual((detail["old_path"], detail["location"]), ("/flash", "/after-the-flash/"))

    def test_site_names_the_site_core_would_take_from_the_request(self) -> None:
        all_sites = Redirect.objects.get(old_path="/shared", site=None)
        response = Client().get(
            "/api/v2/redirects/find/", {"html_path": "/shared", "site": "other.test"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn(f"/api/v2/redirects/{all_sites.pk}/", response["Location"])
        # Without it, the request's own site, as core does.
        default = Client().get("/api/v2/redirects/find/", {"html_path": "/shared"})
        self.assertNotIn(f"/redirects/{all_sites.pk}/", default["Location"])

    def test_the_listing_refuses_what_core_refuses(self) -> None:
        for params in ({"html_path": "/x"}, {"site": "localhost"}, {"limit": "2"}):
            with self.subTest(params=params):
                ours = Client().get("/api/v2/redirects/", params)
                core = Client().get("/api/core-v2/redirects/", params)
                self.assertEqual(
                    (ours.status_code, ours.content.replace(b"/api/v2/", b"/api/")),
                    (core.status_code, core.content.replace(b"/api/core-v2/", b"/api/")),
                )


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

    def test_the_same_answers_as_v2_resolve(self) -> None:
        """Both v3 endpoints answer as v2's ``resolve/``; v3's ``find/`` only about
        redirects (404 for a page)."""
        for moment, host, path, query, _expected in CASES:
            html_path = path + ("?" + query if query else "")
            for endpoint in ("find", "resolve"):
                with (
                    self.subTest(moment=moment, host=host, path=html_path, endpoint=endpoint),
                    time_machine.travel(moment, tick=False),
                ):
                    v2 = self.api("resolve", html_path, host)
                    v3 = self.v3(endpoint, html_path, host)
                    if endpoint == "find" and v2[1]["kind"] in ("page", "none"):
                        self.assertEqual(v3[0], 404)
                        continue
                    self.assertEqual(v3[0], v2[0])
                    for key in ("kind", "status_code", "location", "valid_until", "id"):
                        self.assertEqual(v3[1].get(key), v2[1].get(key), key)

    def test_links_point_at_v3_details(self) -> None:
        _status, found = self.v3("find", "/temp-307/", "localhost")
        self.assertEqual(Client().get(found["meta"]["detail_url"]).json()["old_path"], "/temp-307")
        _status, page = self.v3("resolve", "/about/", "localhost")
        self.assertEqual(Client().get(page["page"]["detail_url"]).json()["id"], self.about.pk)
