"""The "Scheduled redirects" listing and forms (generic Wagtail views, thin)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button
from wagtail.models import Site

from ... import conf
from ...editing.page_titles import with_locale
from ...editing.permissions import may_write_window, redirect_policy, window_pages_refused
from ...importing.resources import EXPORT_COLUMNS
from ...models import ScheduledRedirect, WindowState
from ..forms.redirects import WindowForm
from .count_column import CountColumn
from .display import ResourceExportMixin, local_datetime, source_import_filter
from .paths import SCROLLING_RESULTS
from .sibling_listing import SiblingListingMixin
from .target_column import TargetColumn
from .window_columns import (
    ORDERINGS,
    LanguageColumn,
    SiteColumn,
    SourceColumn,
    StateColumn,
    ZonedTimeColumn,
    real_start,
    sort_annotations,
)
from .window_end import end_window_url, may_end
from .window_rights import WindowPageRightsMixin


class ScheduledRedirectFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=WindowState.choices,
        method="filter_state",
        empty_label=_("Any state"),
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.all(), empty_label=_("Any site")
    )
    source_import = source_import_filter("source_import")

    class Meta:
        model = ScheduledRedirect
        fields = ["state", "site", "source_import"]

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.in_state(value) if value else queryset


class LocalTimeColumn(Column):
    """A date and time in the editor's own time zone, or a dash."""

    def __init__(self, name: str, *, empty: Any = "—", **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.empty = empty

    def get_value(self, instance: Any) -> Any:
        value = super().get_value(instance)
        if value is None:
            return self.empty
        return local_datetime(value)


TITLE_ID = "scheduled_redirect_{pk}_title"


class IndexView(SiblingListingMixin, ResourceExportMixin, generic.IndexView):
    template_name = "wagtail_redirect_tools/scheduled/index.html"
    results_template_name = SCROLLING_RESULTS
    default_ordering = "expires_at"
    list_export = list(EXPORT_COLUMNS)
    sibling_label = _("Redirects")
    sibling_url_name = "redirect_tools_redirects:index"
    sibling_icon = "redirect"

    def get_sibling_policy(self) -> Any:
        return redirect_policy

    @cached_property
    def columns(self) -> list[Column]:
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="scheduled_redirect"),
            *super().columns,
        ]

    def _get_title_column(self, field_name: str, *args: Any, **kwargs: Any) -> Column:
        column = super()._get_title_column(
            field_name,
            SourceColumn,
            *args,
            **kwargs,
            get_title_id=lambda obj: TITLE_ID.format(pk=obj.pk),
        )
        column.label = _("Redirect from")
        column.sort_key = "source"
        return column

    def order_queryset(self, queryset: QuerySet[ScheduledRedirect]) -> Any:
        ordering = self.ordering if isinstance(self.ordering, str) else ""
        descending, key = ordering.startswith("-"), ordering.lstrip("-")
        if key == "starts_at":  # the real start: a window with none began when it was made
            queryset = queryset.alias(real_start=Coalesce("starts_at", "created_at"))
            expression = F("real_start")
        elif key in ORDERINGS:
            expression = ORDERINGS[key]
        else:
            queryset = super().order_queryset(queryset)
            if ordering:  # a tie-break, so pages of results are stable
                queryset = queryset.order_by(ordering, "pk")
            return queryset
        if descending:
            return queryset.order_by(expression.desc(nulls_last=True), "-expires_at", "-pk")
        return queryset.order_by(expression.asc(nulls_first=True), "expires_at", "pk")

    def get_base_queryset(self) -> QuerySet[ScheduledRedirect]:
        return (
            super()
            .get_base_queryset()
            .select_related("site", *with_locale("source_page", "redirect_page"))
            .annotate(**sort_annotations())
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The page rights of every row shown, found once before the rows' links are made.
        self.refused_pages = window_pages_refused(
            self.request.user, {window.source_page_id for window in context["object_list"]}
        )
        return context

    def page_editable(self, window: ScheduledRedirect) -> bool:
        """Whether the user may edit ``window``'s source page (or it has none)."""
        refused = getattr(self, "refused_pages", None)
        if refused is None:  # a row outside the page of results: asked on its own
            return may_write_window(self.request.user, window.source_page_id)
        return window.source_page_id not in refused

    def get_edit_url(self, instance: ScheduledRedirect) -> str | None:
        return super().get_edit_url(instance) if self.page_editable(instance) else None

    def get_delete_url(self, instance: ScheduledRedirect) -> str | None:
        return super().get_delete_url(instance) if self.page_editable(instance) else None

    def get_list_more_buttons(self, instance: ScheduledRedirect) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if may_end(self.request.user, instance, page_editable=self.page_editable(instance)):
            buttons.append(
                MenuItem(
                    _("End now"),
                    url=end_window_url(instance, self.request.get_full_path()),
                    icon_name="time",
                    priority=25,
                )
            )
        return buttons


class RefusedSaveMixin:
    """The form saves through ``save_window``; a window another editor saved a moment
    ago can still make it refuse, and the editor then sees why on the form."""

    def form_valid(self, form: WindowForm) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            form.add_save_error(error)
            return self.form_invalid(form)  # type: ignore[attr-defined]


class CreateView(RefusedSaveMixin, generic.CreateView):
    template_name = "wagtail_redirect_tools/scheduled/create.html"


class EditView(WindowPageRightsMixin, RefusedSaveMixin, generic.EditView):
    template_name = "wagtail_redirect_tools/scheduled/edit.html"

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons: list[Button] = list(super().header_more_buttons)
        if may_end(self.request.user, self.object):
            buttons.append(
                Button(
                    _("End now"),
                    url=end_window_url(self.object),
                    icon_name="time",
                    priority=5,
                )
            )
        return buttons


class DeleteView(WindowPageRightsMixin, generic.DeleteView):
    pass


def list_columns() -> list[Any]:
    language = [LanguageColumn("language", label=_("Language"))] if conf.i18n_enabled() else []
    return [
        "source_label",
        *language,
        SiteColumn("site", label=_("Site"), sort_key="site"),
        TargetColumn("target_label", label=_("Redirect to"), sort_key="target"),
        Column("status_code", label=_("Status"), sort_key="status_code"),
        ZonedTimeColumn("starts_at", label=_("Starts"), accessor=real_start, sort_key="starts_at"),
        ZonedTimeColumn("expires_at", label=_("Expires"), sort_key="expires_at"),
        StateColumn("state", label=_("State"), sort_key="state"),
        CountColumn("hits", label=_("Hits"), sort_key="hits"),
        ZonedTimeColumn("last_hit_at", label=_("Last hit"), sort_key="last_hit_at"),
    ]
