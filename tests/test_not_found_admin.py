"""The Not found report and its fixes through the admin, with Django's test client."""

from __future__ import annotations

import datetime
import time

import pytest
from django.test import Client, TestCase
from django.urls import reverse, reverse_lazy
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.not_found.fixes import ACTION_GONE, ACTION_IGNORED
from wagtail_redirect_tools.not_found.log import NotFoundCounts
from wagtail_redirect_tools.not_found.models import NotFoundIgnoreRule, NotFoundPath
from wagtail_redirect_tools.not_found.writing import write_counts

pytestmark = pytest.mark.collation  # compares our path columns with core's

REPORT = "wagtail_redirect_tools:not_found"
BOT = True


class NotFoundAdminTestCase(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about-us", title="About us")
        cls.editor = make_user("editor", "add_redirect")
        cls.viewer = make_user("viewer", "change_redirect", "delete_redirect")
        cls.superuser = cls.create_superuser("admin")
        counts = NotFoundCounts(max_paths=100)
        now = time.time()
        for path, hits, bot in [
            ("/old/about-us.html", 5, False),
            ("/blog/2019/spring", 2, False),
            ("/wp-config.bak", 9, BOT),
        ]:
            for _ in range(hits):
                counts.add(
                    (cls.site.pk, path), bot=bot, when=now, referer="https://news.example.com/a"
                )
        write_counts(counts)

    def entry(self, path: str) -> NotFoundPath:
        return NotFoundPath.objects.get(path=path)

    def report(self, user: object = None, **params: str) -> list[str]:
        self.client.force_login(user or self.editor)
        response = self.client.get(reverse(REPORT), params)
        self.assertEqual(response.status_code, 200)
        return [row.path for row in response.context["object_list"]]


class TestReport(NotFoundAdminTestCase):
    def test_busiest_first_with_the_row_details(self) -> None:
        self.assertEqual(
            self.report(), ["/wp-config.bak", "/old/about-us.html", "/blog/2019/spring"]
        )
        response = self.client.get(reverse(REPORT))
        self.assertContains(response, "news.example.com/a")
        self.assertContains(response, "Probably a bot", count=1)
        self.assertContains(response, "Create redirect", count=3)
        self.assertContains(response, reverse("not_found_ignore_rules:index"))

    def test_filters_and_ordering(self) -> None:
        self.assertEqual(self.report(hide_bots="true"), ["/old/about-us.html", "/blog/2019/spring"])
        self.assertEqual(self.report(min_hits="5"), ["/wp-config.bak", "/old/about-us.html"])
        self.assertEqual(self.report(ordering="hits")[0], "/blog/2019/spring")
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        self.assertEqual(self.report(since=tomorrow.isoformat()), [])
        other, _home = fresh_site_tree("other.example", is_default=False), None
        self.assertEqual(self.report(site=str(other[0].pk)), [])

    def test_export(self) -> None:
        self.client.force_login(self.editor)
        for file_format, content_type in [("csv", "text/csv"), ("xlsx", "spreadsheetml")]:
            response = self.client.get(reverse(REPORT), {"export": file_format})
            self.assertEqual(response.status_code, 200)
            self.assertIn(content_type, response["Content-Type"])
        csv = b"".join(self.client.get(reverse(REPORT), {"export": "csv"}).streaming_content)
        self.assertIn(b"/old/about-us.html", csv)

    def test_refused_without_the_permission_to_add_redirects(self) -> None:
        self.client.force_login(self.viewer)
        response = self.client.get(reverse(REPORT))
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertEqual(Client().get(reverse(REPORT)).status_code, 302)  # to the login

    def test_in_the_reports_menu_for_those_with_permission(self) -> None:
        for user, shown in [(self.editor, True), (self.viewer, False)]:
            self.client.force_login(user)
            response = self.client.get(reverse("wagtailadmin_home"))
            self.assertIs(reverse(REPORT) in response.content.decode(), shown)


class TestFixes(NotFoundAdminTestCase):
    def fix(self, action: str, *paths: str, user: object = None) -> object:
        self.client.force_login(user or self.editor)
        ids = [str(self.entry(path).pk) for path in paths]
        url = reverse("wagtail_redirect_tools:not_found_fix", args=[action])
        confirm = self.client.get(url, {"id": ids})
        if confirm.status_code == 200:
            for path in paths:
                self.assertContains(confirm, path)
        return self.client.post(url, {"id": ids, "next": reverse(REPORT)})

    def test_mark_gone_creates_a_410_logged_and_leaves_the_report(self) -> None:
        response = self.fix("gone", "/blog/2019/spring")
        self.assertRedirects(response, reverse(REPORT))
        redirect = Redirect.objects.get(old_path="/blog/2019/spring", site=self.site)
        self.assertEqual(RedirectDetails.objects.get(redirect=redirect).status_code, 410)
        self.assertEqual(ModelLogEntry.objects.filter(action=ACTION_GONE).count(), 1)
        self.assertNotIn("/blog/2019/spring", self.report())
        self.assertEqual(self.client.get("/blog/2019/spring/").status_code, 410)

    def test_ignore_adds_a_rule_logged_and_leaves_the_report(self) -> None:
        self.fix("ignore", "/wp-config.bak", "/blog/2019/spring")  # as a bulk action
        self.assertEqual(
            sorted(NotFoundIgnoreRule.objects.values_list("match", "pattern")),
            [("exact", "/blog/2019/spring"), ("exact", "/wp-config.bak")],
        )
        self.assertEqual(ModelLogEntry.objects.filter(action=ACTION_IGNORED).count(), 2)
        self.assertEqual(self.report(), ["/old/about-us.html"])
        rules = self.client.get(reverse("not_found_ignore_rules:index"))
        self.assertContains(rules, "/wp-config.bak")

    def test_fixes_need_the_permission_and_csrf(self) -> None:
        response = self.fix("gone", "/blog/2019/spring", user=self.viewer)
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertFalse(Redirect.objects.exists())
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(self.editor)
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["ignore"])
        response = csrf_client.post(url, {"id": [self.entry("/wp-config.bak").pk]})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(NotFoundIgnoreRule.objects.exists())

    def test_create_redirect_is_the_add_form_prefilled_with_a_suggestion(self) -> None:
        self.client.force_login(self.editor)
        entry = self.entry("/old/about-us.html")
        url = reverse("wagtail_redirect_tools:not_found_create", args=[entry.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.initial["old_path"], "/old/about-us.html")
        self.assertEqual(form.initial["site"], self.site.pk)
        self.assertNotIn("redirect_page", form.initial)  # suggested, not applied
        self.assertContains(response, "Suggested target for /old/about-us.html")
        self.assertContains(response, "(/about-us/)")
        self.assertContains(response, f"redirect_page={self.about.pk}")
        applied = self.client.get(url, {"redirect_page": self.about.pk})
        self.assertEqual(applied.context["form"].initial["redirect_page"], self.about.pk)
        saved = self.client.post(
            reverse("redirect_tools_redirects:add"),
            {
                "old_path": "/old/about-us.html",
                "site": self.site.pk,
                "redirect_page": self.about.pk,
                "status_code": 301,
                "source_kind": "path",
            },
        )
        self.assertLess(saved.status_code, 400)
        self.assertTrue(Redirect.objects.filter(old_path="/old/about-us.html").exists())
        self.assertNotIn("/old/about-us.html", self.report())
        self.assertEqual(self.client.get("/old/about-us.html/").status_code, 301)

    def test_create_redirect_needs_the_permission(self) -> None:
        self.client.force_login(self.viewer)
        url = reverse(
            "wagtail_redirect_tools:not_found_create", args=[self.entry("/wp-config.bak").pk]
        )
        self.assertRedirects(self.client.get(url), reverse("wagtailadmin_home"))


class TestBulkFixes(NotFoundAdminTestCase):
    def test_the_report_offers_the_selected_rows_to_each_fix(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.get(reverse(REPORT))
        for action in ("gone", "ignore", "redirect"):
            url = reverse("wagtail_redirect_tools:not_found_fix", args=[action])
            self.assertContains(response, f'formaction="{url}"')
        for entry in NotFoundPath.objects.all():
            self.assertContains(response, f'name="id" value="{entry.pk}" form="not-found-bulk"')

    def test_mark_selected_gone(self) -> None:
        ids = [self.entry(path).pk for path in ("/wp-config.bak", "/blog/2019/spring")]
        self.client.force_login(self.editor)
        url = reverse("wagtail_redirect_tools:not_found_fix", args=["gone"])
        self.client.post(url, {"id": ids})
        self.assertEqual(
            sorted(Redirect.objects.values_list("old_path", flat=True)),
            ["/blog/2019/spring", "/wp-config.bak"],
        )
        self.assertEqual(self.report(), ["/old/about-us.html"])


class TestRedirectSelected(NotFoundAdminTestCase):
    url = reverse_lazy("wagtail_redirect_tools:not_found_fix", args=["redirect"])

    def ids(self, *paths: str) -> list[int]:
        return [self.entry(path).pk for path in paths]

    def test_to_one_page_audit_logged(self) -> None:
        self.client.force_login(self.editor)
        ids = self.ids("/old/about-us.html", "/blog/2019/spring")
        confirm = self.client.get(self.url, {"id": ids})
        self.assertContains(confirm, "Redirect to a page")
        response = self.client.post(self.url, {"id": ids, "redirect_page": self.about.pk})
        self.assertRedirects(response, reverse(REPORT))
        redirects = Redirect.objects.filter(redirect_page=self.about, site=self.site)
        self.assertEqual(
            sorted(redirects.values_list("old_path", flat=True)),
            ["/blog/2019/spring", "/old/about-us.html"],
        )
        self.assertEqual(ModelLogEntry.objects.filter(action="wagtail.create").count(), 2)
        self.assertEqual(self.report(), ["/wp-config.bak"])
        self.assertEqual(self.client.get("/blog/2019/spring/").status_code, 301)

    def test_to_a_url(self) -> None:
        self.client.force_login(self.editor)
        ids = self.ids("/wp-config.bak")
        self.client.post(self.url, {"id": ids, "redirect_link": "https://example.com/new/"})
        redirect = Redirect.objects.get(old_path="/wp-config.bak")
        self.assertEqual(redirect.redirect_link, "https://example.com/new/")
        self.assertEqual(RedirectDetails.objects.get(redirect=redirect).status_code, 301)

    def test_a_target_is_needed_and_checked(self) -> None:
        self.client.force_login(self.editor)
        ids = self.ids("/wp-config.bak")
        for data, error in [
            ({}, "Choose a page or enter a path or URL"),
            ({"redirect_link": "javascript:alert(1)"}, "is neither"),
            ({"redirect_link": "/x/", "redirect_page": self.about.pk}, "not both"),
        ]:
            with self.subTest(data=data):
                response = self.client.post(self.url, {"id": ids, **data})
                self.assertContains(response, error)
        self.assertFalse(Redirect.objects.exists())

    def test_a_path_sent_to_itself_is_refused_with_the_reason(self) -> None:
        """Issue 32, item 6: the Redirects form's rule (``rules.link_loops``), own-host URLs
        included; the other selected paths get their redirect."""
        self.client.force_login(self.editor)
        for link in ("/blog/2019/spring/", "http://localhost/blog/2019/spring"):
            with self.subTest(link=link):
                ids = self.ids("/blog/2019/spring", "/wp-config.bak")
                response = self.client.post(
                    self.url, {"id": ids, "redirect_link": link}, follow=True
                )
                self.assertContains(
                    response,
                    "/blog/2019/spring got no redirect: The target is the source itself: "
                    "that would loop.",
                )
                self.assertFalse(Redirect.objects.filter(old_path="/blog/2019/spring").exists())
                self.assertTrue(Redirect.objects.filter(old_path="/wp-config.bak").exists())
                self.assertIn("/blog/2019/spring", self.report())
                Redirect.objects.all().delete()

    def test_refused_without_permission(self) -> None:
        self.client.force_login(self.viewer)
        ids = self.ids("/wp-config.bak")
        response = self.client.post(self.url, {"id": ids, "redirect_link": "/x/"})
        self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertFalse(Redirect.objects.exists())


class TestIgnoredPaths(NotFoundAdminTestCase):
    def test_hidden_unless_asked_for(self) -> None:
        NotFoundIgnoreRule.objects.create(match="suffix", pattern=".bak")
        self.assertNotIn("/wp-config.bak", self.report())
        self.assertNotIn("/wp-config.bak", self.report(show_ignored="false"))
        self.assertIn("/wp-config.bak", self.report(show_ignored="true"))
        self.assertNotIn("/wp-config.bak", self.report(min_hits="not a number"))
