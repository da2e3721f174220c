"""The multilingual test site itself answers as a multilingual Wagtail site does."""

from __future__ import annotations

import pytest
from django.test import TestCase

from tests.utils.i18n_site import build_site

pytestmark = pytest.mark.i18n


class TestTheSite(TestCase):
    def test_every_translation_answers_under_its_prefix(self) -> None:
        build_site()
        for url in (
            "/en/about/",
            "/en/about/team/",
            "/en/services/bins/",
            "/cy/amdanom/",
            "/cy/amdanom/tim/",
            "/cy/gwasanaethau/biniau/",
            "/cy/cysylltu/",
            "/fr/a-propos/",
            "/fr/services/poubelles/",
            "/fr/contact/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url, HTTP_HOST="localhost").status_code, 200)
