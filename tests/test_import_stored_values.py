"""What the preview calls valid, the import can store (issue: a NUL in a reason or a page
route passed the preview and then failed the whole import on PostgreSQL, and the failed
command left its import record at "uploaded")."""

from __future__ import annotations

import datetime
import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ImportStatus, RedirectImport


class TestNullCharacters(TestCase):
    def setUp(self) -> None:
        _site, home = fresh_site_tree("localhost")
        self.news = add_page(home, "news")

    def write(self, tmp: Path, *lines: str) -> Path:
        path = tmp / "nul.csv"
        path.write_bytes(("\n".join(["from,to,reason", *lines]) + "\n").encode())
        return path

    def run_import(self, path: Path, *extra: str) -> tuple[str, CommandError | None]:
        out = StringIO()
        try:
            call_command("redirects_import", str(path), *extra, stdout=out, stderr=StringIO())
        except CommandError as error:
            return out.getvalue(), error
        return out.getvalue(), None

    def test_every_cell_with_a_nul_is_a_row_error_and_valid_only_imports_the_rest(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        tmp = Path(folder.name)
        path = self.write(
            tmp,
            "/a,/news/,Spring\x00sale",
            f"/b,page:{self.news.pk}/a\x00b,",
            "/c,/news/,fine",
        )
        out, error = self.run_import(path, "--dry-run")
        self.assertIn("Row 2: The 'reason' cell contains a null byte.", out)
        self.assertIn("Row 3: The 'to' cell contains a null byte.", out)
        self.assertIsNotNone(error)

        out, error = self.run_import(path)
        self.assertIsNotNone(error)  # refused as a whole: rows have errors
        self.assertFalse(Redirect.objects.exists())

        out, error = self.run_import(path, "--valid-only")
        self.assertIn("Imported: 1 created", out)
        self.assertEqual(list(Redirect.objects.values_list("old_path", flat=True)), ["/c"])
        # No run left its record half-way.
        self.assertFalse(
            RedirectImport.objects.filter(
                status__in=[ImportStatus.UPLOADED, ImportStatus.IMPORTING]
            ).exists()
        )

    def test_the_python_api_refuses_a_nul_with_the_forms_words(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Null characters are not allowed."):
            schedule_redirect(
                "/promo",
                "/news/",
                expires_at=timezone.now() + datetime.timedelta(days=1),
                reason="a\x00b",
            )
