"""Every admin screen of the package, for every kind of user (issue 16): anonymous, a
user with admin access only, one user per single redirect or scheduled-redirect
permission, and a superuser. One row per URL name (and per bulk action on our models),
each with the answer a GET gets; a second test fails when a URL appears without a row.

Answers: ``ok`` (200), ``login`` (sent to the login screen), ``denied`` (Wagtail's
"Sorry, you do not have permission" redirect to the dashboard, or a 403), ``missing``
(404: e.g. an import that is someone else's), ``post`` (405: the URL only takes POST).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.users import make_user
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.admin.views.imports import TOKEN_SALT
from wagtail_redirect_tools.admin.viewsets import redirect_viewset, scheduled_redirect_viewset
from wagtail_redirect_tools.autoredirects.report import ACTION_CREATED
from wagtail_redirect_tools.models import RedirectImport
from wagtail_redirect_tools.not_found.models import NotFoundIgnoreRule, NotFoundPath

# The URL namespaces that are the package's admin: its two viewsets and admin_urls.
NAMESPACES = (
    redirect_viewset.url_namespace,
    scheduled_redirect_viewset.url_namespace,
    "wagtail_redirect_tools",
)
ADMIN_ROUTE = "admin/"  # as tests/urls.py includes Wagtail's admin
OUR_MODELS = {("wagtailredirects", "redirect"), ("wagtail_redirect_tools", "scheduledredirect")}

USERS = (
    "anonymous",
    "admin_only",
    "add_redirect",
    "change_redirect",
    "delete_redirect",
    "view_redirect",
    "add_scheduledredirect",
    "change_scheduledredirect",
    "delete_scheduledredirect",
    "view_scheduledredirect",
    "superuser",
)

OK, LOGIN, DENIED, MISSING, POST = "ok", "login", "denied", "missing", "post"


def anyone_with(*codenames: str) -> dict[str, str]:
    """``ok`` for the superuser and for each user holding one of ``codenames``, else
    ``denied``; anonymous: ``login``."""
    answers = {}
    for user in USERS:
        if user == "anonymous":
            answers[user] = LOGIN
        elif user == "superuser" or user in codenames:
            answers[user] = OK
        else:
            answers[user] = DENIED
    return answers


ANY_REDIRECT = ("add_redirect", "change_redirect", "delete_redirect")
ANY_WINDOW = (
    "add_scheduledredirect",
    "change_scheduledredirect",
    "delete_scheduledredirect",
    "view_scheduledredirect",
)
WINDOW_EDITORS = ANY_WINDOW[:3]  # not "view"

EXPECTED: dict[str, dict[str, str]] = {
    # The Redirects listing (core's redirects, core's permissions: core's own listing,
    # Wagtail's generic IndexView, also lists for "view", which Django creates and core's
    # group editor does not offer).
    "redirect_tools_redirects:index": anyone_with(*ANY_REDIRECT, "view_redirect"),
    "redirect_tools_redirects:index_results": anyone_with(*ANY_REDIRECT, "view_redirect"),
    "redirect_tools_redirects:add": anyone_with("add_redirect"),
    "redirect_tools_redirects:edit": anyone_with("change_redirect"),
    "redirect_tools_redirects:delete": anyone_with("delete_redirect"),
    "redirect_tools_redirects:history": anyone_with(*ANY_REDIRECT),
    "redirect_tools_redirects:history_results": anyone_with(*ANY_REDIRECT),
    # Wagtail's usage view asks for "change"; its history view for add, change or delete.
    "redirect_tools_redirects:usage": anyone_with("change_redirect"),
    # The form's live examples of a prefix or pattern: whoever may fill the form.
    "redirect_tools_redirects:pattern_preview": anyone_with("add_redirect", "change_redirect"),
    # Scheduled redirects ("view" is registered for them).
    "scheduled_redirects:index": anyone_with(*ANY_WINDOW),
    "scheduled_redirects:index_results": anyone_with(*ANY_WINDOW),
    "scheduled_redirects:add": anyone_with("add_scheduledredirect"),
    "scheduled_redirects:edit": anyone_with("change_scheduledredirect"),
    "scheduled_redirects:delete": anyone_with("delete_scheduledredirect"),
    "scheduled_redirects:history": anyone_with(*WINDOW_EDITORS),
    "scheduled_redirects:history_results": anyone_with(*WINDOW_EDITORS),
    "scheduled_redirects:usage": anyone_with("change_scheduledredirect"),
    # A page's "Redirect temporarily": add on windows and edit rights on the page.
    "wagtail_redirect_tools:page_window": anyone_with("add_scheduledredirect"),
    "wagtail_redirect_tools:end_window": anyone_with("change_scheduledredirect"),
    # Importing needs add and change on redirects: no single permission is enough.
    "wagtail_redirect_tools:import": anyone_with(),
    "wagtail_redirect_tools:import_template": anyone_with(),
    "wagtail_redirect_tools:import_detail": anyone_with(),
    # An upload that read no file has no columns to match.
    "wagtail_redirect_tools:import_columns": {**anyone_with(), "superuser": MISSING},
    "wagtail_redirect_tools:import_progress": anyone_with(),
    "wagtail_redirect_tools:import_confirm": {
        **anyone_with(),
        "superuser": POST,
    },
    # Starting an interrupted import's job again: POST only, as confirming is.
    "wagtail_redirect_tools:import_retry": {
        **anyone_with(),
        "superuser": POST,
    },
    "wagtail_redirect_tools:undo_move": anyone_with("delete_redirect"),
    # Export for a web server: anyone who may open the Redirects listing.
    "wagtail_redirect_tools:edge_export": anyone_with(*ANY_REDIRECT),
    # A page's redirects: anyone who may see redirects or windows.
    "redirect_tools_workspace:page_redirects": anyone_with(*ANY_REDIRECT, *ANY_WINDOW),
    # The Not found report and its fixes: "add" on redirects.
    "wagtail_redirect_tools:not_found": anyone_with("add_redirect"),
    "wagtail_redirect_tools:not_found_results": anyone_with("add_redirect"),
    "wagtail_redirect_tools:not_found_create": anyone_with("add_redirect"),
    "wagtail_redirect_tools:not_found_fix": anyone_with("add_redirect"),
    # Its ignore rules: add, change or delete on redirects, as the README says; "view"
    # alone is not enough (issue 29, item 12).
    "not_found_ignore_rules:index": anyone_with(*ANY_REDIRECT),
    "not_found_ignore_rules:index_results": anyone_with(*ANY_REDIRECT),
    "not_found_ignore_rules:add": anyone_with("add_redirect"),
    "not_found_ignore_rules:edit": anyone_with("change_redirect"),
    "not_found_ignore_rules:delete": anyone_with("delete_redirect"),
    "not_found_ignore_rules:history": anyone_with(*ANY_REDIRECT),
    "not_found_ignore_rules:history_results": anyone_with(*ANY_REDIRECT),
    "not_found_ignore_rules:usage": anyone_with("change_redirect"),
    # Bulk actions' confirmation screens, by model and action.
    "bulk:wagtailredirects.redirect.change_status": anyone_with("change_redirect"),
    "bulk:wagtailredirects.redirect.delete": anyone_with("delete_redirect"),
    "bulk:wagtailredirects.redirect.export_selected": anyone_with(*ANY_REDIRECT),
    "bulk:wagtail_redirect_tools.scheduledredirect.end_now": anyone_with(
        "change_scheduledredirect"
    ),
    "bulk:wagtail_redirect_tools.scheduledredirect.extend_expiry": anyone_with(
        "change_scheduledredirect"
    ),
    "bulk:wagtail_redirect_tools.scheduledredirect.delete": anyone_with("delete_scheduledredirect"),
}


def walk(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    """Every named URL pattern: its namespaced name, the pattern and its full route."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            name = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, name, route)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern, route


def package_viewset_namespaces() -> set[str]:
    """The URL namespaces of every viewset the package registers (their generic views
    are Wagtail's own classes, so they are found by the hook that registers them)."""
    namespaces = set()
    for register in hooks.get_hooks("register_admin_viewset"):
        if register.__module__.startswith("wagtail_redirect_tools."):
            registered = register()
            for viewset in registered if isinstance(registered, list | tuple) else [registered]:
                namespaces.add(viewset.url_namespace)
    return namespaces


def is_ours(name: str, pattern: URLPattern, route: str) -> bool:
    """An admin URL in one of the package's namespaces, or served by a view of the
    package (so a screen registered under a new namespace is found too)."""
    if not route.startswith(ADMIN_ROUTE):
        return False  # e.g. the public read API (tests/test_api.py)
    view = getattr(pattern.callback, "view_class", None) or pattern.callback
    namespace = name.rsplit(":", 2)[-2] if ":" in name else ""
    namespaces = {*NAMESPACES, *package_viewset_namespaces()}
    return namespace in namespaces or view.__module__.startswith("wagtail_redirect_tools.")


def short_name(name: str) -> str:
    """``wagtailadmin:x:y`` style names as their last namespace and name."""
    return ":".join(name.split(":")[-2:])


def package_url_names() -> set[str]:
    """Every named admin URL of the package, and every bulk action registered for its
    models."""
    names = {
        short_name(name)
        for name, pattern, route in walk(get_resolver().url_patterns)
        if is_ours(name, pattern, route)
    }
    for action in hooks.get_hooks("register_bulk_action"):
        for model in action.models:
            key = (model._meta.app_label, model._meta.model_name)
            if key in OUR_MODELS:
                names.add(f"bulk:{key[0]}.{key[1]}.{action.action_type}")
    return names


def answer_of(response: Any) -> str:
    status = response.status_code
    if status == 200:
        return OK
    if status == 404:
        return MISSING
    if status == 405:
        return POST
    if status == 403:
        return DENIED
    if status == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return DENIED
    return f"{status} {response.get('Location', '')}".strip()


class TestEveryAdminUrl(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.page = add_page(cls.home, "summer")
        cls.redirect = Redirect.objects.create(old_path="/perm-old", redirect_link="/x/")
        cls.window = schedule_redirect(
            "/perm-window",
            "/x/",
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
        )
        cls.users: dict[str, Any] = {"anonymous": None}
        for name in USERS:
            if name == "superuser":
                cls.users[name] = get_user_model().objects.create_superuser(
                    "admin", "a@example.com", "pw"
                )
            elif name != "anonymous":
                codenames = () if name == "admin_only" else (name,)
                cls.users[name] = make_user(name, *codenames, page=cls.home)
        cls.upload = RedirectImport.objects.create(original_name="old-site.csv")
        cls.ignore_rule = NotFoundIgnoreRule.objects.create(match="prefix", pattern="/wp-admin")
        # A real move writes the log entry that "Undo" names.
        cls.page.move(add_page(cls.home, "archive"), pos="last-child")
        cls.move = PageLogEntry.objects.get(action=ACTION_CREATED)
        cls.not_found = NotFoundPath.objects.create(
            site=cls.site,
            path="/perm-missing",
            first_seen_at=cls.move.timestamp,
            last_seen_at=cls.move.timestamp,
        )

    def url_for(self, name: str) -> str:
        if name.startswith("bulk:"):
            app_label, model_name, action = name.removeprefix("bulk:").split(".")
            pk = self.redirect.pk if model_name == "redirect" else self.window.pk
            url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
            return f"{url}?id={pk}"
        token = signing.dumps(self.upload.pk, salt=TOKEN_SALT)
        kwargs_by_name = {
            "page_window": {"page_id": self.page.pk},
            "end_window": {"pk": self.window.pk},
            "import_template": {"file_format": "csv"},
            "import_detail": {"token": token},
            "import_columns": {"token": token},
            "import_progress": {"token": token},
            "import_confirm": {"token": token},
            "import_retry": {"token": token},
            "undo_move": {"entry_id": self.move.pk},
            "page_redirects": {"page_id": self.page.pk},
            "not_found_create": {"pk": self.not_found.pk},
            "not_found_fix": {"action": "gone"},
        }
        namespace, short = name.split(":")
        if short in kwargs_by_name:
            return reverse(name, kwargs=kwargs_by_name[short])
        if short in ("edit", "delete", "history", "history_results", "usage"):
            pk = {
                redirect_viewset.url_namespace: self.redirect.pk,
                scheduled_redirect_viewset.url_namespace: self.window.pk,
            }.get(namespace, self.ignore_rule.pk)
            return reverse(name, args=[pk])
        return reverse(name)

    maxDiff = None

    def test_every_url_answers_each_user_as_the_table_says(self) -> None:
        observed: dict[str, dict[str, str]] = {}
        for name in sorted(EXPECTED):
            url = self.url_for(name)
            observed[name] = {}
            for user_name in USERS:
                client = Client()
                if self.users[user_name] is not None:
                    client.force_login(self.users[user_name])
                observed[name][user_name] = answer_of(client.get(url))
        mismatches = {
            name: {
                u: (observed[name][u], EXPECTED[name][u])
                for u in USERS
                if observed[name][u] != EXPECTED[name][u]
            }
            for name in EXPECTED
        }
        mismatches = {name: diff for name, diff in mismatches.items() if diff}
        self.assertEqual(mismatches, {}, "observed, expected")

    def test_the_table_has_a_row_for_every_admin_url_of_the_package(self) -> None:
        names = package_url_names()
        self.assertEqual(names - set(EXPECTED), set(), "admin URLs without a row")
        self.assertEqual(set(EXPECTED) - names, set(), "rows without an admin URL")
        self.assertGreater(len(names), 25)

    def test_the_import_screens_are_only_for_the_uploader(self) -> None:
        uploader = make_user("importer", "add_redirect", "change_redirect")
        self.upload.created_by = uploader
        self.upload.save(update_fields=["created_by"])
        client = Client()
        client.force_login(uploader)
        url = self.url_for("wagtail_redirect_tools:import_detail")
        self.assertEqual(answer_of(client.get(url)), OK)
        other = make_user("other-importer", "add_redirect", "change_redirect")
        client.force_login(other)
        self.assertEqual(answer_of(client.get(url)), MISSING)
