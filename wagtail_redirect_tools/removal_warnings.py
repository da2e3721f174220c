"""On Wagtail's confirm screens for deleting and unpublishing a page: how many redirects
and scheduled redirects lead to it (and to the pages under it), with a link to them.
Wagtail's own "referenced N times" leaves redirects out (core's ``Redirect`` is not in its
reference index). A message only: the screens work as before.

Deleting: Wagtail runs ``before_delete_page`` when the confirm screen is shown, too.
Unpublishing: Wagtail runs ``before_unpublish_page`` only once confirmed, and no hook while
the screen is shown; the admin's main menu is built for every screen before its messages
are shown (``construct_main_menu``, with the request), so the message is added there, for
that screen only. Both in Wagtail 7.4 and 8.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from . import conf
from .redirect_targets import PointingCounts, count_pointing, pointing_at, pointing_under
from .views.page_redirects import (
    may_see_page_redirects,
    page_redirects_url,
    target_page_listing_url,
)

UNPUBLISH_VIEW = "wagtailadmin_pages:unpublish"


def describe(counts: PointingCounts, *, more: bool = False) -> str:
    """ "2 redirects and 1 scheduled redirect" (either part left out when none); with
    ``more``, "2 more redirects…"."""
    parts = []
    if counts.redirects:
        parts.append(
            (
                ngettext("%(count)d more redirect", "%(count)d more redirects", counts.redirects)
                if more
                else ngettext("%(count)d redirect", "%(count)d redirects", counts.redirects)
            )
            % {"count": counts.redirects}
        )
    if counts.windows:
        parts.append(
            (
                ngettext(
                    "%(count)d more scheduled redirect",
                    "%(count)d more scheduled redirects",
                    counts.windows,
                )
                if more
                else ngettext(
                    "%(count)d scheduled redirect", "%(count)d scheduled redirects", counts.windows
                )
            )
            % {"count": counts.windows}
        )
    return _(" and ").join(parts)


def links(page: Page) -> list[Any]:
    return [
        messages.button(target_page_listing_url(page), _("Show the redirects")),
        messages.button(page_redirects_url(page), _("Redirects of this page")),
    ]


def warn_before_delete(request: HttpRequest, page: Page) -> None:
    counts = count_pointing(pointing_at(page) | pointing_under(page))
    if not counts:
        return
    many = counts.redirects + counts.windows > 1
    text = (
        _("%(what)s point at this page or the pages under it.")
        if many
        else _("%(what)s points at this page or the pages under it.")
    ) % {"what": describe(counts)}
    if conf.redirect_on_delete():
        text += " " + _(
            "Redirects made automatically will lead to the nearest page above; the others "
            "are deleted with the page they lead to, and visitors of their old URLs get "
            "“Not found” (404)."
        )
    else:
        text += " " + _(
            "They are deleted with the page they lead to, and visitors of their old URLs get "
            "“Not found” (404)."
        )
    messages.warning(request, text, buttons=links(page))


def warn_before_unpublish(request: HttpRequest, page: Page) -> None:
    itself = count_pointing(pointing_at(page))
    below = count_pointing(pointing_under(page))
    if not itself and not below:
        return
    sentences = []
    if itself:
        many = itself.redirects + itself.windows > 1
        sentences.append(
            (
                _(
                    "%(what)s point at this page: once it is unpublished, visitors they "
                    "send here get “Not found” (404)."
                )
                if many
                else _(
                    "%(what)s points at this page: once it is unpublished, visitors it "
                    "sends here get “Not found” (404)."
                )
            )
            % {"what": describe(itself)}
        )
    if below:
        many = below.redirects + below.windows > 1
        more = describe(below, more=True)
        sentences.append(
            (
                _("%(what)s point at the pages under it.")
                if many
                else _("%(what)s points at the pages under it.")
            )
            % {"what": more}
        )
    messages.warning(request, " ".join(sentences), buttons=links(page))


@hooks.register("before_delete_page")
def tell_before_delete(request: HttpRequest, page: Page) -> None:
    if request.method == "GET" and may_see_page_redirects(request.user):
        warn_before_delete(request, page)


@hooks.register("construct_main_menu")
def tell_before_unpublish(request: HttpRequest, menu_items: list[Any]) -> None:
    match = request.resolver_match
    if (
        request.method != "GET"
        or match is None
        or match.view_name != UNPUBLISH_VIEW
        or not may_see_page_redirects(request.user)
    ):
        return
    page = Page.objects.filter(pk=match.kwargs.get("page_id")).first()
    if page is not None:
        warn_before_unpublish(request, page)
