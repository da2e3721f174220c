"""What an import would do: its rows, each with an action and the reasons an editor reads.

The planner (:mod:`.planning`) makes an :class:`ImportPlan`; the writer
(:mod:`.writing`) writes its new and updated rows; :mod:`.plan_store` keeps it for the
preview pages and the summary.
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy

from .context import Key, Target


class Action(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Update")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    SKIP = "skip", gettext_lazy("Skip")
    ERROR = "error", gettext_lazy("Error")


@dataclass(slots=True)
class PlannedRow:
    number: int
    action: str = Action.NEW
    kind: str = "redirect"  # or "scheduled"
    site_id: int | None = None
    old_path: str = ""
    source_page_id: int | None = None
    page_id: int | None = None
    route_path: str = ""
    link: str = ""
    status_code: int | None = None
    starts_at: datetime.datetime | None = None
    expires_at: datetime.datetime | None = None
    reason: str = ""
    every_language: bool = False
    is_pattern: bool = False  # old_path is a pattern (see wagtail_redirect_tools.patterns)
    existing_pk: int | None = None
    written_link: str = ""  # the path in the file when it was stored as its page
    source_label: str = ""
    target_label: str = ""
    # Tuples: most rows have none, and the empty tuple costs a row nothing.
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # Said to the editor, the row written all the same: see ``warnings``.
    said: tuple[str, ...] = ()
    # The warning for a target nothing answers (see :mod:`.unanswered`), translated once
    # a plan and shared by its rows, the row's link put in only when it is read: made
    # whole for each row, it was half of what a million planned rows held (one row of
    # a file whose targets do not exist yet: 420 of 850 bytes).
    unanswered: str = ""

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the editor is told, the row written all the same (e.g. a target nothing
        answers), in the order it was said."""
        if not self.unanswered:
            return self.said
        return (*self.said, self.unanswered % {"path": self.link})

    def __eq__(self, other: object) -> bool:
        """Fields equal, warnings compared as said (however the row holds them)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _compared(self) == _compared(other)

    @property
    def key(self) -> Key:
        return (self.site_id, self.old_path)

    @property
    def target(self) -> Target:
        return Target(self.page_id, self.route_path, self.link)

    def fail(self, message: str) -> None:
        self.errors += (message,)
        self.action = Action.ERROR

    def note(self, message: str) -> None:
        self.notes += (message,)

    def warn(self, message: str) -> None:
        self.said = (*self.warnings, message)
        self.unanswered = ""

    def warn_unanswered(self, template: str) -> None:
        """Warn that nothing answers the row's target, with ``template`` (a translated
        message naming ``%(path)s``, shared by the plan's rows): the row's link must not
        change after this."""
        self.said, self.unanswered = self.warnings, template


_compared = operator.attrgetter(
    *(name for name in PlannedRow.__slots__ if name not in ("said", "unanswered")), "warnings"
)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.values, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == Action.ERROR]

    @property
    def warned(self) -> list[PlannedRow]:
        return [
            row for row in self.rows if (row.said or row.unanswered) and row.action != Action.ERROR
        ]

    def to_write(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in (Action.NEW, Action.UPDATE)]


def began(
    starts_at: datetime.datetime | None, expires_at: datetime.datetime, now: datetime.datetime
) -> datetime.datetime:
    """When a row's window begins: its start; without one, now (it starts on import),
    or for a window that has ended, its end: when it began elsewhere is unknown, so it
    shares a moment only with a window that was running when it ended."""
    if starts_at is not None:
        return starts_at
    return expires_at if expires_at <= now else now
