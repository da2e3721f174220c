"""The import screens are Wagtail admin views: Wagtail's title and breadcrumbs (from
Home), its permission check, and URLs in the package's own namespace."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from tests.utils.pages import fresh_site_tree

UPLOAD = reverse("wagtail_redirect_tools:import")


class TestImportScreens(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        fresh_site_tree("localhost")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.superuser)

    def labels(self, response: object) -> list[str]:
        return [str(item["label"]) for item in response.context["breadcrumbs_items"]]  # type: ignore[attr-defined]

    def test_upload_and_detail_have_wagtails_title_and_breadcrumbs(self) -> None:
        self.assertEqual(UPLOAD, "/admin/redirect-tools/imports/")
        upload = self.client.get(UPLOAD)
        self.assertEqual(upload.context["header_title"], "Import redirects")
        self.assertEqual(self.labels(upload), ["Home", "Redirects", "Import"])
        self.assertContains(upload, "<title>Import redirects")
        response = self.client.post(
            UPLOAD,
            {
                "file": SimpleUploadedFile("mine.csv", b"from,to\n/a/,/b/\n"),
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        detail = self.client.get(response["Location"])
        self.assertEqual(detail.context["header_title"], "Import of mine.csv")
        self.assertEqual(self.labels(detail), ["Home", "Redirects", "Import", "mine.csv"])
        crumbs = detail.context["breadcrumbs_items"]
        self.assertEqual(
            (crumbs[0]["url"], crumbs[2]["url"]), (reverse("wagtailadmin_home"), UPLOAD)
        )

    def test_every_screen_needs_add_and_change_on_redirects(self) -> None:
        user = get_user_model().objects.create_user("editor", "e@example.com", "pw")
        user.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="add_redirect"),
        )
        self.client.force_login(user)
        for url in (UPLOAD, reverse("wagtail_redirect_tools:import_template", args=["csv"])):
            with self.subTest(url):
                # Wagtail's admin answers a PermissionDenied with its home page and a message.
                self.assertRedirects(self.client.get(url), reverse("wagtailadmin_home"))
        user.user_permissions.add(Permission.objects.get(codename="change_redirect"))
        self.assertEqual(self.client.get(UPLOAD).status_code, 200)

    def test_confirm_only_takes_post(self) -> None:
        url = reverse("wagtail_redirect_tools:import_confirm", args=["anything"])
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_the_template_is_an_attachment(self) -> None:
        response = self.client.get(reverse("wagtail_redirect_tools:import_template", args=["csv"]))
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="redirects-template.csv"'
        )
