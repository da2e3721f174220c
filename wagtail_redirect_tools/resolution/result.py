"""The answer of :mod:`.resolver`: what a request for a path gets at one moment. Its own
module, so the responses that render it and the resolver that makes it do not import
each other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from wagtail.models import Page

Kind = Literal["window", "redirect", "gone", "none"]


@dataclass(frozen=True, kw_only=True)
class Resolution:
    """What a request for a path gets at one moment.

    ``kind`` is ``"window"`` (an active scheduled redirect), ``"redirect"`` (a core
    redirect, with its exact status code), ``"gone"`` (410) or ``"none"``. ``source_id``
    is the ``ScheduledRedirect`` or ``Redirect`` that answers; ``valid_until`` is when a
    window's answer ends. With ``"none"``, ``page`` is the live page served at the path,
    if any.
    """

    kind: Kind
    status_code: int | None = None
    location: str | None = None
    source_id: int | None = None
    valid_until: datetime.datetime | None = None
    page: Page | None = None

    @property
    def answers(self) -> bool:
        """True when the path is answered by a redirect or a 410, not by a page or a 404."""
        return self.kind != "none"


NOTHING = Resolution(kind="none")
