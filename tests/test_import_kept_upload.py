"""A refused upload keeps its file: the upload form comes back with the file kept (in the
imports' storage, named by a signed token in the form), so the editor corrects the
format, the encoding or an option and submits again without choosing the file again."""

from __future__ import annotations

import datetime
import re
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests.utils.pages import fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.importing import kept_uploads
from wagtail_redirect_tools.models import RedirectImport

UPLOAD = reverse("wagtail_redirect_tools:import")
FILE = b"from,to\n/a/,/x/\n/b/,/y/\n"
OPTIONS = {
    "site": "",
    "default_type": "301",
    "on_existing": "update",
    "file_format": "auto",
    "encoding": "auto",
}


def kept_names() -> list[str]:
    try:
        folders = default_storage.listdir(kept_uploads.KEPT_FOLDER)[0]
    except FileNotFoundError:
        return []
    return [
        f"{kept_uploads.KEPT_FOLDER}/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"{kept_uploads.KEPT_FOLDER}/{folder}")[1]
    ]


class TestARefusedUploadKeepsItsFile(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)
        for name in kept_names():  # the storage is the process's, not the test's
            default_storage.delete(name)

    def post(self, client: Client | None = None, **data: Any) -> Any:
        return (client or self.client).post(UPLOAD, {**OPTIONS, **data})

    def refused(self, **data: Any) -> tuple[Any, str]:
        """A refused upload of FILE: the page, and the token of the kept file."""
        response = self.post(file=SimpleUploadedFile("mine.csv", FILE), **data)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'name="kept_file" value="([^"]+)"', response.content.decode())
        self.assertIsNotNone(match, "no kept file in the form")
        assert match is not None
        return response, match.group(1)

    def assertPreviews(self, response: Any, new: int = 2) -> None:
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        page = self.client.get(response["Location"])
        self.assertEqual(page.context["plan"].counts["new"], new)

    def test_a_wrong_format_choice_is_corrected_without_choosing_the_file_again(self) -> None:
        page, token = self.refused(file_format="xlsx")
        self.assertIn("not a valid .xlsx workbook", str(page.context["form"].errors["file"]))
        self.assertContains(page, "mine.csv")
        self.assertContains(page, "data-kept-file")
        self.assertEqual(len(kept_names()), 1)
        self.assertFalse(RedirectImport.objects.exists())
        self.assertPreviews(self.post(kept_file=token))  # no file this time
        self.assertEqual(RedirectImport.objects.get().original_name, "mine.csv")
        self.assertEqual(kept_names(), [])  # the import holds its own copy

    def test_an_option_refused_keeps_the_file(self) -> None:
        page, token = self.refused(site="9999")
        self.assertIn("site", page.context["form"].errors)
        self.assertPreviews(self.post(kept_file=token))

    def test_refused_again_it_is_still_kept(self) -> None:
        _page, token = self.refused(file_format="xlsx")
        again = self.post(kept_file=token, file_format="json")
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, token)
        self.assertEqual(len(kept_names()), 1)
        self.assertPreviews(self.post(kept_file=token))

    def test_a_new_file_replaces_the_kept_one(self) -> None:
        _page, token = self.refused(file_format="xlsx")
        other = SimpleUploadedFile("other.csv", b"from,to\n/c/,/z/\n")
        self.assertPreviews(self.post(kept_file=token, file=other), new=1)
        self.assertEqual(RedirectImport.objects.get().original_name, "other.csv")
        self.assertEqual(kept_names(), [])

    def test_no_file_and_no_kept_file_is_refused(self) -> None:
        response = self.post()
        self.assertEqual(response.context["form"].errors["file"], ["This field is required."])

    def test_another_editors_or_a_tampered_token_is_not_taken(self) -> None:
        _page, token = self.refused(file_format="xlsx")
        other = Client()
        other.force_login(make_user("importer", "add_redirect", "change_redirect"))
        for client, sent in ((other, token), (self.client, token[:-3] + "abc")):
            with self.subTest(sent=sent):
                response = self.post(client, kept_file=sent)
                self.assertEqual(response.status_code, 200)
                self.assertIn("choose it again", str(response.context["form"].errors["file"]))
        self.assertFalse(RedirectImport.objects.exists())

    @override_settings(WAGTAIL_REDIRECT_TOOLS_IMPORT_MAX_FILE_SIZE=10)
    def test_a_file_over_the_size_limit_is_not_kept(self) -> None:
        response = self.post(file=SimpleUploadedFile("mine.csv", FILE))
        self.assertIn("the limit is 10 bytes", str(response.context["form"].errors["file"]))
        self.assertNotContains(response, "data-kept-file")
        self.assertEqual(kept_names(), [])

    def test_kept_files_never_used_are_deleted_after_a_week(self) -> None:
        with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
            _page, token = self.refused(file_format="xlsx")
        with time_machine.travel(datetime.datetime(2026, 1, 9, tzinfo=datetime.UTC)):
            self.assertPreviews(self.post(file=SimpleUploadedFile("new.csv", FILE)))
            self.assertEqual(kept_names(), [])
            response = self.post(kept_file=token)
        self.assertIn("choose it again", str(response.context["form"].errors["file"]))
