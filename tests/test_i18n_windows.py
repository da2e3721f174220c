"""Scheduled windows on a page and its translations (issue 30): "Redirect temporarily…" on
a translated page offers "This page only" or "This page and its translations"; with
translations, one window per translation is written, all or none, each leading to the
target page's translation in its own language."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import GroupPagePermission

from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from tests.utils.pages import add_page
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect

pytestmark = pytest.mark.i18n

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
THIS_PAGE, WITH_TRANSLATIONS = "page", "translations"


def get(path: str) -> tuple[int, str | None]:
    response = Client().get(path, HTTP_HOST="localhost")
    return response.status_code, response.get("Location")


def page_window_url(page: Any) -> str:
    return f"/admin/redirect-tools/pages/{page.pk}/redirect-temporarily/"


@time_machine.travel(NOW, tick=False)
class WindowsTestCase(TestCase):
    site: I18nSite

    def setUp(self) -> None:
        self.site = build_site()
        forget()
        self.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def post_window(self, page: Any, user: Any = None, **data: Any) -> Any:
        data.setdefault("redirect_link", "")
        data.setdefault("status_code", "302")
        data.setdefault("expires_at", "2026-11-20 00:00")
        return self.client_for(user or self.admin).post(
            page_window_url(page), data, HTTP_HOST="localhost", follow=True
        )


class TestTheChoice(WindowsTestCase):
    def test_offered_on_a_translated_page(self) -> None:
        response = self.client_for(self.admin).get(
            page_window_url(self.site.page("en", "about")), HTTP_HOST="localhost"
        )
        self.assertContains(response, "This page only")
        self.assertContains(response, "This page and its translations")
        self.assertContains(response, "Welsh")
        self.assertContains(response, "French")

    def test_not_offered_on_a_page_without_translations(self) -> None:
        news = add_page(self.site.home, "news", title="News")
        response = self.client_for(self.admin).get(page_window_url(news), HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "This page and its translations")

    def test_this_page_only_writes_one_window(self) -> None:
        about = self.site.page("en", "about")
        self.post_window(
            about, redirect_page=self.site.page("en", "contact").pk, translations=THIS_PAGE
        )
        self.assertEqual(ScheduledRedirect.objects.get().source_page_id, about.pk)
        self.assertEqual(get("/cy/amdanom/")[0], 200)


class TestWithTranslations(WindowsTestCase):
    def test_each_translation_goes_to_the_targets_translation_in_its_language(self) -> None:
        about = self.site.page("en", "about")
        response = self.post_window(
            about, redirect_page=self.site.page("en", "contact").pk, translations=WITH_TRANSLATIONS
        )
        self.assertContains(response, "and its 2 translations will redirect")
        windows = ScheduledRedirect.objects.order_by("pk")
        self.assertEqual(
            {(w.source_page.locale.language_code, w.redirect_page_id) for w in windows},
            {
                ("en", self.site.pages["en"]["contact"].pk),
                ("cy", self.site.pages["cy"]["contact"].pk),
                ("fr", self.site.pages["fr"]["contact"].pk),
            },
        )
        self.assertEqual(get("/en/about/"), (302, "/en/contact/"))
        self.assertEqual(get("/cy/amdanom/"), (302, "/cy/cysylltu/"))
        self.assertEqual(get("/fr/a-propos/"), (302, "/fr/contact/"))
        self.assertEqual(get("/en/services/"), (200, None))

    def test_a_target_without_a_translation_is_the_target_itself(self) -> None:
        news = add_page(self.site.home, "news", title="News")  # English only
        self.post_window(
            self.site.page("en", "about"), redirect_page=news.pk, translations=WITH_TRANSLATIONS
        )
        self.assertEqual(ScheduledRedirect.objects.filter(redirect_page=news).count(), 3)
        self.assertEqual(get("/cy/amdanom/"), (302, "/en/news/"))

    def test_a_link_target_is_the_same_for_every_translation(self) -> None:
        self.post_window(
            self.site.page("cy", "about"),
            redirect_link="https://example.com/consultation/",
            translations=WITH_TRANSLATIONS,
        )
        for path in ("/en/about/", "/cy/amdanom/", "/fr/a-propos/"):
            self.assertEqual(get(path), (302, "https://example.com/consultation/"), path)

    def test_an_overlap_in_one_language_writes_none_and_names_it(self) -> None:
        welsh = self.site.page("cy", "about")
        schedule_redirect(welsh, "/cy/cysylltu/", starts_at=NOW + 5 * DAY, expires_at=NOW + 9 * DAY)
        response = self.post_window(
            self.site.page("en", "about"),
            redirect_link="/en/contact/",
            translations=WITH_TRANSLATIONS,
        )
        self.assertContains(response, "Welsh")
        self.assertContains(response, "overlaps another redirect")
        self.assertEqual(ScheduledRedirect.objects.count(), 1)

    def test_a_translation_the_editor_may_not_edit_writes_none_and_names_it(self) -> None:
        editor = make_user("english-editor", "add_scheduledredirect", page=self.site.home)
        french_home = self.site.pages["fr"]["home"]
        group = editor.groups.get()
        GroupPagePermission.objects.create(group=group, page=french_home, permission_type="change")
        response = self.post_window(
            self.site.page("en", "about"),
            editor,
            redirect_link="/en/contact/",
            translations=WITH_TRANSLATIONS,
        )
        self.assertContains(response, "Welsh")
        self.assertNotContains(response, "French, ")
        self.assertFalse(ScheduledRedirect.objects.exists())
        # This page only: the English page, which the editor may edit.
        self.post_window(
            self.site.page("en", "about"),
            editor,
            redirect_link="/en/contact/",
            translations=THIS_PAGE,
        )
        self.assertEqual(ScheduledRedirect.objects.count(), 1)


class TestPythonApi(WindowsTestCase):
    def test_schedule_redirect_with_translations(self) -> None:
        about, contact = self.site.page("en", "about"), self.site.page("en", "contact")
        window = schedule_redirect(about, contact, expires_at=NOW + DAY, with_translations=True)
        self.assertEqual(window.source_page_id, about.pk)
        self.assertEqual(ScheduledRedirect.objects.count(), 3)
        self.assertEqual(get("/fr/a-propos/"), (302, "/fr/contact/"))

    def test_all_or_none(self) -> None:
        about = self.site.page("en", "about")
        schedule_redirect(self.site.page("fr", "about"), "/x/", expires_at=NOW + DAY)
        with self.assertRaisesMessage(ValidationError, "French"):
            schedule_redirect(about, "/y/", expires_at=NOW + 2 * DAY, with_translations=True)
        self.assertEqual(ScheduledRedirect.objects.count(), 1)

    def test_a_path_source_has_no_translations(self) -> None:
        with self.assertRaises(ValueError):
            schedule_redirect("/x", "/y/", expires_at=NOW + DAY, with_translations=True)


class TestTheGroupInTheAdmin(WindowsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.windows = [
            schedule_redirect(self.site.page(language, "about"), "/offers/", expires_at=NOW + DAY)
            for language in ("en", "cy", "fr")
        ]

    def test_the_listing_shows_each_rows_language(self) -> None:
        response = self.client_for(self.admin).get(
            "/admin/scheduled-redirects/", HTTP_HOST="localhost"
        )
        self.assertContains(response, "Language")
        for name in ("English", "Welsh", "French"):
            self.assertContains(response, name)

    def test_ending_one_ends_it_alone_unless_asked(self) -> None:
        en, cy, _fr = self.windows
        client = self.client_for(self.admin)
        url = f"/admin/redirect-tools/windows/{en.pk}/end-now/"
        confirm = client.get(url, HTTP_HOST="localhost")
        self.assertContains(confirm, "Also end the windows of its translations")
        client.post(url, HTTP_HOST="localhost")
        self.assertEqual(get("/en/about/"), (200, None))
        self.assertEqual(get("/cy/amdanom/"), (302, "/offers/"))
        client.post(
            url.replace(str(en.pk), str(cy.pk)), {"translations": "on"}, HTTP_HOST="localhost"
        )
        self.assertEqual(get("/cy/amdanom/"), (200, None))
        self.assertEqual(get("/fr/a-propos/"), (200, None))


class TestImport(WindowsTestCase):
    """A file row ``page:ID`` with ``translations`` = yes: one window per translation,
    shown in the preview, all or none."""

    def import_file(self, content: str, on_existing: str = "update") -> Any:
        client = self.client_for(self.admin)
        upload = client.post(
            reverse("wagtail_redirect_tools:import"),
            {
                "file": SimpleUploadedFile("windows.csv", content.encode()),
                "site": "",
                "default_type": "301",
                "on_existing": on_existing,
                "file_format": "auto",
                "encoding": "auto",
            },
            HTTP_HOST="localhost",
        )
        self.assertEqual(upload.status_code, 302)
        preview = client.get(upload["Location"], HTTP_HOST="localhost")
        token = preview.context["token"]
        # The preview's rows are read from the kept plan, which the confirm replaces.
        preview.row_errors = [" ".join(row.errors) for row in preview.context["plan"].rows]
        client.post(
            reverse("wagtail_redirect_tools:import_confirm", args=[token]), HTTP_HOST="localhost"
        )
        forget()
        return preview

    def test_a_row_with_its_translations(self) -> None:
        about, contact = self.site.page("en", "about"), self.site.page("en", "contact")
        preview = self.import_file(
            "from,to,expires_at,translations\n"
            f"page:{about.pk},page:{contact.pk},2026-11-20 00:00,yes\n"
            f"page:{self.site.page('en', 'services').pk},/offers/,2026-11-20 00:00,no\n"
        )
        self.assertContains(preview, "With its translations: Welsh, French.")
        self.assertEqual(ScheduledRedirect.objects.count(), 4)
        self.assertEqual(get("/cy/amdanom/"), (302, "/cy/cysylltu/"))
        self.assertEqual(get("/fr/a-propos/"), (302, "/fr/contact/"))
        self.assertEqual(get("/en/about/"), (302, "/en/contact/"))
        self.assertEqual(get("/cy/gwasanaethau/"), (200, None))

    def test_an_overlap_in_one_language_writes_none_of_the_row(self) -> None:
        schedule_redirect(self.site.page("cy", "about"), "/x/", expires_at=NOW + 30 * DAY)
        about = self.site.page("en", "about")
        preview = self.import_file(
            f"from,to,expires_at,translations\npage:{about.pk},/y/,2026-11-20 00:00,yes\n",
            on_existing="error",
        )
        errors = " ".join(preview.row_errors)
        self.assertIn("Welsh", errors)
        self.assertEqual(ScheduledRedirect.objects.count(), 1)

    def test_translations_only_for_a_page(self) -> None:
        preview = self.import_file("from,to,expires_at,translations\n/x,/y/,2026-11-20 00:00,yes\n")
        self.assertContains(preview, "can include its")
        self.assertFalse(ScheduledRedirect.objects.exists())
