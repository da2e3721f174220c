"""The import screens: upload → preview (or progress) → confirm → summary. Thin: the
work is :mod:`wagtail_redirect_tools.importing.service`'s."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from wagtail.models import Page

from ..forms import ImportUploadForm
from ..importing import service
from ..importing.errors import ImportFileError
from ..importing.planning import Action, ImportOptions, PlannedRow
from ..importing.templates import TEMPLATE_FORMATS, template_file
from ..models import ImportStatus, RedirectImport
from ..permissions import can_import_redirects
from .display import local_datetime

TOKEN_SALT = "wagtail_redirect_tools.import"  # noqa: S105 (a signing salt)
ROWS_PER_PAGE = 100
RECENT_IMPORTS = 10


def import_token(batch: RedirectImport) -> str:
    return signing.dumps(batch.pk, salt=TOKEN_SALT)


def import_url(batch: RedirectImport, name: str = "wagtail_redirect_tools_import_detail") -> str:
    return reverse(name, args=[import_token(batch)])


def _check_permission(request: HttpRequest) -> None:
    if not can_import_redirects(request.user):
        raise PermissionDenied


def _batch_for(request: HttpRequest, token: str) -> RedirectImport:
    """The import ``token`` names, if it was signed here and belongs to this user."""
    _check_permission(request)
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=service.UPLOAD_MAX_AGE)
        batch = RedirectImport.objects.get(pk=pk)
    except (signing.BadSignature, RedirectImport.DoesNotExist) as error:
        raise Http404(_("This import link is not valid.")) from error
    if batch.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404(_("This import link is not valid."))
    return batch


def breadcrumbs(*items: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"url": reverse("redirect_tools_redirects:index"), "label": _("Redirects")},
        *({"url": url, "label": label} for label, url in items),
    ]


class UploadView(View):
    template_name = "wagtail_redirect_tools/imports/upload.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _check_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        upload = form.cleaned_data["file"]
        try:
            batch = service.start_upload(
                upload.read(), upload.name, form.import_options(), user=request.user
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.render(form)
        if service.runs_in_background(batch):
            from ..tasks import preview_import_task

            service.queue_job(batch, preview_import_task, batch.pk)
        else:
            service.preview_upload(batch)
        return redirect(import_url(batch))

    def render(self, form: ImportUploadForm) -> HttpResponse:
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "header_title": _("Import redirects"),
                "breadcrumbs_items": breadcrumbs((_("Import"), None)),
                "template_formats": TEMPLATE_FORMATS,
                "recent": [
                    (batch, import_url(batch))
                    for batch in RedirectImport.objects.filter(created_by=self.request.user.pk)[
                        :RECENT_IMPORTS
                    ]
                ],
            },
        )


def download_template(request: HttpRequest, file_format: str) -> HttpResponse:
    _check_permission(request)
    try:
        content, content_type = template_file(file_format)
    except KeyError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="redirects-template.{file_format}"'
    return response


def detail(request: HttpRequest, token: str) -> HttpResponse:
    """Progress while a job runs, the preview when planned, the summary when imported."""
    batch = _batch_for(request, token)
    context: dict[str, Any] = {
        "batch": batch,
        "token": token,
        "header_title": _("Import of %(name)s") % {"name": batch.original_name},
        "breadcrumbs_items": breadcrumbs(
            (_("Import"), reverse("wagtail_redirect_tools_import")), (batch.original_name, None)
        ),
        "options": ImportOptions.from_json(batch.options),
        "progress": service.read_progress(batch),
    }
    if batch.status in (ImportStatus.PREVIEWED, ImportStatus.IMPORTED):
        context.update(_preview_context(request, batch))
    if batch.status == ImportStatus.IMPORTED:
        query = f"?import_batch={batch.pk}"
        if batch.redirect_details.exists():
            context["listing_url"] = reverse("redirect_tools_redirects:index") + query
        if batch.windows.exists():
            context["windows_url"] = reverse("scheduled_redirects:index") + query
    return TemplateResponse(request, "wagtail_redirect_tools/imports/detail.html", context)


def _preview_context(request: HttpRequest, batch: RedirectImport) -> dict[str, Any]:
    plan = service.load_plan(batch)
    if plan is None:
        return {}
    show = request.GET.get("show", "")
    rows = [row for row in plan.rows if row.action == show] if show in Action.values else plan.rows
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    counts = plan.counts
    labels = DONE_LABELS if batch.status == ImportStatus.IMPORTED else PLANNED_LABELS
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
        "has_windows": any(row.kind == "scheduled" for row in plan.rows),
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


def progress(request: HttpRequest, token: str) -> JsonResponse:
    batch = _batch_for(request, token)
    return JsonResponse(service.read_progress(batch))


@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    batch = _batch_for(request, token)
    options = batch.options
    if request.POST.get("valid_only"):
        options = {**options, "valid_only": True}
    # Only one confirm can move the import on from "previewed" (a double click, two tabs).
    claimed = RedirectImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.IMPORTING, options=options, problem=""
    )
    if not claimed:
        return redirect(import_url(batch))
    batch.refresh_from_db()
    if service.runs_in_background(batch):
        from ..tasks import run_import_task

        service.queue_job(batch, run_import_task, batch.pk, request.user.pk)
    else:
        service.confirm_upload(batch, user=request.user)
    return redirect(import_url(batch))
