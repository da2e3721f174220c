"""The one error an import raises for a file it cannot read as a whole."""

from __future__ import annotations


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for the editor."""


class ImportLimitError(ImportFileError):
    """The file holds more than an import reads (a cell, a row's columns, its parts
    unpacked): matching its columns cannot help."""
