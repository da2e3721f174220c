"""A page's translations, by language (sites with ``WAGTAIL_I18N_ENABLED``): what the
admin's windows and the import share when a page is redirected with its translations."""

from __future__ import annotations

from wagtail.models import Locale, Page

from .. import conf


def translations_of(page: Page) -> list[Page]:
    """The other translations of ``page`` (live or not, aliases too), in the order of
    their language codes; none without ``WAGTAIL_I18N_ENABLED`` (no query)."""
    if not conf.i18n_enabled():
        return []
    return list(
        Page.objects.translation_of(page, inclusive=False)
        .select_related("locale")
        .order_by("locale__language_code")
    )


def language_name(locale: Locale) -> str:
    """How the admin names a locale: "Welsh"."""
    return str(locale.get_display_name())


def target_in(target: Page | None, locale: Locale) -> Page | None:
    """The target page, for a translation's window in ``locale``: ``target``'s live
    translation in that language, else ``target`` itself (None for a path or URL)."""
    if target is None:
        return None
    if target.locale_id == locale.pk:
        return target
    translated = (
        Page.objects.translation_of(target, inclusive=False)
        .filter(locale=locale, live=True)
        .first()
    )
    return translated or target
