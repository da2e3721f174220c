"""Wagtail looks for ``wagtail_hooks`` at the app's top level: the hooks live in :mod:`.admin`."""

from .admin import hooks  # noqa: F401
