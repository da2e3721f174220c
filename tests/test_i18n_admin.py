"""The admin on the multilingual test site (issue 30, item 6): the Redirects listing's
Language column and filter, the language beside target page titles, and a translation's
"Redirects to this page" with paths that really answer."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts

pytestmark = pytest.mark.i18n

INDEX = "/admin/redirect-tools/redirects/"
UNPREFIXED = override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")
LATER = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)


def listed_paths(html: str) -> list[str]:
    """The "From" paths of the listing's rows, in order."""
    cells = re.findall(r'<td class="[^"]*wrt-path[^"]*">(.*?)</td>', html, re.S)
    return ["".join(re.findall(r'wrt-path__segment">([^<]*)<', cell)) for cell in cells]


#: The To column's cell: the target page's title, its language under it (not truncated).
TO_CELL = r'class="nolink">%s</a>\s*</div>\s*<div [^>]*data-target-language>\(%s\)</div>'


def language_cells(html: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r'<td class="wrt-language">(.*?)</td>', html, re.S)]


class AdminTestCase(TestCase):
    site: I18nSite

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site = build_site()
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)


class TestLanguageColumnAndFilter(AdminTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Redirect.add_redirect("/cy/hen-dudalen", cls.site.page("cy", "about"))
        Redirect.add_redirect("/cy", "/cy/amdanom/")
        Redirect.add_redirect("/en/old-page", cls.site.page("en", "about"))
        Redirect.add_redirect("/fr/ancienne", cls.site.page("fr", "services"))
        Redirect.add_redirect("/cymraeg", "/cy/")  # no prefix: "/cy" is not "/cymraeg"
        Redirect.add_redirect("/unprefixed", "/en/about/")

    def test_a_language_column(self) -> None:
        html = self.client.get(INDEX, {"ordering": "old_path"}).content.decode()
        self.assertIn("Language", html)
        languages = dict(zip(listed_paths(html), language_cells(html), strict=True))
        self.assertEqual(
            languages,
            {
                "/cy": "Welsh",
                "/cy/hen-dudalen": "Welsh",
                "/cymraeg": "",  # every language has a prefix: an unprefixed path has none
                "/en/old-page": "English",
                "/fr/ancienne": "French",
                "/unprefixed": "",
            },
        )

    def test_the_language_filter(self) -> None:
        for locale, expected in (
            ("cy", ["/cy", "/cy/hen-dudalen"]),
            ("en", ["/en/old-page"]),
            ("fr", ["/fr/ancienne"]),
        ):
            with self.subTest(locale=locale):
                response = self.client.get(INDEX, {"locale": locale, "ordering": "old_path"})
                self.assertEqual(listed_paths(response.content.decode()), expected)
        self.assertContains(self.client.get(INDEX), 'name="locale"')

    @UNPREFIXED
    def test_unprefixed_paths_are_the_default_languages_without_its_prefix(self) -> None:
        html = self.client.get(INDEX, {"ordering": "old_path"}).content.decode()
        languages = dict(zip(listed_paths(html), language_cells(html), strict=True))
        self.assertEqual(languages["/unprefixed"], "English")
        self.assertEqual(languages["/cymraeg"], "English")
        self.assertEqual(languages["/cy/hen-dudalen"], "Welsh")
        self.assertEqual(languages["/en/old-page"], "English")  # no page answers there, but
        # it is still a path of the default language's pages (a 404 under /en/)
        response = self.client.get(INDEX, {"locale": "en", "ordering": "old_path"})
        self.assertEqual(
            listed_paths(response.content.decode()),
            ["/cymraeg", "/en/old-page", "/unprefixed"],
        )

    def test_no_query_per_row(self) -> None:
        self.client.get(INDEX)  # warm the caches of the site and content type
        with self.assertNumQueries(QUERIES_I18N):
            self.client.get(INDEX)
        for number in range(10):
            Redirect.add_redirect(f"/fr/encore-{number}", self.site.page("fr", "bins"))
        with self.assertNumQueries(QUERIES_I18N):
            html = self.client.get(INDEX).content.decode()
        self.assertRegex(html, TO_CELL % ("Bins \\(fr\\)", "French"))


#: The listing's queries on this site: the same as on a single-language site
#: (tests/test_redirects_admin.py pins those), whatever the number of rows.
QUERIES_I18N = 11


#: The scheduled listing's queries with two windows (the pages' locales in their query;
#: the request's site for the To column's page URLs).
QUERIES_WINDOWS = 12


class TestTargetTitles(AdminTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fr_services = cls.site.page("fr", "services")
        cls.en_services = cls.site.page("en", "services")
        Redirect.add_redirect("/fr/nos-services", cls.fr_services)
        Redirect.add_redirect("/en/our-services", cls.en_services)

    def test_the_to_column_names_the_language(self) -> None:
        html = self.client.get(INDEX).content.decode()
        self.assertRegex(html, TO_CELL % ("Services \\(fr\\)", "French"))
        self.assertRegex(html, TO_CELL % ("Services", "English"))

    def test_a_pages_redirects_from_its_url_name_the_language(self) -> None:
        Redirect.add_redirect("/fr/services", self.en_services)  # from the French page's URL
        url = reverse("redirect_tools_workspace:page_redirects", args=[self.fr_services.pk])
        html = self.client.get(url).content.decode()
        self.assertIn("Services (English)", html)

    def test_windows_name_the_language(self) -> None:
        schedule_redirect("/en/winter", self.fr_services, expires_at=LATER)
        schedule_redirect(self.en_services, "/en/closed/", expires_at=LATER)
        listing = reverse("scheduled_redirects:index")
        self.client.get(listing)
        with self.assertNumQueries(QUERIES_WINDOWS):
            html = self.client.get(listing).content.decode()
        # A window's target: its title, its language under it, then its URL.
        self.assertRegex(
            html, r">Services \(fr\)</a></div>\s*<div [^>]*data-target-language>\(French\)</div>"
        )
        self.assertRegex(html, r"Page: <a [^>]*>Services \(English\)</a>")  # its source
        url = reverse("redirect_tools_workspace:page_redirects", args=[self.fr_services.pk])
        self.assertIn("Services (fr) (French)", self.client.get(url).content.decode())
        url = reverse("redirect_tools_workspace:page_redirects", args=[self.en_services.pk])
        self.assertIn("Services (English)", self.client.get(url).content.decode())

    def test_the_bulk_delete_confirmation_names_the_language(self) -> None:
        redirect = Redirect.objects.get(old_path="/fr/nos-services")
        url = reverse("wagtail_bulk_action", args=["wagtailredirects", "redirect", "delete"])
        response = self.client.get(url, {"id": redirect.pk})
        self.assertContains(response, "Services (fr) (French)")


class TestATranslationsRedirects(AdminTestCase):
    """Item 6: the Welsh page's "Redirects to this page" lists paths that answer, and
    "Add redirect to this page" makes one that answers."""

    def page_redirects(self, page) -> str:
        url = reverse("redirect_tools_workspace:page_redirects", args=[page.pk])
        return self.client.get(url).content.decode()

    def test_after_a_welsh_slug_change(self) -> None:
        about = self.site.page("cy", "about").specific
        about.slug = "amdanom-ni"
        with self.captureOnCommitCallbacks(execute=True):
            about.save_revision().publish()
        html = self.page_redirects(about)
        self.assertRegex(html, r"\(/cy/amdanom-ni/\)")
        listed = re.findall(r'redirects/edit/\d+/">([^<]*)</a>', html)
        self.assertIn("/cy/amdanom", listed)
        self.assertNotIn("/amdanom", listed)
        for path in listed:
            with self.subTest(path=path):
                response = self.client.get(path + "/", HTTP_HOST="localhost")
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], "/cy/amdanom-ni/")

    def test_add_redirect_to_this_page(self) -> None:
        about = self.site.page("cy", "about")
        add = reverse("redirect_tools_redirects:add")
        response = self.client.get(add, {"redirect_page": about.pk})
        self.assertEqual(response.context["form"].initial.get("redirect_page"), about.pk)
        response = self.client.post(
            add + f"?redirect_page={about.pk}",
            {
                "old_path": "/cy/hen-dudalen",
                "site": "",
                "status_code": "301",
                "redirect_page": about.pk,
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertIn("/cy/hen-dudalen", self.page_redirects(about))
        answer = self.client.get("/cy/hen-dudalen/", HTTP_HOST="localhost")
        self.assertEqual((answer.status_code, answer["Location"]), (301, "/cy/amdanom/"))


class TestNotFoundSuggestion(AdminTestCase):
    def test_the_suggested_page_names_its_language(self) -> None:
        counts = NotFoundCounts(max_paths=100)
        site = Site.objects.get(hostname="localhost")
        counts.add((site.pk, "/fr/team"), bot=False, when=time.time(), referer="")
        write_counts(counts)
        entry = NotFoundPath.objects.get(path="/fr/team")
        url = reverse("wagtail_redirect_tools:not_found_create", args=[entry.pk])
        self.assertContains(self.client.get(url), "&#x27;Team (fr) (French)&#x27;")
