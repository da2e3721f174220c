"""How the admin names a page it redirects to or from: its title, and on a multilingual
site its language beside it ("Services (French)"), so a redirect to the French page does
not look like one to the English page. Imports nothing of ours but ``conf``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from . import conf


def page_title(page: Any) -> str:
    """The page's admin title, with its locale's name where ``WAGTAIL_I18N_ENABLED``.
    Reads ``page.locale``: select it with the page (:func:`with_locale`)."""
    title = str(page.get_admin_display_title())
    if not conf.i18n_enabled():
        return title
    return gettext("%(title)s (%(language)s)") % {
        "title": title,
        "language": page.locale.get_display_name(),
    }


def with_locale(*page_fields: str) -> list[str]:
    """``select_related`` names for the pages in ``page_fields`` and, on a multilingual
    site, their locales (what :func:`page_title` reads, in the same query)."""
    if not conf.i18n_enabled():
        return list(page_fields)
    return [name for field in page_fields for name in (field, f"{field}__locale")]
