"""Answers before routing on the multilingual test site: a repeated 404 skips routing in
each language, and on a site without language prefixes (the language from the visitor's
``Accept-Language``) what was known in one language is never given in another, whose
root page routes the path to a page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site

pytestmark = pytest.mark.i18n

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
#: Pages served without language prefixes: ``LocaleMiddleware`` takes the visitor's language.
NO_PREFIXES = override_settings(ROOT_URLCONF="tests.urls")


@time_machine.travel(NOW, tick=False)
class TestEarlyNotFoundInLanguages(TestCase):
    site: I18nSite

    def setUp(self) -> None:
        self.site = build_site()
        forget()

    def get(self, path: str, language: str = "en") -> tuple[int, int]:
        """The status and the number of queries of a request in ``language``."""
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(path, HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
        return response.status_code, len(queries)

    def test_a_repeated_404_under_a_language_prefix(self) -> None:
        for path in ("/cy/dim-byd/", "/fr/a-propos/rien/"):
            with self.subTest(path):
                self.get(path)
                self.get(path)
                self.assertEqual(self.get(path), (404, 0))

    def test_without_prefixes_a_404_in_one_language_is_a_page_in_another(self) -> None:
        with NO_PREFIXES:
            for _ in range(3):
                self.assertEqual(self.get("/amdanom/", "en")[0], 404)
            self.assertEqual(self.get("/amdanom/", "en"), (404, 0))
            self.assertEqual(self.get("/amdanom/", "cy")[0], 200)

    def test_without_prefixes_a_redirect_in_one_language_is_a_page_in_another(self) -> None:
        Redirect.add_redirect("/amdanom", "/contact/", is_permanent=True)
        with NO_PREFIXES:
            for _ in range(2):
                self.assertEqual(self.get("/amdanom/", "en")[0], 301)
            self.assertEqual(self.get("/amdanom/", "en"), (301, 0))
            self.assertEqual(self.get("/amdanom/", "cy")[0], 200)
