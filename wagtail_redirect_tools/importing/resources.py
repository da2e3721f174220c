"""django-import-export resources for core's ``Redirect`` and our ``ScheduledRedirect``.

Both have the same columns, so one file can hold both kinds and an export of either
imports again as the same redirects. The import reads each cell through these
fields' widgets (:mod:`.rows`); the checks that need the whole file and the database
are the planner's (:mod:`.planning`).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models.fields import NOT_PROVIDED
from import_export import fields, resources, widgets
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .. import conf
from ..models import RedirectDetails, ScheduledRedirect
from ..rules import encode_control_characters
from .widgets import EveryLanguageWidget, MomentWidget, SiteWidget, StatusWidget

IMPORT_COLUMNS = ("from", "to", "type", "site", "starts_at", "expires_at", "reason")
# Read from any file; written by an export on a site with WAGTAIL_I18N_ENABLED only (a site
# in one language exports the columns it always did).
LANGUAGE_COLUMNS = ("every_language",)
# "yes" for a pattern redirect (``/old-section/*``, ``/news/:slug``); the import reads it
# (:mod:`.rows`), and without the column reads a source in pattern notation as a pattern.
PATTERN_COLUMN = "is_pattern"
# A page target as ``page:ID`` (``page:ID/route/``), in an export after the columns people
# read first: ``to`` holds the page's URL, and the import prefers this column to it, so a
# file imported back points at the page even after it moved.
TARGET_PAGE_COLUMN = "to_page"
# For people reading an export: the title of a page target, and what a window's page
# source (``page:ID``) is. The import reads past these columns, as past origin, hits and
# last hit.
TARGET_PAGE_COLUMNS = ("target_page_title",)
SOURCE_PAGE_COLUMNS = ("source_page_title", "source_page_url")
EXPORT_COLUMNS = (
    "from",
    "to",
    *IMPORT_COLUMNS[2:],
    *LANGUAGE_COLUMNS,
    PATTERN_COLUMN,
    "origin",
    "hits",
    "last_hit",
    TARGET_PAGE_COLUMN,
    *TARGET_PAGE_COLUMNS,
    *SOURCE_PAGE_COLUMNS,
)
PAGE_PREFIX = "page:"
# What a spreadsheet runs as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The quote that makes such text inert (and is doubled on text that starts with one).
ESCAPE = "'"


def page_reference(page_id: int, route_path: str = "") -> str:
    """``page:ID`` (and the route, ``page:ID/route/``): a target that survives a move."""
    return f"{PAGE_PREFIX}{page_id}{route_path if route_path.startswith('/') else ''}"


# The resources' field names in the order of ``EXPORT_COLUMNS``.
EXPORT_FIELDS = (
    "source",
    "target",
    "type",
    "site",
    "starts_at",
    "expires_at",
    "reason",
    "every_language",
    "is_pattern",
    "origin",
    "hits",
    "last_hit",
    "target_page",
    "target_page_title",
    "source_page_title",
    "source_page_url",
)


class RedirectColumns(resources.Resource):
    """The seven columns of a redirect file, with the widgets that read and write them,
    and the columns an export adds for people (the import reads past them)."""

    # What an export reads besides the row itself, joined in by :meth:`export_queryset`.
    export_relations: tuple[str, ...] = ()

    source = fields.Field(column_name="from", widget=widgets.CharWidget())
    target = fields.Field(column_name="to", widget=widgets.CharWidget())
    type = fields.Field(column_name="type", widget=StatusWidget())
    site = fields.Field(attribute="site", column_name="site", widget=SiteWidget())
    starts_at = fields.Field(column_name="starts_at", widget=MomentWidget())
    expires_at = fields.Field(column_name="expires_at", widget=MomentWidget(end_of_day=True))
    reason = fields.Field(column_name="reason", widget=widgets.CharWidget())
    every_language = fields.Field(column_name="every_language", widget=EveryLanguageWidget())
    is_pattern = fields.Field(column_name=PATTERN_COLUMN)
    origin = fields.Field(column_name="origin", widget=widgets.CharWidget())
    hits = fields.Field(column_name="hits", widget=widgets.IntegerWidget())
    last_hit = fields.Field(column_name="last_hit", widget=MomentWidget())
    target_page = fields.Field(column_name=TARGET_PAGE_COLUMN)
    target_page_title = fields.Field(column_name="target_page_title")
    source_page_title = fields.Field(column_name="source_page_title")
    source_page_url = fields.Field(column_name="source_page_url")

    def __init__(self, sites: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if sites is not None:
            self.fields["site"].widget = SiteWidget(sites)
        # Every page URL of one export is worked out from one reading of the sites.
        self.site_root_paths = _SiteRootPaths()
        self.page_urls: dict[int, str] = {}

    def dehydrate_target_page_title(self, item: Any) -> str:
        return item.redirect_page.title if item.redirect_page_id is not None else ""

    def dehydrate_target(self, item: Any) -> str:
        """Where visitors land: a page target's URL (with its route), else the link."""
        if item.redirect_page_id is None:
            return str(item.redirect_link or "")
        url = self.page_url(item.redirect_page)
        route = item.redirect_page_route_path
        return url.rstrip("/") + route if url and route.startswith("/") else url

    def dehydrate_target_page(self, item: Any) -> str:
        if item.redirect_page_id is None:
            return ""
        return page_reference(item.redirect_page_id, item.redirect_page_route_path)

    def dehydrate_source_page_title(self, item: Any) -> str:
        page = getattr(item, "source_page", None)
        return page.title if page is not None else ""

    def dehydrate_source_page_url(self, item: Any) -> str:
        page = getattr(item, "source_page", None)
        return self.page_url(page) if page is not None else ""

    def page_url(self, page: Page) -> str:
        """The page's full URL on its site (empty when no site serves it), worked out once
        per page however many rows point at it."""
        if page.pk not in self.page_urls:
            self.page_urls[page.pk] = page.get_full_url(request=self.site_root_paths) or ""
        return self.page_urls[page.pk]

    def export_queryset(self, queryset: Any) -> Any:
        """``queryset`` with what the export reads joined in (one query for any size).

        A listing has read its rows already (Wagtail counts them); when they came with
        those relations, they are exported as they are, not read a second time.
        """
        joined = queryset.select_related(*self.export_relations)
        already_read = queryset._result_cache is not None
        if already_read and joined.query.select_related == queryset.query.select_related:
            return list(queryset)
        return joined

    def clean_row(self, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Each import column of ``row`` read by its widget, and a message per bad cell."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for cleaner in self.cleaners:
            name = cleaner.name
            value = row.get(name)
            try:
                values[name] = cleaner.clean(value)
            except ValueError as error:
                problems[name] = str(error)
        return values, problems

    @functools.cached_property
    def cleaners(self) -> list[_Cleaner]:
        return [_Cleaner(field) for field in self.get_import_fields()]

    def get_import_fields(self) -> list[fields.Field]:
        names = (*IMPORT_COLUMNS, *LANGUAGE_COLUMNS)
        return [field for field in self.fields.values() if field.column_name in names]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        found = super().get_export_fields(selected_fields)
        if conf.i18n_enabled():
            return list(found)
        return [field for field in found if field.column_name not in LANGUAGE_COLUMNS]


class RedirectResource(RedirectColumns, resources.ModelResource):
    """Core redirects; the exact status, origin and hits come from our details."""

    class Meta:
        model = Redirect
        fields = EXPORT_FIELDS
        export_order = EXPORT_FIELDS

    export_relations = ("site", "details", "redirect_page")

    def get_queryset(self) -> Any:
        return self.export_queryset(Redirect.objects.order_by("site_id", "old_path"))

    def dehydrate_source(self, redirect: Redirect) -> str:
        return redirect.old_path

    def dehydrate_type(self, redirect: Redirect) -> int:
        return RedirectDetails.effective_status_code(redirect)

    def dehydrate_starts_at(self, redirect: Redirect) -> None:
        return None

    dehydrate_expires_at = dehydrate_starts_at

    def dehydrate_reason(self, redirect: Redirect) -> str:
        details = _details(redirect)
        return details.reason if details else ""

    def dehydrate_every_language(self, redirect: Redirect) -> str:
        return str(EveryLanguageWidget().render(RedirectDetails.serves_every_language(redirect)))

    def dehydrate_is_pattern(self, redirect: Redirect) -> str:
        details = _details(redirect)
        return "yes" if details is not None and details.is_pattern else ""

    def dehydrate_origin(self, redirect: Redirect) -> str:
        return str(RedirectDetails.origin_of(redirect).value)

    def dehydrate_hits(self, redirect: Redirect) -> int:
        details = _details(redirect)
        return details.hits if details else 0

    def dehydrate_last_hit(self, redirect: Redirect) -> Any:
        details = _details(redirect)
        return _moment(details.last_hit_at if details else None)


class _SiteRootPaths:
    """Where Wagtail keeps the sites' root paths while it works out many pages' URLs
    (``Page.get_url_parts`` takes any object to keep them on, not only a request)."""


def _moment(value: Any) -> str:
    return MomentWidget().render(value)


def _details(redirect: Redirect) -> RedirectDetails | None:
    try:
        return redirect.details
    except RedirectDetails.DoesNotExist:
        return None


class ScheduledRedirectResource(RedirectColumns, resources.ModelResource):
    """Scheduled windows; a window on a page exports its source as ``page:ID``."""

    class Meta:
        model = ScheduledRedirect
        fields = EXPORT_FIELDS
        export_order = EXPORT_FIELDS

    export_relations = ("site", "source_page", "redirect_page")

    def get_queryset(self) -> Any:
        return self.export_queryset(ScheduledRedirect.objects.order_by("old_path", "expires_at"))

    def dehydrate_source(self, window: ScheduledRedirect) -> str:
        if window.source_page_id is not None:
            return page_reference(window.source_page_id)
        return window.old_path

    def dehydrate_type(self, window: ScheduledRedirect) -> int:
        return window.status_code

    def dehydrate_starts_at(self, window: ScheduledRedirect) -> str:
        return _moment(window.starts_at)

    def dehydrate_expires_at(self, window: ScheduledRedirect) -> str:
        return _moment(window.expires_at)

    def dehydrate_reason(self, window: ScheduledRedirect) -> str:
        return window.reason

    def dehydrate_every_language(self, window: ScheduledRedirect) -> str:
        return ""  # a window serves the path (or page) it names

    def dehydrate_is_pattern(self, window: ScheduledRedirect) -> str:
        return ""  # a window is of one exact path (or page)

    def dehydrate_origin(self, window: ScheduledRedirect) -> str:
        return "import" if window.source_import_id else "manual"

    def dehydrate_hits(self, window: ScheduledRedirect) -> int:
        return window.hits

    def dehydrate_last_hit(self, window: ScheduledRedirect) -> str:
        return _moment(window.last_hit_at)


class _Cleaner:
    """One import column's ``Field.clean``, with its answers for blank cells (asked of the
    field once) and, for a text column, plain text taken as it is: the same values, without
    the field's per-call work (a 100,000-row import cleans 700,000 cells)."""

    __slots__ = ("blank", "empty", "field", "name", "text")

    def __init__(self, field: fields.Field) -> None:
        self.name = field.column_name
        self.field = field
        self.blank = field.clean({self.name: None})
        self.empty = field.clean({self.name: ""})
        self.text = (
            type(field.widget) is widgets.CharWidget
            and field.default is NOT_PROVIDED
            and field.clean({self.name: "x"}) == "x"
        )

    def clean(self, value: Any) -> Any:
        if value is None:
            return self.blank
        if value == "":
            return self.empty
        if self.text and type(value) is str:
            return value
        return self.field.clean({self.name: value})


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading quote.

    Text that starts with a quote gets one more, so :func:`spreadsheet_unsafe` gives
    back every value as it was: ``=1+1`` is written ``'=1+1``, and ``'=1+1`` itself
    ``''=1+1``.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def xlsx_safe(value: object) -> object:
    """:func:`spreadsheet_safe`, and the control characters an XLSX cell cannot hold
    (openpyxl's ``ILLEGAL_CHARACTERS_RE``: all but tab and line breaks) percent-encoded,
    as a browser sends them, so a value an older version stored never fails the file."""
    value = spreadsheet_safe(value)
    if isinstance(value, str):
        return encode_control_characters(value, ILLEGAL_CHARACTERS_RE)
    return value


def spreadsheet_unsafe(value: object) -> object:
    """The text :func:`spreadsheet_safe` was given (the import reads cells with it)."""
    if (
        isinstance(value, str)
        and value.startswith(ESCAPE)
        and value[1:].startswith((*FORMULA_STARTS, ESCAPE))
    ):
        return value[1:]
    return value
