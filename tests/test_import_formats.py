"""Files written by other tools import as they are, through the admin and ``redirects_import``:
Wagtail core's own export (its site labels), WordPress Redirection (CSV and JSON), Yoast
SEO Premium, Rank Math, Drupal's redirect module; status columns under their many names;
local times a clock change skips or repeats; the export's site column."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.test_import import CORPUS, ImportTestCase, TemporaryDir, corpus, csv_bytes
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools.importing.columns import canonical_headers
from wagtail_redirect_tools.importing.errors import ImportFileError
from wagtail_redirect_tools.importing.widgets import SiteWidget, StatusWidget, site_label
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class FormatTestCase(ImportTestCase):
    """Three sites as core's export labels them: ``localhost [default]`` (no name, port
    80), ``example.com:8080`` (no name) and ``Shop`` (shop.example on 443)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        Site.objects.filter(pk=cls.site.pk).update(site_name="")
        cls.site.refresh_from_db()
        cls.example = make_site("example.com", cls.home, port=8080)
        Site.objects.filter(pk=cls.example.pk).update(site_name="")
        cls.shop = make_site("shop.example", cls.home, port=443)
        Site.objects.filter(pk=cls.shop.pk).update(site_name="Shop")
        cls.about = add_page(cls.home, "about", title="About")
        cls.superuser = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def rows(self, page: Any) -> dict[int, Any]:
        return {row.number: row for row in page.context["plan"].rows}

    def write(self, name: str, content: bytes) -> str:
        path = Path(self.enterContext(TemporaryDir())) / name
        path.write_bytes(content)
        return str(path)

    def assert_row(self, row: Any, action: str, *, error: str = "", note: str = "") -> None:
        self.assertEqual(row.action, action, (row.number, row.errors, row.notes))
        if error:
            self.assertIn(error, " ".join(row.errors), row.number)
        if note:
            self.assertIn(note, " ".join(row.notes), row.number)

    def stored(self) -> dict[str, tuple[int | None, int, str]]:
        """old_path → (site id, status code, link or page:ID) of every core redirect."""
        return {
            redirect.old_path: (
                redirect.site_id,
                RedirectDetails.effective_status_code(redirect),
                redirect.redirect_link or f"page:{redirect.redirect_page_id}",
            )
            for redirect in Redirect.objects.select_related("details")
        }


class TestWagtailCoreExport(FormatTestCase):
    def core_export(self, spreadsheet_format: str) -> bytes:
        response = self.client.get(
            reverse("wagtailredirects:index"), {"export": spreadsheet_format}
        )
        self.assertEqual(response.status_code, 200)
        if response.streaming:
            return b"".join(response.streaming_content)
        return b"".join(response)

    def test_core_csv_and_xlsx_exports_import_back(self) -> None:
        Redirect.objects.create(old_path="/a", redirect_link="/b", site=self.site)
        Redirect.objects.create(
            old_path="/c", redirect_link="/d", site=self.example, is_permanent=False
        )
        Redirect.objects.create(old_path="/e", redirect_page=self.about, site=self.shop)
        Redirect.objects.create(old_path="/f", redirect_link="https://example.org/")
        expected = {
            "/a": (self.site.pk, 301),
            "/c": (self.example.pk, 302),
            "/e": (self.shop.pk, 301),
            "/f": (None, 301),
        }
        for spreadsheet_format in ("csv", "xlsx"):
            with self.subTest(spreadsheet_format):
                content = self.core_export(spreadsheet_format)
                Redirect.objects.all().delete()
                page = self.preview(content, f"redirects.{spreadsheet_format}")
                self.assertEqual(self.errors(page), {})
                self.assertEqual(self.counts(page)["new"], 4)
                self.confirm(page)
                self.assertEqual(
                    {path: found[:2] for path, found in self.stored().items()}, expected
                )

    def test_core_type_words_in_the_active_language(self) -> None:
        with translation.override("de"):
            self.assertEqual(StatusWidget().clean("temporär"), 302)
            self.assertEqual(StatusWidget().clean("Permanent"), 301)
            self.assertEqual(StatusWidget().clean("temporary"), 302)

    def test_the_fixture_through_the_admin(self) -> None:
        page = self.preview(corpus("wagtail_core_export.csv"))
        self.assertEqual(self.errors(page), {})
        self.confirm(page)
        self.assertEqual(
            self.stored(),
            {
                "/old-about": (self.site.pk, 301, f"page:{self.about.pk}"),
                "/press": (self.example.pk, 302, "https://example.org/press/"),
                "/shop/sale": (self.shop.pk, 302, "/offers/"),
                "/everywhere": (None, 301, f"page:{self.about.pk}"),
            },
        )

    def test_the_fixture_through_the_command(self) -> None:
        code, output = self.cli(str(CORPUS / "wagtail_core_export.csv"))
        self.assertEqual(code, 0, output)
        self.assertIn("Imported: 4 created", output)
        self.assertEqual(self.stored()["/press"][:2], (self.example.pk, 302))


class TestSitesByAnyName(FormatTestCase):
    def test_hostname_port_display_name_site_name_or_id(self) -> None:
        twin_a = make_site("twin-a.example", self.home)
        twin_b = make_site("twin-b.example", self.home)
        Site.objects.filter(pk__in=[twin_a.pk, twin_b.pk]).update(site_name="Twin")
        cells = {
            "localhost": self.site,
            "LOCALHOST [default]": self.site,
            "localhost:80": self.site,
            "http://localhost/": self.site,
            "example.com:8080": self.example,
            "example.com": self.example,  # the only example.com
            "Shop": self.shop,
            "Shop [default]": self.shop,  # exported while it was the default site
            "shop.example": self.shop,  # on 443
            "shop.example:443": self.shop,
            str(self.shop.pk): self.shop,
        }
        lines = [f"/p{index},/x/,{site}" for index, site in enumerate(cells)]
        lines += ["/unknown,/x/,nowhere.example", "/twin,/x/,Twin"]
        page = self.preview(csv_bytes("from,to,site", *lines))
        rows = self.rows(page)
        for number, (cell, site) in enumerate(cells.items(), start=2):
            with self.subTest(cell):
                self.assertEqual(rows[number].site_id, site.pk, rows[number].errors)
        errors = self.errors(page)
        self.assertIn("No site has the host 'nowhere.example'", errors[len(cells) + 2])
        self.assertIn("'Twin' could be any of twin-a.example:80", errors[len(cells) + 3])

    def test_the_command_site_option_takes_any_name(self) -> None:
        path = self.write("plain.csv", csv_bytes("from,to", "/a/,/b/"))
        code, output = self.cli(path, "--site", "Shop")
        self.assertEqual(code, 0, output)
        self.assertEqual(Redirect.objects.get().site, self.shop)


class TestWordPressRedirection(FormatTestCase):
    def test_csv_through_the_admin(self) -> None:
        page = self.preview(corpus("wordpress_redirection.csv"), valid_only="on")
        rows = self.rows(page)
        self.assert_row(rows[2], "new", note="stored as the page")
        self.assertEqual((rows[2].old_path, rows[2].reason), ("/old-page", "Moved page"))
        self.assertEqual([rows[n].status_code for n in (2, 3, 4, 6)], [301, 302, 308, 410])
        self.assert_row(
            rows[5], "error", error="a literal prefix followed by (.*) cannot be imported"
        )
        self.assert_row(rows[7], "error", error="status 404 is not one we serve")
        self.assert_row(rows[8], "skip", note="Disabled in the file")
        self.assert_row(rows[9], "error", error="action for this row is 'pass'")
        self.assert_row(rows[10], "error", error="status 451 is not one we serve")
        self.assertEqual(page.context["plan"].ignored_columns, [])
        self.confirm(page, valid_only="1")
        self.assertEqual(
            self.stored(),
            {
                "/old-page": (None, 301, f"page:{self.about.pk}"),
                "/spring-offer": (None, 302, "/offers/"),
                "/legacy.php": (None, 308, "https://example.org/legacy/"),
                "/withdrawn": (None, 410, "page:None"),
            },
        )

    def test_csv_through_the_command(self) -> None:
        code, output = self.cli(str(CORPUS / "wordpress_redirection.csv"), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("4 new, 0 update, 0 unchanged, 1 skip, 4 error", output)
        self.assertIn("Row 5: ^/archive/(\\d+)$: A regular expression other than", output)

    def test_json_through_the_admin(self) -> None:
        page = self.preview(corpus("wordpress_redirection.json"), "export.json")
        rows = self.rows(page)
        self.assertEqual(
            [rows[n].action for n in range(1, 8)],
            ["new", "new", "error", "new", "error", "skip", "skip"],
        )
        self.assertIn("a literal prefix followed by (.*) cannot be imported", rows[3].errors[0])
        self.assertIn("matches this source by 'login'", rows[5].errors[0])
        self.assertEqual([rows[n].status_code for n in (1, 2, 4)], [301, 302, 410])
        self.confirm(page, valid_only="1")
        self.assertEqual(sorted(self.stored()), ["/old-page", "/spring-offer", "/withdrawn"])

    def test_json_through_the_command(self) -> None:
        code, output = self.cli(str(CORPUS / "wordpress_redirection.json"), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("3 new, 0 update, 0 unchanged, 2 skip, 2 error", output)


class TestSeoPluginExports(FormatTestCase):
    def test_yoast_premium(self) -> None:
        page = self.preview(corpus("yoast_premium.csv"))
        rows = self.rows(page)
        self.assertEqual(
            [(rows[n].old_path, rows[n].status_code) for n in (2, 3, 4, 5)],
            [("/old-post", 301), ("/summer", 302), ("/external", 307), ("/gone-page", 410)],
        )
        self.assert_row(rows[5], "new", note="read as no target")
        self.assert_row(rows[6], "error", error="status 451 is not one we serve")
        # ^category/(.*)$: a prefix (Yoast matches the path without its first slash).
        self.assert_row(rows[7], "new", note="read as the pattern /category/*")
        self.assertEqual((rows[7].old_path, rows[7].link), ("/category/*", "/topics/:splat"))
        code, output = self.cli(str(CORPUS / "yoast_premium.csv"), "--valid-only")
        self.assertEqual(code, 1)
        self.assertIn("5 new, 0 update, 0 unchanged, 0 skip, 1 error", output)
        self.assertEqual(self.stored()["/gone-page"][1:], (410, "page:None"))

    def test_rank_math(self) -> None:
        page = self.preview(corpus("rank_math.csv"))
        rows = self.rows(page)
        self.assert_row(rows[2], "new", note="'old-page' has no leading slash: read as /old-page")
        self.assertEqual((rows[3].old_path, rows[3].status_code), ("/summer-sale", 302))
        self.assert_row(rows[4], "error", error="matches this source by 'start'")
        self.assert_row(rows[5], "new")
        self.assertEqual(rows[5].status_code, 410)
        self.assert_row(
            rows[6], "error", error="a literal prefix followed by (.*) cannot be imported"
        )
        self.assert_row(rows[7], "skip", note="Disabled in the file")
        self.assert_row(rows[8], "error", error="status 451 is not one we serve")
        self.assertEqual(page.context["plan"].ignored_columns, ["id", "category", "ignore"])
        code, output = self.cli(str(CORPUS / "rank_math.csv"), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("3 new, 0 update, 0 unchanged, 1 skip, 3 error", output)


class TestDrupalRedirect(FormatTestCase):
    def test_the_redirect_table_export(self) -> None:
        page = self.preview(corpus("drupal_redirect.csv"))
        rows = self.rows(page)
        self.assert_row(rows[2], "new", note="'node/12' has no leading slash: read as /node/12")
        self.assert_row(rows[2], "new", note="Drupal's internal:/about read as /about")
        self.assertEqual(rows[2].page_id, self.about.pk)
        # The source's query (serialised by Drupal) is part of the source, as core keeps it.
        self.assertEqual(
            (rows[3].old_path, rows[3].status_code, rows[3].link),
            ("/old-news?page=2", 302, "/news"),
        )
        self.assert_row(rows[3], "new", note="The query page=2 is added to the source")
        self.assertEqual((rows[4].old_path, rows[4].status_code), ("/partners.html", 307))
        self.assert_row(rows[5], "error", error="'entity:node/7' is a Drupal entity")
        self.assert_row(rows[6], "error", error="status 451 is not one we serve")
        # A query that cannot be written as a query string is an error, never dropped.
        self.assert_row(rows[7], "error", error="The source's query (column 'query')")
        self.assertEqual(page.context["plan"].ignored_columns, ["rid", "language"])
        code, output = self.cli(str(CORPUS / "drupal_redirect.csv"), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("3 new, 0 update, 0 unchanged, 0 skip, 3 error", output)

    def test_a_redirect_of_a_source_with_a_query_answers_that_query(self) -> None:
        from django.test import Client

        self.confirm(self.preview(corpus("drupal_redirect.csv"), valid_only="on"))
        visitor = Client()
        response = visitor.get("/old-news/", {"page": "2"}, HTTP_HOST="localhost")
        self.assertEqual((response.status_code, response["Location"]), (302, "/news"))
        self.assertEqual(visitor.get("/old-news/", HTTP_HOST="localhost").status_code, 404)

    def test_a_query_column_by_its_other_names_and_forms(self) -> None:
        cases = {
            ("source_query", "?b=2&a=1"): "/old?a=1&b=2",
            ("query_string", "a=1"): "/old?a=1",
            ("redirect_source__query", "N;"): "/old",
            ("redirect_source__query", 'a:2:{s:1:"q";s:7:"café x";s:1:"n";i:3;}'): (
                "/old?n=3&q=café%20x"  # decoded, as core normalises it
            ),
        }
        for (header, value), source in cases.items():
            with self.subTest(header=header, value=value):
                content = io.StringIO()
                csv.writer(content).writerows([["from", header, "to"], ["old", value, "/new/"]])
                row = self.rows(self.preview(content.getvalue().encode()))[2]
                self.assertEqual((row.action, row.old_path), ("new", source), row.errors)
        for value in ('a:1:{s:4:"page";s:9:"2";}', "a:1:{i:0;", "&&=x"):
            with self.subTest(value=value):
                content = io.StringIO()
                csv.writer(content).writerows(
                    [["from", "source_query", "to"], ["/old", value, "/n/"]]
                )
                row = self.rows(self.preview(content.getvalue().encode()))[2]
                self.assertIn("The source's query (column 'query')", " ".join(row.errors))

    def test_a_redirect_code_column_keeps_its_302(self) -> None:
        content = csv_bytes("old url,new url,redirect_code,language", "old-page,/new/,302,und")
        page = self.preview(content)
        row = self.rows(page)[2]
        self.assertEqual((row.old_path, row.status_code), ("/old-page", 302))
        self.assertEqual(page.context["plan"].ignored_columns, ["language"])
        code, output = self.cli(self.write("drupal7.csv", content))
        self.assertEqual(code, 0, output)
        self.assertEqual(self.stored(), {"/old-page": (None, 302, "/new/")})


class TestStatusColumns(FormatTestCase):
    def test_a_status_column_under_any_of_its_names(self) -> None:
        for header in (
            "code",
            "status_code",
            "Status Code",
            "HTTP Code",
            "http_status",
            "redirect_code",
            "response_code",
            "type",
            "status",
        ):
            with self.subTest(header):
                row = self.rows(self.preview(csv_bytes(f"from,to,{header}", "/a,/b/,302")))[2]
                self.assertEqual(row.status_code, 302)

    def test_the_code_wins_over_type_and_status(self) -> None:
        rows = self.rows(
            self.preview(csv_bytes("from,to,code,type,status", "/a,/b/,307,url,active"))
        )
        self.assertEqual((rows[2].action, rows[2].status_code), ("new", 307))

    def test_origin_and_title_only_where_no_other_column_means_them(self) -> None:
        page = self.preview(csv_bytes("origin,to,title", "/a,/b/,Moved"))
        row = self.rows(page)[2]
        self.assertEqual((row.old_path, row.reason), ("/a", "Moved"))
        # Our own export: origin says where a redirect came from; a page title is no reason.
        page = self.preview(csv_bytes("from,to,reason,origin,title", "/a,/b/,Why,manual,About"))
        row = self.rows(page)[2]
        self.assertEqual((row.old_path, row.reason), ("/a", "Why"))
        self.assertEqual(page.context["plan"].ignored_columns, ["title"])

    def test_a_code_we_do_not_serve_is_named(self) -> None:
        errors = self.errors(self.preview(csv_bytes("from,to,code", "/a,/b/,451", "/c,/d/,303")))
        self.assertIn("status 451 is not one we serve", errors[2])
        self.assertIn("status 303 is not one we serve", errors[3])


@override_settings(TIME_ZONE="Europe/London")
class TestDaylightSaving(FormatTestCase):
    FILE = csv_bytes(
        "from,to,starts_at,expires_at",
        "/spring,/x/,2026-03-29 01:30,2026-12-01",
        "/autumn,/x/,2026-10-25 01:30,2026-12-01",
        "/autumn-end,/x/,,2026-10-25 01:30",
        "/with-offset,/x/,2026-10-25T01:30:00+01:00,2026-12-01",
        "/plain,/x/,2026-10-25 03:00,2026-12-01",
    )

    def test_times_a_clock_change_skips_or_repeats_are_row_errors(self) -> None:
        page = self.preview(self.FILE)
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [2, 3, 4])
        self.assertIn("'2026-03-29 01:30' does not exist in Europe/London", errors[2])
        self.assertIn("'2026-10-25 01:30' happens twice in Europe/London", errors[3])
        self.assertIn("happens twice", errors[4])
        rows = self.rows(page)
        utc = datetime.UTC
        self.assertEqual(rows[5].starts_at, datetime.datetime(2026, 10, 25, 0, 30, tzinfo=utc))
        self.assertEqual(rows[6].starts_at, datetime.datetime(2026, 10, 25, 3, 0, tzinfo=utc))

    def test_the_command_says_the_same(self) -> None:
        code, output = self.cli(self.write("dst.csv", self.FILE), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("2 new, 0 update, 0 unchanged, 0 skip, 3 error", output)
        self.assertIn("does not exist in Europe/London", output)


class TestExportWritesTheHostname(FormatTestCase):
    def test_the_port_only_when_it_is_not_80_or_443(self) -> None:
        dev = make_site("dev.example", self.home, port=8000)
        twin_80 = make_site("twin.example", self.home, port=80)
        twin_443 = make_site("twin.example", self.home, port=443)
        sites = list(Site.objects.all())
        labels = {site.pk: site_label(site, sites) for site in sites}
        self.assertEqual(
            [labels[s.pk] for s in (self.site, self.example, self.shop, dev, twin_80, twin_443)],
            [
                "localhost",
                "example.com:8080",
                "shop.example",
                "dev.example:8000",
                "twin.example",
                "twin.example:443",  # the host name alone is the one on 80
            ],
        )
        widget = SiteWidget(sites)
        self.assertEqual(widget.clean(float(dev.pk)), dev)  # an id in a number cell
        for site in sites:
            with self.subTest(labels[site.pk]):
                self.assertEqual(widget.clean(widget.render(site)), site)

    def test_an_export_imports_back_unchanged(self) -> None:
        for site, path in (
            (self.site, "/a"),
            (self.example, "/b"),
            (self.shop, "/c"),
            (None, "/d"),
        ):
            redirect = Redirect.objects.create(old_path=path, redirect_link="/x/", site=site)
            RedirectDetails.record(redirect, status_code=302)
        out = io.StringIO()
        call_command("redirects_export", "--format", "csv", stdout=out)
        exported = out.getvalue()
        sites = {row["from"]: row["site"] for row in csv.DictReader(io.StringIO(exported))}
        self.assertEqual(
            sites, {"/a": "localhost", "/b": "example.com:8080", "/c": "shop.example", "/d": ""}
        )
        code, output = self.cli(self.write("export.csv", exported.encode()), "--dry-run")
        self.assertEqual(code, 0, output)
        self.assertIn("0 new, 0 update, 4 unchanged", output)


class TestLinksToOurSites(FormatTestCase):
    def test_a_full_url_leads_to_the_site_on_its_port(self) -> None:
        make_site("localhost", self.home, port=8000)
        content = csv_bytes(
            "from,to,site",
            "/a,http://localhost:8000/a,localhost:8000",  # itself
            "/b,http://localhost/b,localhost:8000",  # the same path on port 80
        )
        errors = self.errors(self.preview(content))
        self.assertEqual(sorted(errors), [2])
        self.assertIn("the source itself", errors[2])
        code, output = self.cli(self.write("links.csv", content), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("1 new, 0 update, 0 unchanged, 0 skip, 1 error", output)


class TestCanonicalHeaders(SimpleTestCase):
    def test_the_strongest_status_column_holds_the_code(self) -> None:
        cases = {
            ("source", "target", "regex", "code", "type", "hits", "title", "status"): {
                "type": 3,
                "action": 4,
                "enabled": 7,
                "regex": 2,
                "reason": 6,
            },
            ("id", "source", "matching", "destination", "type", "category", "status"): {
                "type": 4,
                "enabled": 6,
                "matching": 2,
            },
            ("Origin", "Target", "Type", "Format"): {"from": 0, "type": 2, "matching": 3},
            ("From", "To", "Redirect", "Language"): {"type": 2},
            ("from", "to", "status"): {"type": 2},
            ("from", "to", "StatusCode"): {"type": 2},
        }
        for header, expected in cases.items():
            with self.subTest(header):
                positions, _ignored = canonical_headers(list(header))
                self.assertEqual({name: positions[name] for name in expected}, expected)

    def test_two_columns_of_one_strength_are_refused(self) -> None:
        with self.assertRaisesMessage(
            ImportFileError, "Two columns mean 'type': code and http_code"
        ):
            canonical_headers(["from", "to", "code", "http_code"])

    def test_a_header_without_from_or_to_says_what_row_1_holds(self) -> None:
        header = ["Ancienne URL", "Nouvelle URL", "Type", "Raison", *(f"c{n}" for n in range(6))]
        with self.assertRaisesMessage(
            ImportFileError,
            "The first row holds: Ancienne URL, Nouvelle URL, Type, Raison, c0, c1, c2, c3 "
            "and 2 more.",
        ):
            canonical_headers(header)


class TestUnsafeSources(FormatTestCase):
    def test_backslashes_and_control_characters_in_a_source_are_row_errors(self) -> None:
        content = csv_bytes("from,to", '"/\\evil.example",/b/', '"old\tpage",/b/', "old-page,/b/")
        errors = self.errors(self.preview(content))
        self.assertEqual(sorted(errors), [2, 3])
        self.assertIn("Backslashes and control characters", errors[2])
        code, output = self.cli(self.write("unsafe.csv", content), "--dry-run")
        self.assertEqual(code, 1)
        self.assertIn("1 new, 0 update, 0 unchanged, 0 skip, 2 error", output)
