"""Each system check fires on the configuration it guards against, and the suite's own is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from tests.settings import MIDDLEWARE
from wagtail_redirect_tools.checks import (
    CORE_MIDDLEWARE,
    OUR_MIDDLEWARE,
    check_deployment_mode,
    check_installed_apps,
    check_middleware,
    check_settings,
)
from wagtail_redirect_tools.middleware import RedirectMiddleware

ROOT = Path(__file__).resolve().parent.parent


class OurSubclass(RedirectMiddleware):
    pass


def our_messages(check_id: str | None = None) -> list[checks.CheckMessage]:
    """What our checks report (registration itself is covered by the `manage.py check` tests).

    Run directly rather than through run_checks(), whose model checks may query the
    database (Django 6.1 asks SQLite whether it supports JSON) in these db-less tests.
    """
    found = [*check_installed_apps(), *check_middleware(), *check_settings()]
    return [m for m in found if check_id is None or m.id == check_id]


def our_ids() -> list[str]:
    return [str(m.id) for m in our_messages()]


def without(items: list[str], item: str) -> list[str]:
    return [entry for entry in items if entry != item]


def check_in_child_process(**env: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check` on other INSTALLED_APPS. Apps can't change inside this process
    (Wagtail's API router mounts once), so it runs in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.settings_without_app",
            # Django's MySQL backend connects during the checks (to learn the server's
            # version); this database exists on every MySQL and MariaDB server.
            MYSQL_DATABASE="information_schema",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_test_settings_are_clean() -> None:
    assert our_ids() == []


@pytest.mark.slow  # a child process
@pytest.mark.parametrize(
    ("app", "check_id"),
    [("wagtail.contrib.redirects", "E001"), ("import_export", "E002")],
)
def test_required_app_missing(app: str, check_id: str) -> None:
    run = check_in_child_process(WRT_REMOVE_APP=app)
    assert run.returncode == 1, run.stderr
    assert f"(wagtail_redirect_tools.{check_id})" in run.stderr
    assert f"Add '{app}' to INSTALLED_APPS." in run.stderr


@pytest.mark.slow  # a child process
def test_our_app_listed_before_cores_redirects_app() -> None:
    run = check_in_child_process(WRT_OURS_FIRST="1")
    assert run.returncode == 1, run.stderr
    assert "(wagtail_redirect_tools.E008)" in run.stderr
    assert "List 'wagtail_redirect_tools' after 'wagtail.contrib.redirects'." in run.stderr


def test_both_middlewares_installed() -> None:
    with override_settings(MIDDLEWARE=[*MIDDLEWARE, CORE_MIDDLEWARE]):
        assert our_ids() == ["wagtail_redirect_tools.E003"]


def test_our_middleware_missing() -> None:
    with override_settings(MIDDLEWARE=without(MIDDLEWARE, OUR_MIDDLEWARE)):
        messages = our_messages("wagtail_redirect_tools.W004")
    assert len(messages) == 1
    assert messages[0].hint.endswith(f"'{OUR_MIDDLEWARE}' to MIDDLEWARE.")


def test_core_middleware_instead_of_ours() -> None:
    core_only = [CORE_MIDDLEWARE if m == OUR_MIDDLEWARE else m for m in MIDDLEWARE]
    with override_settings(MIDDLEWARE=core_only):
        messages = our_messages("wagtail_redirect_tools.W004")
    assert len(messages) == 1
    assert f"in place of {CORE_MIDDLEWARE}" in messages[0].hint


COMMON = "django.middleware.common.CommonMiddleware"
LOCALE = "django.middleware.locale.LocaleMiddleware"
SESSION = "django.contrib.sessions.middleware.SessionMiddleware"


@pytest.mark.parametrize(
    ("order", "before"),
    [
        ([SESSION, OUR_MIDDLEWARE, COMMON], COMMON),
        ([SESSION, COMMON, OUR_MIDDLEWARE, LOCALE], LOCALE),
    ],
)
def test_our_middleware_before_one_that_redirects_404s(order: list[str], before: str) -> None:
    with override_settings(MIDDLEWARE=order):
        messages = our_messages("wagtail_redirect_tools.W005")
    assert len(messages) == 1
    assert f"is listed before {before}" in messages[0].msg


def test_our_middleware_after_locale_middleware_is_fine() -> None:
    with override_settings(MIDDLEWARE=[SESSION, LOCALE, COMMON, OUR_MIDDLEWARE]):
        assert our_ids() == []


def test_a_subclass_of_ours_counts_as_ours() -> None:
    subclass = f"{__name__}.OurSubclass"
    with override_settings(MIDDLEWARE=[subclass if m == OUR_MIDDLEWARE else m for m in MIDDLEWARE]):
        assert our_ids() == []
    with override_settings(MIDDLEWARE=[*MIDDLEWARE[:-1], subclass, CORE_MIDDLEWARE]):
        assert "wagtail_redirect_tools.E003" in our_ids()


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_bad_setting_value(value: object) -> None:
    with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=value):
        messages = our_messages("wagtail_redirect_tools.E006")
    assert len(messages) == 1
    assert messages[0].msg == (
        f"WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING is {value!r}; it must be True or False."
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("KEEP_EXPIRED_DAYS", -1, "a whole number of days, 0 or more"),
        ("EXPIRY_NOTICE_DAYS", "3", "a whole number of days, 0 or more"),
        ("EXPIRY_NOTICE_DAYS", True, "a whole number of days, 0 or more"),
        ("TEMPORARY_MAX_AGE", 1.5, "a whole number of seconds, 0 or more"),
        ("INDEX_CHECK_SECONDS", -0.5, "a number of seconds, 0 or more"),
    ],
)
def test_bad_scheduling_setting_values(name: str, value: object, expected: str) -> None:
    with override_settings(**{f"WAGTAIL_REDIRECT_TOOLS_{name}": value}):
        messages = our_messages("wagtail_redirect_tools.E006")
    assert [m.msg for m in messages] == [
        f"WAGTAIL_REDIRECT_TOOLS_{name} is {value!r}; it must be {expected}."
    ]


def test_unknown_setting_with_our_prefix() -> None:
    with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERYSTRING=True):
        messages = our_messages("wagtail_redirect_tools.W007")
    assert [m.msg.split()[0] for m in messages] == ["WAGTAIL_REDIRECT_TOOLS_KEEP_QUERYSTRING"]


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def test_the_deployment_mode_is_told_for_a_cache_local_to_each_process() -> None:
    with override_settings(CACHES=LOCAL_MEMORY):
        messages = check_deployment_mode()
    assert [m.id for m in messages] == ["wagtail_redirect_tools.I009"]
    assert messages[0].level == checks.INFO
    assert (
        "through the database, within WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS (1 s)"
        in messages[0].msg
    )
    with override_settings(CACHES=REDIS):
        assert check_deployment_mode() == []
