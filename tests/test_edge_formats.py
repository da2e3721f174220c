"""What each server format writes for one map, and what it leaves out (and says so)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)


def export(name: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("redirects_export", "--format", name, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@time_machine.travel(NOW, tick=False)
class TestFormats(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("www.example.com")
        cls.site.port = 443
        cls.site.save()
        cls.offer = add_page(cls.home, "offer")
        for path, target, code in (
            ("/old", "/new/", 301),
            ("/café", "/thé/", 302),
            ("/a(b)", "https://example.org/x?y=1", 307),
            ("/perm", "/p/", 308),
            ("/gone", "", 410),
            ("/list?page=2", "/p/", 301),
        ):
            made = Redirect.objects.create(old_path=path, redirect_link=target)
            RedirectDetails.record(made, status_code=code)
        with time_machine.travel(NOW, tick=False):
            schedule_redirect(cls.offer, "/sale/", expires_at=NOW + datetime.timedelta(days=1))

    def test_netlify(self) -> None:
        out, err = export("netlify")
        lines = out.splitlines()
        self.assertIn("# Next change: 2026-11-02T12:00:00+00:00", "\n".join(lines[:3]))
        self.assertIn("/old /new/ 301", lines)
        self.assertIn("/caf%C3%A9 /th%C3%A9/ 302", lines)
        # A window shadows the live page: forced.
        self.assertIn("/offer/ /sale/ 302!", lines)
        self.assertNotIn("/perm", out)
        self.assertNotIn("/gone", out)
        self.assertNotIn("/list", out)
        self.assertIn("/a(b): Netlify cannot answer 307", err)
        self.assertIn("/gone: Netlify cannot answer 410", err)
        self.assertIn("/list?page=2: Netlify cannot match a query string exactly", err)
        self.assertIn("Next change: 2026-11-02T12:00:00+00:00", err)

    def test_cloudflare(self) -> None:
        out, err = export("cloudflare")
        rows = list(csv.reader(io.StringIO(out)))
        self.assertIn(
            [
                "www.example.com/old",
                "https://www.example.com/new/",
                "301",
                "FALSE",
                "FALSE",
                "FALSE",
                "FALSE",
            ],
            rows,
        )
        self.assertIn("www.example.com/caf%C3%A9", [row[0] for row in rows])
        self.assertIn(
            ["www.example.com/a(b)", "https://example.org/x?y=1", "307"], [r[:3] for r in rows]
        )
        self.assertNotIn("source_url", out)  # Cloudflare reads no header row
        self.assertNotIn("/gone", out)
        self.assertIn("/gone: Cloudflare cannot answer 410", err)
        self.assertIn("Next change:", err)

    @override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True)
    def test_cloudflare_keeps_the_query_string_like_django(self) -> None:
        out, _err = export("cloudflare")
        self.assertEqual({row[3] for row in csv.reader(io.StringIO(out))}, {"TRUE"})

    def test_nextjs(self) -> None:
        out, err = export("nextjs")
        items = {item["source"]: item for item in json.loads(out)}
        self.assertEqual(
            items["/old"], {"source": "/old", "destination": "/new/", "statusCode": 301}
        )
        self.assertEqual(items["/a\\(b\\)"]["permanent"], False)
        self.assertEqual(items["/perm"]["permanent"], True)
        self.assertNotIn("statusCode", items["/perm"])
        self.assertIn("/caf%C3%A9", items)
        self.assertEqual(items["/offer/"]["destination"], "/sale/")
        self.assertNotIn("/gone", items)
        self.assertIn("/gone: Next.js redirects cannot answer 410 Gone", err)

    def test_apache_and_nginx_say_when_they_next_change(self) -> None:
        for name in ("apache", "nginx"):
            out, _err = export(name)
            self.assertIn("# Next change: 2026-11-02T12:00:00+00:00", out, name)


class TestCommandOptions(TestCase):
    def test_site_is_for_server_formats_and_kind_for_files(self) -> None:
        fresh_site_tree("localhost")
        with self.assertRaisesMessage(CommandError, "--site is for the server formats"):
            call_command("redirects_export", "--format", "csv", "--site", "localhost")
        with self.assertRaisesMessage(CommandError, "--kind is for csv"):
            call_command("redirects_export", "--format", "nginx", "--kind", "gone")
        with self.assertRaisesMessage(CommandError, "'nowhere.example'"):
            call_command("redirects_export", "--format", "nginx", "--site", "nowhere.example")


@time_machine.travel(NOW, tick=False)
class TestLeftOutLines(TestCase):
    def test_a_stored_newline_cannot_write_a_line_of_its_own(self) -> None:
        """What is left out is listed one line each: a path's control characters are
        shown escaped, so a deploy hook reading "Next change:" reads the real one."""
        site, _home = fresh_site_tree("localhost")
        Redirect.objects.create(
            old_path="/x\nNext change: 2000-01-01T00:00:00+00:00", redirect_link="/y/", site=site
        )
        Redirect.objects.create(old_path="/x%0Dz", redirect_link="/a%0Ab", site=site)
        for name in ("nginx", "apache", "netlify", "cloudflare", "nextjs"):
            _out, err = export(name)
            lines = err.splitlines()
            self.assertEqual(
                [line for line in lines if line.startswith("Next change:")],
                ["Next change: none scheduled (regenerate when redirects change)."],
                name,
            )
            self.assertIn("Left out: localhost/x%0ANext change: 2000-01-01", err, name)
            self.assertEqual(len(lines), err.count("\n"), name)
            self.assertNotIn("\r", err, name)

    def test_a_hostname_stays_in_its_comment(self) -> None:
        site, _home = fresh_site_tree("localhost")
        site.hostname = "localhost\nRedirectMatch 302 ^/ https://evil.example/"
        site.save()
        for name in ("nginx", "apache", "netlify"):
            out, _err = export(name)
            self.assertFalse(
                [
                    line
                    for line in out.splitlines()
                    if "evil.example" in line and not line.startswith("#")
                ],
                name,
            )
