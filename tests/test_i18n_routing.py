"""What answers a language-prefixed path on the multilingual test site (issue 30, item 4):
``resolve()``, the API's ``resolve/``, the edge exports and the 404 log route ``/cy/...``
from the Welsh root and ``/fr/...`` from the French one, as Wagtail serves them."""

from __future__ import annotations

import datetime
import io
import time

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from tests.utils.pages import add_page
from tests.utils.purge_server import recording_purges
from wagtail_redirect_tools import resolve, schedule_redirect
from wagtail_redirect_tools.edge import build_map
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.queries import open_paths
from wagtail_redirect_tools.not_found.writing import write_counts
from wagtail_redirect_tools.scheduling import run_transitions

pytestmark = pytest.mark.i18n

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
UNPREFIXED = override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")


def get(path: str) -> tuple[int, str | None]:
    response = Client().get(path, HTTP_HOST="localhost")
    return response.status_code, response.get("Location")


@time_machine.travel(NOW, tick=False)
class RoutingTestCase(TestCase):
    site: I18nSite

    def setUp(self) -> None:
        self.site = build_site()
        self.wagtail_site = Site.objects.get(hostname="localhost")
        forget()


class TestResolve(RoutingTestCase):
    def test_a_live_translation_is_the_page_served(self) -> None:
        for path, language, slug in (
            ("/en/about/", "en", "about"),
            ("/cy/amdanom/", "cy", "about"),
            ("/cy/amdanom/tim/", "cy", "team"),
            ("/fr/services/poubelles/", "fr", "bins"),
        ):
            with self.subTest(path):
                self.assertEqual(get(path), (200, None))
                answer = resolve(self.wagtail_site, path)
                self.assertEqual(answer.kind, "none")
                self.assertEqual(answer.page.pk, self.site.page(language, slug).pk)

    def test_a_language_home(self) -> None:
        self.assertEqual(
            resolve(self.wagtail_site, "/cy/").page.pk, self.site.page("cy", "home").pk
        )

    def test_unprefixed_default_language(self) -> None:
        with UNPREFIXED:
            self.assertEqual(get("/about/"), (200, None))
            self.assertEqual(
                resolve(self.wagtail_site, "/about/").page.pk, self.site.page("en", "about").pk
            )
            answer = resolve(self.wagtail_site, "/cy/amdanom/")
            self.assertEqual(answer.page.pk, self.site.page("cy", "about").pk)

    def test_a_path_of_another_language_is_not_its_page(self) -> None:
        """``/fr/amdanom/``: the Welsh slug under the French prefix is no page (a 404)."""
        self.assertEqual(get("/fr/amdanom/")[0], 404)
        self.assertIsNone(resolve(self.wagtail_site, "/fr/amdanom/").page)


class TestApi(RoutingTestCase):
    def test_a_live_welsh_page_is_a_page_not_its_redirect(self) -> None:
        """A redirect left at a live page's path is never answered: Django serves the page."""
        Redirect.objects.create(old_path="/cy/amdanom", redirect_link="/cy/cysylltu/")
        welsh = self.site.page("cy", "about")
        self.assertEqual(get("/cy/amdanom/"), (200, None))
        response = Client().get(
            "/api/v2/redirects/resolve/", {"html_path": "/cy/amdanom/"}, HTTP_HOST="localhost"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["kind"], "page")
        self.assertEqual(response.json()["page"]["id"], welsh.pk)

    def test_v3_too(self) -> None:
        pytest.importorskip("wagtail.api.v3")
        Redirect.objects.create(old_path="/cy/amdanom", redirect_link="/cy/cysylltu/")
        response = Client().get(
            "/api/v3/redirect-tools/resolve/", {"html_path": "/cy/amdanom/"}, HTTP_HOST="localhost"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["page"]["id"], self.site.page("cy", "about").pk)


class TestEdgeExports(RoutingTestCase):
    def test_a_live_welsh_page_is_left_to_django(self) -> None:
        Redirect.objects.create(old_path="/cy/amdanom", redirect_link="/cy/cysylltu/")
        self.assertEqual(get("/cy/amdanom/"), (200, None))
        self.assertEqual(get("/cy/amdanom"), (301, "/cy/cysylltu/"))  # a 404 without its slash
        out = io.StringIO()
        call_command("redirects_export", "--format", "nginx", stdout=out, stderr=io.StringIO())
        self.assertNotIn("/cy/amdanom/", out.getvalue())
        self.assertIn("/cy/amdanom", out.getvalue())

    def test_a_window_on_a_page_answers_without_the_slash(self) -> None:
        """Django answers ``/en/about`` with the page's window, as it answers ``/en/about/``."""
        schedule_redirect(
            self.site.page("en", "about"), "/en/contact/", expires_at=NOW + datetime.timedelta(1)
        )
        self.assertEqual(get("/en/about/"), (302, "/en/contact/"))
        self.assertEqual(get("/en/about"), (302, "/en/contact/"))
        found = {entry.path: entry.status_code for entry in build_map([self.wagtail_site]).entries}
        self.assertEqual(found, {"/en/about/": 302, "/en/about": 302})

    def test_the_admin_screen(self) -> None:
        Redirect.objects.create(old_path="/cy/amdanom", redirect_link="/cy/cysylltu/")
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)
        response = self.client.get(
            reverse("wagtail_redirect_tools:edge_export"),
            {"format": "nginx", "site": self.wagtail_site.pk, "download": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(b"/cy/amdanom/", response.getvalue())  # streamed


class TestNotFoundLog(RoutingTestCase):
    def log(self, *paths: str) -> None:
        counts = NotFoundCounts(max_paths=100)
        for path in paths:
            counts.add((self.wagtail_site.pk, path), bot=False, when=time.time(), referer="")
        write_counts(counts)

    def open_paths(self) -> set[str]:
        return set(open_paths().values_list("path", flat=True))

    def test_an_entry_leaves_when_a_page_is_published_at_its_path(self) -> None:
        self.log("/cy/newyddion", "/fr/nouvelles", "/cy")
        self.assertEqual(self.open_paths(), {"/cy/newyddion", "/fr/nouvelles"})
        add_page(self.site.page("cy", "home"), "newyddion", title="Newyddion")
        self.assertEqual(get("/cy/newyddion/"), (200, None))
        self.assertEqual(self.open_paths(), {"/fr/nouvelles"})
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)
        response = self.client.get(reverse("wagtail_redirect_tools:not_found"))
        self.assertEqual([row.path for row in response.context["object_list"]], ["/fr/nouvelles"])

    def test_unprefixed_default_language(self) -> None:
        with UNPREFIXED:
            self.log("/contact", "/cy/cysylltu", "/cy/contact", "/fr/cysylltu", "/cysylltu")
            self.assertEqual(self.open_paths(), {"/cy/contact", "/fr/cysylltu", "/cysylltu"})

    def test_the_suggestion_is_in_the_language_of_the_path(self) -> None:
        self.log("/fr/team")
        entry = NotFoundPath.objects.get(path="/fr/team")
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)
        url = reverse("wagtail_redirect_tools:not_found_create", args=[entry.pk])
        response = self.client.get(url)
        french = self.site.page("fr", "team")
        self.assertContains(response, f"redirect_page={french.pk}")
        self.assertContains(response, "(/fr/a-propos/equipe/)")


class TestWindowPurge(RoutingTestCase):
    def test_a_translation_s_window_purges_its_prefixed_url(self) -> None:
        """The front-end cache holds the Welsh page at ``/cy/amdanom/``: that URL is purged
        (Wagtail's purge then adds the path under every language's prefix, as it does for
        every URL it purges on a multilingual site)."""
        start = NOW + datetime.timedelta(hours=1)
        schedule_redirect(
            self.site.page("cy", "about"),
            "/cy/cysylltu/",
            starts_at=start,
            expires_at=start + datetime.timedelta(days=1),
        )
        with recording_purges() as server, time_machine.travel(start, tick=False):
            run_transitions()
        self.assertIn("http://localhost/cy/amdanom/", server.purged)
        self.assertNotIn("http://localhost/amdanom/", server.purged)

    def test_unprefixed_default_language(self) -> None:
        start = NOW + datetime.timedelta(hours=1)
        schedule_redirect(
            self.site.page("en", "about"),
            "/contact/",
            starts_at=start,
            expires_at=start + datetime.timedelta(days=1),
        )
        with UNPREFIXED, recording_purges() as server, time_machine.travel(start, tick=False):
            run_transitions()
        self.assertEqual(server.purged, ["http://localhost/about/"])


class TestEarlyAnswers(RoutingTestCase):
    def test_a_translation_s_window_is_answered_before_routing(self) -> None:
        """As on a single-language site, a repeated request for a live page with an active
        window is answered from memory, before Wagtail routes it: no query."""
        schedule_redirect(
            self.site.page("cy", "about"), "/cy/cysylltu/", expires_at=NOW + datetime.timedelta(1)
        )
        self.assertEqual(get("/cy/amdanom/"), (302, "/cy/cysylltu/"))
        with self.assertNumQueries(0):
            self.assertEqual(get("/cy/amdanom/"), (302, "/cy/cysylltu/"))
        self.assertEqual(get("/fr/a-propos/"), (200, None))  # the French page has no window

    def test_no_page_is_served_without_its_prefix(self) -> None:
        """``/about/`` where every language has a prefix: Django sends the visitor to their
        language's URL first; the window answers there."""
        schedule_redirect(
            self.site.page("en", "about"), "/en/contact/", expires_at=NOW + datetime.timedelta(1)
        )
        for path in ("/about/", "/about"):
            with self.subTest(path):
                self.assertEqual(get(path), (302, "/en/about/"))
                self.assertEqual(resolve(self.wagtail_site, path).kind, "none")
        self.assertEqual(get("/en/about/"), (302, "/en/contact/"))
