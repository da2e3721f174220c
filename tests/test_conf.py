"""Settings fall back to their documented defaults, and a changed setting is seen at once."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import LazySettings
from django.test import override_settings

from wagtail_redirect_tools import conf


def test_defaults() -> None:
    assert {name: s.default for name, s in conf.SETTINGS.items()} == {
        "KEEP_QUERY_STRING": False,
        "AUTO_REDIRECTS": True,
        "BACKGROUND_MOVE_PAGES": 2000,
        "REDIRECT_ON_DELETE": False,
        "KEEP_EXPIRED_DAYS": 90,
        "EXPIRY_NOTICE_DAYS": 3,
        "TEMPORARY_MAX_AGE": 60,
        "CACHE_ALIAS": "default",
        "INDEX_CHECK_SECONDS": 1,
        "ANSWER_BEFORE_ROUTING": True,
        "API_COUNTS_HITS": False,
        "LOOKUP_CACHE_SIZE": 10_000,
        "HITS_FLUSH_SECONDS": 30,
        "IMPORT_ASYNC_ROWS": 5000,
        "IMPORT_ASYNC_BYTES": 1024 * 1024,
        "IMPORT_MAX_ROWS": 200_000,
        "IMPORT_RETENTION_DAYS": 90,
        "IMPORT_HEARTBEAT_TIMEOUT": 300,
        "IMPORT_MAX_FILE_SIZE": 50 * 1024 * 1024,
        "NOT_FOUND_LOG": True,
        "NOT_FOUND_MAX_PATHS": 10_000,
        "NOT_FOUND_KEEP_DAYS": 90,
        "NOT_FOUND_KEEP_PATHS": 10_000,
        "NOT_FOUND_IGNORE": (
            "/wp-admin",
            "/wp-login",
            ".php",
            "/.env",
            "/favicon.ico",
            "/apple-touch-icon",
            "/robots.txt",
            "<admin>",
        ),
        "NOT_FOUND_FLUSH_SECONDS": 30,
        "GONE_PAGE": None,
    }
    assert conf.keep_query_string() is False


def test_read_at_call_time() -> None:
    with override_settings(WAGTAIL_REDIRECT_TOOLS_KEEP_QUERY_STRING=True):
        assert conf.keep_query_string() is True
    assert conf.keep_query_string() is False


def test_every_setting_is_documented_in_the_settings_reference() -> None:
    reference = (
        Path(__file__).resolve().parent.parent / "docs" / "reference" / "settings.md"
    ).read_text()
    for setting in conf.SETTINGS.values():
        row = f"| `{setting.full_name}` | `{setting.default!r}` |"
        assert reference.count(row) == 1, setting.full_name


# Every accessor, the setting it reads, and two values with what the accessor gives for
# each: a value changed with override_settings must be seen at once, and the one before
# it again when the override ends.
ACCESSORS: list[tuple[Callable[[], Any], str, tuple[Any, Any], tuple[Any, Any]]] = [
    (conf.keep_query_string, "KEEP_QUERY_STRING", (True, False), (True, False)),
    (conf.keep_expired_days, "KEEP_EXPIRED_DAYS", (7, 8), (7, 8)),
    (conf.expiry_notice_days, "EXPIRY_NOTICE_DAYS", (1, 2), (1, 2)),
    (conf.temporary_max_age, "TEMPORARY_MAX_AGE", (0, 5), (0, 5)),
    (conf.index_check_seconds, "INDEX_CHECK_SECONDS", (0.5, 2), (0.5, 2.0)),
    (conf.cache_alias, "CACHE_ALIAS", ("one", "two"), ("one", "two")),
    (conf.auto_redirects, "AUTO_REDIRECTS", (False, True), (False, True)),
    (conf.redirect_on_delete, "REDIRECT_ON_DELETE", (True, False), (True, False)),
    (conf.background_move_pages, "BACKGROUND_MOVE_PAGES", (0, 10), (0, 10)),
    (conf.lookup_cache_size, "LOOKUP_CACHE_SIZE", (3, 4), (3, 4)),
    (conf.answer_before_routing, "ANSWER_BEFORE_ROUTING", (False, True), (False, True)),
    (conf.api_counts_hits, "API_COUNTS_HITS", (True, False), (True, False)),
    (conf.i18n_enabled, "=WAGTAIL_I18N_ENABLED", (True, False), (True, False)),
    (conf.hits_flush_seconds, "HITS_FLUSH_SECONDS", (1, 2.5), (1.0, 2.5)),
    (conf.append_slash, "=APPEND_SLASH", (False, True), (False, True)),
    (conf.use_i18n, "=USE_I18N", (False, True), (False, True)),
    (conf.language_code, "=LANGUAGE_CODE", ("cy", "fr"), ("cy", "fr")),
    (conf.languages, "=LANGUAGES", ([("cy", "Cymraeg")], []), ([("cy", "Cymraeg")], [])),
    (
        conf.root_urlconf,
        "=ROOT_URLCONF",
        ("tests.urls", "tests.urls_i18n"),
        ("tests.urls", "tests.urls_i18n"),
    ),
    (
        conf.frontend_cache_backends,
        "=WAGTAILFRONTENDCACHE",
        ({"cdn": {"BACKEND": "x"}}, None),
        ({"cdn": {"BACKEND": "x"}}, {}),
    ),
    (
        conf.cache_backend,
        "=CACHES",
        (
            {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        ),
        (
            "django.core.cache.backends.dummy.DummyCache",
            "django.core.cache.backends.locmem.LocMemCache",
        ),
    ),
    (conf.middleware, "=MIDDLEWARE", (["a.First"], ["b.Second"]), (("a.First",), ("b.Second",))),
    (conf.import_async_rows, "IMPORT_ASYNC_ROWS", (1, 2), (1, 2)),
    (conf.import_async_bytes, "IMPORT_ASYNC_BYTES", (1, 2), (1, 2)),
    (conf.import_max_rows, "IMPORT_MAX_ROWS", (1, 2), (1, 2)),
    (conf.import_retention_days, "IMPORT_RETENTION_DAYS", (1, 2), (1, 2)),
    (conf.import_heartbeat_timeout, "IMPORT_HEARTBEAT_TIMEOUT", (1, 2), (1, 2)),
    (conf.import_max_file_size, "IMPORT_MAX_FILE_SIZE", (1, 2), (1, 2)),
    (conf.not_found_log, "NOT_FOUND_LOG", (False, True), (False, True)),
    (conf.not_found_max_paths, "NOT_FOUND_MAX_PATHS", (1, 2), (1, 2)),
    (conf.not_found_keep_days, "NOT_FOUND_KEEP_DAYS", (1, 2), (1, 2)),
    (conf.not_found_keep_paths, "NOT_FOUND_KEEP_PATHS", (1, 2), (1, 2)),
    (conf.not_found_ignore, "NOT_FOUND_IGNORE", (["/a"], ["/b"]), (("/a",), ("/b",))),
    (conf.not_found_flush_seconds, "NOT_FOUND_FLUSH_SECONDS", (1, 2), (1.0, 2.0)),
    (conf.gone_page, "GONE_PAGE", ("/gone/", None), ("/gone/", None)),
]


def _full_name(name: str) -> str:
    return name[1:] if name.startswith("=") else conf.PREFIX + name


def test_every_accessor_is_listed() -> None:
    listed = {accessor.__name__ for accessor, *_ in ACCESSORS}
    public = {
        name
        for name, value in vars(conf).items()
        if inspect.isfunction(value)
        and value.__module__ == conf.__name__
        and not name.startswith("_")
        and name not in {"get", "validate", "unknown_names", "forget"}
    }
    assert listed == public
    assert {name for _, name, *_ in ACCESSORS if not name.startswith("=")} == set(conf.SETTINGS)


@pytest.mark.parametrize(("accessor", "name", "values", "expected"), ACCESSORS)
def test_a_changed_setting_is_seen_at_once(
    accessor: Callable[[], Any], name: str, values: tuple[Any, Any], expected: tuple[Any, Any]
) -> None:
    before = accessor()  # read (and remembered, if it is) before the change
    with override_settings(**{_full_name(name): values[0]}):
        assert accessor() == expected[0]
        with override_settings(**{_full_name(name): values[1]}):
            assert accessor() == expected[1]
        assert accessor() == expected[0]
    assert accessor() == before


def test_core_auto_create_is_seen_at_once_when_ours_is_unset() -> None:
    assert conf.auto_redirects() is True
    with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False):
        assert conf.auto_redirects() is False
        with override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=True):
            assert conf.auto_redirects() is True
    assert conf.auto_redirects() is True


def test_a_repeated_read_asks_settings_once() -> None:
    """An unset setting costs a trip through ``LazySettings.__getattr__`` (a missing
    attribute) at every read: each is made at most once until a setting changes."""
    reads: Counter[str] = Counter()
    original = LazySettings.__getattr__

    def counted(self: LazySettings, name: str) -> Any:
        reads[name] += 1
        return original(self, name)

    conf.forget()
    with mock.patch.object(LazySettings, "__getattr__", counted):
        for _ in range(3):
            for accessor, *_ in ACCESSORS:
                accessor()
    assert reads, "no setting was read through __getattr__"
    assert max(reads.values()) == 1, reads


def test_the_checks_read_settings_afresh() -> None:
    """``validate`` is what the system checks run: it reads what ``settings`` holds, not
    what has been remembered."""
    with mock.patch.dict(conf._ours, {"KEEP_EXPIRED_DAYS": -1}):
        assert conf.keep_expired_days() == -1  # what is remembered
        assert conf.validate() == []


def test_settings_are_read_only_here() -> None:
    """No module of the package but ``conf`` reads ``django.conf.settings`` (the models
    name ``AUTH_USER_MODEL`` for their foreign keys, as Django asks; migrations are made)."""
    package = Path(conf.__file__).parent
    allowed = {"conf.py", "models.py"}
    readers = [
        str(module.relative_to(package))
        for module in package.rglob("*.py")
        if "migrations" not in module.parts
        and "django.conf import settings" in module.read_text()
        and not (module.name in allowed and _only_user_model(module))
    ]
    assert readers == []


def _only_user_model(module: Path) -> bool:
    if module.name == "conf.py":
        return True
    text = module.read_text()
    return text.count("settings.") == text.count("settings.AUTH_USER_MODEL")
