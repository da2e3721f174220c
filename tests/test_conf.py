"""Settings are read at call time and fall back to their documented defaults."""

from __future__ import annotations

from pathlib import Path

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
