"""``resolve()`` gives what the middleware gives: one table of cases, run through both."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import resolve, schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution import forget_process_state

START = datetime.datetime(2026, 3, 27, 12, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(days=3)
BEFORE = START - datetime.timedelta(hours=1)
DURING = START + datetime.timedelta(days=1)
AFTER = END + datetime.timedelta(minutes=1)


def with_code(path: str, target: str, code: int, site: Site | None = None) -> Redirect:
    redirect = Redirect.add_redirect(path, target, is_permanent=code in (301, 308), site=site)
    RedirectDetails.record(redirect, status_code=code)
    return redirect


# (moment, host, path, query string) -> what a visitor gets: (status, Location or "")
CASES = [
    (BEFORE, "localhost", "/sale/", "", (200, "")),
    (DURING, "localhost", "/sale/", "", (302, "/campaign/")),
    (AFTER, "localhost", "/sale/", "", (200, "")),
    (DURING, "localhost", "/sale", "", (302, "/campaign/")),
    (DURING, "localhost", "/flash/", "", (307, "/campaign/")),
    (DURING, "localhost", "/temp-307/", "", (307, "/new/")),
    (DURING, "localhost", "/perm-308/", "", (308, "/new/")),
    (DURING, "localhost", "/withdrawn/", "", (410, "")),
    (DURING, "localhost", "/shared/", "", (301, "/on-localhost/")),
    (DURING, "other.test", "/shared/", "", (301, "/for-all-sites/")),
    (DURING, "localhost", "/old-news/", "utm_source=mail", (301, "/campaign/")),
    (DURING, "localhost", "/about/", "", (200, "")),
    (DURING, "localhost", "/nothing-here/", "", (404, "")),
]


class CasesTestCase(TestCase):
    """The sites, pages, windows and redirects that ``CASES`` ask about."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        other_home = add_page(home, "other-home")
        cls.other = make_site("other.test", other_home, is_default=False)
        cls.sale = add_page(home, "sale")
        campaign = add_page(home, "campaign")
        cls.about = add_page(home, "about")
        with time_machine.travel(BEFORE - datetime.timedelta(days=1), tick=False):
            cls.window = schedule_redirect(cls.sale, campaign, starts_at=START, expires_at=END)
            schedule_redirect(
                "/flash", "/campaign/", starts_at=START, expires_at=END, status_code=307
            )
        with_code("/temp-307", "/new/", 307)
        with_code("/perm-308", "/new/", 308)
        RedirectDetails.record(Redirect.objects.create(old_path="/withdrawn"), status_code=410)
        with_code("/shared", "/on-localhost/", 301, site=cls.site)
        with_code("/shared", "/for-all-sites/", 301)
        with_code("/old-news", "/campaign/", 301)


@override_settings(ALLOWED_HOSTS=["localhost", "other.test"])
class TestResolveAgreesWithTheMiddleware(CasesTestCase):
    def served(self, host: str, path: str, query: str) -> tuple[int, str]:
        response = Client().get(path + ("?" + query if query else ""), HTTP_HOST=host)
        return response.status_code, response.get("Location", "")

    def resolved(self, host: str, path: str, query: str) -> tuple[int, str]:
        site = Site.objects.get(hostname=host)
        answer = resolve(site, path, query_string=query)
        if answer.kind == "none":
            return (200 if answer.page is not None else 404), ""
        return answer.status_code or 0, answer.location or ""

    def test_every_case(self) -> None:
        for moment, host, path, query, expected in CASES:
            with (
                self.subTest(moment=moment, host=host, path=path, query=query),
                time_machine.travel(moment, tick=False),
            ):
                forget_process_state()
                self.assertEqual(self.served(host, path, query), expected)
                forget_process_state()
                self.assertEqual(self.resolved(host, path, query), expected)

    def test_a_moment_can_be_given(self) -> None:
        with time_machine.travel(AFTER, tick=False):
            answer = resolve(self.site, "/sale/", now=DURING)
            self.assertEqual((answer.kind, answer.location), ("window", "/campaign/"))
            self.assertEqual(answer.valid_until, END)
            self.assertEqual(resolve(self.site, "/sale/").kind, "none")

    def test_the_result_names_its_source(self) -> None:
        with time_machine.travel(DURING, tick=False):
            answer = resolve(self.site, "/temp-307/")
        redirect = Redirect.objects.get(old_path="/temp-307")
        self.assertEqual(
            (answer.kind, answer.source_id, answer.valid_until), ("redirect", redirect.pk, None)
        )
        gone = resolve(self.site, "/withdrawn/")
        self.assertEqual((gone.kind, gone.status_code, gone.location), ("gone", 410, None))

    def test_a_path_another_view_answers_is_not_redirected(self) -> None:
        # The middleware only answers 404s: a view of the site (here Wagtail's admin login)
        # keeps its path even when a redirect names it.
        with_code("/admin/login", "/about/", 301)
        self.assertEqual(self.served("localhost", "/admin/login/", "")[0], 200)
        self.assertEqual(resolve(self.site, "/admin/login/").kind, "none")
        self.assertEqual(resolve(self.site, "/admin/login").kind, "redirect")  # a 404 there
