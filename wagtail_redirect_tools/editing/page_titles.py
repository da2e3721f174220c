"""How the admin names a page it redirects to or from: its title, and on a multilingual
site its language beside it ("Services (French)"), so a redirect to the French page does
not look like one to the English page. Imports nothing of ours but ``conf``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from .. import conf
from .translations import language_name


def page_language(page: Any) -> str | None:
    """The name of the page's language where ``WAGTAIL_I18N_ENABLED``, else None. Reads
    ``page.locale``: select it with the page (:func:`with_locale`)."""
    if not conf.i18n_enabled():
        return None
    return language_name(page.locale)


def page_title(page: Any) -> str:
    """The page's admin title, with its language's name where ``WAGTAIL_I18N_ENABLED``."""
    title = str(page.get_admin_display_title())
    language = page_language(page)
    if language is None:
        return title
    return gettext("%(title)s (%(language)s)") % {"title": title, "language": language}


def with_locale(*page_fields: str) -> list[str]:
    """``select_related`` names for the pages in ``page_fields`` and, on a multilingual
    site, their locales (what :func:`page_title` reads, in the same query)."""
    if not conf.i18n_enabled():
        return list(page_fields)
    return [name for field in page_fields for name in (field, f"{field}__locale")]
