"""Export for a web server from the admin: the same file as the command, what it leaves
out named on the screen, refused to users who may not see redirects."""

from __future__ import annotations

import datetime
import io

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpResponseBase
from django.test import TestCase
from django.utils.http import content_disposition_header
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree, make_site
from tests.utils.users import make_user
from wagtail_redirect_tools.edge import EDGE_FORMATS
from wagtail_redirect_tools.edge.export import export_map
from wagtail_redirect_tools.models import RedirectDetails

URL = "/admin/redirect-tools/edge-export/"


def body(response: HttpResponseBase) -> bytes:
    """A download's bytes: it is streamed."""
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


class TestEdgeExportScreen(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        add_page(home, "about")
        Redirect.add_redirect("/old-about", "/about/", is_permanent=True)
        RedirectDetails.record(
            Redirect.add_redirect("/flash", "/about/", is_permanent=False), status_code=307
        )
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def setUp(self) -> None:
        self.client.force_login(self.admin)

    def test_the_download_is_the_commands_file(self) -> None:
        response = self.client.get(URL, {"format": "nginx", "download": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="nginx-redirects.conf"', response["Content-Disposition"])
        out = io.StringIO()
        call_command("redirects_export", format="nginx", stdout=out, stderr=io.StringIO())
        downloaded = body(response).decode()
        # The header names the moment it was written; the rest is the same.
        self.assertEqual(downloaded.splitlines()[1:], out.getvalue().splitlines()[1:])
        self.assertIn("/old-about", downloaded)

    def test_the_download_button_has_an_icon_sized_by_wagtail(self) -> None:
        html = self.client.get(URL, {"format": "nginx"}).content.decode()
        # Wagtail sizes an icon inside a button only for ``button--icon`` (1em square);
        # without it the SVG takes the browser's default 300x150 and hides the label
        # (seen on the documentation's screenshot).
        self.assertRegex(html, r'<a class="button button--icon" href="\?[^"]*download=1"')

    def test_what_a_format_leaves_out_is_shown(self) -> None:
        response = self.client.get(URL, {"format": "netlify"})
        self.assertContains(response, "2 paths are left out")  # /flash and /flash/
        self.assertContains(response, "/flash")  # Netlify has no 307
        self.assertContains(response, "download=1")

    def test_a_hostile_target_is_listed_as_left_out(self) -> None:
        """A target whose encoded newline would write directives into the Apache file
        is counted and named on the screen, and is not in the download (issue 29)."""
        Redirect.objects.create(
            old_path="/inject",
            redirect_link="/x%0ARedirectMatch%20302%20%5E/%20https://evil.example/%0A",
        )
        response = self.client.get(URL, {"format": "apache"})
        self.assertContains(response, "2 paths are left out")  # /inject and /inject/
        self.assertContains(response, "localhost/inject: the target&#x27;s path decodes")
        download = body(self.client.get(URL, {"format": "apache", "download": "1"}))
        self.assertNotIn(b"evil.example", download)
        self.assertIn(b'RedirectMatch 301 "^/old-about$"', download)

    @time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
    def test_the_download_is_streamed_and_is_the_export(self) -> None:
        """The file is sent as it is made (never held whole), byte for byte the export's
        text, with the same headers as before it was streamed."""
        for file_format, edge_format in EDGE_FORMATS.items():
            with self.subTest(file_format):
                response = self.client.get(URL, {"format": file_format, "download": "1"})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.streaming)
                self.assertEqual(response["Content-Type"], edge_format.content_type)
                self.assertEqual(
                    response["Content-Disposition"],
                    content_disposition_header(True, edge_format.filename),
                )
                export = export_map(file_format, [self.site])
                self.assertEqual(body(response), export.content.encode())

    def test_several_sites_need_a_choice(self) -> None:
        make_site("shop.example", add_page(self.site.root_page, "shop"))
        response = self.client.get(URL, {"format": "apache"})
        self.assertContains(response, "There are several sites")
        self.assertNotContains(response, "download=1")
        response = self.client.get(URL, {"format": "apache", "site": self.site.pk})
        self.assertContains(response, "download=1")
        response = self.client.get(URL, {"format": "cloudflare"})  # names the host per line
        self.assertContains(response, "download=1")

    def test_the_listing_offers_it(self) -> None:
        response = self.client.get("/admin/redirect-tools/redirects/")
        self.assertContains(response, URL)

    def test_refused_without_redirect_permissions(self) -> None:
        self.client.force_login(make_user("windows-only", "add_scheduledredirect"))
        response = self.client.get(URL, {"format": "nginx", "download": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("Content-Disposition", response)
