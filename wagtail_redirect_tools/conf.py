"""Every ``WAGTAIL_REDIRECT_TOOLS_*`` setting, with its default, and the few Django and
Wagtail settings the package reads.

Nothing else in the package reads settings from ``django.conf.settings``: code calls the
accessor functions at the bottom, and each value is validated in exactly one place (the
system checks in ``checks.py`` call :func:`validate`).

Each value is read from ``settings`` once and remembered: an unset setting is a missing
attribute, which Django's ``LazySettings.__getattr__`` looks up the slow way at every
read, and some accessors are called once per redirect of an export or per request. What
is remembered is forgotten whenever any setting changes (Django's ``setting_changed``,
which ``override_settings`` sends), so tests see a changed value at once. The system
checks read ``settings`` afresh (:func:`validate`, :func:`unknown_names`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

PREFIX = "WAGTAIL_REDIRECT_TOOLS_"

#: In ``NOT_FOUND_IGNORE``: the admin's own URLs, wherever the URLconf puts them.
NOT_FOUND_IGNORE_ADMIN = "<admin>"


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One setting: its name without the prefix, default, and what a valid value is."""

    name: str
    default: Any
    is_valid: Callable[[Any], bool]
    expected: str

    @property
    def full_name(self) -> str:
        return PREFIX + self.name


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_non_negative_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_positive_int(value: Any) -> bool:
    return _is_non_negative_int(value) and value > 0


def _is_non_negative_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _is_page_path_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.startswith("/"))


def _is_list_of_patterns(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(pattern, str) and pattern.strip() for pattern in value
    )


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting(
            name="KEEP_QUERY_STRING",
            default=False,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="AUTO_REDIRECTS",
            default=True,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="BACKGROUND_MOVE_PAGES",
            default=2000,
            is_valid=_is_non_negative_int,
            expected="a whole number of pages, 0 or more",
        ),
        Setting(
            name="REDIRECT_ON_DELETE",
            default=False,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="KEEP_EXPIRED_DAYS",
            default=90,
            is_valid=_is_non_negative_int,
            expected="a whole number of days, 0 or more",
        ),
        Setting(
            name="EXPIRY_NOTICE_DAYS",
            default=3,
            is_valid=_is_non_negative_int,
            expected="a whole number of days, 0 or more",
        ),
        Setting(
            name="TEMPORARY_MAX_AGE",
            default=60,
            is_valid=_is_non_negative_int,
            expected="a whole number of seconds, 0 or more",
        ),
        Setting(
            name="CACHE_ALIAS",
            default="default",
            is_valid=lambda value: isinstance(value, str) and value in settings.CACHES,
            expected="the name of a cache in CACHES",
        ),
        Setting(
            name="INDEX_CHECK_SECONDS",
            default=1,
            is_valid=_is_non_negative_number,
            expected="a number of seconds, 0 or more",
        ),
        Setting(
            name="LOOKUP_CACHE_SIZE",
            default=10_000,
            is_valid=_is_non_negative_int,
            expected="a whole number, 0 or more",
        ),
        Setting(
            name="ANSWER_BEFORE_ROUTING",
            default=True,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="API_COUNTS_HITS",
            # Off: the API is a public read, and any caller could inflate the counts
            # editors sort by (issue 29, item 12). A headless site whose front end asks
            # once per visitor request turns it on.
            default=False,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="HITS_FLUSH_SECONDS",
            default=30,
            is_valid=_is_non_negative_number,
            expected="a number of seconds, 0 or more",
        ),
        Setting(
            name="IMPORT_ASYNC_ROWS",
            default=5000,
            is_valid=_is_non_negative_int,
            expected="a whole number of rows, 0 or more",
        ),
        Setting(
            name="IMPORT_ASYNC_BYTES",
            default=1024 * 1024,
            is_valid=_is_non_negative_int,
            expected="a whole number of bytes, 0 or more",
        ),
        Setting(
            name="IMPORT_MAX_ROWS",
            default=200_000,
            is_valid=_is_positive_int,
            expected="a whole number of rows, 1 or more",
        ),
        Setting(
            name="IMPORT_RETENTION_DAYS",
            default=90,
            is_valid=_is_positive_int,
            expected="a whole number of days, 1 or more",
        ),
        Setting(
            name="IMPORT_HEARTBEAT_TIMEOUT",
            default=300,
            is_valid=_is_positive_int,
            expected="a whole number of seconds, 1 or more",
        ),
        Setting(
            name="IMPORT_MAX_FILE_SIZE",
            default=50 * 1024 * 1024,
            is_valid=_is_positive_int,
            expected="a whole number of bytes, 1 or more",
        ),
        Setting(
            name="NOT_FOUND_LOG",
            default=True,
            is_valid=_is_bool,
            expected="True or False",
        ),
        Setting(
            name="NOT_FOUND_MAX_PATHS",
            default=10_000,
            is_valid=_is_positive_int,
            expected="a whole number of paths, 1 or more",
        ),
        Setting(
            name="NOT_FOUND_KEEP_DAYS",
            default=90,
            is_valid=_is_positive_int,
            expected="a whole number of days, 1 or more",
        ),
        Setting(
            name="NOT_FOUND_KEEP_PATHS",
            default=10_000,
            is_valid=_is_positive_int,
            expected="a whole number of paths per site, 1 or more",
        ),
        Setting(
            name="NOT_FOUND_IGNORE",
            default=(
                "/wp-admin",
                "/wp-login",
                ".php",
                "/.env",
                "/favicon.ico",
                "/apple-touch-icon",
                "/robots.txt",
                NOT_FOUND_IGNORE_ADMIN,
            ),
            is_valid=_is_list_of_patterns,
            expected=(
                f"a list of path prefixes (starting with /), suffixes (like .php) and "
                f"{NOT_FOUND_IGNORE_ADMIN!r} (the admin's URLs)"
            ),
        ),
        Setting(
            name="NOT_FOUND_FLUSH_SECONDS",
            default=30,
            is_valid=_is_non_negative_number,
            expected="a number of seconds, 0 or more",
        ),
        Setting(
            name="GONE_PAGE",
            default=None,
            is_valid=_is_page_path_or_none,
            expected="None or a page's path on each site, starting with / (like '/gone/')",
        ),
    )
}


# What has been read: our settings by name without the prefix, and Django's and
# Wagtail's (and ours read as "set or not") by full name.
_ours: dict[str, Any] = {}
_outside: dict[str, Any] = {}
# The default of an outside setting read to tell whether it is set at all.
_UNSET = object()


def get(name: str) -> Any:
    """The configured value of the setting ``name`` (without the prefix), or its default."""
    try:
        return _ours[name]
    except KeyError:
        value = _ours[name] = _read(name)
        return value


def _read(name: str) -> Any:
    setting = SETTINGS[name]
    return getattr(settings, setting.full_name, setting.default)


def _outside_setting(full_name: str, default: Any) -> Any:
    """The setting ``full_name`` (any prefix), or ``default``, remembered like ours.
    Each name is read with one default only."""
    try:
        return _outside[full_name]
    except KeyError:
        value = _outside[full_name] = getattr(settings, full_name, default)
        return value


def forget(**kwargs: Any) -> None:
    """Forget every value read, so that the next read sees ``settings`` as it is now.

    Connected to ``setting_changed`` for every setting, not only the ones read here:
    the signal is sent by tests (``override_settings``), never on a request, and a
    setting read later here cannot be missed."""
    _ours.clear()
    _outside.clear()


setting_changed.connect(forget, dispatch_uid="wagtail_redirect_tools.conf")


def validate() -> list[tuple[Setting, Any]]:
    """Each configured setting whose value is not valid, with that value (read afresh:
    not what has been remembered)."""
    invalid = []
    for setting in SETTINGS.values():
        value = _read(setting.name)
        if not setting.is_valid(value):
            invalid.append((setting, value))
    return invalid


def unknown_names() -> list[str]:
    """Settings that carry our prefix but are not ours (typically a typo)."""
    known = {setting.full_name for setting in SETTINGS.values()}
    return sorted(name for name in dir(settings) if name.startswith(PREFIX) and name not in known)


def keep_query_string() -> bool:
    return bool(get("KEEP_QUERY_STRING"))


def keep_expired_days() -> int:
    return int(get("KEEP_EXPIRED_DAYS"))


def expiry_notice_days() -> int:
    return int(get("EXPIRY_NOTICE_DAYS"))


def temporary_max_age() -> int:
    return int(get("TEMPORARY_MAX_AGE"))


def index_check_seconds() -> float:
    return float(get("INDEX_CHECK_SECONDS"))


def cache_alias() -> str:
    return str(get("CACHE_ALIAS"))


def auto_redirects() -> bool:
    """One switch for automatic redirects: ours when it is set; otherwise core's
    ``WAGTAILREDIRECTS_AUTO_CREATE`` (on by default), which ours replace, so a site that
    had turned core's off keeps them off."""
    setting = SETTINGS["AUTO_REDIRECTS"]
    ours = _outside_setting(setting.full_name, _UNSET)
    if ours is not _UNSET:
        return bool(ours)
    return bool(_outside_setting("WAGTAILREDIRECTS_AUTO_CREATE", setting.default))


def redirect_on_delete() -> bool:
    return bool(get("REDIRECT_ON_DELETE"))


def background_move_pages() -> int:
    return int(get("BACKGROUND_MOVE_PAGES"))


def lookup_cache_size() -> int:
    return int(get("LOOKUP_CACHE_SIZE"))


def answer_before_routing() -> bool:
    return bool(get("ANSWER_BEFORE_ROUTING"))


def api_counts_hits() -> bool:
    return bool(get("API_COUNTS_HITS"))


def i18n_enabled() -> bool:
    """Wagtail's own ``WAGTAIL_I18N_ENABLED``."""
    return bool(_outside_setting("WAGTAIL_I18N_ENABLED", False))


def hits_flush_seconds() -> float:
    return float(get("HITS_FLUSH_SECONDS"))


def append_slash() -> bool:
    """Django's own ``APPEND_SLASH`` (read here so that every setting is read in one place)."""
    return bool(_outside_setting("APPEND_SLASH", True))


def use_i18n() -> bool:
    """Django's own ``USE_I18N``."""
    return bool(_outside_setting("USE_I18N", True))


def language_code() -> str:
    """Django's own ``LANGUAGE_CODE``."""
    return str(_outside_setting("LANGUAGE_CODE", "en-us"))


def languages() -> list[tuple[str, str]]:
    """Django's own ``LANGUAGES``: (code, name) pairs."""
    return list(_outside_setting("LANGUAGES", []))


def root_urlconf() -> str:
    """Django's own ``ROOT_URLCONF``."""
    return str(_outside_setting("ROOT_URLCONF", ""))


def frontend_cache_backends() -> dict[str, Any]:
    """Wagtail's own ``WAGTAILFRONTENDCACHE`` (empty when not set)."""
    return dict(_outside_setting("WAGTAILFRONTENDCACHE", None) or {})


def cache_backend() -> str:
    """The ``BACKEND`` of the cache ``CACHE_ALIAS`` names, in Django's own ``CACHES``
    (``""`` when there is none)."""
    return str(_outside_setting("CACHES", {}).get(cache_alias(), {}).get("BACKEND", ""))


def middleware() -> tuple[str, ...]:
    """Django's own ``MIDDLEWARE``: the dotted paths, in order."""
    return tuple(_outside_setting("MIDDLEWARE", ()))


def import_async_rows() -> int:
    return int(get("IMPORT_ASYNC_ROWS"))


def import_async_bytes() -> int:
    return int(get("IMPORT_ASYNC_BYTES"))


def import_max_rows() -> int:
    return int(get("IMPORT_MAX_ROWS"))


def import_retention_days() -> int:
    return int(get("IMPORT_RETENTION_DAYS"))


def import_heartbeat_timeout() -> int:
    return int(get("IMPORT_HEARTBEAT_TIMEOUT"))


def import_max_file_size() -> int:
    return int(get("IMPORT_MAX_FILE_SIZE"))


def not_found_log() -> bool:
    return bool(get("NOT_FOUND_LOG"))


def not_found_max_paths() -> int:
    return int(get("NOT_FOUND_MAX_PATHS"))


def not_found_keep_days() -> int:
    return int(get("NOT_FOUND_KEEP_DAYS"))


def not_found_keep_paths() -> int:
    return int(get("NOT_FOUND_KEEP_PATHS"))


def not_found_ignore() -> tuple[str, ...]:
    return tuple(get("NOT_FOUND_IGNORE"))


def gone_page() -> str | None:
    value = get("GONE_PAGE")
    return str(value) if value else None


def not_found_flush_seconds() -> float:
    return float(get("NOT_FOUND_FLUSH_SECONDS"))
