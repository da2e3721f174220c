"""``resolve/`` hides the pages Wagtail's own API hides (issue 29, item 9): a page with a
password, login or group restriction, and every page below one, is "not found" to a caller
the restriction does not accept, as Wagtail's ``pages/find/`` answers 404 for it. Each
answer is asked of both, through the real URLs, for each kind of caller."""

from __future__ import annotations

import datetime
from unittest import skipUnless

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from tests.test_api import HAS_V3
from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.resolution import forget_process_state

START = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)
DURING = START + datetime.timedelta(hours=1)

PAGES = ("/open/", "/secret/", "/members/", "/members/inner/", "/staff/", "/staff/deep/")
RESTRICTED = {"/secret/", "/members/", "/members/inner/", "/staff/", "/staff/deep/"}


@override_settings(ALLOWED_HOSTS=["localhost", "testserver"])
class RestrictedTree(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.home = home
        cls.open = add_page(home, "open")
        cls.secret = add_page(home, "secret")
        cls.members = add_page(home, "members")
        add_page(cls.members, "inner")
        cls.staff = add_page(home, "staff")
        add_page(cls.staff, "deep")
        cls.password = PageViewRestriction.objects.create(
            page=cls.secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        PageViewRestriction.objects.create(
            page=cls.members, restriction_type=PageViewRestriction.LOGIN
        )
        staff_group = Group.objects.create(name="staff")
        by_group = PageViewRestriction.objects.create(
            page=cls.staff, restriction_type=PageViewRestriction.GROUPS
        )
        by_group.groups.add(staff_group)
        users = get_user_model().objects
        cls.member = users.create_user(username="member", password="pw")
        cls.staffer = users.create_user(username="staffer", password="pw")
        cls.staffer.groups.add(staff_group)
        cls.editor = make_user("editor", page=home)  # may edit every page of the site
        cls.reader = make_user("reader")  # may edit no page

    def setUp(self) -> None:
        forget_process_state()

    def callers(self) -> dict[str, Client]:
        """Each kind of caller, with the session a browser would have."""
        member, staffer = Client(), Client()
        member.force_login(self.member)
        staffer.force_login(self.staffer)
        passed = Client()
        url = reverse(
            "wagtailcore_authenticate_with_password", args=[self.password.pk, self.secret.pk]
        )
        response = passed.post(url, {"password": "s3cret", "return_url": "/secret/"})
        self.assertEqual(response.status_code, 302)  # the session now holds the password
        return {"anonymous": Client(), "member": member, "staffer": staffer, "passed": passed}


class TestV2(RestrictedTree):
    def ours(self, client: Client, path: str) -> int:
        response = client.get(
            "/api/v2/redirects/resolve/", {"html_path": path, "site": "localhost"}
        )
        if response.status_code == 200:
            self.assertEqual(response.json()["kind"], "page")
        else:
            self.assertEqual(response.json(), {"kind": "none", "message": "not found"})
        return response.status_code

    def cores(self, client: Client, path: str) -> int:
        response = client.get("/api/v2/pages/find/", {"html_path": path}, HTTP_HOST="localhost")
        return {302: 200, 404: 404}[response.status_code]

    def test_an_anonymous_caller_gets_no_restricted_page(self) -> None:
        for path in PAGES:
            with self.subTest(path=path):
                expected = 404 if path in RESTRICTED else 200
                self.assertEqual(self.ours(Client(), path), expected)

    def test_every_caller_sees_what_wagtails_pages_find_shows(self) -> None:
        for name, client in self.callers().items():
            for path in PAGES:
                with self.subTest(caller=name, path=path):
                    self.assertEqual(self.ours(client, path), self.cores(client, path))

    def test_a_caller_the_restriction_accepts_sees_the_page(self) -> None:
        callers = self.callers()
        self.assertEqual(self.ours(callers["member"], "/members/inner/"), 200)
        self.assertEqual(self.ours(callers["staffer"], "/staff/deep/"), 200)
        self.assertEqual(self.ours(callers["passed"], "/secret/"), 200)
        self.assertEqual(self.ours(callers["passed"], "/members/"), 404)

    def test_a_redirect_or_window_answers_as_the_visitor_is_answered(self) -> None:
        """A redirect to a restricted page, and a window on one, answer what every visitor
        gets from the site (the same status and Location); they name no page."""
        Redirect.add_redirect("/to-secret", self.secret, is_permanent=True)
        with time_machine.travel(START - datetime.timedelta(days=1), tick=False):
            schedule_redirect(
                self.members,
                self.open,
                starts_at=START,
                expires_at=START + datetime.timedelta(days=1),
            )
        with time_machine.travel(DURING, tick=False):
            for path, served in (("/to-secret/", 301), ("/members/", 302)):
                with self.subTest(path=path):
                    forget_process_state()
                    visitor = Client().get(path, HTTP_HOST="localhost")
                    self.assertEqual(visitor.status_code, served)
                    forget_process_state()
                    data = (
                        Client()
                        .get("/api/v2/redirects/resolve/", {"html_path": path, "site": "localhost"})
                        .json()
                    )
                    self.assertEqual(
                        (data["status_code"], data["location"]),
                        (served, visitor["Location"].removeprefix("http://localhost")),
                    )
                    self.assertNotIn("page", data)


@skipUnless(HAS_V3, "Wagtail 7.4 has no v3 API")
class TestV3(RestrictedTree):
    def token(self, user: object) -> str:
        from wagtail.models import APIToken  # Wagtail 8 only, like the v3 API

        _token, plaintext = APIToken.create_token(user=user, name="t")
        return plaintext

    def ours(self, client: Client, path: str, **headers: str) -> int:
        response = client.get(
            "/api/v3/redirect-tools/resolve/",
            {"html_path": path, "site": "localhost"},
            headers=headers,
        )
        if response.status_code == 200:
            self.assertEqual(response.json()["kind"], "page")
        return response.status_code

    def cores(self, client: Client, path: str, **headers: str) -> int:
        response = client.get(
            "/api/v3/pages/find/", {"html_path": path, "site": "localhost"}, headers=headers
        )
        return {302: 200, 404: 404}[response.status_code]

    def test_an_anonymous_caller_gets_no_restricted_page(self) -> None:
        for path in PAGES:
            with self.subTest(path=path):
                expected = 404 if path in RESTRICTED else 200
                self.assertEqual(self.ours(Client(), path), expected)

    def test_every_caller_sees_what_wagtails_pages_find_shows(self) -> None:
        # v3's public reads ignore a logged-in session (Wagtail's AllowAnonymous); a
        # bearer token's user sees the pages they may edit.
        callers: list[tuple[str, Client, dict[str, str]]] = [
            (name, client, {}) for name, client in self.callers().items()
        ]
        for user in (self.editor, self.reader, self.member):
            token = self.token(user)
            callers.append((f"token {user}", Client(), {"Authorization": f"Bearer {token}"}))
        for name, client, headers in callers:
            for path in PAGES:
                with self.subTest(caller=name, path=path):
                    self.assertEqual(
                        self.ours(client, path, **headers), self.cores(client, path, **headers)
                    )
