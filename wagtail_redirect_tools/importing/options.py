"""What the editor chose for an import, on the upload form or on the command line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from .columns import ColumnMapping


class OnExisting(models.TextChoices):
    UPDATE = "update", gettext_lazy("Update it")
    SKIP = "skip", gettext_lazy("Skip the row")
    ERROR = "error", gettext_lazy("Report an error for the row")


@dataclass(frozen=True)
class ImportOptions:
    """What the editor chose on the upload form (or on the command line)."""

    site_id: int | None = None
    default_type: int = 301
    on_existing: str = OnExisting.UPDATE
    valid_only: bool = False
    file_format: str = "auto"
    encoding: str = "auto"
    # What each column holds, by position, as the editor matched them (None: read by the
    # header's names), whether the first row is a header, and the header's names then.
    columns: tuple[str, ...] | None = None
    has_header: bool = True
    column_labels: tuple[str, ...] = ()
    # The upload waits for the editor to match its columns before it is previewed.
    match_columns: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = list(self.columns) if self.columns is not None else None
        data["column_labels"] = list(self.column_labels)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:
        values = dict(data)
        if values.get("columns") is not None:
            values["columns"] = tuple(values["columns"])
        values["column_labels"] = tuple(values.get("column_labels") or ())
        return cls(**values)

    def column_mapping(self) -> ColumnMapping | None:
        """How the file's columns are read: by the editor's matching, or by their names."""
        if self.columns is None:
            return None
        return ColumnMapping(self.columns, has_header=self.has_header)
