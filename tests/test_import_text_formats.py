"""Plain-text redirect files import as they are: Netlify's ``_redirects`` and Apache's
``Redirect`` lines, detected by name or content, through the admin and ``redirects_import``.
What they hold beyond a redirect of one exact path is a row error saying what."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import time_machine
from django.core.management import call_command

from tests.test_import import CORPUS, ImportTestCase, TemporaryDir, corpus, targets
from wagtail_redirect_tools.importing.reading import detect_format, read_table
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
NETLIFY = "netlify_redirects.txt"
APACHE = "apache_htaccess.conf"


def codes() -> dict[str, int]:
    return dict(RedirectDetails.objects.values_list("redirect__old_path", "status_code"))


@time_machine.travel(NOW, tick=False)
class TextFormatTestCase(ImportTestCase):
    def errors_by_row(self, page: Any) -> dict[int, str]:
        return self.errors(page)

    def run_command(self, path: Path | str, *args: str) -> str:
        out = io.StringIO()
        try:
            call_command("redirects_import", str(path), *args, stdout=out, stderr=io.StringIO())
        except Exception as error:  # the command exits with 1 on row errors
            out.write(f"\n{error}")
        return out.getvalue()


class TestDetection(TextFormatTestCase):
    def test_by_name_and_by_content(self) -> None:
        netlify, apache = corpus(NETLIFY), corpus(APACHE)
        cases = [
            (netlify, "_redirects", "netlify"),
            (netlify, "public/_redirects", "netlify"),
            (netlify, "redirects.txt", "netlify"),
            (apache, ".htaccess", "apache"),
            (apache, "site.conf", "apache"),
            (apache, "redirects.txt", "apache"),
            (b"Redirect 301 /a /b\n", "notes", "apache"),
            (b"from,to\n/a,/b\n", "redirects.txt", "csv"),
            (b"from\tto\n/a\t/b\n", "redirects.txt", "csv"),
            (b"/a,/b\n", "redirects.txt", "csv"),
            (corpus("excel_unicode_text.txt"), "excel_unicode_text.txt", "csv"),
        ]
        for content, name, expected in cases:
            with self.subTest(name=name, expected=expected):
                self.assertEqual(detect_format(content, name), expected)

    def test_the_format_can_be_chosen(self) -> None:
        table = read_table(b"/a /b 302\n", "anything.csv", file_format="netlify")
        self.assertEqual(table.rows, [{"from": "/a", "to": "/b", "type": 302}])
        table = read_table(b"Redirect /a /b\n", "anything.csv", file_format="apache")
        self.assertEqual(table.rows, [{"from": "/a", "to": "/b", "type": 302}])


class TestNetlify(TextFormatTestCase):
    """``tests/corpus/netlify_redirects.txt``, written from Netlify's documented format."""

    def check_preview(self, page: Any) -> None:
        # The splat and the placeholders are pattern redirects (tests/test_import_patterns.py).
        self.assertEqual(self.counts(page)["new"], 7)
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [11, 12, 13, 14])
        expected = {
            11: "query parameters (id=:id)",
            12: "conditions (Country=au,nz)",
            13: "rewrite (200)",
            14: "custom 404 page",
        }
        for number, words in expected.items():
            self.assertIn(words.lower(), errors[number].lower())

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus(NETLIFY), "_redirects")
        self.check_preview(page)
        self.confirm(page, valid_only="on")
        self.assertEqual(
            targets(),
            {
                "/home": f"page:{self.home.pk}",
                "/blog/my-post.php": "/blog/my-post",
                "/news": "/blog",
                "/cuties": "https://www.example.org/",
                "/old-shop": "/store",
                "/news/*": "/blog/:splat",
                "/news/:year/:month": "/blog/:year-:month",
            },
        )
        # 301 when the rule gives no status; a forced rule (301!) is its redirect.
        self.assertEqual(
            codes(),
            {
                "/home": 301,
                "/blog/my-post.php": 301,
                "/news": 302,
                "/cuties": 301,
                "/old-shop": 307,
                "/news/*": 301,
                "/news/:year/:month": 301,
            },
        )
        again = self.preview(corpus(NETLIFY), "_redirects")
        self.assertEqual(self.counts(again)["unchanged"], 7)

    def test_through_the_command(self) -> None:
        output = self.run_command(CORPUS / NETLIFY, "--dry-run")
        self.assertIn("7 new", output)
        self.assertIn("4 error", output)
        self.assertIn("query parameters (id=:id)", output)
        output = self.run_command(CORPUS / NETLIFY, "--valid-only")
        self.assertIn("7 created", output)
        self.assertEqual(len(targets()), 7)

    def test_a_rule_for_another_domain_names_its_site(self) -> None:
        page = self.preview(
            b"http://localhost/old /new 301\nhttps://elsewhere.example/a /b\n", "_redirects"
        )
        rows = page.context["plan"].rows
        self.assertEqual((rows[0].site_id, rows[0].old_path), (self.site.pk, "/old"))
        self.assertIn("elsewhere.example", self.errors(page)[2])


class TestApache(TextFormatTestCase):
    """``tests/corpus/apache_htaccess.conf``, written from Apache's mod_alias documentation."""

    def check_preview(self, page: Any) -> None:
        self.assertEqual(self.counts(page)["new"], 8)
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [9, 11, 13])
        self.assertIn("303", errors[9])
        # Not a literal prefix followed by (.*); a RewriteRule's is not anchored at /.
        self.assertIn("its prefix holds more than literal characters", errors[11])
        self.assertIn("^/blog/(\\d+)/(.*)$", errors[11])
        self.assertIn("action for this row is 'rewriterule (mod_rewrite)'", errors[13])

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus(APACHE), ".htaccess")
        self.check_preview(page)
        self.confirm(page, valid_only="on")
        self.assertEqual(
            codes(),
            {
                "/old-about": 301,
                "/team.html": 301,
                "/contact.php": 301,
                "/sale": 302,
                "/summer": 302,  # Redirect without a status is temporary
                "/discontinued": 410,
                "/with space": 301,
                "/promo": 302,
            },
        )
        self.assertEqual(targets()["/old-about"], f"page:{self.about.pk}")
        self.assertEqual(targets()["/promo"], "https://shop.example.com/promo")

    def test_through_the_command(self) -> None:
        output = self.run_command(CORPUS / APACHE, "--dry-run")
        self.assertIn("8 new", output)
        self.assertIn("3 error", output)
        self.assertIn("a literal prefix followed by (.*) cannot be imported", output)

    def test_a_htaccess_with_only_other_directives_has_no_rows(self) -> None:
        response = self.upload(b"RewriteEngine On\nOptions -Indexes\n", ".htaccess")
        self.assertIn("no rows", " ".join(response.context["form"].errors["file"]))

    def test_a_txt_file_of_redirect_lines_is_read_as_apache(self) -> None:
        with TemporaryDir() as folder:
            path = Path(folder) / "moved.txt"
            path.write_bytes(b"RedirectPermanent /a /b\nRedirectTemp /c /d\n")
            output = self.run_command(path, "--dry-run")
        self.assertIn("2 new", output)
