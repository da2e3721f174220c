"""A file row that redirects a page and its translations for a while (the ``translations``
column, on sites with ``WAGTAIL_I18N_ENABLED``).

The row is planned as one window per translation, each a planned row with the file row's
number, so the preview, the overlap and page-rights checks and the writing treat each
translation's window like any other; :func:`tie_groups` then makes the group all or none,
as the admin's form (``scheduling.save_with_translations``) is."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _
from wagtail.models import Page

from ..editing.translations import language_name, target_in, translations_of
from .plan import Action, PlannedRow
from .tools.given import FALSE_WORDS, TRUE_WORDS


def wants_translations(value: Any) -> bool | None:
    """The ``translations`` cell: True, False (also empty), or None when it is neither."""
    text = "" if value is None else str(value).strip().lower()
    if not text:
        return False
    return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None


def with_translations(row: PlannedRow, value: Any) -> list[PlannedRow]:
    """The rows for the translations of ``row``'s page when its ``translations`` cell says
    yes; none otherwise (``row`` fails when the cell cannot apply to it)."""
    wanted = wants_translations(value)
    if wanted is None:
        row.fail(
            _("'translations' must be yes or no, not '%(value)s'.") % {"value": str(value)[:40]}
        )
        return []
    if not wanted or row.action == Action.ERROR:
        return []
    if row.kind != "scheduled" or row.source_page_id is None:
        row.fail(
            _(
                "Only a scheduled redirect of a page (page:ID with an expiry) can include its "
                "translations."
            )
        )
        return []
    page = Page.objects.select_related("locale").get(pk=row.source_page_id)
    target = Page.objects.filter(pk=row.page_id).first() if row.page_id else None
    others = []
    translations = translations_of(page)
    for translation in translations:
        locale = translation.locale
        translated = target_in(target, locale)
        other = dataclasses.replace(
            row,
            source_page_id=translation.pk,
            page_id=translated.pk if translated is not None else row.page_id,
            source_label=f"{row.source_label} ({language_name(locale)}: page:{translation.pk})",
            notes=(),
        )
        other.note(
            _("The translation in %(language)s of row %(row)s's page.")
            % {"language": language_name(locale), "row": row.number}
        )
        others.append(other)
    if others:
        row.note(
            _("With its translations: %(languages)s.")
            % {"languages": ", ".join(language_name(p.locale) for p in translations)}
        )
    return others


def tie_groups(groups: list[list[PlannedRow]]) -> None:
    """All or none: when one window of a page and its translations is an error, so are
    the others of its group, naming it."""
    for group in groups:
        failed = [row for row in group if row.action == Action.ERROR]
        if not failed:
            continue
        reason = " ".join(f"{row.source_label}: {' '.join(row.errors)}" for row in failed)
        for row in group:
            if row.action != Action.ERROR:
                row.fail(
                    _("Not written, as the window of a translation cannot be: %(reason)s")
                    % {"reason": reason}
                )
