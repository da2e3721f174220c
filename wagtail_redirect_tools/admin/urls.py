"""The package's own admin screens, included once under ``redirect-tools/`` in the
``wagtail_redirect_tools`` namespace (the listings are the viewsets' own URLs)."""

from __future__ import annotations

from django.urls import path

from .views import imports, not_found
from .views.auto_redirects import UndoMoveRedirectsView
from .views.edge_export import EdgeExportView
from .views.page_window import PageWindowView
from .views.window_end import EndWindowView

app_name = "wagtail_redirect_tools"
urlpatterns = [
    path(
        "pages/<int:page_id>/redirect-temporarily/",
        PageWindowView.as_view(),
        name="page_window",
    ),
    path("windows/<int:pk>/end-now/", EndWindowView.as_view(), name="end_window"),
    path("imports/", imports.UploadView.as_view(), name="import"),
    path(
        "imports/template.<str:file_format>",
        imports.TemplateDownloadView.as_view(),
        name="import_template",
    ),
    path("imports/<str:token>/", imports.DetailView.as_view(), name="import_detail"),
    path("imports/<str:token>/columns/", imports.MatchColumnsView.as_view(), name="import_columns"),
    path("imports/<str:token>/progress/", imports.ProgressView.as_view(), name="import_progress"),
    path("imports/<str:token>/confirm/", imports.ConfirmView.as_view(), name="import_confirm"),
    path("imports/<str:token>/retry/", imports.RetryView.as_view(), name="import_retry"),
    path("edge-export/", EdgeExportView.as_view(), name="edge_export"),
    path("moves/<int:entry_id>/undo/", UndoMoveRedirectsView.as_view(), name="undo_move"),
    path("not-found/", not_found.NotFoundReportView.as_view(), name="not_found"),
    path(
        "not-found/results/",
        not_found.NotFoundReportView.as_view(results_only=True),
        name="not_found_results",
    ),
    path(
        "not-found/<int:pk>/create-redirect/",
        not_found.create_redirect,
        name="not_found_create",
    ),
    path("not-found/<str:action>/", not_found.FixView.as_view(), name="not_found_fix"),
]
