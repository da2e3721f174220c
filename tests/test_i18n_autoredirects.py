"""Automatic redirects on the multilingual test site (issue 30, items 1, 2, 3 and 7):
every old URL of every translation is redirected from its real URL, with its language
prefix, to the same page in the same language as with Wagtail core's own redirects.

Each scenario runs twice, with core's redirects and with ours; every URL that was live
before it and that core still answers (redirected or not) must answer the same final page
with ours."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page

from tests.utils.i18n_compare import Answer, outcome
from tests.utils.i18n_site import I18nSite, build_site, translate
from tests.utils.pages import add_page

pytestmark = pytest.mark.i18n

SYNCED = override_settings(WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE=True)


def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def move_in_admin(site: I18nSite, slug: str, under: str) -> None:
    page, destination = site.page("en", slug), site.page("en", under)
    response = admin_client().post(
        f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/", HTTP_HOST="localhost"
    )
    assert response.status_code == 302, response


def rename(page: Page, slug: str) -> None:
    page = page.specific
    page.slug = slug
    page.save_revision().publish()


def rename_in_admin(page: Page, slug: str) -> None:
    """The translation's edit view, as its editor publishes a new slug."""
    data = {
        "title": page.title,
        "slug": slug,
        "action-publish": "action-publish",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = admin_client().post(f"/admin/pages/{page.pk}/edit/", data, HTTP_HOST="localhost")
    assert response.status_code == 302, response.content[:2000]


class Scenarios(TestCase):
    """The scenarios with every language prefixed (``/en/``, ``/cy/``, ``/fr/``)."""

    #: How English URLs begin on this site.
    en = "/en"

    def compare(
        self, scenario, *, build=build_site, extra_urls: tuple[str, ...] = ()
    ) -> dict[str, Answer]:
        """Ours against core's: every URL core answers with a page, ours answers with the
        same page (the same final URL, so the same language). Returns ours."""
        core = outcome(self, scenario, core_redirects=True, build=build, extra_urls=extra_urls)
        ours = outcome(self, scenario, core_redirects=False, build=build, extra_urls=extra_urls)
        self.assertEqual(core.keys(), ours.keys())
        for url, (status, final, _hops) in core.items():
            if status == 200:
                with self.subTest(url=url, core=final):
                    self.assertEqual(ours[url][:2], (200, final))
        return ours

    def assert_moved(self, answers: dict[str, Answer], old: str, new: str) -> None:
        self.assertEqual(answers[old], (200, new, 1), old)

    # -- Item 1 / 7: a move, with the tree synced (translations move too) and not ------

    def test_a_synced_move_redirects_every_translation_from_its_own_url(self) -> None:
        en = self.en
        with SYNCED:
            ours = self.compare(lambda site: move_in_admin(site, "services", "about"))
        self.assert_moved(ours, f"{en}/services/", f"{en}/about/services/")
        self.assert_moved(ours, f"{en}/services/bins/", f"{en}/about/services/bins/")
        self.assert_moved(ours, "/cy/gwasanaethau/", "/cy/amdanom/gwasanaethau/")
        self.assert_moved(ours, "/cy/gwasanaethau/biniau/", "/cy/amdanom/gwasanaethau/biniau/")
        self.assert_moved(ours, "/fr/services/", "/fr/a-propos/services/")
        self.assert_moved(ours, "/fr/services/poubelles/", "/fr/a-propos/services/poubelles/")

    def test_an_unsynced_move_redirects_the_moved_language_only(self) -> None:
        en = self.en
        ours = self.compare(lambda site: move_in_admin(site, "services", "about"))
        self.assert_moved(ours, f"{en}/services/bins/", f"{en}/about/services/bins/")
        self.assertEqual(ours["/cy/gwasanaethau/biniau/"], (200, "/cy/gwasanaethau/biniau/", 0))
        self.assertEqual(ours["/fr/services/poubelles/"], (200, "/fr/services/poubelles/", 0))

    def test_no_row_without_its_language_prefix(self) -> None:
        self.maxDiff = None
        """The rows are stored at the real URLs; no French row replaced an English one."""
        site = (
            build_site()
        )  # each translation published in a request of its own, as an editor would
        with SYNCED, self.captureOnCommitCallbacks(execute=True):
            move_in_admin(site, "services", "about")
        rows = {r.old_path: r.redirect_page.get_url() for r in Redirect.objects.select_related()}
        en = self.en
        self.assertEqual(
            rows,
            {
                f"{en}/services": f"{en}/about/services/",
                f"{en}/services/bins": f"{en}/about/services/bins/",
                "/cy/gwasanaethau": "/cy/amdanom/gwasanaethau/",
                "/cy/gwasanaethau/biniau": "/cy/amdanom/gwasanaethau/biniau/",
                "/fr/services": "/fr/a-propos/services/",
                "/fr/services/poubelles": "/fr/a-propos/services/poubelles/",
            },
        )

    # -- Item 2: a translation's slug changes -----------------------------------------

    def test_a_translated_slug_change(self) -> None:
        ours = self.compare(lambda site: rename(site.page("cy", "about"), "amdanom-ni"))
        self.assert_moved(ours, "/cy/amdanom/", "/cy/amdanom-ni/")
        self.assert_moved(ours, "/cy/amdanom/tim/", "/cy/amdanom-ni/tim/")
        self.assertEqual(ours[f"{self.en}/about/"], (200, f"{self.en}/about/", 0))
        self.assertFalse(Redirect.objects.exists())

    def test_a_translated_slug_changed_in_the_translations_edit_view(self) -> None:
        """wagtail/wagtail#9833: only the translation's slug changes, by its editor."""
        ours = self.compare(lambda site: rename_in_admin(site.page("cy", "about"), "amdanom-ni"))
        self.assert_moved(ours, "/cy/amdanom/", "/cy/amdanom-ni/")
        self.assert_moved(ours, "/cy/amdanom/tim/", "/cy/amdanom-ni/tim/")

    def test_a_synced_trees_aliases_follow_their_source(self) -> None:
        """A page created with the tree synced has live aliases in the other languages
        (simple_translation's after_create_page): a new slug and a move of the source
        redirect theirs as core does."""

        def build() -> I18nSite:
            site = build_site()
            news = add_page(site.home, "news", title="News")
            for language in ("cy", "fr"):
                news.copy_for_translation(
                    Locale.objects.get(language_code=language), copy_parents=True, alias=True
                )
            site.pages["en"]["news"] = news
            return site

        def rename_and_move(site: I18nSite) -> None:
            rename(site.page("en", "news"), "latest")
            move_in_admin(site, "news", "about")

        with SYNCED:
            ours = self.compare(rename_and_move, build=build)
        self.assertEqual(ours[f"{self.en}/news/"][:2], (200, f"{self.en}/about/latest/"))

    # -- Item 3: a translation's first publish ----------------------------------------

    def test_a_first_publish_writes_nothing(self) -> None:
        def publish_welsh_contact(site: I18nSite) -> None:
            translate(site.page("en", "contact"), "cy", "cysylltu")

        ours = self.compare(
            publish_welsh_contact,
            build=lambda: build_site(untranslated=("contact",)),
            # /cy/contact/ was never public: core redirects it, ours need not.
            extra_urls=(f"{self.en}/contact/", "/cy/cysylltu/"),
        )
        self.assertEqual(ours[f"{self.en}/contact/"], (200, f"{self.en}/contact/", 0))
        self.assertEqual(ours["/cy/cysylltu/"], (200, "/cy/cysylltu/", 0))
        site = build_site(untranslated=("contact",))
        with self.captureOnCommitCallbacks(execute=True):
            translate(site.page("en", "contact"), "cy", "cysylltu")
        self.assertFalse(Redirect.objects.exists())

    def test_an_english_url_answers_english_whatever_the_browser_asks(self) -> None:
        site = (
            build_site()
        )  # each translation published in a request of its own, as an editor would
        with SYNCED, self.captureOnCommitCallbacks(execute=True):
            move_in_admin(site, "services", "about")
        for language in ("en", "cy", "fr"):
            response = Client().get(
                f"{self.en}/services/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language
            )
            self.assertEqual(response["Location"], f"{self.en}/about/services/")


@override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")
class UnprefixedDefaultLanguage(Scenarios):
    """Item 7: the same with ``i18n_patterns(prefix_default_language=False)``."""

    en = ""


@override_settings(WAGTAIL_REDIRECT_TOOLS_REDIRECT_ON_DELETE=True)
class TestRemovals(TestCase):
    """Unpublish and delete, when switched on: each translation's URLs, with its prefix,
    lead to its own nearest live ancestor."""

    def test_an_unpublished_translation(self) -> None:
        site = build_site()
        with self.captureOnCommitCallbacks(execute=True):
            site.page("cy", "team").specific.unpublish()
        self.assertEqual(
            Client().get("/cy/amdanom/tim/", HTTP_HOST="localhost")["Location"], "/cy/amdanom/"
        )
        self.assertEqual(Client().get("/en/about/team/", HTTP_HOST="localhost").status_code, 200)
        self.assertEqual(
            list(Redirect.objects.values_list("old_path", flat=True)), ["/cy/amdanom/tim"]
        )

    def test_published_again_it_answers_its_own_url(self) -> None:
        site = build_site()
        with self.captureOnCommitCallbacks(execute=True):
            site.page("cy", "team").specific.unpublish()
            site.page("en", "team").specific.unpublish()
        self.assertEqual(Redirect.objects.count(), 2)
        with self.captureOnCommitCallbacks(execute=True):
            site.page("cy", "team").specific.save_revision().publish()
        self.assertEqual(Client().get("/cy/amdanom/tim/", HTTP_HOST="localhost").status_code, 200)
        self.assertEqual(
            list(Redirect.objects.values_list("old_path", flat=True)), ["/en/about/team"]
        )

    def test_a_deleted_translation(self) -> None:
        site = build_site()
        bins = site.page("fr", "bins")
        with self.captureOnCommitCallbacks(execute=True):
            response = admin_client().post(f"/admin/pages/{bins.pk}/delete/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Client().get("/fr/services/poubelles/", HTTP_HOST="localhost")["Location"],
            "/fr/services/",
        )
        self.assertEqual(Client().get("/en/services/bins/", HTTP_HOST="localhost").status_code, 200)


@SYNCED
class TestAdminMove(TestCase):
    """The move message counts every translation's redirects, and Undo removes them all."""

    def test_message_and_undo_cover_every_translation(self) -> None:
        site = build_site()
        services, about = site.page("en", "services"), site.page("en", "about")
        client = admin_client()
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                f"/admin/pages/{services.pk}/move/{about.pk}/confirm/",
                HTTP_HOST="localhost",
                follow=True,
            )
        self.assertEqual(Redirect.objects.count(), 6)
        self.assertContains(response, "6 redirects were created from the old URLs of")
        match = re.search(r'href="(/admin/redirect-tools/moves/\d+/undo/[^"]*)"', response.text)
        assert match, "no Undo button"
        undo = match.group(1).replace("&amp;", "&")
        self.assertContains(client.get(undo, HTTP_HOST="localhost"), "Remove the 6 redirects")
        see = re.search(r'href="(/admin/redirect-tools/redirects/\?move=\d+)"', response.text)
        assert see, "no See redirects button"
        listing = client.get(see.group(1), HTTP_HOST="localhost")
        self.assertContains(listing, "6 redirects")
        for slug in ("bins", "gwasanaethau", "biniau", "poubelles"):
            self.assertContains(listing, slug)
        client.post(undo, HTTP_HOST="localhost")
        self.assertFalse(Redirect.objects.exists())


class TestMoveConfirmation(TestCase):
    """Our move confirmation (old URLs counted, "Create redirects…" ticked) is shown where
    the move takes no translation along, as on a one-language site; where translations move
    too, Wagtail's own screen lists them (seen: the bilingual sandbox lost the choice)."""

    def confirm(self) -> str:
        site = build_site()
        page, destination = site.page("en", "services"), site.page("en", "about")
        response = admin_client().get(
            f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/", HTTP_HOST="localhost"
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_an_unsynced_tree_gets_our_confirmation(self) -> None:
        self.assertIn("Create redirects from the old URLs", self.confirm())

    def test_a_synced_tree_gets_wagtails_which_lists_the_translations(self) -> None:
        with SYNCED:
            html = self.confirm()
        self.assertNotIn("Create redirects from the old URLs", html)
