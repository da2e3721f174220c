"""Redirect management for Wagtail: scheduled, imported and automatic redirects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .resolution import resolve
    from .scheduling import schedule_redirect

__version__ = "0.1.0.dev0"
__all__ = ["resolve", "schedule_redirect"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the package is imported before Django's apps are ready.
    if name == "schedule_redirect":
        from .scheduling import schedule_redirect

        return schedule_redirect
    if name == "resolve":
        from .resolution import resolve

        return resolve
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
