"""The "Not found" report (Reports menu) and its fixes: thin views over ``not_found``.

Who: anyone who may add redirects (Wagtail's ``wagtailredirects.add_redirect``) sees the
report and may use every fix; each fix creates a redirect or hides a path for everyone.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput, AdminPageChooser, Button
from wagtail.models import Page, Site

from ... import conf
from ...editing.page_titles import page_title
from ...editing.permissions import redirect_policy
from ...importing.resources import spreadsheet_safe, xlsx_safe
from ...not_found import fixes
from ...not_found.models import NotFoundDropped, NotFoundPath
from ...not_found.queries import not_ignored, unanswered
from ...not_found.suggestions import suggest_target
from ...rules import encode_control_characters, missing_target_error, validate_redirect_link
from .count_column import CountColumn
from .paths import WrappedPathColumn
from .redirects import CreateView as RedirectCreateView

#: The permission on redirects that shows the report and allows its fixes.
PERMISSION = "add"
#: Paths a fix refused, named one message each, at most.
MAX_REFUSALS_SHOWN = 20


def report_url() -> str:
    return str(reverse("wagtail_redirect_tools:not_found"))


class NotFoundFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Site"), queryset=Site.objects.all(), empty_label=gettext_lazy("Any")
    )
    since = django_filters.DateFilter(
        label=gettext_lazy("Last seen since"),
        field_name="last_seen_at",
        lookup_expr="date__gte",
        widget=AdminDateInput,
    )
    min_hits = django_filters.NumberFilter(
        label=gettext_lazy("Hits at least"), field_name="hits", lookup_expr="gte"
    )
    hide_bots = django_filters.BooleanFilter(
        label=gettext_lazy("Hide probable bots"),
        method="filter_hide_bots",
        widget=django_filters.widgets.BooleanWidget,
    )

    show_ignored = django_filters.BooleanFilter(
        label=gettext_lazy("Show ignored paths"),
        method="filter_show_ignored",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = NotFoundPath
        fields = ["site", "since", "min_hits", "hide_bots", "show_ignored"]

    def filter_show_ignored(
        self, queryset: QuerySet[NotFoundPath], name: str, value: bool | None
    ) -> QuerySet[NotFoundPath]:
        return queryset  # the report's filter_queryset hides them unless this is on

    def filter_hide_bots(
        self, queryset: QuerySet[NotFoundPath], name: str, value: bool | None
    ) -> QuerySet[NotFoundPath]:
        return queryset.filter(bot_hits__lt=F("hits")) if value else queryset


class ReferrersColumn(Column):
    def get_value(self, instance: NotFoundPath) -> str:
        return ", ".join(instance.referrers or [])


class BotColumn(Column):
    def get_value(self, instance: NotFoundPath) -> str:
        return str(_("Probably a bot")) if instance.probably_bot else ""


class SelectColumn(Column):
    """A checkbox per row for the bulk fixes above the table."""

    cell_template_name = "wagtail_redirect_tools/not_found/select_cell.html"
    header_template_name = "wagtail_redirect_tools/not_found/select_all_header.html"

    class Media:
        js = ["wagtail_redirect_tools/js/select-all.js"]


class FixesColumn(Column):
    cell_template_name = "wagtail_redirect_tools/not_found/fixes_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context = super().get_cell_context_data(instance, parent_context)
        context["fix_urls"] = fix_urls(instance, parent_context.get("request"))
        return context


def fix_urls(entry: NotFoundPath, request: HttpRequest | None) -> dict[str, str]:
    back = request.get_full_path() if request is not None else report_url()
    return {
        "create": set_query_params(
            reverse("wagtail_redirect_tools:not_found_create", args=[entry.pk]), {"next": back}
        ),
        "gone": set_query_params(
            reverse("wagtail_redirect_tools:not_found_fix", args=["gone"]),
            {"id": entry.pk, "next": back},
        ),
        "ignore": set_query_params(
            reverse("wagtail_redirect_tools:not_found_fix", args=["ignore"]),
            {"id": entry.pk, "next": back},
        ),
    }


class NotFoundReportView(ReportView):
    page_title = gettext_lazy("Not found")
    header_icon = "warning"
    index_url_name = "wagtail_redirect_tools:not_found"
    index_results_url_name = "wagtail_redirect_tools:not_found_results"
    permission_policy = redirect_policy
    permission_required = PERMISSION
    filterset_class = NotFoundFilterSet
    model = NotFoundPath
    default_ordering = "-hits"
    results_template_name = "wagtail_redirect_tools/not_found/report_results.html"
    columns = [
        SelectColumn("select", label=""),
        WrappedPathColumn("path", label=gettext_lazy("Path"), classname="wrt-path"),
        Column("site", label=gettext_lazy("Site")),
        CountColumn("hits", label=gettext_lazy("Hits"), sort_key="hits"),
        DateColumn("first_seen_at", label=gettext_lazy("First seen")),
        DateColumn("last_seen_at", label=gettext_lazy("Last seen"), sort_key="last_seen_at"),
        ReferrersColumn("referrers", label=gettext_lazy("Referrers")),
        BotColumn("bot", label=gettext_lazy("Bot")),
        FixesColumn("fixes", label=gettext_lazy("Fix")),
    ]
    list_export = ["path", "site", "hits", "bot_hits", "first_seen_at", "last_seen_at"]
    export_headings = {"bot_hits": gettext_lazy("Hits by bots")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["bulk_urls"] = {
            action: reverse("wagtail_redirect_tools:not_found_fix", args=[action])
            for action in FIXES
        }
        context["keep_paths"] = conf.not_found_keep_paths()
        context["dropped"] = list(
            NotFoundDropped.objects.select_related("site").order_by("site__hostname", "pk")
        )
        return context

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        return [
            *super().header_more_buttons,
            Button(
                _("Ignore rules"),
                url=reverse("not_found_ignore_rules:index"),
                icon_name="warning",
                priority=50,
            ),
        ]

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        """As Wagtail writes it, and as the project's other exports write cells: text a
        spreadsheet would run as a formula (a site named ``=HYPERLINK(…)``) gets a leading
        quote; in XLSX, control characters an older version logged are percent-encoded
        (openpyxl refuses them)."""
        value = super().preprocess_field_value(field, value, export_format)
        return xlsx_safe(value) if export_format == self.FORMAT_XLSX else spreadsheet_safe(value)

    def write_xlsx_response(self, queryset: Any) -> HttpResponseBase:
        """The workbook written to a temporary file and sent from it in blocks (Wagtail's
        would hold the whole file in memory; openpyxl's write-only sheet keeps its rows
        in a temporary file of its own)."""
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        try:
            self.write_xlsx(queryset, output)
        except BaseException:
            output.close()
            raise
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )

    def get_filename(self) -> str:
        return f"not-found-{datetime.date.today():%Y-%m-%d}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """A download is written straight from the filtered rows, read in chunks as the
        CSV streams (Wagtail's report would first read every row to count them)."""
        if self.is_export:
            rows = InChunks(lambda: self.get_filtered_queryset().select_related(None))
            return self.as_spreadsheet(rows, request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[NotFoundPath]:
        self.queryset = unanswered().select_related("site")
        return super().get_queryset()

    @cached_property
    def site_names(self) -> dict[int, str]:
        """Each site's name as the listing shows it, read once for a download."""
        return {site.pk: str(site) for site in Site.objects.all()}

    def to_row_dict(self, item: NotFoundPath) -> dict[str, Any]:
        """A download's row, its site named from :attr:`site_names` (not one Site
        instance a row)."""
        return {
            field: self.site_names.get(item.site_id, "")
            if field == "site"
            else getattr(item, field)
            for field in self.list_export
        }

    def get_filtered_queryset(self) -> QuerySet[NotFoundPath]:
        """``get_queryset`` has filtered it already (Wagtail's ``ReportView`` would filter
        it again: the ignore rules read twice, and their conditions twice in the SQL)."""
        return self.get_queryset()

    def filter_queryset(self, queryset: QuerySet[NotFoundPath]) -> QuerySet[NotFoundPath]:
        """Ignored paths are hidden unless "Show ignored paths" is on."""
        filtered = super().filter_queryset(queryset)
        filters = self.filters
        if filters is not None and filters.is_valid() and filters.form.cleaned_data["show_ignored"]:
            return filtered
        return not_ignored(filtered)

    def order_queryset(self, queryset: QuerySet[NotFoundPath]) -> QuerySet[NotFoundPath]:
        """Ties by path. Fewest hits first is most hit first reversed, ties too, so
        that both read the log's ``wrt_not_found_most_hit`` index (one way or the other)
        and stop after a page instead of sorting every row."""
        ordered = super().order_queryset(queryset)
        keys = list(ordered.query.order_by)
        ties = ("-path", "-pk") if keys == ["hits"] else ("path", "pk")
        return ordered.order_by(*keys, *ties)


class InChunks:
    """The rows ``queryset()`` gives, read in chunks of ``EXPORT_CHUNK`` rows when iterated
    (a server-side cursor on PostgreSQL), never all at once; ``model`` names the columns'
    headings. The queryset is made when the rows are first read, after the response's
    headers are sent: making it reads the log's rows a pattern redirect answers (see
    ``not_found.queries.pattern_answered_ids``)."""

    model = NotFoundPath

    def __init__(self, queryset: Callable[[], QuerySet[NotFoundPath]]) -> None:
        self.queryset = queryset

    def __iter__(self) -> Iterator[NotFoundPath]:
        return self.queryset().iterator(chunk_size=EXPORT_CHUNK)


#: Rows read at a time by the report's downloads.
EXPORT_CHUNK = 2000


class PrefilledRedirectCreateView(RedirectCreateView):
    """The Redirects add form with a logged 404's path and site filled in, and the page
    most like its last segment offered (``?redirect_page=`` applies it; never done here)."""

    @cached_property
    def entry(self) -> NotFoundPath:
        """Looked up after the permission check (in dispatch), never before it."""
        return get_object_or_404(NotFoundPath.objects.select_related("site"), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "old_path": self.entry.path, "site": self.entry.site_id}

    def get_add_url(self) -> str:
        """The form posts back here, with the report's ``next`` it was opened with."""
        return self.request.get_full_path()

    def get_success_url(self) -> str:
        """Back to the report the editor came from (its filters and page kept), only ever
        on this site (Wagtail's check); the report itself otherwise."""
        return get_valid_next_url_from_request(self.request) or report_url()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        suggestion = suggest_target(self.entry.site, self.entry.path)
        if suggestion is not None and "redirect_page" not in request.GET:
            page = suggestion.page
            use = set_query_params(request.get_full_path(), {"redirect_page": page.pk})
            messages.info(
                request,
                _("Suggested target for %(path)s: '%(title)s' (%(url)s). %(reason)s")
                % {
                    "path": self.entry.path,
                    "title": page_title(page),
                    "url": page.get_url(request=request) or page.url_path,
                    "reason": suggestion.reason,
                },
                buttons=[messages.button(use, _("Use this page"))],
            )
        return super().get(request, *args, **kwargs)


def create_redirect(request: HttpRequest, pk: int) -> HttpResponseBase:
    from ..viewsets import redirect_viewset

    view = redirect_viewset.construct_view(
        PrefilledRedirectCreateView, **redirect_viewset.get_add_view_kwargs()
    )
    return view(request, pk=pk)


FIXES = {
    "gone": gettext_lazy("Mark gone (410)"),
    "ignore": gettext_lazy("Ignore"),
    "redirect": gettext_lazy("Redirect selected to…"),
}


class RedirectSelectedForm(forms.Form):
    """One target for many paths: a page, or a path or URL (as on the Redirects form)."""

    redirect_page = forms.ModelChoiceField(
        label=gettext_lazy("Redirect to a page"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(can_choose_root=False),
    )
    redirect_link = forms.CharField(
        label=gettext_lazy("Redirect to any URL"),
        help_text=gettext_lazy("A path on the site, e.g. /offers/, or a full URL."),
        max_length=255,
        required=False,
        validators=[validate_redirect_link],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        page, link = cleaned.get("redirect_page"), cleaned.get("redirect_link")
        if "redirect_link" in cleaned and not page and not link:
            raise missing_target_error()
        if page and link:
            raise forms.ValidationError(_("Choose a page or a URL, not both."))
        return cleaned


class FixView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Mark gone or ignore the chosen rows (``?id=…&id=…``): a confirmation, then a POST."""

    permission_policy = redirect_policy
    permission_required = PERMISSION
    template_name = "wagtail_redirect_tools/not_found/confirm_fix.html"
    header_icon = "warning"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.action = kwargs["action"]
        source = request.POST if request.method == "POST" else request.GET
        ids = [value for value in source.getlist("id") if value.isdigit()]
        self.entries = list(NotFoundPath.objects.filter(pk__in=ids).select_related("site"))
        # Only a URL on this site (Wagtail's check, as the other screens use): never
        # "//other.host/", which a browser would follow off the site.
        self.next_url = get_valid_next_url_from_request(request) or report_url()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if kwargs["action"] not in FIXES:
            return HttpResponseRedirect(report_url())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(FIXES[self.action])

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": report_url(), "label": _("Not found")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.action == "redirect":
            context.setdefault("form", RedirectSelectedForm())
        context.update(
            entries=self.entries,
            action=self.action,
            next_url=self.next_url,
            label=self.get_page_title(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.action == "redirect":
            form = RedirectSelectedForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            done = len(
                fixes.redirect_to(
                    self.entries,
                    page=form.cleaned_data["redirect_page"],
                    link=form.cleaned_data["redirect_link"],
                    user=request.user,
                )
            )
            message = ngettext(
                "%(count)d path now redirects.", "%(count)d paths now redirect.", done
            )
        elif self.action == "gone":
            done = len(fixes.mark_gone(self.entries, user=request.user))
            message = ngettext(
                "%(count)d path now answers 410 Gone.", "%(count)d paths now answer 410 Gone.", done
            )
        else:
            done = len(fixes.ignore(self.entries, user=request.user))
            message = ngettext(
                "%(count)d path is ignored from now on.",
                "%(count)d paths are ignored from now on.",
                done,
            )
        messages.success(request, message % {"count": done})
        if self.action == "redirect":
            page = form.cleaned_data["redirect_page"]
            self.say_refused(request, link="" if page else form.cleaned_data["redirect_link"])
        elif self.action == "gone":
            self.say_refused(request)
        return HttpResponseRedirect(self.next_url)

    def say_refused(self, request: HttpRequest, *, link: str = "") -> None:
        """Name each path that got no redirect, and why (as the Redirects form says it)."""
        for entry, reason in fixes.refusals(self.entries, link=link)[:MAX_REFUSALS_SHOWN]:
            messages.error(
                request,
                _("%(path)s got no redirect: %(reason)s")
                % {"path": encode_control_characters(entry.path), "reason": reason},
            )
