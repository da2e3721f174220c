"""The scheduled redirect form asks first what to redirect (a path or a page), then for
that one source; every field explains itself with an example. Through the real views."""

from __future__ import annotations

import datetime
import re
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ADD = "/admin/scheduled-redirects/new/"
FIELDS = [
    "old_path",
    "site",
    "source_page",
    "redirect_page",
    "redirect_page_route_path",
    "redirect_link",
    "status_code",
    "starts_at",
    "expires_at",
    "reason",
]


@time_machine.travel(NOW, tick=False)
class TestProgressiveForm(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.sale = add_page(cls.home, "sale", title="Sale")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "source_kind": "path",
            "old_path": "/spring",
            "site": "",
            "source_page": "",
            "redirect_page": "",
            "redirect_page_route_path": "",
            "redirect_link": "/campaign/",
            "status_code": "302",
            "starts_at": "",
            "expires_at": "2026-12-10 18:00",
            "reason": "",
        }
        data.update(overrides)
        return data

    def test_first_the_choice_of_source_then_the_fields_marked_for_the_script(self) -> None:
        html = self.client.get(ADD).content.decode()
        self.assertIn("Redirect from", html)
        radios = re.findall(r'<input type="radio" name="source_kind" value="(\w+)"', html)
        self.assertEqual(radios, ["path", "page"])
        self.assertIn('value="path" data-window-source-kind', html.replace(" checked", ""))
        # Every source field says which choice it belongs to; without the script all stay.
        for name, kind in [("old_path", "path"), ("site", "path"), ("source_page", "page")]:
            with self.subTest(field=name):
                self.assertRegex(html, rf'name="{name}"[^>]*data-window-source="{kind}"')
        self.assertIn("wagtail_redirect_tools/js/window-form.js", html)
        self.assertLess(html.index('name="source_kind"'), html.index('name="old_path"'))

    def test_the_choice_starts_at_the_windows_own_source(self) -> None:
        window = schedule_redirect(self.sale, "/x/", expires_at=NOW + datetime.timedelta(days=2))
        html = self.client.get(f"/admin/scheduled-redirects/edit/{window.pk}/").content.decode()
        self.assertRegex(html, r'name="source_kind" value="page"[^>]*checked')

    def test_the_chosen_source_wins_over_a_value_left_in_the_other(self) -> None:
        response = self.client.post(
            ADD, self.data(source_kind="page", source_page=self.sale.pk, old_path="/stale")
        )
        self.assertEqual(response.status_code, 302)
        window = ScheduledRedirect.objects.get()
        self.assertEqual((window.source_page_id, window.old_path), (self.sale.pk, ""))
        window.delete()
        response = self.client.post(ADD, self.data(source_page=self.sale.pk, site=self.site.pk))
        self.assertEqual(response.status_code, 302)
        window = ScheduledRedirect.objects.get()
        self.assertEqual(
            (window.source_page, window.old_path, window.site), (None, "/spring", self.site)
        )

    def test_the_chosen_source_is_required(self) -> None:
        response = self.client.post(ADD, self.data(source_kind="page", old_path="/spring"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose the page to redirect")
        self.assertFalse(ScheduledRedirect.objects.exists())

    def test_without_the_choice_the_form_works_as_before(self) -> None:
        data = self.data()
        del data["source_kind"]
        self.assertEqual(self.client.post(ADD, data).status_code, 302)
        data.update(old_path="/other", source_page=self.sale.pk)
        response = self.client.post(ADD, data)
        self.assertContains(response, "Redirect either a path or a page, not both.")

    def test_every_field_has_help_text_with_an_example(self) -> None:
        form = self.client.get(ADD).context["form"]
        for name in ["source_kind", *FIELDS]:
            with self.subTest(field=name):
                help_text = str(form.fields[name].help_text)
                self.assertRegex(help_text, r"e\.g\.|such as", help_text)
