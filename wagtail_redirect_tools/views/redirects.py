"""The "Redirects" listing and forms for core's ``Redirect``, with our details beside it:
exact status code, origin, hits and last hit (generic Wagtail views, thin)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.views import RedirectTargetColumn
from wagtail.models import PageLogEntry, Site

from ..autoredirects.editor import created_by_move
from ..autoredirects.report import ACTION_CREATED as AUTO_REDIRECTS_CREATED
from ..importing.resources import EXPORT_COLUMNS
from ..models import Origin, RedirectDetails
from ..querysets import GONE_REDIRECTS
from .display import ResourceExportMixin, source_import_filter
from .scheduled import LocalTimeColumn

KIND_CHOICES = [
    ("permanent", _("Permanent")),
    ("temporary", _("Temporary")),
    ("gone", _("Gone (410)")),
]


class RedirectFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=KIND_CHOICES, method="filter_kind", empty_label=_("Any type")
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=Origin.choices, method="filter_origin", empty_label=_("Any")
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.all(), empty_label=_("Any site")
    )
    source_import = source_import_filter("details__source_import")
    move = django_filters.NumberFilter(
        label=_("Made by the move or slug change (log entry)"), method="filter_move"
    )

    class Meta:
        model = Redirect
        fields = ["kind", "origin", "site", "source_import", "move"]

    def filter_kind(self, queryset: Any, name: str, value: str) -> Any:
        if value == "gone":
            return queryset.filter(GONE_REDIRECTS)
        return queryset.filter(is_permanent=value == "permanent").exclude(GONE_REDIRECTS)

    def filter_move(self, queryset: Any, name: str, value: Any) -> Any:
        """The redirects one move or slug change created (its audit-log entry), as many as
        the message after it said: what its "See redirects" button opens."""
        entry = PageLogEntry.objects.filter(pk=value, action=AUTO_REDIRECTS_CREATED).first()
        if entry is None:
            return queryset.none()
        return queryset.filter(pk__in=created_by_move(entry).values("pk"))

    def filter_origin(self, queryset: Any, name: str, value: str) -> Any:
        # Redirects without details were made by core: automatic or manual, as it says.
        implied = Q(details__isnull=True) & Q(automatically_created=value == Origin.AUTOMATIC)
        if value == Origin.IMPORT:
            return queryset.filter(details__origin=value)
        return queryset.filter(Q(details__origin=value) | implied)


SHORT_STATUS_LABELS = {
    301: _("301 permanent"),
    308: _("308 permanent"),
    302: _("302 temporary"),
    307: _("307 temporary"),
    410: _("410 gone"),
}


def status_label(redirect: Redirect) -> str:
    return str(SHORT_STATUS_LABELS[RedirectDetails.effective_status_code(redirect)])


def origin_label(redirect: Redirect) -> str:
    return str(RedirectDetails.origin_of(redirect).label)


class IndexView(ResourceExportMixin, generic.IndexView):
    default_ordering = "old_path"
    list_export = list(EXPORT_COLUMNS)

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn(
                "old_path",
                label=_("From"),
                url_name=self.edit_url_name,
                sort_key="old_path",
            ),
            Column("site", label=_("Site"), sort_key="site__hostname", width="15%"),
            RedirectTargetColumn("redirect_page", label=_("To"), width="25%"),
            StatusTagColumn(
                "status",
                accessor=status_label,
                label=_("Status"),
                primary=lambda redirect: redirect.is_permanent,
                width="12%",
            ),
            Column("origin", accessor=origin_label, label=_("Origin"), width="8%"),
            Column("hit_count", label=_("Hits"), sort_key="hit_count", width="6%"),
            LocalTimeColumn("last_hit", label=_("Last hit"), sort_key="last_hit", width="12%"),
        ]

    def get_base_queryset(self) -> QuerySet[Redirect]:
        return (
            super()
            .get_base_queryset()
            .select_related("site", "redirect_page", "details")
            .annotate(hit_count=Coalesce("details__hits", 0), last_hit=F("details__last_hit_at"))
        )

    def order_queryset(self, queryset: QuerySet[Redirect]) -> Any:
        if self.ordering in ("last_hit", "-last_hit"):
            last_hit = F("last_hit")
            descending = self.ordering.startswith("-")
            order = last_hit.desc(nulls_last=True) if descending else last_hit.asc(nulls_first=True)
            return queryset.order_by(order, "pk")
        queryset = super().order_queryset(queryset)
        if isinstance(self.ordering, str):  # a tie-break, so pages of results are stable
            queryset = queryset.order_by(self.ordering, "pk")
        return queryset

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        return [
            *super().header_more_buttons,
            Button(
                _("Import redirects"),
                url=reverse("wagtail_redirect_tools:import"),
                icon_name="doc-full-inverse",
                priority=50,
            ),
            Button(
                _("Scheduled redirects"),
                url=reverse("scheduled_redirects:index"),
                icon_name="time",
                priority=60,
            ),
        ]


class CreateView(generic.CreateView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "origin": Origin.MANUAL}
