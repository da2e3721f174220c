"""Export for a web server: choose a format and a site, see what the file holds and
leaves out, download it. Thin: the form decides the sites, ``edge.export`` the file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin

from ...edge.base import joined_pieces
from ...edge.export import export_map
from ...editing.permissions import redirect_policy
from ..forms.edge import EdgeExportForm


class EdgeExportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = redirect_policy
    any_permission_required = ["add", "change", "delete"]  # who may open the listing
    template_name = "wagtail_redirect_tools/edge/export.html"
    page_title = _("Export for a web server")
    header_icon = "download"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("redirect_tools_redirects:index"), "label": _("Redirects")},
            {"url": "", "label": self.page_title},
        ]

    # A download is a StreamingHttpResponse, which TemplateView's ``get`` does not return.
    def get(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        form = EdgeExportForm(request.GET if "format" in request.GET else None)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        export = export_map(form.cleaned_data["format"], form.cleaned_data["sites"])
        if "download" in request.GET:
            # Streamed as it is made: the whole text is hundreds of MB for a million
            # redirects.
            response: HttpResponseBase = StreamingHttpResponse(
                joined_pieces(export.pieces()), content_type=export.content_type
            )
            response["Content-Disposition"] = content_disposition_header(True, export.filename)
            return response
        download = request.GET.copy()
        download["download"] = "1"
        return self.render_to_response(
            self.get_context_data(form=form, export=export, download_query=download.urlencode())
        )
