"""The import screens: upload → preview (or progress) → confirm → summary. Thin: each
parses the request, calls one function of :mod:`wagtail_redirect_tools.importing.service`
and renders what it returns."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.utils import set_query_params
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.models import Page

from ...editing.permissions import redirect_policy
from ...importing import jobs, matching, service
from ...importing.errors import ImportFileError
from ...importing.limits import cut
from ...importing.planning import Action, ImportOptions, PlannedRow
from ...importing.templates import TEMPLATE_FORMATS, template_file
from ...models import ImportStatus, RedirectImport
from ..forms.imports import ColumnMatchForm, UploadForm
from .display import local_datetime

TOKEN_SALT = "wagtail_redirect_tools.import"  # noqa: S105 (a signing salt)
ROWS_PER_PAGE = 100
# What the column matching shows of a cell of the file's first rows.
SHOWN_VALUE_LENGTH = 120
RECENT_IMPORTS = 10


def import_token(record: RedirectImport) -> str:
    return signing.dumps(record.pk, salt=TOKEN_SALT)


def import_url(record: RedirectImport, name: str = "import_detail") -> str:
    return reverse(f"wagtail_redirect_tools:{name}", args=[import_token(record)])


class ImportPermissionMixin(PermissionCheckedMixin):
    """Importing creates and changes redirects: every import screen needs both."""

    permission_policy = redirect_policy
    permission_required = "import"


class ImportScreenMixin(ImportPermissionMixin, WagtailAdminTemplateMixin):
    """Wagtail's page furniture, under Home, Redirects."""

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("redirect_tools_redirects:index"), "label": _("Redirects")},
        ]


class ImportRecordMixin:
    """A screen of one import, named by a signed ``token``, for the editor who uploaded it."""

    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def record(self) -> RedirectImport:
        invalid = Http404(_("This import link is not valid."))
        try:
            pk = signing.loads(
                self.kwargs["token"], salt=TOKEN_SALT, max_age=service.UPLOAD_MAX_AGE
            )
            record = RedirectImport.objects.get(pk=pk)
        except (signing.BadSignature, RedirectImport.DoesNotExist) as error:
            raise invalid from error
        user = self.request.user
        if record.created_by_id != user.pk and not user.is_superuser:
            raise invalid
        return record


class UploadView(ImportScreenMixin, FormView):  # type: ignore[type-arg]
    template_name = "wagtail_redirect_tools/imports/upload.html"
    form_class = UploadForm
    page_title = gettext_lazy("Import redirects")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Import")}]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: UploadForm) -> HttpResponse:
        name, content = form.upload()
        try:
            record = service.start_upload(
                content, name, form.import_options(), user=self.request.user, background=True
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        form.chosen_instead()
        if service.awaits_columns(record):
            return HttpResponseRedirect(import_url(record, "import_columns"))
        jobs.request_preview(record)
        return HttpResponseRedirect(import_url(record))

    def form_invalid(self, form: UploadForm) -> HttpResponse:
        form.keep_file()  # the editor fixes the form without choosing the file again
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recent = RedirectImport.objects.filter(created_by=self.request.user.pk)[:RECENT_IMPORTS]
        return super().get_context_data(
            template_formats=TEMPLATE_FORMATS,
            recent=[(record, import_url(record)) for record in recent],
            **kwargs,
        )


class TemplateDownloadView(ImportPermissionMixin, View):
    """A file to start from, in one of ``TEMPLATE_FORMATS``."""

    def get(self, request: HttpRequest, file_format: str) -> HttpResponse:
        try:
            content, content_type = template_file(file_format)
        except KeyError as error:
            raise Http404 from error
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"redirects-template.{file_format}"
        )
        return response


class DetailView(ImportRecordMixin, ImportScreenMixin, TemplateView):
    """Progress while a job runs, the preview when planned, the summary when imported."""

    template_name = "wagtail_redirect_tools/imports/detail.html"

    def get_page_title(self) -> str:
        return _("Import of %(name)s") % {"name": self.record.original_name}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtail_redirect_tools:import"), "label": _("Import")},
            {"url": "", "label": self.record.original_name},
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if service.awaits_columns(self.record):
            return HttpResponseRedirect(import_url(self.record, "import_columns"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.record
        options = ImportOptions.from_json(record.options)
        context = super().get_context_data(  # with the URL's ``token``
            record=record,
            options=options,
            progress=service.read_progress(record),
            interrupted=service.is_interrupted(record),
            column_matching=matching.describe(options),
            can_match_columns=service.can_match_columns(record),
            **kwargs,
        )
        if record.status in (ImportStatus.PREVIEWED, ImportStatus.IMPORTED):
            context.update(self.preview_context())
        if record.status == ImportStatus.IMPORTED:
            query = {"source_import": record.pk}
            if record.redirect_details.exists():
                context["listing_url"] = set_query_params(
                    reverse("redirect_tools_redirects:index"), query
                )
            if record.windows.exists():
                context["windows_url"] = set_query_params(
                    reverse("scheduled_redirects:index"), query
                )
        return context

    def preview_context(self) -> dict[str, Any]:
        # A page of the kept plan: a million-row import's preview reads one page's chunks.
        plan = service.open_plan(self.record)
        if plan is None:
            return {}
        show = self.request.GET.get("show", "")
        rows = plan.rows_of(show if show in Action.values else None)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(self.request.GET.get("p"))
        counts = plan.counts
        labels = DONE_LABELS if self.record.status == ImportStatus.IMPORTED else PLANNED_LABELS
        titles = dict(
            Page.objects.filter(pk__in={row.page_id for row in page if row.page_id}).values_list(
                "pk", "title"
            )
        )
        return {
            "plan": plan,
            "tabs": [(action, labels[action], counts[action]) for action in Action.values],
            "show": show,
            "rows_page": page,
            "rows": [_describe(row, labels, titles) for row in page],
            "has_errors": bool(counts[Action.ERROR]),
            "warned_count": plan.warned_count,
            "has_windows": plan.has_windows,
        }


PLANNED_LABELS: dict[str, Any] = dict(Action.choices)
DONE_LABELS: dict[str, Any] = {
    Action.NEW: gettext_lazy("Created"),
    Action.UPDATE: gettext_lazy("Updated"),
    Action.UNCHANGED: gettext_lazy("Unchanged"),
    Action.SKIP: gettext_lazy("Skipped"),
    Action.ERROR: gettext_lazy("Not imported"),
}


def _describe(row: PlannedRow, labels: dict[str, Any], titles: dict[int, str]) -> dict[str, Any]:
    """What the preview table shows of ``row``."""
    if row.page_id is not None:
        target = _("%(title)s (page %(id)s)") % {
            "title": titles.get(row.page_id, "?"),
            "id": row.page_id,
        }
        target += row.route_path
    else:
        target = row.link or row.target_label
    window = ""
    if row.expires_at is not None:
        start = local_datetime(row.starts_at) if row.starts_at else _("now")
        window = f"{start} \N{EN DASH} {local_datetime(row.expires_at)}"
    return {"row": row, "label": labels[row.action], "target": target, "window": window}


class MatchColumnsView(ImportRecordMixin, ImportScreenMixin, FormView):  # type: ignore[type-arg]
    """Say what each column of the file holds: when its header is not understood, when
    it has none, when a column of status codes has a name the import does not know, or
    to change how a previewed file's columns are read."""

    template_name = "wagtail_redirect_tools/imports/columns.html"
    form_class = ColumnMatchForm

    def get_page_title(self) -> str:
        return _("Match the columns of %(name)s") % {"name": self.record.original_name}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtail_redirect_tools:import"), "label": _("Import")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def proposal(self) -> matching.ColumnProposal:
        if not service.can_match_columns(self.record):
            raise Http404(_("The columns of this import can no longer be changed."))
        try:
            proposal = service.column_proposal(self.record)
        except ImportFileError as error:
            raise Http404(str(error)) from error
        if proposal is None:
            raise Http404(_("This file has no columns to match."))
        return proposal

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "proposal": self.proposal}

    def form_valid(self, form: ColumnMatchForm) -> HttpResponse:
        try:
            service.match_columns(self.record, form.mapping)
        except ImportFileError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        jobs.request_preview(self.record)
        return HttpResponseRedirect(import_url(self.record))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        proposal = self.proposal
        return super().get_context_data(
            token=self.kwargs["token"],
            record=self.record,
            proposal=proposal,
            messages_about_columns=proposal.messages()
            if service.awaits_columns(self.record)
            else [],
            shown_rows=[
                [("" if value is None else cut(str(value), SHOWN_VALUE_LENGTH)) for value in row]
                for row in proposal.shown_rows
            ],
            **kwargs,
        )


class ProgressView(ImportRecordMixin, ImportPermissionMixin, View):
    """How far the import's job is, for the page that polls."""

    def get(self, request: HttpRequest, token: str) -> JsonResponse:
        return JsonResponse(service.read_progress(self.record))


class ConfirmView(ImportRecordMixin, ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        jobs.request_import(
            self.record, user=request.user, valid_only=bool(request.POST.get("valid_only"))
        )
        return HttpResponseRedirect(import_url(self.record))


class RetryView(ImportRecordMixin, ImportPermissionMixin, View):
    """Start again the job of an import that was interrupted (its worker died)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        jobs.retry_job(self.record, user=request.user)
        return HttpResponseRedirect(import_url(self.record))
