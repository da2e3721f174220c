"""Pattern redirects on the multilingual test site: a pattern that serves every language
(``RedirectDetails.every_language``) answers under every language's prefix too, matched
on the path without it, as an exact redirect for every language does."""

from __future__ import annotations

import pytest
from django.test import Client, TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools.models import RedirectDetails

pytestmark = pytest.mark.i18n


def get(path: str) -> tuple[int, str | None]:
    response = Client().get(path, HTTP_HOST="localhost")
    return response.status_code, response.get("Location")


def pattern(source: str, target: str | Page, *, every_language: bool) -> Redirect:
    page = target if isinstance(target, Page) else None
    redirect = Redirect.objects.create(
        old_path=source,
        redirect_page=page,
        redirect_link="" if page is not None else str(target),
    )
    RedirectDetails.record(redirect, is_pattern=True, every_language=every_language)
    return redirect


class TestEveryLanguagePatterns(TestCase):
    site: I18nSite

    def setUp(self) -> None:
        self.site = build_site()
        forget()

    def test_a_pattern_for_every_language(self) -> None:
        pattern("/old-section/*", "/new-section/:splat", every_language=True)
        self.assertEqual(get("/en/old-section/a/b/"), (301, "/en/new-section/a/b/"))
        self.assertEqual(get("/cy/old-section/a/"), (301, "/cy/new-section/a/"))

    def test_to_the_page_s_translation(self) -> None:
        pattern("/old-about/*", self.site.page("en", "about"), every_language=True)
        status, location = get("/fr/old-about/x/")
        self.assertEqual(status, 301)
        self.assertTrue(location and location.endswith("/fr/a-propos/"), location)

    def test_a_pattern_for_its_own_path_only(self) -> None:
        pattern("/old-section/*", "/new-section/:splat", every_language=False)
        self.assertEqual(get("/cy/old-section/a/")[0], 404)
        pattern("/cy/only-welsh/*", "/cy/newydd/:splat", every_language=False)
        self.assertEqual(get("/cy/only-welsh/a/"), (301, "/cy/newydd/a/"))
