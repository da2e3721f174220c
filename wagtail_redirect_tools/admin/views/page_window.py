""" "Redirect temporarily…" on a page: create a window whose source is that page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.log_actions import log
from wagtail.models import Page

from ...editing.page_titles import with_locale
from ...editing.permissions import can_redirect_page
from ...models import ScheduledRedirect
from ..forms.redirects import PageWindowForm
from .window_columns import zoned_datetime
from .window_end import end_window_url, may_end


class PageWindowView(WagtailAdminTemplateMixin, FormView):  # type: ignore[type-arg]
    template_name = "wagtail_redirect_tools/pages/redirect_temporarily.html"
    form_class = PageWindowForm
    page_title = gettext_lazy("Redirect temporarily")
    header_icon = "time"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Wagtail's PermissionCheckedMixin knows model permissions only; this one also
        # needs edit rights on the page (can_redirect_page, as the page's buttons use).
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific_deferred
        if not can_redirect_page(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        # Like Wagtail's own page action screens: the explorer's path to the page, then this.
        pages = get_breadcrumbs_items_for_page(self.page, self.request.user)
        return [*pages, {"url": "", "label": self.page_title}]

    def get_page_subtitle(self) -> str:
        return str(self.page.get_admin_display_title())

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ScheduledRedirect(source_page=self.page)
        kwargs["for_user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        windows = (
            ScheduledRedirect.objects.not_expired()
            .filter(source_page=self.page)
            .select_related(*with_locale("redirect_page"))
            .order_by("starts_at", "expires_at")
        )
        here = self.request.get_full_path()
        user = self.request.user
        context.update(
            # Each window with its "End now" URL, where the editor may end it now.
            windows=[
                (
                    window,
                    zoned_datetime(window.starts_at) if window.starts_at else None,
                    zoned_datetime(window.expires_at),
                    end_window_url(window, here) if may_end(user, window) else None,
                )
                for window in windows
            ],
        )
        context.update(
            page=self.page,
            next=get_valid_next_url_from_request(self.request),
        )
        return context

    def form_valid(self, form: PageWindowForm) -> HttpResponse:
        try:
            with transaction.atomic():
                window = form.save()
                for saved in form.saved_windows:
                    log(saved, "wagtail.create", user=self.request.user)
        except ValidationError as error:  # another editor's window, saved a moment ago
            form.add_save_error(error)
            return self.form_invalid(form)
        edit_url = reverse("scheduled_redirects:edit", args=[window.pk])
        others = len(form.saved_windows) - 1
        values = {
            "page": self.page.get_admin_display_title(),
            "target": window.target_label,
            "start": zoned_datetime(window.starts_at) if window.starts_at else _("now"),
            "end": zoned_datetime(window.expires_at),
            "count": others,
        }
        if others:
            text = ngettext(
                "'%(page)s' and its %(count)d translation will redirect to %(target)s (or "
                "its translation) from %(start)s until %(end)s",
                "'%(page)s' and its %(count)d translations will redirect to %(target)s (or "
                "its translations) from %(start)s until %(end)s",
                others,
            )
        else:
            text = _("'%(page)s' will redirect to %(target)s from %(start)s until %(end)s")
        buttons = [messages.button(edit_url, _("Edit"))]
        if others:
            buttons.append(messages.button(reverse("scheduled_redirects:index"), _("See them all")))
        messages.success(self.request, text % values, buttons=buttons)
        next_url = get_valid_next_url_from_request(self.request)
        return HttpResponseRedirect(
            next_url or reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        )
