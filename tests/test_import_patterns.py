"""Pattern redirects through the import (issue 33): each tool's way of redirecting a whole
section, in its own file, becomes a pattern redirect (``RedirectDetails.is_pattern``) in
our notation, through the admin's upload, preview and confirm and through
``redirects_import``; what our notation cannot say stays a row error naming why. The
planner's other checks (duplicates, existing redirects, chains, unanswered targets) do
not misfire on pattern rows, and our own export imports back as the same patterns."""

from __future__ import annotations

import csv
import io
from typing import Any

import time_machine
from django.test import SimpleTestCase
from wagtail.contrib.redirects.models import Redirect

from tests.test_import import (
    BEFORE_THE_WINDOWS,
    CORPUS,
    ImportTestCase,
    TemporaryDir,
    corpus,
    csv_bytes,
)
from wagtail_redirect_tools.importing.exporting import export_kind
from wagtail_redirect_tools.importing.tools.notation import (
    from_regex,
    from_squarespace,
    from_vercel,
)
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.patterns import PatternError, parse


def patterns() -> dict[str, tuple[str, int, bool]]:
    """old_path → (link or page:ID, status code, is_pattern) of every core redirect."""
    return {
        redirect.old_path: (
            redirect.redirect_link or f"page:{redirect.redirect_page_id}",
            RedirectDetails.effective_status_code(redirect),
            redirect.details.is_pattern,
        )
        for redirect in Redirect.objects.select_related("details")
    }


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class PatternImportTestCase(ImportTestCase):
    def rows(self, page: Any) -> dict[int, Any]:
        return {row.number: row for row in page.context["plan"].rows}

    def check_command(self, name: str, counts: str, created: int) -> None:
        code, output = self.cli(str(CORPUS / name), "--dry-run")
        self.assertEqual(code, 1, output)
        self.assertIn(counts, output)
        code, output = self.cli(str(CORPUS / name), "--valid-only")
        self.assertIn(f"{created} created", output)
        code, output = self.cli(str(CORPUS / name), "--valid-only")
        self.assertIn(f"0 new, 0 update, {created} unchanged", output)


class TestNetlify(PatternImportTestCase):
    """``tests/corpus/netlify_patterns_redirects.txt``: splats and placeholders."""

    NAME = "netlify_patterns_redirects.txt"

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus(self.NAME), "_redirects")
        rows = self.rows(page)
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [11, 12, 13])
        self.assertIn("A * may only be the last segment", errors[11])
        self.assertIn("The target uses :breed, which the source does not define", errors[12])
        self.assertIn("rewrite (200)", errors[13])
        # A pattern is no hop of a chain: both rows stay as the file gives them.
        self.assertEqual((rows[6].action, rows[6].notes), ("new", ()))
        self.assertEqual((rows[7].action, rows[7].notes), ("new", ()))
        # A target with placeholders names many paths; a path under a pattern of the file
        # is answered by it (/shop/summer-sale under /shop/*): no warning for either.
        for number in (2, 4, 5, 6, 7, 8):
            self.assertEqual(rows[number].warnings, (), number)
        self.assertEqual(rows[3].action, "new")  # /blog beside /blog/*: not a duplicate
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/blog/*": ("/news/:splat", 301, True),
                "/blog": ("/news", 301, False),
                "/news/:year/:month/:slug": ("/journal/:slug", 301, True),
                "/shop/*": ("https://shop.example.com/:splat", 302, True),
                "/articles/:slug": ("/posts/:slug", 301, True),
                "/posts/:slug": ("/stories/:slug", 301, True),
                "/summer": ("/shop/summer-sale", 301, False),
            },
        )
        again = self.preview(corpus(self.NAME), "_redirects")
        self.assertEqual(self.counts(again)["unchanged"], 7)

    def test_through_the_command(self) -> None:
        self.check_command(self.NAME, "7 new, 0 update, 0 unchanged, 0 skip, 3 error", 7)


class TestNetlifyToml(PatternImportTestCase):
    """``tests/corpus/netlify.toml``: ``[[redirects]]`` tables, numbered by their line."""

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus("netlify.toml"), "netlify.toml")
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [22, 27, 33])
        self.assertIn("query parameters (id=:id)", errors[22])
        self.assertIn("conditions (country=au,nz)", errors[27])
        self.assertIn("rewrite (200)", errors[33])
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/blog/*": ("/news/:splat", 301, True),
                "/team/:name": ("/people/:name", 302, True),
                "/old-about": (f"page:{self.about.pk}", 301, False),
            },
        )

    def test_through_the_command(self) -> None:
        self.check_command("netlify.toml", "3 new, 0 update, 0 unchanged, 0 skip, 3 error", 3)

    def test_a_file_that_is_not_toml(self) -> None:
        response = self.upload(b"[[redirects]\nfrom = 1\n", "netlify.toml")
        self.assertIn("not valid TOML", " ".join(response.context["form"].errors["file"]))


class TestApache(PatternImportTestCase):
    """``tests/corpus/apache_redirectmatch.conf``: RedirectMatch of a prefix and (.*)."""

    NAME = "apache_redirectmatch.conf"

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus(self.NAME), ".htaccess")
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [9, 10, 11, 12])
        refused = "A regular expression other than a literal prefix followed by (.*)"
        for number, reason in {
            9: "its prefix holds more than literal characters",
            10: "it does not start with ^",
            11: "it does not end with (.*)",
            12: "its target uses $2",
        }.items():
            self.assertIn(refused, errors[number])
            self.assertIn(reason, errors[number])
            self.assertNotIn("Backslashes", errors[number])  # the expression is not a path
        self.assertIn("^/blog/(\\d+)/(.*)$", errors[9])  # the row's expression is named
        self.assertIn("read as the pattern /old/*", " ".join(self.rows(page)[3].notes))
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/old/*": ("/new/:splat", 301, True),
                "/files.d/*": ("https://files.example.com/:splat", 301, True),
                "/tmp/*": ("/temporary/", 302, True),  # noqa: S108 (a path; 302: no status given)
                "/old": ("/new/", 301, False),  # beside /old/*: not a duplicate
            },
        )

    def test_through_the_command(self) -> None:
        self.check_command(self.NAME, "4 new, 0 update, 0 unchanged, 0 skip, 4 error", 4)


class TestWordPressRedirection(PatternImportTestCase):
    """``redirection_patterns.csv`` and ``.json``: regex rows of a prefix and (.*)."""

    def test_csv_through_the_admin(self) -> None:
        page = self.preview(corpus("redirection_patterns.csv"))
        rows = self.rows(page)
        self.assertEqual(
            [rows[n].action for n in range(2, 7)], ["new", "new", "new", "error", "skip"]
        )
        self.assertIn("its prefix holds more than literal characters", rows[5].errors[0])
        # Not a regular expression in the file: one exact path, star and all.
        self.assertEqual((rows[4].old_path, rows[4].is_pattern), ("/exact/*", False))
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/old-blog/*": ("/blog/:splat", 301, True),
                "/outlet/*": ("https://shop.example.com/outlet/:splat", 302, True),
                "/exact/*": ("/elsewhere/", 301, False),
            },
        )

    def test_csv_through_the_command(self) -> None:
        self.check_command(
            "redirection_patterns.csv", "3 new, 0 update, 0 unchanged, 1 skip, 1 error", 3
        )

    def test_json_through_the_admin(self) -> None:
        page = self.preview(corpus("redirection_patterns.json"), "export.json")
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [2])
        self.assertIn("^/product/([0-9]+)$", errors[2])
        self.assertIn("it does not end with (.*)", errors[2])
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/old-blog/*": ("/blog/:splat", 301, True),
                "/contact-us": ("/contact/", 301, False),
            },
        )

    def test_json_through_the_command(self) -> None:
        self.check_command(
            "redirection_patterns.json", "2 new, 0 update, 0 unchanged, 0 skip, 1 error", 2
        )


class TestVercel(PatternImportTestCase):
    """``tests/corpus/vercel.json``: ``:name`` and ``:path*``, permanent as 308."""

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus("vercel.json"), "vercel.json")
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [5, 6])
        self.assertIn("“:id(\\d+)” cannot be imported", errors[5])
        self.assertIn("conditions (has)", errors[6])
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/me": (f"page:{self.about.pk}", 308, False),
                "/blog/:slug": ("/news/:slug", 308, True),
                "/docs/*": ("/handbook/:splat", 307, True),
                "/old-shop/*": ("https://shop.example.com/:splat", 301, True),
            },
        )

    def test_through_the_command(self) -> None:
        self.check_command("vercel.json", "4 new, 0 update, 0 unchanged, 0 skip, 2 error", 4)


class TestSquarespace(PatternImportTestCase):
    """``tests/corpus/squarespace_url_mappings.txt``: ``[name]`` segments."""

    NAME = "squarespace_url_mappings.txt"

    def test_through_the_admin(self) -> None:
        page = self.preview(corpus(self.NAME), "url-mappings.txt")
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [5, 6])
        self.assertIn("a [name] must be a whole segment", errors[5])
        self.assertIn("The target uses :person", errors[6])
        self.confirm(page, valid_only="on")
        self.assertEqual(
            patterns(),
            {
                "/about-us": (f"page:{self.about.pk}", 301, False),
                "/blog/:slug": ("/news/:slug", 301, True),
                "/events/:year/:name": ("/whats-on/:name", 302, True),
                "/store": ("https://shop.example.com/", 302, False),
            },
        )

    def test_the_format_can_be_chosen(self) -> None:
        page = self.preview(b"/a/[b] -> /c/[b] 301\n", "mappings.csv", file_format="squarespace")
        self.assertEqual(self.rows(page)[1].old_path, "/a/:b")

    def test_through_the_command(self) -> None:
        self.check_command(self.NAME, "4 new, 0 update, 0 unchanged, 0 skip, 2 error", 4)


class TestOwnColumns(PatternImportTestCase):
    """A CSV of our own columns: a source in our notation is a pattern, unless its
    ``is_pattern`` cell says no; our export writes the column and imports back."""

    def test_a_source_in_our_notation_is_a_pattern(self) -> None:
        page = self.preview(
            csv_bytes(
                "from,to,type",
                "/old-section/*,/new-section/:splat,301",
                "/old-section,/new-section,301",
                "/news/:year/:slug/,https://example.com/blog/:slug,302",
                "/bad/*,https://:splat.example.com/,301",
                "/later/*,/elsewhere/,",
            )
        )
        rows = self.rows(page)
        self.assertEqual(
            [(rows[n].old_path, rows[n].is_pattern) for n in (2, 3, 4)],
            [("/old-section/*", True), ("/old-section", False), ("/news/:year/:slug", True)],
        )
        self.assertIn("not in its host name", rows[5].errors[0])
        self.assertEqual(rows[6].action, "new")

    def test_the_is_pattern_column(self) -> None:
        page = self.preview(
            csv_bytes(
                "from,to,is_pattern",
                "/star/*,/a,no",
                "/section/*,/b,yes",
                "/plain,/c,yes",
                "/x/*,/d,maybe",
            )
        )
        rows = self.rows(page)
        self.assertEqual((rows[2].action, rows[2].is_pattern), ("new", False))
        self.assertEqual((rows[3].action, rows[3].is_pattern), ("new", True))
        self.assertIn("no placeholder and no final *", rows[4].errors[0])
        self.assertIn("neither yes nor no", rows[5].errors[0])

    def test_a_pattern_cannot_be_scheduled(self) -> None:
        page = self.preview(
            csv_bytes("from,to,type,expires_at", "/old/*,/new/:splat,302,2027-01-01")
        )
        self.assertIn("cannot be scheduled", self.errors(page)[2])

    def test_an_existing_pattern_is_unchanged_updated_or_refused(self) -> None:
        content = csv_bytes("from,to", "/old/*,/new/:splat", "/old/:page/edit,/admin-help/")
        self.confirm(self.preview(content), valid_only="on")
        self.assertEqual(self.counts(self.preview(content))["unchanged"], 2)
        changed = csv_bytes("from,to", "/old/*,/newer/:splat")
        self.assertIn(
            "already has a redirect", self.errors(self.preview(changed, on_existing="error"))[2]
        )
        self.confirm(self.preview(changed, on_existing="update"), valid_only="on")
        self.assertEqual(patterns()["/old/*"], ("/newer/:splat", 301, True))
        # An exact path becoming a pattern of the same text is a change, not the same.
        Redirect.objects.create(old_path="/plain/*", redirect_link="/p")
        page = self.preview(csv_bytes("from,to,is_pattern", "/plain/*,/p,yes"))
        self.assertEqual(self.rows(page)[2].action, "update")

    def test_existing_patterns_are_no_chain_hops_and_answer_targets(self) -> None:
        self.confirm(self.preview(csv_bytes("from,to", "/shop/*,/store/:splat")), valid_only="on")
        page = self.preview(csv_bytes("from,to", "/promo,/shop/*", "/sale,/shop/summer"))
        rows = self.rows(page)
        self.assertEqual((rows[2].action, rows[2].link, rows[2].notes), ("new", "/shop/*", ()))
        self.assertEqual((rows[3].warnings, rows[3].notes), ((), ()))

    def test_a_pattern_whose_target_it_answers_again_is_a_loop(self) -> None:
        page = self.preview(
            csv_bytes(
                "from,to",
                "/old/*,/old/new/:splat",
                "/same/:slug,/same/:slug/",
                "/prefix/*,/prefix/landing/",
                "/about-us/*,/about/",  # a live page answers first
                "/docs/*,/docs/index",  # an exact redirect of the file answers first
                "/docs/index,/handbook/",
                "/moved/*,http://localhost/moved/:splat",  # the same site, by its host
                "/away/*,https://elsewhere.example/away/:splat",
            )
        )
        errors = self.errors(page)
        self.assertEqual(sorted(errors), [2, 3, 4, 8])
        self.assertIn("The target lies under the pattern itself", errors[2])
        self.assertIn("loop", errors[3])  # the target is the source, as written
        self.assertIn("Loop: /prefix → /prefix/landing/", errors[4])
        self.assertIn("Loop: /moved → http://localhost/moved/", errors[8])

    def test_live_pages_under_a_pattern_are_told(self) -> None:
        page = self.preview(
            csv_bytes(
                "from,to,site",
                "/about/*,/team/:splat,",
                "/:slug,/pages/:slug,localhost",
                "/nothing-here/*,/x/:splat,",
            )
        )
        rows = self.rows(page)
        self.assertEqual(rows[2].action, "new")
        self.assertIn("1 live page is under this pattern (/about)", rows[2].warnings[0])
        # /:slug matches one segment: /about, not the home page (/).
        self.assertIn("1 live page is under this pattern (/about)", rows[3].warnings[0])
        self.assertEqual(rows[4].warnings, ())

    def test_our_export_imports_back_as_the_same_patterns(self) -> None:
        self.confirm(
            self.preview(corpus("netlify_patterns_redirects.txt"), "_redirects"), valid_only="on"
        )
        before = patterns()
        for file_format in ("csv", "xlsx", "json"):
            with self.subTest(file_format=file_format):
                content = export_kind("redirects", file_format)
                if file_format == "csv":
                    exported = list(csv.DictReader(io.StringIO(content.decode())))
                    flags = {row["from"]: row["is_pattern"] for row in exported}
                    self.assertEqual(flags["/blog/*"], "yes")
                    self.assertEqual(flags["/blog"], "")
                Redirect.objects.all().delete()
                page = self.preview(content, f"export.{file_format}")
                self.assertEqual(self.counts(page)["new"], 7, self.errors(page))
                self.confirm(page)
                self.assertEqual(patterns(), before)


class TestNotation(SimpleTestCase):
    """The readers of other tools' notations, value by value."""

    def test_regular_expressions(self) -> None:
        self.assertEqual(from_regex("^/old/(.*)$", "/new/$1"), ("/old/*", "/new/:splat"))
        self.assertEqual(from_regex("^/a\\.b/c\\-d/(.*)", "\\1"), ("/a.b/c-d/*", ":splat"))
        self.assertEqual(from_regex("^old/(.*)$", "/x/"), ("/old/*", "/x/"))
        self.assertEqual(from_regex("^/(.*)$", "https://new.example/$1")[0], "/*")
        for regex, target in [
            ("/old/(.*)", "/new/$1"),  # not anchored: /x/old/ matches too
            ("^/old(.*)", "/new$1"),  # /older too
            ("^/old/(.+)$", "/new/$1"),
            ("^/old/(.*)/x$", "/new/$1"),
            ("^/o.d/(.*)", "/new/$1"),
            ("^/\\d+/(.*)", "/new/$1"),
            ("^/old/(.*)", "/new/$2"),
            ("^/:x/(.*)", "/new/$1"),
            ("^/old/(.*)\\", "/new/$1"),
        ]:
            with self.subTest(regex=regex), self.assertRaises(PatternError):
                from_regex(regex, target)

    def test_vercel(self) -> None:
        self.assertEqual(from_vercel("/a/:path*", "/b/:path*"), ("/a/*", "/b/:splat"))
        self.assertEqual(from_vercel("/a/:rest*", "/b/:rest"), ("/a/*", "/b/:splat"))
        self.assertEqual(from_vercel("/a/:x/:y", "/b/:y"), ("/a/:x/:y", "/b/:y"))
        for source, target in [
            ("/a/:path+", "/b"),
            ("/a/:path?", "/b"),
            ("/a/:id(\\d+)", "/b"),
            ("/a/(.*)", "/b"),
            ("/a/:path*/b", "/c"),
            ("/a/:x", "/b/:x*"),
        ]:
            with self.subTest(source=source), self.assertRaises(PatternError):
                from_vercel(source, target)

    def test_squarespace(self) -> None:
        self.assertEqual(from_squarespace("/a/[b]", "/c/[b]"), ("/a/:b", "/c/:b"))
        with self.assertRaises(PatternError):
            from_squarespace("/a-[b]", "/c")

    def test_canonical(self) -> None:
        for source, expected in [
            ("/old/*", "/old/*"),
            ("/*", "/*"),
            ("/news/:year/:slug/", "/news/:year/:slug"),
        ]:
            with self.subTest(source=source):
                self.assertEqual(parse(source).canonical, expected)


@time_machine.travel(BEFORE_THE_WINDOWS, tick=False)
class TestColumnMatching(PatternImportTestCase):
    def test_a_file_with_an_is_pattern_column_can_be_matched(self) -> None:
        # An unknown status column sends the file to "Match the columns", where the
        # is_pattern column is preselected by its name.
        response = self.upload(csv_bytes("from,to,is_pattern,http", "/a/*,/b/:splat,yes,301"))
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertTrue(response["Location"].endswith("/columns/"))
        field = page.context["form"].fields["column_2"]
        self.assertEqual(field.initial, "is_pattern")
        self.assertIn(("is_pattern", "pattern (yes or no)"), field.choices)
        code, output = self.cli_file(
            csv_bytes("/a/*,/b/:splat,yes"), "--no-header", "--columns", "from,to,is_pattern"
        )
        self.assertEqual(code, 0, output)
        self.assertIn("1 new", output)

    def cli_file(self, content: bytes, *args: str) -> tuple[int, str]:
        path = self.enterContext(TemporaryDir()) + "/file.csv"
        with open(path, "wb") as file:
            file.write(content)
        return self.cli(path, "--dry-run", *args)
