"""Every ``WAGTAIL_REDIRECT_TOOLS_*`` setting, with its default, read at call time.

Nothing else in the package reads these settings from ``django.conf.settings``:
code calls the accessor functions at the bottom, so ``override_settings`` works
everywhere and each value is validated in exactly one place (the system checks
in ``checks.py`` call :func:`validate`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

PREFIX = "WAGTAIL_REDIRECT_TOOLS_"


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One setting: its name without the prefix, default, and what a valid value is."""

    name: str
    default: Any
    description: str
    is_valid: Callable[[Any], bool]
    expected: str

    @property
    def full_name(self) -> str:
        return PREFIX + self.name


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting(
            name="KEEP_QUERY_STRING",
            default=False,
            description=(
                "When a request such as /old/?utm_source=x matches a redirect for /old/ "
                "only after its query string is dropped, carry that query string over to "
                "the redirect target."
            ),
            is_valid=_is_bool,
            expected="True or False",
        ),
    )
}


def get(name: str) -> Any:
    """The configured value of the setting ``name`` (without the prefix), or its default."""
    setting = SETTINGS[name]
    return getattr(settings, setting.full_name, setting.default)


def validate() -> list[tuple[Setting, Any]]:
    """Each configured setting whose value is not valid, with that value."""
    invalid = []
    for setting in SETTINGS.values():
        value = get(setting.name)
        if not setting.is_valid(value):
            invalid.append((setting, value))
    return invalid


def unknown_names() -> list[str]:
    """Settings that carry our prefix but are not ours (typically a typo)."""
    known = {setting.full_name for setting in SETTINGS.values()}
    return sorted(name for name in dir(settings) if name.startswith(PREFIX) and name not in known)


def keep_query_string() -> bool:
    return bool(get("KEEP_QUERY_STRING"))
