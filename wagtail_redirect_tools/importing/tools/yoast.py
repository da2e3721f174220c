"""Yoast SEO Premium writes the target of a gone (410) redirect as ``/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .given import Given

if TYPE_CHECKING:
    from ..planning import PlannedRow


def read(row: PlannedRow, given: Given) -> None:
    if given.gone and given.target == "/":
        row.note(_("The target '/' of a gone (410) row is read as no target."))
        given.target = ""
