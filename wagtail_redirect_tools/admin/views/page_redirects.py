"""A page's redirects: the redirects and windows that point at the page, and those from
its own URL, with "Add redirect to this page". Wagtail 7.4 and 8 have no hook for page
side panels, so the page header's "more" menu opens this screen."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.utils import set_query_params
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.admin.widgets import HeaderButton
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from ...editing.page_titles import with_locale
from ...editing.permissions import can_redirect_page, redirect_policy, scheduled_redirect_policy
from ...editing.targets import pointing_at
from ...models import ScheduledRedirect
from .display import site_label, with_next
from .redirects import status_label, target_label
from .window_columns import zoned_datetime

REDIRECT_ACTIONS = ("add", "change", "delete")
WINDOW_ACTIONS = ("add", "change", "delete", "view")


def may_see_page_redirects(user: Any) -> bool:
    return bool(
        redirect_policy.user_has_any_permission(user, REDIRECT_ACTIONS)
        or scheduled_redirect_policy.user_has_any_permission(user, WINDOW_ACTIONS)
    )


def page_redirects_url(page: Page) -> str:
    return str(reverse("redirect_tools_workspace:page_redirects", args=[page.pk]))


def target_page_listing_url(page: Page) -> str:
    """The Redirects listing filtered to what points at ``page``."""
    return str(
        set_query_params(reverse("redirect_tools_redirects:index"), {"target_page": page.pk})
    )


def add_redirect_to_page_url(page: Page) -> str:
    return str(
        set_query_params(reverse("redirect_tools_redirects:add"), {"redirect_page": page.pk})
    )


def own_path(page: Page) -> tuple[int | None, str] | None:
    """The page's site and path, as a redirect from its URL would be stored."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    site_id, _root_url, page_path = parts
    return site_id, Redirect.normalise_path(page_path)


class PageRedirectsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_redirect_tools/pages/redirects.html"
    page_title = _("Redirects")
    header_icon = "redirect"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_see_page_redirects(request.user):
            raise PermissionDenied
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific_deferred
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        pages = get_breadcrumbs_items_for_page(self.page, self.request.user)
        return [*pages, {"url": "", "label": self.page_title}]

    def get_page_subtitle(self) -> str:
        return str(self.page.get_admin_display_title())

    def get_header_buttons(self) -> list[Any]:
        user = self.request.user
        buttons = []
        if redirect_policy.user_has_permission(user, "add"):
            buttons.append(
                HeaderButton(
                    _("Add redirect to this page"),
                    url=add_redirect_to_page_url(self.page),
                    icon_name="plus",
                )
            )
        if can_redirect_page(user, self.page):
            buttons.append(
                HeaderButton(
                    _("Redirect temporarily…"),
                    url=with_next(
                        reverse("wagtail_redirect_tools:page_window", args=[self.page.pk]),
                        self.request.get_full_path(),
                    ),
                    icon_name="time",
                )
            )
        return buttons

    def redirects_to(self) -> QuerySet[Redirect]:
        return (
            Redirect.objects.filter(pointing_at(self.page))
            .select_related("site", "details")
            .order_by("old_path", "pk")
        )

    def redirects_from(self) -> QuerySet[Redirect]:
        source = own_path(self.page)
        if source is None:
            return Redirect.objects.none()
        site_id, path = source
        return (
            Redirect.objects.filter(Q(site_id=site_id) | Q(site__isnull=True), old_path=path)
            .select_related("site", "details", *with_locale("redirect_page"))
            .order_by("pk")
        )

    def windows(self) -> list[tuple[ScheduledRedirect, str | None, str]]:
        source = own_path(self.page)
        of_page = Q(source_page=self.page) | Q(redirect_page=self.page)
        if source is not None:
            of_page |= Q(old_path=source[1])
        windows = (
            ScheduledRedirect.objects.not_expired()
            .filter(of_page)
            .select_related("site", *with_locale("source_page", "redirect_page"))
            .order_by("expires_at", "pk")
        )
        return [
            (
                window,
                zoned_datetime(window.starts_at) if window.starts_at else None,
                zoned_datetime(window.expires_at),
            )
            for window in windows
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if redirect_policy.user_has_any_permission(user, REDIRECT_ACTIONS):
            context["redirects_to"] = [
                (redirect, site_label(redirect), status_label(redirect))
                for redirect in self.redirects_to()
            ]
            context["redirects_from"] = [
                (redirect, site_label(redirect), status_label(redirect), target_label(redirect))
                for redirect in self.redirects_from()
            ]
            context["listing_url"] = target_page_listing_url(self.page)
        if scheduled_redirect_policy.user_has_any_permission(user, WINDOW_ACTIONS):
            context["windows"] = self.windows()
        context["page"] = self.page
        context["page_url"] = self.page.get_url(request=self.request)
        return context
