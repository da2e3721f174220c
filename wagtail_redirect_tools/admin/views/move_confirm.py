"""Wagtail's move confirmation, with the number of old URLs and a choice to redirect them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Page

from ...autoredirects import auto_create_enabled, old_url_count, skip_next_move, take_skip_choice

#: Sent by our confirmation form, so that an unticked box can be told from a form without it.
CHOICE_FIELD = "redirect_choice"
CREATE_FIELD = "create_redirects"


def confirm_move(request: HttpRequest, page: Page, destination: Page) -> HttpResponse | None:
    """The ``before_move_page`` hook: our confirmation on GET; on POST, note the choice.

    Returns None to let Wagtail's own view go on (always on POST, and on GET when
    translations may move along, which Wagtail's own screen explains).
    """
    take_skip_choice(page.pk)  # forget a choice left over from a move that never happened
    if not auto_create_enabled():
        return None
    if request.method == "POST":
        if CHOICE_FIELD in request.POST and CREATE_FIELD not in request.POST:
            skip_next_move(page.pk)
        return None
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    context: dict[str, Any] = {
        "page_to_move": page,
        "destination": destination,
        "old_url_count": old_url_count(page, destination),
        "choice_field": CHOICE_FIELD,
        "create_field": CREATE_FIELD,
    }
    return TemplateResponse(request, "wagtail_redirect_tools/pages/confirm_move.html", context)
