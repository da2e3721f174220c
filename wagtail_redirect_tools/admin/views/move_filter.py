"""The Redirects listing's filter on the redirects one move or slug change created, and
its chip, which names the move ("Move of News, <local time>"), not its log entry's id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.active_filters import ActiveFilter, BaseFilterAdapter
from wagtail.models import PageLogEntry

from ...autoredirects.report import ACTION_CREATED
from .display import local_datetime


def move_entry(pk: Any) -> PageLogEntry | None:
    """The audit-log entry of the move or slug change ``pk`` (None: no such entry)."""
    return PageLogEntry.objects.filter(pk=pk, action=ACTION_CREATED).first()


def parent_path(url_path: str) -> str:
    return url_path.rstrip("/").rpartition("/")[0]


def move_label(entry: PageLogEntry) -> str:
    """ "Move of News, Dec. 5, 2026, 12:43 p.m." (the page's title then, the editor's time)."""
    data = entry.data or {}
    before, after = data.get("url_path_before", ""), data.get("url_path_after", "")
    if before and after and parent_path(before) == parent_path(after):
        template = gettext("Slug change of %(title)s, %(time)s")
    else:
        template = gettext("Move of %(title)s, %(time)s")
    return template % {"title": entry.label, "time": local_datetime(entry.timestamp)}


class MoveFilter(django_filters.NumberFilter):
    """By the id of a move's log entry, as the message after a move links it."""


class MoveFilterAdapter(BaseFilterAdapter):
    def get_active_filters(self) -> Iterator[ActiveFilter]:
        entry = move_entry(self.value)
        yield ActiveFilter(
            self.bound_field.auto_id,
            _("Made by"),
            move_label(entry) if entry is not None else str(self.value),
            self.get_url_without_filter_param(self.name),
        )
