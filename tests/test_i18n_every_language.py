"""One redirect for every language (issue 30, "What to build"): a redirect stored once at
``/old-page`` answers ``/cy/old-page/`` and ``/fr/old-page/`` too, and leads to the target
page's translation in the requested language, on the multilingual test site."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from tests.utils.kept import read_kept_redirects
from wagtail_redirect_tools import resolve
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.queries import answered as answered_paths
from wagtail_redirect_tools.not_found.queries import open_paths
from wagtail_redirect_tools.not_found.writing import write_counts
from wagtail_redirect_tools.resolution import window_index
from wagtail_redirect_tools.resolution.sites import site_root_paths

pytestmark = pytest.mark.i18n

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
UNPREFIXED = override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")


def get(path: str) -> tuple[int, str | None]:
    response = Client().get(path, HTTP_HOST="localhost")
    return response.status_code, response.get("Location")


def every_language(old_path: str, target: Page | str, *, status_code: int = 301) -> Redirect:
    redirect = Redirect.add_redirect(old_path, target, is_permanent=status_code in (301, 308))
    RedirectDetails.record(redirect, status_code=status_code, every_language=True)
    return redirect


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


@time_machine.travel(NOW, tick=False)
class EveryLanguageTestCase(TestCase):
    site: I18nSite

    def setUp(self) -> None:
        self.site = build_site()
        self.wagtail_site = Site.objects.get(hostname="localhost")
        forget()

    def middleware_alone(self, path: str) -> HttpResponse:
        """Our middleware around a 404, with the site already resolved."""
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.wagtail_site  # type: ignore[attr-defined]
        return RedirectMiddleware(not_found)(request)  # type: ignore[return-value]


class TestMiddleware(EveryLanguageTestCase):
    def test_each_prefix_leads_to_its_translation(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        for path, expected in (
            ("/en/old-page/", "/en/about/"),
            ("/cy/old-page/", "/cy/amdanom/"),
            ("/fr/old-page/", "/fr/a-propos/"),
            ("/cy/old-page", "/cy/amdanom/"),
        ):
            with self.subTest(path):
                self.assertEqual(get(path), (301, expected))

    def test_a_query_string_falls_back_to_the_bare_path_as_in_core(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        every_language("/list?page=2", "/news/")
        self.assertEqual(get("/cy/old-page/?utm_source=mail"), (301, "/cy/amdanom/"))
        self.assertEqual(get("/fr/list?page=2"), (301, "/fr/news/"))
        self.assertNotEqual(get("/fr/list?page=3")[1], "/fr/news/")

    def test_a_target_in_another_language_is_translated_too(self) -> None:
        every_language("/hen-dudalen", self.site.page("cy", "team"), status_code=302)
        self.assertEqual(get("/en/hen-dudalen/"), (302, "/en/about/team/"))
        self.assertEqual(get("/fr/hen-dudalen/"), (302, "/fr/a-propos/equipe/"))
        self.assertEqual(get("/cy/hen-dudalen/"), (302, "/cy/amdanom/tim/"))

    def test_no_translation_falls_back_to_the_target_page(self) -> None:
        extra = Page.objects.get(pk=self.site.pages["en"]["contact"].pk)
        fr_contact = self.site.page("fr", "contact")
        fr_contact.unpublish()
        every_language("/old-contact", extra)
        self.assertEqual(get("/fr/old-contact/"), (301, "/en/contact/"))
        self.assertEqual(get("/cy/old-contact/"), (301, "/cy/cysylltu/"))

    def test_an_exact_row_wins(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        Redirect.add_redirect("/cy/old-page", "/cy/cysylltu/", is_permanent=False)
        self.assertEqual(get("/cy/old-page/"), (302, "/cy/cysylltu/"))
        self.assertEqual(get("/fr/old-page/"), (301, "/fr/a-propos/"))

    def test_a_plain_redirect_answers_only_its_own_path(self) -> None:
        Redirect.add_redirect("/old-page", self.site.page("en", "about"), is_permanent=True)
        self.assertEqual(get("/cy/old-page/")[0], 404)
        self.assertEqual(get("/fr/old-page/")[0], 404)

    def test_a_path_target_gets_the_requested_prefix(self) -> None:
        every_language("/old-news", "/news/")
        every_language("/old-english", "/en/news/")
        every_language("/old-away", "https://example.org/news/")
        self.assertEqual(get("/cy/old-news/"), (301, "/cy/news/"))
        self.assertEqual(get("/fr/old-news/"), (301, "/fr/news/"))
        self.assertEqual(get("/cy/old-english/"), (301, "/en/news/"))
        self.assertEqual(get("/cy/old-away/"), (301, "https://example.org/news/"))

    def test_gone_under_every_prefix(self) -> None:
        redirect = Redirect.objects.create(old_path="/withdrawn", redirect_link="")
        RedirectDetails.record(redirect, status_code=410, every_language=True)
        self.assertEqual(get("/cy/withdrawn/")[0], 410)
        self.assertEqual(get("/fr/withdrawn/")[0], 410)

    def test_switched_off_it_is_a_plain_redirect_again(self) -> None:
        redirect = every_language("/old-page", self.site.page("en", "about"))
        self.assertEqual(get("/cy/old-page/"), (301, "/cy/amdanom/"))
        RedirectDetails.record(redirect, every_language=False)
        self.assertEqual(get("/cy/old-page/")[0], 404)

    def test_a_translation_published_again_is_followed(self) -> None:
        every_language("/old-contact", self.site.page("en", "contact"))
        welsh = self.site.page("cy", "contact")
        welsh.unpublish()
        self.assertEqual(get("/cy/old-contact/"), (301, "/en/contact/"))
        welsh.specific.save_revision().publish()
        self.assertEqual(get("/cy/old-contact/"), (301, "/cy/cysylltu/"))


class TestRedirectsForm(EveryLanguageTestCase):
    def setUp(self) -> None:
        super().setUp()
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)

    def test_the_checkbox_makes_one_redirect_for_every_language(self) -> None:
        add = reverse("redirect_tools_redirects:add")
        form = self.client.get(add).context["form"]
        self.assertIn("e.g.", str(form.fields["every_language"].help_text))
        data = {
            "old_path": "/old-page/",
            "site": "",
            "status_code": "301",
            "redirect_page": self.site.page("en", "about").pk,
            "every_language": "on",
        }
        self.assertEqual(self.client.post(add, data).status_code, 302)
        redirect = Redirect.objects.get(old_path="/old-page")
        self.assertTrue(RedirectDetails.serves_every_language(redirect))
        self.assertEqual(get("/fr/old-page/"), (301, "/fr/a-propos/"))
        listing = self.client.get(reverse("redirect_tools_redirects:index"))
        self.assertContains(listing, "Every language", count=1)

        edit = reverse("redirect_tools_redirects:edit", args=[redirect.pk])
        self.assertTrue(self.client.get(edit).context["form"].initial["every_language"])
        del data["every_language"]
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.assertFalse(RedirectDetails.serves_every_language(Redirect.objects.get()))
        self.assertEqual(get("/fr/old-page/")[0], 404)
        self.assertNotContains(
            self.client.get(reverse("redirect_tools_redirects:index")), "Every language"
        )


class TestUnprefixedDefaultLanguage(EveryLanguageTestCase):
    def test_the_default_language_path_is_the_row_itself(self) -> None:
        every_language("/old-page", self.site.page("fr", "about"))
        with UNPREFIXED:
            self.assertEqual(get("/old-page/"), (301, "/about/"))
            self.assertEqual(get("/cy/old-page/"), (301, "/cy/amdanom/"))
            self.assertEqual(get("/fr/old-page/"), (301, "/fr/a-propos/"))

    def test_a_path_target_keeps_the_default_language_unprefixed(self) -> None:
        every_language("/old-news", "/news/")
        with UNPREFIXED:
            self.assertEqual(get("/old-news/"), (301, "/news/"))
            self.assertEqual(get("/cy/old-news/"), (301, "/cy/news/"))


class TestResolve(EveryLanguageTestCase):
    def test_resolve_answers_each_language(self) -> None:
        redirect = every_language("/old-page", self.site.page("en", "about"))
        for path, location in (
            ("/cy/old-page/", "/cy/amdanom/"),
            ("/fr/old-page", "/fr/a-propos/"),
            ("/en/old-page/", "/en/about/"),
        ):
            with self.subTest(path):
                answer = resolve(self.wagtail_site, path)
                self.assertEqual(
                    (answer.kind, answer.status_code, answer.location, answer.source_id),
                    ("redirect", 301, location, redirect.pk),
                )

    def test_a_live_page_at_the_prefixed_path_is_served(self) -> None:
        every_language("/amdanom", self.site.page("en", "contact"))
        answer = resolve(self.wagtail_site, "/cy/amdanom/")
        self.assertEqual(answer.kind, "none")
        self.assertEqual(get("/cy/amdanom/"), (200, None))


class TestQueries(EveryLanguageTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Read once per process, outside the counts: the windows' index, the sites' roots.
        window_index.current_index(timezone.now())
        site_root_paths()

    def test_a_first_hit_reads_the_redirect_and_the_translation_then_nothing(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        read_kept_redirects()  # once per change of the redirects
        with self.assertNumQueries(2):
            response = self.middleware_alone("/cy/old-page/")
        self.assertEqual(response["Location"], "/cy/amdanom/")
        with self.assertNumQueries(0):
            response = self.middleware_alone("/cy/old-page/")
        self.assertEqual(response["Location"], "/cy/amdanom/")
        # Another language: its own lookup, and its own translation.
        with self.assertNumQueries(2):
            self.assertEqual(self.middleware_alone("/fr/old-page/")["Location"], "/fr/a-propos/")

    def test_a_miss_costs_no_query(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        read_kept_redirects()  # once per change of the redirects
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/cy/nothing/").status_code, 404)
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/cy/nothing/").status_code, 404)

    def test_a_path_target_costs_one_query_then_none(self) -> None:
        every_language("/old-news", "/news/")
        read_kept_redirects()  # once per change of the redirects
        with self.assertNumQueries(1):
            self.assertEqual(self.middleware_alone("/cy/old-news/")["Location"], "/cy/news/")
        with self.assertNumQueries(0):
            self.assertEqual(self.middleware_alone("/cy/old-news/")["Location"], "/cy/news/")

    def test_a_repeated_request_costs_no_query(self) -> None:
        every_language("/old-page", self.site.page("en", "about"))
        self.assertEqual(get("/cy/old-page/"), (301, "/cy/amdanom/"))
        client = Client()
        with self.assertNumQueries(0):
            response = client.get("/cy/old-page/", HTTP_HOST="localhost")
        self.assertEqual(response["Location"], "/cy/amdanom/")


class TestNotFoundLog(EveryLanguageTestCase):
    def log(self, *paths: str) -> None:
        counts = NotFoundCounts(max_paths=100)
        for path in paths:
            counts.add((self.wagtail_site.pk, path), bot=False, when=time.time(), referer="")
        write_counts(counts)

    def open_paths(self) -> set[str]:
        return set(open_paths().values_list("path", flat=True))

    def test_an_every_language_redirect_answers_each_language_s_entry(self) -> None:
        self.log("/cy/old-page", "/fr/old-page", "/cy/old-page/more", "/cy", "/old-page")
        redirect = Redirect.add_redirect("/old-page", self.site.page("en", "about"))
        self.assertEqual(self.open_paths(), {"/cy/old-page", "/fr/old-page", "/cy/old-page/more"})
        RedirectDetails.record(redirect, every_language=True)
        self.assertEqual(self.open_paths(), {"/cy/old-page/more"})
        answered = dict(answered_paths(NotFoundPath.objects.all()).values_list("path", "answered"))
        self.assertEqual(answered["/fr/old-page"], True)
        self.assertEqual(answered["/cy/old-page/more"], False)
        self.assertEqual(get("/cy/old-page/more/")[0], 404)

    def test_the_site_root_under_every_prefix(self) -> None:
        self.log("/cy/index.html", "/fr/index.html")
        every_language("/index.html", self.site.page("en", "about"))
        self.assertEqual(self.open_paths(), set())

    def test_unprefixed_default_language(self) -> None:
        with UNPREFIXED:
            self.log("/cy/old-page", "/old-page", "/de/old-page")
            every_language("/old-page", self.site.page("en", "about"))
            self.assertEqual(self.open_paths(), {"/de/old-page"})
