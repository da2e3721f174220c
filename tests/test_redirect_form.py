"""The plain Add/Edit redirect form (issue 16, items 3 and 7): a warning with a checkbox when
the source is a live page's URL, the codes it offers, help text and the 410 switch."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.models import RedirectDetails

ADD = reverse("redirect_tools_redirects:add")


def edit_url(redirect: Redirect) -> str:
    return reverse("redirect_tools_redirects:edit", args=[redirect.pk])


class RedirectFormTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.services = add_page(cls.home, "services", title="Services")
        cls.news = add_page(cls.home, "news", title="News")
        shop_home = add_page(cls.home.get_parent(), "shop-home", title="Shop")
        cls.shop = make_site("shop.example", shop_home)
        cls.catalogue = add_page(shop_home, "catalogue", title="Catalogue")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def data(self, **values: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "old_path": "/services/",
            "site": self.site.pk,
            "status_code": "301",
            "redirect_link": "/news/",
        }
        data.update(values)
        return data


class TestLivePageWarning(RedirectFormTestCase):
    def test_a_live_pages_url_is_refused_until_confirmed(self) -> None:
        response = self.client.post(ADD, self.data())
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("confirm_live_page", errors)
        self.assertIn("/services", errors["confirm_live_page"][0])
        self.assertContains(response, 'type="checkbox" name="confirm_live_page"')
        self.assertFalse(Redirect.objects.exists())

        response = self.client.post(ADD, self.data(confirm_live_page="on"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Redirect.objects.get().old_path, "/services")

    def test_all_sites_warns_for_a_page_on_any_site(self) -> None:
        response = self.client.post(ADD, self.data(old_path="/catalogue", site=""))
        self.assertIn("confirm_live_page", response.context["form"].errors)

    def test_another_sites_page_is_no_concern(self) -> None:
        response = self.client.post(ADD, self.data(old_path="/catalogue/"))
        self.assertEqual(response.status_code, 302)

    def test_a_path_without_a_page_saves_at_once_and_the_box_stays_hidden(self) -> None:
        form = self.client.get(ADD)
        self.assertContains(form, 'type="hidden" name="confirm_live_page"')
        self.assertNotContains(form, 'type="checkbox" name="confirm_live_page"')
        response = self.client.post(ADD, self.data(old_path="/old-services"))
        self.assertEqual(response.status_code, 302)

    def test_editing_other_fields_of_such_a_redirect_does_not_ask_again(self) -> None:
        redirect = Redirect.add_redirect("/services", "/news/", site=self.site)
        response = self.client.post(edit_url(redirect), self.data(redirect_link="/contact/"))
        self.assertEqual(response.status_code, 302)
        moved = self.client.post(
            edit_url(redirect), self.data(old_path="/news/", redirect_link="/contact/")
        )
        self.assertIn("confirm_live_page", moved.context["form"].errors)


class TestStatusChoices(RedirectFormTestCase):
    def codes(self, response: Any) -> list[int]:
        return [code for code, _label in response.context["form"].fields["status_code"].choices]

    def test_a_new_redirect_is_301_308_or_410(self) -> None:
        self.assertEqual(self.codes(self.client.get(ADD)), [301, 308, 410])
        response = self.client.post(ADD, self.data(old_path="/old", status_code="302"))
        self.assertIn("status_code", response.context["form"].errors)

    def test_an_existing_temporary_redirect_keeps_its_code(self) -> None:
        redirect = Redirect.add_redirect("/old", "/news/", site=self.site, is_permanent=False)
        RedirectDetails.record(redirect, status_code=307)
        response = self.client.get(edit_url(redirect))
        self.assertEqual(self.codes(response), [301, 308, 307, 410])
        saved = self.client.post(edit_url(redirect), self.data(old_path="/old", status_code="307"))
        self.assertEqual(saved.status_code, 302)
        redirect.refresh_from_db()
        self.assertEqual(RedirectDetails.effective_status_code(redirect), 307)


class TestHelpAndGone(RedirectFormTestCase):
    def test_every_field_has_help_with_an_example(self) -> None:
        form = self.client.get(ADD).context["form"]
        for name in ("old_path", "site", "status_code", "redirect_page", "redirect_link"):
            with self.subTest(name):
                self.assertIn("e.g.", str(form.fields[name].help_text))

    def test_the_status_points_at_scheduled_redirects(self) -> None:
        response = self.client.get(ADD)
        self.assertContains(response, f'href="{reverse("scheduled_redirects:add")}"')
        self.assertContains(response, "Scheduled redirects")

    def test_the_form_switches_the_targets_off_for_410(self) -> None:
        response = self.client.get(ADD)
        self.assertContains(response, "wagtail_redirect_tools/js/redirect-form.js")
        self.assertContains(response, "data-redirect-status")
        self.assertContains(response, "data-redirect-target", count=2)

    def test_a_410_with_a_target_is_still_refused(self) -> None:
        response = self.client.post(ADD, self.data(old_path="/old", status_code="410"))
        self.assertIn("status_code", response.context["form"].errors)
        gone = self.client.post(
            ADD, self.data(old_path="/old", status_code="410", redirect_link="")
        )
        self.assertEqual(gone.status_code, 302)


class TestNoLanguages(RedirectFormTestCase):
    def test_a_site_in_one_language_has_no_every_language_checkbox(self) -> None:
        response = self.client.get(ADD)
        self.assertNotIn("every_language", response.context["form"].fields)
        self.assertNotContains(response, "Every language")
        self.assertEqual(self.client.post(ADD, self.data(old_path="/old")).status_code, 302)
        redirect = Redirect.objects.get(old_path="/old")
        self.assertFalse(RedirectDetails.serves_every_language(redirect))


class TestLoops(RedirectFormTestCase):
    """A redirect to itself is refused as the scheduled form refuses it: the same path, or
    a URL of the redirect's own site (of any site for an all-sites redirect)."""

    def assert_loop(self, **values: Any) -> None:
        response = self.client.post(ADD, self.data(**values))
        self.assertEqual(response.status_code, 200, values)
        self.assertIn(
            "The target is the source itself: that would loop.",
            response.context["form"].errors.get("redirect_link", []),
        )
        self.assertFalse(Redirect.objects.filter(old_path=values["old_path"]).exists())

    def test_the_same_path(self) -> None:
        self.assert_loop(old_path="/parking-help", redirect_link="/parking-help")
        self.assert_loop(old_path="/parking-help", redirect_link="/parking-help/")

    def test_a_url_of_the_sites_own_host(self) -> None:
        self.assert_loop(
            old_path="/parking-help-2", redirect_link="http://localhost/parking-help-2/"
        )
        self.assert_loop(
            old_path="/parking-help-2", redirect_link="http://localhost:8101/parking-help-2"
        )

    def test_an_all_sites_redirect_to_any_sites_host(self) -> None:
        self.assert_loop(old_path="/spring", site="", redirect_link="https://shop.example/spring/")

    def test_another_host_or_another_query_is_no_loop(self) -> None:
        for values in (
            {
                "old_path": "/parking-help",
                "redirect_link": "https://elsewhere.example/parking-help",
            },
            {"old_path": "/spring", "redirect_link": "https://shop.example/spring/"},
            {"old_path": "/list?page=2", "redirect_link": "/list"},
        ):
            response = self.client.post(ADD, self.data(**values))
            self.assertEqual(response.status_code, 302, values)
