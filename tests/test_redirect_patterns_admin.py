"""Pattern redirects in the admin (issue 33): the Redirects form's "Match" choice, what it
stores, its examples and live-page warning (rendered by the form and by the preview
endpoint), and the listing's Match column and filter. Through Wagtail's real admin views."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools.admin.forms import matching
from wagtail_redirect_tools.models import RedirectDetails

ADD = reverse("redirect_tools_redirects:add")
INDEX = reverse("redirect_tools_redirects:index")
PREVIEW = reverse("redirect_tools_redirects:pattern_preview")


def edit_url(redirect: Redirect) -> str:
    return reverse("redirect_tools_redirects:edit", args=[redirect.pk])


def is_pattern(redirect: Redirect) -> bool:
    return RedirectDetails.objects.get(redirect=redirect).is_pattern


class PatternFormTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.services = add_page(cls.home, "services", title="Services")
        for slug in ("parking", "bins", "libraries", "schools", "roads", "housing"):
            add_page(cls.services, slug, title=f"{slug.title()} help")
        cls.news = add_page(cls.home, "news", title="News")
        year = add_page(cls.news, "2019", title="2019")
        add_page(year, "summer-fair", title="Summer fair")
        shop_home = add_page(cls.home.get_parent(), "shop-home", title="Shop")
        cls.shop = make_site("shop.example", shop_home)
        shop_services = add_page(shop_home, "services", title="Shop services")
        add_page(shop_services, "repairs", title="Repairs")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def data(self, **values: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "match": "prefix",
            "old_path": "/old-section/",
            "site": self.site.pk,
            "status_code": "301",
            "redirect_link": "/new-section/",
        }
        data.update(values)
        return data

    def errors(self, **values: Any) -> dict[str, list[str]]:
        response = self.client.post(ADD, self.data(**values))
        self.assertEqual(response.status_code, 200, values)
        self.assertFalse(Redirect.objects.exists())
        return dict(response.context["form"].errors)


class TestSaving(PatternFormTestCase):
    def test_a_prefix_carrying_the_rest_of_the_path(self) -> None:
        response = self.client.post(ADD, self.data(carry="on"))
        self.assertEqual(response.status_code, 302)
        redirect = Redirect.objects.get()
        self.assertEqual(redirect.old_path, "/old-section/*")
        self.assertEqual(redirect.redirect_link, "/new-section/:splat")
        self.assertTrue(is_pattern(redirect))

    def test_a_prefix_to_one_url_and_a_url_with_a_query(self) -> None:
        self.client.post(ADD, self.data(redirect_link="https://newsite.example/"))
        self.client.post(
            ADD,
            self.data(
                old_path="/my-prefix/*",
                redirect_link="https://newsite.example/?from=old",
                carry="on",
            ),
        )
        self.assertEqual(
            dict(Redirect.objects.values_list("old_path", "redirect_link")),
            {
                "/old-section/*": "https://newsite.example/",
                "/my-prefix/*": "https://newsite.example/:splat?from=old",
            },
        )

    def test_a_pattern_with_named_segments(self) -> None:
        response = self.client.post(
            ADD, self.data(match="pattern", old_path="/blog/:year/:slug", redirect_link="/b/:slug")
        )
        self.assertEqual(response.status_code, 302)
        redirect = Redirect.objects.get()
        self.assertEqual(
            (redirect.old_path, redirect.redirect_link), ("/blog/:year/:slug", "/b/:slug")
        )
        self.assertTrue(is_pattern(redirect))

    def test_an_exact_path_is_as_before(self) -> None:
        self.client.post(ADD, self.data(match="exact", old_path="/old-page/"))
        redirect = Redirect.objects.get()
        self.assertEqual(
            (redirect.old_path, redirect.redirect_link), ("/old-page", "/new-section/")
        )
        self.assertFalse(is_pattern(redirect))

    def test_a_form_without_the_choice_is_exact(self) -> None:
        data = self.data(old_path="/old-page/")
        del data["match"]
        self.assertEqual(self.client.post(ADD, data).status_code, 302)
        self.assertFalse(is_pattern(Redirect.objects.get()))


class TestValidation(PatternFormTestCase):
    def test_a_star_or_name_with_this_path_only_asks_for_the_pattern_choice(self) -> None:
        for path in ("/old-section/*", "/news/:year/"):
            with self.subTest(path):
                errors = self.errors(match="exact", old_path=path)
                self.assertIn("choose “This path and everything under it”", errors["old_path"][0])

    def test_the_notations_own_messages(self) -> None:
        cases = {
            "/news/2019": "it is an exact path",
            "/news/:year/:year": "The placeholder :year appears twice.",
            "/news/*/more": "A * may only be the last segment",
            "/news//:slug": "empty segment",
        }
        for path, message in cases.items():
            with self.subTest(path):
                errors = self.errors(match="pattern", old_path=path)
                self.assertIn(message, errors["old_path"][0])

    def test_names_in_a_prefix_ask_for_the_pattern_choice(self) -> None:
        errors = self.errors(old_path="/news/:year")
        self.assertIn("choose “A pattern with named segments”", errors["old_path"][0])

    def test_a_target_with_a_placeholder_the_source_lacks(self) -> None:
        errors = self.errors(match="pattern", old_path="/news/:year/:slug", redirect_link="/b/:id")
        self.assertEqual(
            errors["redirect_link"], ["The target uses :id, which the source does not define."]
        )
        errors = self.errors(
            match="pattern", old_path="/news/:slug", redirect_link="https://:slug.example/"
        )
        self.assertIn("not in its host name", errors["redirect_link"][0])

    def test_a_page_target_cannot_carry(self) -> None:
        errors = self.errors(redirect_link="", redirect_page=self.news.pk, carry="on")
        self.assertIn("A page target cannot carry the rest of the path", errors["carry"][0])
        response = self.client.post(ADD, self.data(redirect_link="", redirect_page=self.news.pk))
        self.assertEqual(response.status_code, 302)  # without carrying, a page is a target

    def test_a_target_under_its_own_prefix_would_loop(self) -> None:
        errors = self.errors(redirect_link="/old-section/new/", carry="on")
        self.assertIn("The target lies under the pattern itself", errors["redirect_link"][0])
        self.assertEqual(
            self.client.post(
                ADD, self.data(redirect_link="/old-section-new/", carry="on")
            ).status_code,
            302,
        )

    def test_a_duplicate_prefix_on_all_sites(self) -> None:
        self.client.post(ADD, self.data(site=""))
        response = self.client.post(ADD, self.data(site="", old_path="/old-section/*"))
        self.assertContains(response, "A redirect with this path already exists.")
        self.assertEqual(Redirect.objects.count(), 1)


class TestEditing(PatternFormTestCase):
    def saved_prefix(self) -> Redirect:
        self.client.post(ADD, self.data(carry="on"))
        return Redirect.objects.get()

    def test_a_prefix_is_shown_as_typed(self) -> None:
        redirect = self.saved_prefix()
        form = self.client.get(edit_url(redirect)).context["form"]
        self.assertEqual(form["match"].value(), "prefix")
        self.assertEqual(form["old_path"].value(), "/old-section")
        self.assertEqual(form["redirect_link"].value(), "/new-section")
        self.assertTrue(form["carry"].value())

    def test_saving_it_unchanged_stores_the_same(self) -> None:
        redirect = self.saved_prefix()
        form = self.client.get(edit_url(redirect)).context["form"]
        data = {name: form[name].value() for name in ("match", "old_path", "redirect_link")}
        response = self.client.post(
            edit_url(redirect), self.data(**data, carry="on", site=self.site.pk)
        )
        self.assertEqual(response.status_code, 302)
        redirect.refresh_from_db()
        self.assertEqual(
            (redirect.old_path, redirect.redirect_link), ("/old-section/*", "/new-section/:splat")
        )

    def test_made_exact_again(self) -> None:
        redirect = self.saved_prefix()
        self.client.post(edit_url(redirect), self.data(match="exact", redirect_link="/new/"))
        redirect.refresh_from_db()
        self.assertEqual(redirect.old_path, "/old-section")
        self.assertFalse(is_pattern(redirect))

    def test_the_edit_form_shows_the_examples(self) -> None:
        response = self.client.get(edit_url(self.saved_prefix()))
        self.assertContains(response, "<code>/old-section/some/page/</code>", html=True)
        self.assertContains(response, "<code>/new-section/some/page/</code>", html=True)
        self.assertContains(response, f'data-url="{PREVIEW}"')


class TestExamplesAndLivePages(PatternFormTestCase):
    def test_an_invalid_form_shows_the_examples_as_typed(self) -> None:
        response = self.client.post(ADD, self.data(status_code="302", carry="on"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<code>/old-section/a/b/c</code>", html=True)
        self.assertContains(response, "<code>/new-section/a/b/c</code>", html=True)

    def test_a_prefix_over_live_pages_warns_with_five_of_them(self) -> None:
        response = self.client.post(
            ADD, self.data(old_path="/services/", status_code="302", carry="on")
        )
        html = response.content.decode()
        self.assertIn("7 live pages on this site are covered by this redirect", html)
        self.assertIn("Bins help", html)
        named = html.split('class="wrt-pattern-preview__pages">')[1].split("</ul>")[0]
        self.assertEqual(named.count("<li>"), 5)
        self.assertIn("And more: 7 in all.", html)
        self.assertNotIn("Repairs", html)  # the shop's page: another site

    def test_all_sites_count_every_sites_pages(self) -> None:
        answer = self.client.get(
            PREVIEW,
            {"match": "prefix", "old_path": "/services", "site": "", "redirect_link": "/x/"},
        ).json()
        self.assertEqual(answer["live_pages"], 9)
        self.assertIn("9 live pages on your sites", answer["html"])
        self.assertIn("(localhost)", answer["html"])  # the first five, by path

    @pytest.mark.skipif(
        connection.vendor == "mysql", reason="MariaDB's default collations ignore case"
    )
    def test_case_matters_as_for_the_pages_slugs(self) -> None:
        answer = self.client.get(
            PREVIEW, {"match": "prefix", "old_path": "/Services", "site": self.site.pk}
        ).json()
        self.assertEqual(answer["live_pages"], 0)

    def test_a_pattern_counts_only_the_pages_it_matches(self) -> None:
        answer = self.client.get(
            PREVIEW,
            {"match": "pattern", "old_path": "/news/:year/:slug", "site": self.site.pk},
        ).json()
        self.assertEqual(answer["live_pages"], 1)
        self.assertIn("Summer fair", answer["html"])
        self.assertIn("/news/2019/summer-fair/", answer["html"])

    def test_the_endpoint_answers_examples_and_errors(self) -> None:
        answer = self.client.get(
            PREVIEW,
            {
                "match": "prefix",
                "old_path": "/old-section",
                "site": self.site.pk,
                "redirect_link": "https://newsite.example/",
                "carry": "on",
            },
        ).json()
        self.assertEqual(answer["source"], "/old-section/*")
        self.assertEqual(
            answer["examples"],
            [
                {"path": "/old-section", "target": "https://newsite.example/"},
                {"path": "/old-section/some/page/", "target": "https://newsite.example/some/page/"},
                {"path": "/old-section/a/b/c", "target": "https://newsite.example/a/b/c"},
            ],
        )
        self.assertEqual(answer["live_pages"], 0)
        wrong = self.client.get(PREVIEW, {"match": "exact", "old_path": "/x/*"}).json()
        self.assertEqual((wrong["examples"], wrong["html"].strip()), ([], ""))
        wrong = self.client.get(PREVIEW, {"match": "pattern", "old_path": "/x/:a/:a"}).json()
        self.assertEqual(wrong["error"], "The placeholder :a appears twice.")
        self.assertIn("The placeholder :a appears twice.", wrong["html"])

    def test_a_page_target_is_the_same_for_every_example(self) -> None:
        answer = self.client.get(
            PREVIEW, {"match": "prefix", "old_path": "/old", "redirect_page": self.news.pk}
        ).json()
        self.assertEqual({row["target"] for row in answer["examples"]}, {self.news.url})

    def test_queries_of_the_endpoint(self) -> None:
        """Session, user, profile; the site with its root; the live pages' first five and
        their count."""
        params = {"match": "prefix", "old_path": "/services", "site": self.site.pk}
        self.client.get(PREVIEW, params)
        with self.assertNumQueries(6):
            self.assertEqual(self.client.get(PREVIEW, params).json()["live_pages"], 7)


class TestEndpointRights(PatternFormTestCase):
    params = {"match": "prefix", "old_path": "/old-section", "redirect_link": "/new/"}

    def test_editors_who_may_add_or_change_redirects(self) -> None:
        for codename in ("add_redirect", "change_redirect"):
            with self.subTest(codename):
                client = Client(enforce_csrf_checks=True)  # a GET needs no token
                client.force_login(make_user(f"editor-{codename}", codename))
                response = client.get(PREVIEW, self.params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(response.json()["examples"]), 3)

    def test_others_are_refused(self) -> None:
        client = Client()
        client.force_login(make_user("reader", "delete_redirect"))
        self.assertEqual(client.get(PREVIEW, self.params).status_code, 302)  # Wagtail's refusal
        anonymous = Client().get(PREVIEW, self.params)
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/admin/login/", anonymous["Location"])

    def test_only_get(self) -> None:
        self.assertEqual(self.client.post(PREVIEW, self.params).status_code, 405)


class TestListing(PatternFormTestCase):
    def test_the_match_column_and_filter(self) -> None:
        self.client.post(ADD, self.data(carry="on"))
        self.client.post(
            ADD, self.data(match="pattern", old_path="/n/:year/:slug", redirect_link="/b/:slug")
        )
        self.client.post(
            ADD, self.data(match="pattern", old_path="/shop/:category/*", redirect_link="/s/")
        )
        self.client.post(ADD, self.data(match="exact", old_path="/plain"))
        Redirect.add_redirect("/made-by-core", "/x/")  # no details at all
        self.assertEqual(Redirect.objects.count(), 5)

        def rows(**params: str) -> set[str]:
            response = self.client.get(INDEX, params)
            return {redirect.old_path for redirect in response.context["object_list"]}

        self.assertEqual(rows(match="prefix"), {"/old-section/*"})
        self.assertEqual(rows(match="pattern"), {"/n/:year/:slug", "/shop/:category/*"})
        self.assertEqual(rows(match="exact"), {"/plain", "/made-by-core"})
        html = self.client.get(INDEX).content.decode()
        for label in ("Match", "Exact", "Prefix", "Pattern", "Any match"):
            self.assertIn(label, html)


class TestShown:
    """What the form shows for a stored row, including ones written by an import."""

    def test_shown(self) -> None:
        shown = matching.shown
        assert shown("/a/*", "/b/:splat?x=1", True) == matching.Shown(
            "prefix", "/a", "/b?x=1", True
        )
        assert shown("/*", "https://n.example/:splat", True) == matching.Shown(
            "prefix", "/", "https://n.example", True
        )
        assert shown("/a/*", "/b/:splat/end", True).carry is False
        assert shown("/a/:b", "/c/:b", True) == matching.Shown("pattern", "/a/:b", "/c/:b", False)
        assert shown("/a/*", "/b/", False).match == "exact"
