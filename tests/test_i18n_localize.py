"""Automatic redirects when wagtail-localize makes and updates the translations (issue 30):
a translation's new slug, synced from the translation editor, is redirected from its
prefixed URL (wagtail/wagtail#9833), and a first publish writes nothing. Runs with
``tests.settings_i18n_localize`` in a venv with wagtail-localize; skipped otherwise."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page

from tests.utils.i18n_compare import outcome
from tests.utils.pages import add_page, fresh_site_tree

pytestmark = [
    pytest.mark.i18n,
    pytest.mark.skipif(
        not apps.is_installed("wagtail_localize"),
        reason="needs wagtail-localize (tests.settings_i18n_localize)",
    ),
]


def localize(page: Page, language: str, strings: dict[str, str]) -> Page:
    """Translate ``page`` through wagtail-localize, as its translation editor does: each
    string of ``strings`` (by field) translated, then the translation published."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("context"):
        value = strings.get(segment.context.path)
        if value is not None:
            StringTranslation.objects.update_or_create(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                defaults={"data": value},
            )
    # save_target(publish=True) publishes once the transaction commits: the same
    # revision is published here, at once, as that callback would.
    translation.save_target(publish=False)
    translated = page.get_translation(locale).specific
    translated.get_latest_revision().publish()
    return translated


class LocalizeSite:
    def __init__(self) -> None:
        for language in ("en", "cy", "fr"):
            Locale.objects.get_or_create(language_code=language)
        _site, self.home = fresh_site_tree("localhost")
        self.about = add_page(self.home, "about", title="About")
        self.team = add_page(self.about, "team", title="Team")
        for language in ("cy", "fr"):
            home = self.home.copy_for_translation(Locale.objects.get(language_code=language))
            home.save_revision().publish()


class TestLocalize(TestCase):
    def test_a_translations_new_slug_from_the_translation_editor(self) -> None:
        def build() -> LocalizeSite:
            site = LocalizeSite()
            localize(site.about, "cy", {"title": "Amdanom", "slug": "amdanom"})
            localize(site.team, "cy", {"title": "Tim", "slug": "tim"})
            return site

        def rename(site: LocalizeSite) -> None:
            localize(site.about, "cy", {"title": "Amdanom ni", "slug": "amdanom-ni"})

        core = outcome(self, rename, core_redirects=True, build=build)
        ours = outcome(self, rename, core_redirects=False, build=build)
        self.assertEqual(ours["/cy/amdanom/"], (200, "/cy/amdanom-ni/", 1))
        self.assertEqual(ours["/cy/amdanom/tim/"], (200, "/cy/amdanom-ni/tim/", 1))
        for url, (status, final, _hops) in core.items():
            if status == 200:
                with self.subTest(url=url):
                    self.assertEqual(ours[url][:2], (200, final))

    def test_a_first_translation_writes_nothing(self) -> None:
        site = LocalizeSite()
        with self.captureOnCommitCallbacks(execute=True):
            localize(site.about, "cy", {"title": "Amdanom", "slug": "amdanom"})
        self.assertEqual(self.client.get("/cy/amdanom/", HTTP_HOST="localhost").status_code, 200)
        self.assertFalse(Redirect.objects.exists())
