"""The multilingual test site of issue 30: a Welsh council's tree in English, Welsh and
French, each translation with its own slugs.

    Home > About > Team, Services > Bins, Contact
    cy:    amdanom > tim, gwasanaethau > biniau, cysylltu
    fr:    a-propos > equipe, services > poubelles, contact

Translations are made as ``wagtail.contrib.simple_translation`` makes them (a draft copy
in the other locale), then given their slugs and published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.models import Locale, Page

from tests.utils.pages import add_page, fresh_site_tree

#: English slug -> (Welsh slug, French slug); None: not translated.
SLUGS: dict[str, tuple[str, str]] = {
    "about": ("amdanom", "a-propos"),
    "team": ("tim", "equipe"),
    "services": ("gwasanaethau", "services"),
    "bins": ("biniau", "poubelles"),
    "contact": ("cysylltu", "contact"),
}
LANGUAGES = ("en", "cy", "fr")


@dataclass
class I18nSite:
    home: Page
    #: language -> English slug -> page
    pages: dict[str, dict[str, Page]] = field(default_factory=dict)

    def page(self, language: str, english_slug: str) -> Page:
        return Page.objects.get(pk=self.pages[language][english_slug].pk)


def translate(page: Page, language: str, slug: str, *, publish: bool = True) -> Page:
    """A translation of ``page`` as simple_translation makes it (a draft copy under the
    parent's translation), with its own slug; published when asked."""
    locale = Locale.objects.get(language_code=language)
    translation = page.copy_for_translation(locale).specific
    translation.slug = slug
    translation.title = f"{page.title} ({language})"
    translation.save_revision().publish() if publish else translation.save()
    return Page.objects.get(pk=translation.pk)


def build_site(*, untranslated: tuple[str, ...] = ()) -> I18nSite:
    """The tree in three languages; ``untranslated`` names English slugs left without a
    Welsh or French translation (to be translated by the test)."""
    for language in LANGUAGES:
        Locale.objects.get_or_create(language_code=language)
    _site, home = fresh_site_tree("localhost")
    site = I18nSite(home=home, pages={language: {} for language in LANGUAGES})
    en = site.pages["en"]
    en["about"] = add_page(home, "about", title="About")
    en["team"] = add_page(en["about"], "team", title="Team")
    en["services"] = add_page(home, "services", title="Services")
    en["bins"] = add_page(en["services"], "bins", title="Bins")
    en["contact"] = add_page(home, "contact", title="Contact")
    for index, language in enumerate(("cy", "fr"), start=0):
        home_translation = home.copy_for_translation(Locale.objects.get(language_code=language))
        home_translation.save_revision().publish()
        site.pages[language]["home"] = home_translation
        for english_slug in ("about", "team", "services", "bins", "contact"):
            if english_slug in untranslated:
                continue
            slug = SLUGS[english_slug][index]
            site.pages[language][english_slug] = translate(en[english_slug], language, slug)
    return site
