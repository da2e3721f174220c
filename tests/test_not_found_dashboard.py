"""The dashboard's Not found panel and the ignore rules' listing."""

from __future__ import annotations

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from tests.utils.pages import fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools.not_found.models import NotFoundIgnoreRule, NotFoundPath

pytestmark = pytest.mark.collation  # compares our path columns with core's


class TestNotFoundPanel(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        cls.editor = make_user("editor", "add_redirect")
        cls.viewer = make_user("viewer", "change_redirect")
        now = timezone.now()
        for index in range(7):
            NotFoundPath.objects.create(
                site=cls.site,
                path=f"/new-{index}",
                hits=10 + index,
                first_seen_at=now - datetime.timedelta(days=1),
                last_seen_at=now,
            )
        NotFoundPath.objects.create(
            site=cls.site,
            path="/old-news",
            hits=500,
            first_seen_at=now - datetime.timedelta(days=30),
            last_seen_at=now,
        )

    def panel(self, user: object) -> str:
        self.client.force_login(user)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertEqual(response.status_code, 200)
        return str(response.content.decode())

    def test_new_paths_this_week_with_the_top_five(self) -> None:
        html = self.panel(self.editor)
        self.assertIn("7 new 404 paths this week", html)
        for index in range(2, 7):
            self.assertIn(f"/new-{index}<", html)
        self.assertNotIn("/new-1<", html)
        self.assertNotIn("/old-news", html)  # not new this week
        self.assertIn(reverse("wagtail_redirect_tools:not_found") + "?since=", html)

    def test_hidden_without_permission(self) -> None:
        self.assertNotIn("data-not-found-dashboard", self.panel(self.viewer))

    def test_ignored_paths_are_not_counted(self) -> None:
        NotFoundIgnoreRule.objects.create(match="prefix", pattern="/new-")
        self.assertIn("0 new 404 paths this week", self.panel(self.editor))


class TestIgnoreRules(WagtailTestUtils, TestCase):
    def test_editors_list_and_add_rules_others_are_refused(self) -> None:
        editor = make_user("editor", "add_redirect")
        viewer = make_user("viewer", "delete_redirect")
        self.client.force_login(editor)
        response = self.client.post(
            reverse("not_found_ignore_rules:add"), {"match": "suffix", "pattern": ".asp"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(reverse("not_found_ignore_rules:index")), ".asp")
        self.client.force_login(viewer)
        response = self.client.get(reverse("not_found_ignore_rules:add"))
        self.assertRedirects(response, reverse("wagtailadmin_home"))
