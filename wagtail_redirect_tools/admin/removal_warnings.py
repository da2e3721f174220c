"""On Wagtail's confirm screens for deleting and unpublishing a page: how many redirects
and scheduled redirects lead to it (and to the pages under it), with a link to them.
Wagtail's own "referenced N times" leaves redirects out (core's ``Redirect`` is not in its
reference index). A message only: the screens work as before.

Deleting: Wagtail runs ``before_delete_page`` when the confirm screen is shown, too.
Unpublishing, and the bulk delete and unpublish of pages: Wagtail runs its hooks
(``before_unpublish_page``, ``before_bulk_action``) only once confirmed, and none while the
screen is shown; the admin's main menu is built for every screen before its messages are
shown (``construct_main_menu``, with the request), so the message is added there, for those
screens only. Both in Wagtail 7.4 and 8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from .. import conf
from ..editing.targets import PointingCounts, count_pointing, pointing_at, pointing_under
from .views.page_redirects import (
    may_see_page_redirects,
    page_redirects_url,
    target_page_listing_url,
)

UNPUBLISH_VIEW = "wagtailadmin_pages:unpublish"
BULK_VIEW = "wagtail_bulk_action"
BULK_ACTIONS = ("delete", "unpublish")


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


@dataclass(frozen=True)
class Wording:
    """The sentences for one page, or for the pages selected on a bulk screen."""

    at_one: str
    at_many: str
    under_one: str
    under_many: str


def deleting(single: bool) -> Wording:
    if single:
        return Wording(
            at_one=_("%(what)s points at this page or the pages under it."),
            at_many=_("%(what)s point at this page or the pages under it."),
            under_one="",
            under_many="",
        )
    return Wording(
        at_one=_("%(what)s points at the selected pages or the pages under them."),
        at_many=_("%(what)s point at the selected pages or the pages under them."),
        under_one="",
        under_many="",
    )


def unpublishing(single: bool) -> Wording:
    if single:
        return Wording(
            at_one=_(
                "%(what)s points at this page: once it is unpublished, visitors it sends "
                "here get “Not found” (404)."
            ),
            at_many=_(
                "%(what)s point at this page: once it is unpublished, visitors they send "
                "here get “Not found” (404)."
            ),
            under_one=_("%(what)s points at the pages under it."),
            under_many=_("%(what)s point at the pages under it."),
        )
    return Wording(
        at_one=_(
            "%(what)s points at the selected pages: once they are unpublished, visitors it "
            "sends there get “Not found” (404)."
        ),
        at_many=_(
            "%(what)s point at the selected pages: once they are unpublished, visitors they "
            "send there get “Not found” (404)."
        ),
        under_one=_("%(what)s points at the pages under them."),
        under_many=_("%(what)s point at the pages under them."),
    )


def sentence(counts: PointingCounts, one: str, many: str, *, more: bool = False) -> str:
    chosen = many if counts.redirects + counts.windows > 1 else one
    return chosen % {"what": describe(counts, more=more)}


def at_pages(pages: list[Page]) -> Q:
    where = Q()
    for page in pages:
        where |= pointing_at(page)
    return where


def under_pages(pages: list[Page]) -> Q:
    where = Q()
    for page in pages:
        where |= pointing_under(page)
    return where


def links(pages: list[Page]) -> list[Any]:
    if len(pages) != 1:
        return []
    page = pages[0]
    return [
        messages.button(target_page_listing_url(page), _("Show the redirects")),
        messages.button(page_redirects_url(page), _("Redirects of this page")),
    ]


def warn_before_delete(request: HttpRequest, pages: list[Page]) -> None:
    counts = count_pointing(at_pages(pages) | under_pages(pages))
    if not counts:
        return
    wording = deleting(len(pages) == 1)
    text = sentence(counts, wording.at_one, wording.at_many)
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
    messages.warning(request, text, buttons=links(pages))


def warn_before_unpublish(request: HttpRequest, pages: list[Page]) -> None:
    itself = count_pointing(at_pages(pages))
    below = count_pointing(under_pages(pages))
    if not itself and not below:
        return
    wording = unpublishing(len(pages) == 1)
    sentences = []
    if itself:
        sentences.append(sentence(itself, wording.at_one, wording.at_many))
    if below:
        sentences.append(sentence(below, wording.under_one, wording.under_many, more=True))
    messages.warning(request, " ".join(sentences), buttons=links(pages))


@hooks.register("before_delete_page")
def tell_before_delete(request: HttpRequest, page: Page) -> None:
    if request.method == "GET" and may_see_page_redirects(request.user):
        warn_before_delete(request, [page])


@hooks.register("construct_main_menu")
def tell_on_confirm_screens(request: HttpRequest, menu_items: list[Any]) -> None:
    """The unpublish screen of a page, and the bulk delete and unpublish screens of pages."""
    match = request.resolver_match
    if request.method != "GET" or match is None or not may_see_page_redirects(request.user):
        return
    if match.view_name == UNPUBLISH_VIEW:
        pages = list(Page.objects.filter(pk=match.kwargs.get("page_id")))
        if pages:
            warn_before_unpublish(request, pages)
    elif (
        match.view_name == BULK_VIEW
        and (match.kwargs.get("app_label"), match.kwargs.get("model_name"))
        == ("wagtailcore", "page")
        and match.kwargs.get("action") in BULK_ACTIONS
    ):
        ids = [value for value in request.GET.getlist("id") if value.isdigit()]
        pages = list(Page.objects.filter(pk__in=ids))
        if not pages:
            return
        if match.kwargs["action"] == "delete":
            warn_before_delete(request, pages)
        else:
            warn_before_unpublish(request, pages)
