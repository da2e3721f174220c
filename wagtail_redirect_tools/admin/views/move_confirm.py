"""Wagtail's move confirmation, with the number of old URLs and a choice to redirect them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.models import Page

from ... import conf
from ...autoredirects import auto_create_enabled, old_url_count, skip_next_move, take_skip_choice

#: Sent by our confirmation form, so that an unticked box can be told from a form without it.
CHOICE_FIELD = "redirect_choice"
CREATE_FIELD = "create_redirects"


def confirm_move(request: HttpRequest, page: Page, destination: Page) -> HttpResponse | None:
    """The ``before_move_page`` hook: our confirmation on GET; on POST, note the choice.

    Returns None to let Wagtail's own view go on (always on POST, and on GET when
    translations move along, which Wagtail's own screen lists).
    """
    take_skip_choice(page.pk)  # forget a choice left over from a move that never happened
    if not auto_create_enabled():
        return None
    if request.method == "POST":
        if CHOICE_FIELD in request.POST and CREATE_FIELD not in request.POST:
            skip_next_move(page.pk)
        return None
    if moves_translations(page):
        return None
    context: dict[str, Any] = {
        "page_to_move": page,
        "destination": destination,
        "old_url_count": old_url_count(page, destination),
        "choice_field": CHOICE_FIELD,
        "create_field": CREATE_FIELD,
    }
    return TemplateResponse(request, "wagtail_redirect_tools/pages/confirm_move.html", context)


def moves_translations(page: Page) -> bool:
    """Whether moving ``page`` moves other pages with it (its translations or aliases, as
    simple_translation's synced tree or wagtail-localize cascade a move): asked of the same
    hooks Wagtail's own confirmation asks, only where ``WAGTAIL_I18N_ENABLED``."""
    if not conf.i18n_enabled():
        return False
    for hook in hooks.get_hooks("construct_translated_pages_to_cascade_actions"):
        found = hook([page], "move")
        if isinstance(found, dict) and any(found.values()):
            return True
    return False
