"""The "Redirects" listing and forms for core's ``Redirect``, with our details beside it:
exact status code, origin, hits and last hit (generic Wagtail views, thin)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.side_panels import StatusSidePanel
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import AdminPageChooser, Button
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_content_languages
from wagtail.models import Page, Site

from ... import conf
from ...autoredirects.editor import created_by_move
from ...editing.page_titles import page_title, with_locale
from ...editing.permissions import scheduled_redirect_policy
from ...editing.targets import target_unavailable
from ...importing.resources import EXPORT_COLUMNS
from ...models import GONE_REDIRECTS, Origin, RedirectDetails, unused_for
from ...resolution.languages import redirect_language
from ..forms.matching import KIND_LABELS, MATCH_EXACT, MATCH_PATTERN, MATCH_PREFIX, kind_of
from .count_column import CountColumn
from .display import ResourceExportMixin, site_label, source_import_filter
from .move_filter import MoveFilter, move_entry
from .paths import LISTING_CSS, SCROLLING_RESULTS, wrappable
from .redirect_hits import RedirectStatusSidePanel, hits_summary
from .scheduled import LocalTimeColumn
from .sibling_listing import SiblingListingMixin
from .target_column import TargetColumn

KIND_CHOICES = [
    ("permanent", _("Permanent")),
    ("temporary", _("Temporary")),
    ("gone", _("Gone (410)")),
]
TARGET_CHOICES = [("unavailable", _("Unpublished or deleted page"))]
UNUSED_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("a year"))]


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
    target_page = django_filters.ModelChoiceFilter(
        label=_("Target page"),
        field_name="redirect_page",
        queryset=Page.objects.all(),
        widget=AdminPageChooser(show_edit_link=False),
    )
    target = django_filters.ChoiceFilter(
        label=_("Target"),
        choices=TARGET_CHOICES,
        method="filter_target",
        empty_label=_("Any target"),
    )
    unused = django_filters.ChoiceFilter(
        label=_("No hits in"),
        choices=UNUSED_CHOICES,
        method="filter_unused",
        empty_label=_("Any"),
        help_text=_("Redirects at least that old that nobody followed in that time."),
    )
    move = MoveFilter(label=_("Made by the move or slug change (log entry)"), method="filter_move")
    match = django_filters.ChoiceFilter(
        label=_("Match"),
        choices=list(KIND_LABELS.items()),
        method="filter_match",
        empty_label=_("Any match"),
    )
    locale = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=lambda: list(get_content_languages().items()),
        method="filter_locale",
        empty_label=_("Any language"),
    )

    class Meta:
        model = Redirect
        fields = [
            "kind",
            "origin",
            "site",
            "source_import",
            "target_page",
            "target",
            "unused",
            "move",
            "match",
            "locale",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not conf.i18n_enabled():  # one language: no Language filter, ``?locale=`` ignored
            del self.filters["locale"]

    def filter_locale(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Exact(redirect_language(), value)) if value else queryset

    def filter_kind(self, queryset: Any, name: str, value: str) -> Any:
        if value == "gone":
            return queryset.filter(GONE_REDIRECTS)
        return queryset.filter(is_permanent=value == "permanent").exclude(GONE_REDIRECTS)

    def filter_match(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(match_kind(value)) if value else queryset

    def filter_unused(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(unused_for(int(value))) if value else queryset

    def filter_target(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(target_unavailable()) if value == "unavailable" else queryset

    def filter_move(self, queryset: Any, name: str, value: Any) -> Any:
        """The redirects one move or slug change created (its audit-log entry), as many as
        the message after it said: what its "See redirects" button opens."""
        entry = move_entry(value)
        if entry is None:
            return queryset.none()
        return queryset.filter(pk__in=created_by_move(entry).values("pk"))

    def filter_origin(self, queryset: Any, name: str, value: str) -> Any:
        # Redirects without details were made by core: automatic or manual, as it says.
        implied = Q(details__isnull=True) & Q(automatically_created=value == Origin.AUTOMATIC)
        if value == Origin.IMPORT:
            return queryset.filter(details__origin=value)
        return queryset.filter(Q(details__origin=value) | implied)


def match_kind(kind: str) -> Q:
    """:func:`..forms.matching.kind_of` as SQL: a pattern is a prefix when it ends with
    ``*`` and has no ``:name`` segment (a segment starting with ``:`` is always a name)."""
    is_pattern = Q(details__is_pattern=True)
    prefix = is_pattern & Q(old_path__endswith="/*") & ~Q(old_path__contains="/:")
    if kind == MATCH_EXACT:
        return ~is_pattern
    if kind == MATCH_PREFIX:
        return prefix
    if kind == MATCH_PATTERN:
        return is_pattern & ~prefix
    return Q()


def match_label(redirect: Redirect) -> str:
    details = getattr(redirect, "details", None)
    kind = kind_of(redirect.old_path, bool(details and details.is_pattern))
    return str(KIND_LABELS[kind])


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


def effective_status() -> Case:
    """:func:`...rules.effective_status_code` as SQL, so the listing can sort by it: our code
    when core's ``is_permanent`` agrees with it, 410 for a gone redirect without a target,
    else core's 301 or 302."""
    agrees = Q(details__status_code__in=(301, 308), is_permanent=True) | Q(
        details__status_code__in=(302, 307), is_permanent=False
    )
    return Case(
        When(GONE_REDIRECTS, then=Value(410)),
        When(agrees, then=F("details__status_code")),
        When(is_permanent=True, then=Value(301)),
        default=Value(302),
        output_field=IntegerField(),
    )


def effective_origin() -> Coalesce:
    """:meth:`RedirectDetails.origin_of` as SQL: our origin, or the one core's flag implies."""
    implied = Case(
        When(automatically_created=True, then=Value(Origin.AUTOMATIC.value)),
        default=Value(Origin.MANUAL.value),
        output_field=CharField(),
    )
    return Coalesce("details__origin", implied, output_field=CharField())


def wrappable_path(redirect: Redirect) -> SafeString:
    """The source path as segments that wrap only after a slash (listing.css), marked
    "every language" for a redirect that answers it under every language's prefix."""
    path = wrappable(redirect.old_path)
    if not RedirectDetails.serves_every_language(redirect):
        return path
    return format_html(
        '{} <span class="w-status w-status--label">{}</span>', path, _("Every language")
    )


def language_label(redirect: Redirect) -> str:
    """The redirect's language (the ``language`` annotation of the listing), by name."""
    code = getattr(redirect, "language", None)
    return str(get_content_languages().get(code, code)) if code else ""


def target_label(redirect: Redirect) -> str:
    """What a redirect points at: its page's title, with the page's language on a
    multilingual site, else its link."""
    if redirect.redirect_page_id:
        return page_title(redirect.redirect_page)
    return str(redirect.redirect_link)


class PathColumn(TitleColumn):
    """The "From" path: it wraps after a slash, and within a segment only when that one
    segment is wider than the whole column (listing.css)."""

    class Media:
        css = {"all": [LISTING_CSS]}


class IndexView(SiblingListingMixin, ResourceExportMixin, generic.IndexView):
    template_name = "wagtail_redirect_tools/redirects/index.html"
    results_template_name = SCROLLING_RESULTS
    sibling_label = _("Scheduled redirects")
    sibling_url_name = "scheduled_redirects:index"
    sibling_icon = "time"
    default_ordering = "old_path"
    exports_windows_too = True
    list_export = list(EXPORT_COLUMNS)

    def get_sibling_policy(self) -> Any:
        return scheduled_redirect_policy

    @cached_property
    def columns(self) -> list[Column]:
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="redirect"),
            PathColumn(
                "old_path",
                accessor=wrappable_path,
                label=_("From"),
                url_name=self.edit_url_name,
                sort_key="old_path",
                classname="wrt-path",
                # What the row's checkbox is described by ("Select", /the/path).
                get_title_id=lambda redirect: f"redirect_{redirect.pk}_title",
            ),
            Column(
                "site", accessor=site_label, label=_("Site"), sort_key="site__hostname", width="14%"
            ),
            Column(
                "match", accessor=match_label, label=_("Match"), classname="wrt-match", width="8%"
            ),
            TargetColumn("redirect_page", label=_("To"), width="20%", classname="wrt-target"),
            *self.language_columns,
            StatusTagColumn(
                "status",
                accessor=status_label,
                label=_("Status"),
                primary=lambda redirect: redirect.is_permanent,
                sort_key="effective_status",
                width="12%",
            ),
            Column(
                "origin", accessor=origin_label, label=_("Origin"), sort_key="origin", width="8%"
            ),
            CountColumn("hit_count", label=_("Hits"), sort_key="hit_count", width="6%"),
            LocalTimeColumn("last_hit", label=_("Last hit"), sort_key="last_hit", width="10%"),
            LocalTimeColumn("created_at", label=_("Created"), sort_key="created_at", width="10%"),
        ]

    @property
    def language_columns(self) -> list[Column]:
        if not conf.i18n_enabled():
            return []
        return [
            Column(
                "language",
                accessor=language_label,
                label=_("Language"),
                sort_key="language",
                classname="wrt-language",
                width="8%",
            )
        ]

    def get_base_queryset(self) -> QuerySet[Redirect]:
        queryset = (
            super()
            .get_base_queryset()
            .select_related("site", "details", *with_locale("redirect_page"))
            .annotate(
                hit_count=Coalesce("details__hits", 0),
                last_hit=F("details__last_hit_at"),
                effective_status=effective_status(),
                origin=effective_origin(),
            )
        )
        if conf.i18n_enabled():
            queryset = queryset.annotate(language=redirect_language())
        return queryset

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
                _("Export for a web server"),
                url=reverse("wagtail_redirect_tools:edge_export"),
                icon_name="download",
                priority=70,
            ),
        ]


class CreateView(generic.CreateView):
    template_name = "wagtail_redirect_tools/redirects/create.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "origin": Origin.MANUAL}

    def get_initial(self) -> dict[str, Any]:
        """``?redirect_page=<id>``: "Add redirect to this page" on a page's redirects."""
        initial = super().get_initial()
        page_id = self.request.GET.get("redirect_page", "")
        if page_id.isdigit() and Page.objects.filter(pk=page_id).exists():
            initial["redirect_page"] = int(page_id)
        return initial


class EditView(generic.EditView):
    template_name = "wagtail_redirect_tools/redirects/edit.html"

    def get_side_panels(self) -> Any:
        """Wagtail's panels, its status panel with the redirect's hits."""
        return type(super().get_side_panels())(
            [with_hits(panel) for panel in super().get_side_panels()]
        )


def with_hits(panel: Any) -> Any:
    if type(panel) is not StatusSidePanel:
        return panel
    return RedirectStatusSidePanel(
        panel.object,
        panel.request,
        locale=panel.locale,
        translations=panel.translations,
        usage_url=panel.usage_url,
        history_url=panel.history_url,
        last_updated_info=panel.last_updated_info,
    )


class DeleteView(generic.DeleteView):
    template_name = "wagtail_redirect_tools/redirects/confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "hits_summary": hits_summary(self.object)}
