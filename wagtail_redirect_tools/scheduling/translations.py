"""A window on a page and its translations (sites with ``WAGTAIL_I18N_ENABLED``): one
window per translation, written together, all or none.

Each translation gets a window of its own (the same times, status and reason) rather than
one row that applies to every language: each is then answered, listed, ended and edited
like any window of a page, and resolution needs nothing new. A target page is replaced,
in each translation's window, by its live translation in that language, when there is
one; a path or URL target is the same for all.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .. import conf
from ..database import locks
from ..editing.translations import language_name, target_in, translations_of
from ..models import ScheduledRedirect


def window_language(window: ScheduledRedirect) -> str:
    """The language of a window's page ("Welsh"); "" for a path."""
    page = window.source_page
    return language_name(page.locale) if page is not None else ""


def windows_for_translations(window: ScheduledRedirect) -> list[ScheduledRedirect]:
    """``window`` (whose source is a page) first, then an unsaved copy of it on each
    translation of that page, leading to the target's translation in its language."""
    page = window.source_page
    if page is None:
        raise ValueError("Only a window on a page has translations.")
    windows = [window]
    for translation in translations_of(page):
        other = copy.copy(window)
        other.pk = other.id = None
        other.source_page = translation
        other.redirect_page = target_in(window.redirect_page, translation.locale)
        windows.append(other)
    return windows


def save_with_translations(
    window: ScheduledRedirect, *, user: Any = None
) -> list[ScheduledRedirect]:
    """Validate and save ``window`` and a window on each translation of its page, all or
    none (under the windows lock, as ``save_window``). Returns them, ``window`` first.

    Raises ``ValidationError`` naming the language of the first window that is invalid,
    e.g. "Welsh: This window overlaps another redirect of the same source (...)".
    """
    windows = windows_for_translations(window)
    with transaction.atomic():
        locks.hold(locks.WINDOWS)
        for each in windows:
            if user is not None and user.is_authenticated:
                each.created_by = user
            try:
                each.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    _("%(language)s: %(problem)s"),
                    code="invalid_translation",
                    params={
                        "language": window_language(each),
                        "problem": " ".join(error.messages),
                    },
                ) from error
            each.save()
    return windows


def active_windows_of_translations(window: ScheduledRedirect) -> list[ScheduledRedirect]:
    """The active windows on the translations of ``window``'s page (none for a path, or
    without ``WAGTAIL_I18N_ENABLED``), in the order of their languages: what "End now" of
    one translation's window offers to end with it, never ends unasked."""
    if window.source_page_id is None or not conf.i18n_enabled():
        return []
    pages = Page.objects.translation_of(window.source_page, inclusive=False)
    return list(
        ScheduledRedirect.objects.active()
        .filter(source_page__in=pages)
        .select_related("source_page__locale", "redirect_page")
        .order_by("source_page__locale__language_code", "pk")
    )
