"""Undo of a move whose translations moved too (issue 30, item 6): the message counts every
translation's redirects, and Undo removes them all and puts back, for each translation,
the automatic redirect its move replaced (a URL that one language's page took over after
an earlier move, and that this move redirected to its new page)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site, translate
from tests.utils.pages import add_page

pytestmark = pytest.mark.i18n


def get(path: str) -> tuple[int, str | None]:
    response = Client().get(path, HTTP_HOST="localhost")
    return response.status_code, response.get("Location")


@override_settings(WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE=True)
class TestUndoWithTranslations(TestCase):
    def setUp(self) -> None:
        self.site: I18nSite = build_site()
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client = Client()
        self.client.force_login(user)

    def move(self, page: Any, under: Any) -> Any:
        response = self.client.post(
            f"/admin/pages/{page.pk}/move/{under.pk}/confirm/", HTTP_HOST="localhost", follow=True
        )
        forget()
        return response

    def undo_url(self, response: Any) -> str:
        match = re.search(r'href="(/admin/redirect-tools/moves/\d+/undo/[^"]*)"', response.text)
        assert match, "no Undo button"
        return match.group(1).replace("&amp;", "&")

    def test_undo_puts_back_what_each_translations_move_replaced(self) -> None:
        # Services moves under About: its old URLs in every language are redirected.
        self.move(self.site.page("en", "services"), self.site.page("en", "about"))
        self.assertEqual(get("/fr/services/"), (301, "/fr/a-propos/services/"))
        # A new page takes the French URL /fr/services/ over (its first publish writes
        # nothing; the old redirect waits behind the live page), then moves with its
        # translations under Contact.
        offers = add_page(self.site.home, "offers", title="Offers")
        translate(offers, "cy", "cynigion")
        translate(offers, "fr", "services")
        forget()
        self.assertEqual(get("/fr/services/")[0], 200)
        before = set(Redirect.objects.values_list("old_path", "redirect_page_id"))

        response = self.move(offers, self.site.page("en", "contact"))
        self.assertContains(response, "3 redirects were created from the old URLs of")
        self.assertEqual(get("/fr/services/"), (301, "/fr/contact/services/"))
        self.assertEqual(get("/cy/cynigion/"), (301, "/cy/cysylltu/cynigion/"))

        undo = self.undo_url(response)
        self.assertContains(self.client.get(undo, HTTP_HOST="localhost"), "Remove the 3 redirects")
        done = self.client.post(undo, HTTP_HOST="localhost", follow=True)
        self.assertContains(done, "3 redirects created by the move were removed.")
        self.assertContains(done, "1 redirect it had replaced was put back.")
        forget()
        after = set(Redirect.objects.values_list("old_path", "redirect_page_id"))
        self.assertEqual(after, before)
        self.assertEqual(get("/fr/services/"), (301, "/fr/a-propos/services/"))
        self.assertEqual(get("/en/offers/")[0], 404)
