"""Yoast SEO Premium writes the target of a gone (410) redirect as ``/``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..plan import PlannedRow
from .given import Given


def read(row: PlannedRow, given: Given) -> None:
    if given.gone and given.target == "/":
        row.note(_("The target '/' of a gone (410) row is read as no target."))
        given.target = ""
