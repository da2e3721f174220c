"""A window on a page is written only by someone who may edit that page (issue 29, item 11).

Every writer of a window, through its own interface: the Scheduled redirects form (add and
edit), its single delete and "End now", the bulk actions (end now, extend expiry, delete),
the page's own "Redirect temporarily…" and the import. The user below holds every
scheduled-redirect permission (and, for the import, the redirect ones) but edit rights on
no page; the page editor holds the same plus edit rights on /about/ and below. A window's
*target* page needs no rights: it is only linked to, as by a core redirect."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from tests.utils.windows import INDEX, bulk_url
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import ScheduledRedirect

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
PHISH = "https://evil.example/phish"
WINDOW_PERMISSIONS = (
    "add_scheduledredirect",
    "change_scheduledredirect",
    "delete_scheduledredirect",
    "add_redirect",
    "change_redirect",
)


@time_machine.travel(NOW, tick=False)
class PageRightsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.history = add_page(cls.about, "history")
        cls.contact = add_page(cls.home, "contact")
        cls.scheduler = make_user("scheduler", *WINDOW_PERMISSIONS)
        cls.page_editor = make_user("page-editor", *WINDOW_PERMISSIONS, page=cls.about)
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            cls.window = schedule_redirect(cls.history, "/contact/", expires_at=NOW + 5 * DAY)
            cls.path_window = schedule_redirect("/promo", "/contact/", expires_at=NOW + 5 * DAY)

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def served(self, path: str) -> tuple[int, str]:
        response = Client().get(path, HTTP_HOST="localhost")
        return response.status_code, response.get("Location", "")

    def assert_denied(self, response: Any) -> None:
        """Refused as Wagtail's admin refuses: a 403, or back to the dashboard."""
        if response.status_code != 403:
            self.assertEqual((response.status_code, response.get("Location")), (302, "/admin/"))

    def assert_unchanged(self, window: ScheduledRedirect) -> None:
        saved = ScheduledRedirect.objects.get(pk=window.pk)
        self.assertEqual(
            (saved.source_page_id, saved.old_path, saved.redirect_link, saved.expires_at),
            (window.source_page_id, window.old_path, window.redirect_link, window.expires_at),
        )


class TestScheduledForm(PageRightsTestCase):
    def form_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "source_kind": "page",
            "old_path": "",
            "site": "",
            "source_page": self.about.pk,
            "redirect_page": "",
            "redirect_page_route_path": "",
            "redirect_link": PHISH,
            "status_code": "302",
            "starts_at": "",
            "expires_at": "2026-12-10 18:00",
            "reason": "",
        }
        data.update(overrides)
        return data

    def test_add_refuses_a_page_the_user_may_not_edit(self) -> None:
        response = self.client_for(self.scheduler).post(INDEX + "new/", self.form_data())
        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"],
            "source_page",
            "You may not redirect this page: that needs permission to edit it.",
        )
        self.assertFalse(ScheduledRedirect.objects.filter(source_page=self.about).exists())
        self.assertEqual(self.served("/about/"), (200, ""))

    def test_add_with_edit_rights_on_the_page(self) -> None:
        response = self.client_for(self.page_editor).post(INDEX + "new/", self.form_data())
        self.assertRedirects(response, INDEX)
        self.assertEqual(self.served("/about/"), (302, PHISH))

    def test_a_path_window_needs_no_page_rights_and_a_target_page_none(self) -> None:
        data = self.form_data(
            source_kind="path",
            old_path="/spring",
            source_page="",
            redirect_link="",
            redirect_page=self.contact.pk,
        )
        response = self.client_for(self.scheduler).post(INDEX + "new/", data)
        self.assertRedirects(response, INDEX)

    def test_edit_cannot_move_a_window_onto_such_a_page(self) -> None:
        url = INDEX + f"edit/{self.path_window.pk}/"
        data = self.form_data(source_page=self.about.pk)
        response = self.client_for(self.scheduler).post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assert_unchanged(self.path_window)

    def test_edit_of_a_window_on_such_a_page_is_refused(self) -> None:
        url = INDEX + f"edit/{self.window.pk}/"
        client = self.client_for(self.scheduler)
        self.assert_denied(client.get(url))
        # Not even moved away to a path: the page's window is not theirs to change.
        data = self.form_data(source_kind="path", old_path="/elsewhere", source_page="")
        self.assert_denied(client.post(url, data))
        self.assert_denied(client.post(url, self.form_data(source_page=self.history.pk)))
        self.assert_unchanged(self.window)
        self.assertEqual(self.served("/about/history/"), (302, "/contact/"))

    def test_edit_with_edit_rights_on_the_page(self) -> None:
        url = INDEX + f"edit/{self.window.pk}/"
        data = self.form_data(source_page=self.history.pk, redirect_link="/about/")
        response = self.client_for(self.page_editor).post(url, data)
        self.assertRedirects(response, INDEX)
        self.window.refresh_from_db()
        self.assertEqual(self.window.redirect_link, "/about/")

    def test_delete_and_end_now_are_refused(self) -> None:
        client = self.client_for(self.scheduler)
        delete = INDEX + f"delete/{self.window.pk}/"
        end = reverse("wagtail_redirect_tools:end_window", args=[self.window.pk])
        for url in (delete, end):
            with self.subTest(url=url):
                self.assert_denied(client.get(url))
                self.assert_denied(client.post(url))
        self.assert_unchanged(self.window)
        # The listing and the edit screen offer no "End now" for it.
        self.assertNotContains(client.get(INDEX), end)

    def test_end_now_with_edit_rights_on_the_page(self) -> None:
        end = reverse("wagtail_redirect_tools:end_window", args=[self.window.pk])
        response = self.client_for(self.page_editor).post(end)
        self.assertEqual(response.status_code, 302)
        self.window.refresh_from_db()
        self.assertEqual(self.window.expires_at, NOW)


class TestBulkActions(PageRightsTestCase):
    def test_each_action_leaves_a_page_window_alone(self) -> None:
        client = self.client_for(self.scheduler)
        for action, data in (
            ("end_now", {}),
            ("extend_expiry", {"expires_at": "2026-12-24 18:00"}),
            ("delete", {}),
        ):
            with self.subTest(action=action):
                url = bulk_url(action, self.window, self.path_window)
                confirm = client.get(url)
                self.assertEqual(confirm.status_code, 200)
                self.assertEqual(
                    [item["item"] for item in confirm.context["items"]], [self.path_window]
                )
                client.post(url, data)
                self.assert_unchanged(self.window)
        self.assertFalse(ScheduledRedirect.objects.filter(pk=self.path_window.pk).exists())

    def test_with_edit_rights_on_the_page(self) -> None:
        client = self.client_for(self.page_editor)
        client.post(bulk_url("extend_expiry", self.window), {"expires_at": "2026-12-24 18:00"})
        self.window.refresh_from_db()
        self.assertEqual(self.window.expires_at, datetime.datetime(2026, 12, 24, 18, tzinfo=UTC))


class TestPageAction(PageRightsTestCase):
    def test_refused_without_edit_rights(self) -> None:
        url = reverse("wagtail_redirect_tools:page_window", args=[self.about.pk])
        client = self.client_for(self.scheduler)
        self.assert_denied(client.get(url))
        self.assert_denied(client.post(url, {"redirect_link": PHISH}))


class TestImport(PageRightsTestCase):
    def import_file(self, user: Any, content: str) -> Any:
        client = self.client_for(user)
        upload = client.post(
            reverse("wagtail_redirect_tools:import"),
            {
                "file": SimpleUploadedFile("windows.csv", content.encode()),
                "site": "",
                "default_type": "301",
                "on_existing": "update",
                "file_format": "auto",
                "encoding": "auto",
            },
        )
        self.assertEqual(upload.status_code, 302)
        preview = client.get(upload["Location"])
        # The preview's rows are read from the kept plan, which the confirm replaces.
        preview.row_errors = [" ".join(row.errors) for row in preview.context["plan"].rows]
        confirm = reverse("wagtail_redirect_tools:import_confirm", args=[preview.context["token"]])
        client.post(confirm)
        return preview

    def test_a_row_on_a_page_the_user_may_not_edit_is_an_error(self) -> None:
        content = (
            "from,to,expires_at\n"
            f"page:{self.about.pk},{PHISH},2026-12-10 18:00\n"
            f"page:{self.history.pk},{PHISH},2026-11-29 18:00\n"
        )
        preview = self.import_file(self.scheduler, content)
        errors = preview.row_errors
        self.assertEqual(len(errors), 2)
        for error in errors:
            self.assertIn("permission to edit", error)
        self.assertFalse(ScheduledRedirect.objects.filter(source_page=self.about).exists())
        self.assert_unchanged(self.window)
        self.assertEqual(self.served("/about/"), (200, ""))

    def test_with_edit_rights_on_the_page(self) -> None:
        content = f"from,to,expires_at\npage:{self.about.pk},{PHISH},2026-12-10 18:00\n"
        self.import_file(self.page_editor, content)
        self.assertEqual(self.served("/about/"), (302, PHISH))


class TestListing(PageRightsTestCase):
    """The listing offers Edit, Delete and End now only where the user may use them, and
    finds the user's page rights once for the page of results, not once a row."""

    def links(self, user: Any, window: ScheduledRedirect) -> set[str]:
        content = self.client_for(user).get(INDEX).content.decode()
        urls = {
            "edit": f"{INDEX}edit/{window.pk}/",
            "delete": f"{INDEX}delete/{window.pk}/",
            "end": reverse("wagtail_redirect_tools:end_window", args=[window.pk]),
        }
        return {name for name, url in urls.items() if url in content}

    def test_no_actions_on_a_page_window_the_user_may_not_edit(self) -> None:
        self.assertEqual(self.links(self.scheduler, self.window), set())
        self.assertEqual(self.links(self.scheduler, self.path_window), {"edit", "delete", "end"})

    def test_every_action_with_edit_rights_on_the_page(self) -> None:
        self.assertEqual(self.links(self.page_editor, self.window), {"edit", "delete", "end"})

    def test_page_rights_cost_the_same_for_one_page_window_or_five(self) -> None:
        client = self.client_for(self.scheduler)
        client.get(INDEX)  # the session and content types, once
        with CaptureQueriesContext(connection) as one:
            client.get(INDEX)
        with time_machine.travel(NOW - 10 * DAY, tick=False):
            for index in range(4):
                page = add_page(self.contact, f"offer-{index}")
                schedule_redirect(page, "/contact/", expires_at=NOW + 5 * DAY)
        with CaptureQueriesContext(connection) as five:
            client.get(INDEX)
        self.assertEqual(len(five), len(one))
