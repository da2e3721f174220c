"""Imports and the Redirects form on the multilingual test site (issue 30, item 5).

A target that is a translation's URL (``/cy/amdanom/``, ``/en/about/``) is stored as that
page, so it follows the page when its slug changes; the live-page check on a source knows
that pages live under their language's prefix: ``/cy/amdanom`` is a live page, ``/about``
is not (where every language has a prefix)."""

from __future__ import annotations

import datetime
import os
import tempfile
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from tests.test_i18n_autoredirects import rename
from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools.importing.planning import ImportOptions, plan_import
from wagtail_redirect_tools.importing.reading import read_table

pytestmark = pytest.mark.i18n

NOW = datetime.datetime(2029, 6, 1, 12, 0, tzinfo=datetime.UTC)

UPLOAD = "/admin/redirect-tools/imports/"
ADD = reverse("redirect_tools_redirects:add")

#: The issue's file: a Welsh old path to a Welsh page, an English one to an English page.
FILE = b"from,to\n/cy/hen-dudalen,/cy/amdanom/\n/old-about,/en/about/\n"


def final_answer(path: str) -> tuple[int, str]:
    response = Client().get(path, follow=True, HTTP_HOST="localhost")
    return response.status_code, response.request["PATH_INFO"]


class MultilingualTestCase(TestCase):
    site: I18nSite
    #: How English URLs begin on this site.
    en = "/en"

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site = build_site()
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def targets(self) -> dict[str, int | None]:
        """old_path → target page id of every redirect."""
        return dict(Redirect.objects.values_list("old_path", "redirect_page_id"))

    def assert_follows_the_welsh_rename(self, old_path: str) -> None:
        """After the Welsh About's slug changes, ``old_path`` leads to its new URL."""
        with self.captureOnCommitCallbacks(execute=True):
            rename(self.site.page("cy", "about"), "amdanom-ni")
        self.assertEqual(final_answer(old_path), (200, "/cy/amdanom-ni/"))

    # -- The admin import: upload, preview, confirm ------------------------------------

    def preview(self, content: bytes) -> Any:
        data = {
            "file": SimpleUploadedFile("redirects.csv", content),
            "site": "",
            "default_type": "301",
            "on_existing": "update",
            "file_format": "auto",
            "encoding": "auto",
        }
        response = self.client.post(UPLOAD, data)
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        return page

    def confirm(self, preview: Any) -> Any:
        url = reverse("wagtail_redirect_tools:import_confirm", args=[preview.context["token"]])
        response = self.client.post(url, {})
        self.assertEqual(response.status_code, 302)
        return self.client.get(response["Location"])

    def plan(self, content: bytes) -> Any:
        return plan_import(read_table(content, "x.csv"), ImportOptions())


class TestImportTargets(MultilingualTestCase):
    def test_a_translations_url_is_stored_as_that_page_in_the_admin_import(self) -> None:
        content = FILE.replace(b"/en/", f"{self.en}/".encode())
        preview = self.preview(content)
        rows = preview.context["plan"].rows
        self.assertEqual([row.action for row in rows], ["new", "new"], [r.errors for r in rows])
        self.assertEqual(
            [row.page_id for row in rows],
            [self.site.page("cy", "about").pk, self.site.page("en", "about").pk],
        )
        self.assertContains(preview, "stored as the page")
        self.confirm(preview)
        self.assertEqual(
            self.targets(),
            {
                "/cy/hen-dudalen": self.site.page("cy", "about").pk,
                "/old-about": self.site.page("en", "about").pk,
            },
        )
        self.assertEqual(final_answer("/old-about/"), (200, f"{self.en}/about/"))
        self.assert_follows_the_welsh_rename("/cy/hen-dudalen/")

    def test_the_command_stores_the_page_too(self) -> None:
        content = FILE.replace(b"/en/", f"{self.en}/".encode())
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as file:
            file.write(content)
        self.addCleanup(os.unlink, file.name)
        from django.core.management import call_command

        call_command("redirects_import", file.name, stdout=open(os.devnull, "w"))  # noqa: SIM115
        self.assertEqual(self.targets()["/cy/hen-dudalen"], self.site.page("cy", "about").pk)
        self.assert_follows_the_welsh_rename("/cy/hen-dudalen/")

    def test_it_follows_even_without_automatic_redirects(self) -> None:
        """Stored as a page, not re-pointed by the move: it follows with them switched off."""
        self.confirm(self.preview(FILE.replace(b"/en/", f"{self.en}/".encode())))
        with override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False):
            self.assert_follows_the_welsh_rename("/cy/hen-dudalen/")

    def test_another_languages_slug_is_no_page(self) -> None:
        """``/cy/about/`` answers 404 (the Welsh home has no ``about``): a plain path."""
        row = self.plan(b"from,to\n/cy/hen,/cy/about/\n").rows[0]
        self.assertEqual((row.page_id, row.link), (None, "/cy/about/"))

    @time_machine.travel(NOW, tick=False)
    def test_a_window_from_one_translation_to_another_is_no_loop(self) -> None:
        """``/cy/amdanom`` → ``/en/about/`` for a while: two pages, no loop; to itself, a loop."""
        rows = self.plan(
            b"from,to,expires_at\n"
            + f"/cy/amdanom,{self.en}/about/,2030-01-01\n".encode()
            + b"/fr/a-propos,/fr/a-propos/,2030-01-01\n"
        ).rows
        self.assertEqual(
            (rows[0].action, rows[0].page_id), ("new", self.site.page("en", "about").pk)
        )
        self.assertEqual(rows[1].action, "error")
        self.assertIn("loop", rows[1].errors[0])


class TestImportLivePageCheck(MultilingualTestCase):
    def test_a_translations_url_is_live_and_a_path_without_its_prefix_is_not(self) -> None:
        rows = self.plan(
            b"from,to\n/cy/amdanom,/cy/cysylltu/\n/fr/a-propos/equipe/,/fr/contact/\n"
            + f"{self.en}/about,{self.en}/contact/\n".encode()
        ).rows
        for row in rows:
            with self.subTest(source=row.old_path):
                self.assertEqual(row.action, "error")
                self.assertIn("A live page is at", row.errors[0])

    def test_a_path_no_page_answers_is_imported_in_the_admin(self) -> None:
        """``/about``: pages live under ``/en/``, and Django answers 404 before ours."""
        preview = self.preview(b"from,to\n/about,/en/about/\n/cy/about,/cy/amdanom/\n")
        rows = preview.context["plan"].rows
        self.assertEqual([row.action for row in rows], ["new", "new"], [r.errors for r in rows])
        self.confirm(preview)
        self.assertEqual(final_answer("/about/"), (200, "/en/about/"))
        self.assertEqual(final_answer("/cy/about/"), (200, "/cy/amdanom/"))


class TestRedirectForm(MultilingualTestCase):
    def data(self, **values: Any) -> dict[str, Any]:
        site = self.site.home.get_site()
        return {
            "old_path": "/cy/hen-dudalen",
            "site": site.pk,
            "status_code": "301",
            "redirect_link": "/cy/amdanom/",
            **values,
        }

    def test_a_translations_url_asks_for_the_checkbox(self) -> None:
        for old_path in ("/cy/amdanom", "/fr/a-propos/equipe/", f"{self.en}/about/"):
            with self.subTest(old_path=old_path):
                # (not to /cy/amdanom/ itself: /cy/amdanom would loop, which is refused first)
                data = self.data(old_path=old_path, redirect_link="/contact-us/")
                response = self.client.post(ADD, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("confirm_live_page", response.context["form"].errors)
                all_sites = self.client.post(ADD, {**data, "site": ""})
                self.assertIn("confirm_live_page", all_sites.context["form"].errors)
        self.assertFalse(Redirect.objects.exists())

    def test_a_path_without_a_page_saves_at_once(self) -> None:
        response = self.client.post(ADD, self.data(old_path="/cy/about/"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(final_answer("/cy/about/"), (200, "/cy/amdanom/"))
        if self.en:  # English pages live under /en/: nothing answers /about
            response = self.client.post(
                ADD, self.data(old_path="/about", redirect_link="/en/about/")
            )
            self.assertEqual(response.status_code, 302)
            self.assertEqual(final_answer("/about/"), (200, "/en/about/"))

    def test_a_link_to_a_translation_follows_its_rename(self) -> None:
        """The form keeps a path target as a link (as on a one-language site); the rename
        re-points it at the page, from its prefixed old URL."""
        response = self.client.post(ADD, self.data())
        self.assertEqual(response.status_code, 302)
        self.assert_follows_the_welsh_rename("/cy/hen-dudalen/")


@override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")
class TestImportTargetsUnprefixed(TestImportTargets):
    """``i18n_patterns(prefix_default_language=False)``: English pages have no prefix."""

    en = ""


@override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")
class TestImportLivePageCheckUnprefixed(TestImportLivePageCheck):
    en = ""

    def test_a_path_no_page_answers_is_imported_in_the_admin(self) -> None:
        """``/en/about`` is no page's URL here; ``/about`` is (checked above)."""
        row = self.plan(b"from,to\n/en/about,/about/\n").rows[0]
        self.assertEqual(row.action, "new", row.errors)


@override_settings(ROOT_URLCONF="tests.urls_i18n_unprefixed")
class TestRedirectFormUnprefixed(TestRedirectForm):
    en = ""
