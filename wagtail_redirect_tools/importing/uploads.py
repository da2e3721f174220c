"""An upload's rows: read from its file once, kept with it, and loaded again.

A file is read in the format and encoding its options chose (or detected), its columns
by their names or as the editor matched them; a file whose header is not understood
waits for the editor (see :mod:`.matching`). The rows read are kept beside the file
(:mod:`.row_store`), so the preview and the import never parse it again.
"""

from __future__ import annotations

import dataclasses
import tempfile

from django.core.files.base import File

from ..models import RedirectImport
from . import matching
from .errors import ImportFileError, ImportLimitError
from .options import ImportOptions
from .reading import Table, read_table
from .row_store import read_table_from, write_table


def read_file(content: bytes, filename: str, options: ImportOptions) -> Table:
    """The rows of a file, in the format and encoding ``options`` chose (or detected),
    its columns as the editor matched them (or by their names)."""
    return read_table(
        content,
        filename,
        file_format=options.file_format,
        encoding=options.encoding,
        columns=options.column_mapping(),
    )


def read_upload(
    content: bytes, filename: str, options: ImportOptions
) -> tuple[ImportOptions, Table | None]:
    """The options to keep for an upload and its rows (None while its columns wait for
    the editor). A file whose header is not understood, or that names a column of
    status codes in a way the import does not know, waits for the editor."""
    if options.columns is not None:
        proposal = matching.propose(content, filename, options)
        labels = proposal.labels() if proposal is not None else ()
        options = dataclasses.replace(options, column_labels=labels, match_columns=False)
        return options, read_file(content, filename, options)
    try:
        table = read_file(content, filename, options)
    except ImportLimitError:
        raise  # no matching of its columns reads it
    except ImportFileError:
        proposal = _proposal(content, filename, options)
        if proposal is None or not proposal.problem:  # the header is not what is wrong
            raise
        return dataclasses.replace(options, match_columns=True), None
    if table.ignored_columns:
        proposal = _proposal(content, filename, options)
        if proposal is not None and proposal.needs_editor:
            return dataclasses.replace(options, match_columns=True), None
    return options, table


def _proposal(
    content: bytes, filename: str, options: ImportOptions
) -> matching.ColumnProposal | None:
    try:
        return matching.propose(content, filename, options)
    except ImportFileError:
        return None


def keep_rows(record: RedirectImport, table: Table) -> None:
    """Keep the rows read from ``record``'s file with it (saved with the record), and,
    for a caller that goes on with the same record in this process (a command, a small
    upload previewed at once), in memory as well."""
    with tempfile.TemporaryFile() as spool:  # not a second copy of the rows in memory
        write_table(table, spool)
        spool.seek(0)
        record.rows_file.save("rows.json", File(spool), save=False)
    record._rows_read = (record.rows_file.name, table)  # type: ignore[attr-defined]


def forget_rows(record: RedirectImport) -> None:
    """The rows kept in memory for ``record`` (see :func:`keep_rows`) are used up: a later
    step in this process loads them from the kept file again."""
    record.__dict__.pop("_rows_read", None)


def load_rows(record: RedirectImport, options: ImportOptions) -> tuple[ImportOptions, Table | None]:
    """``record``'s options (``options``, as read from it; changed when its file is read
    now) and the rows of its file: those read when it was uploaded (or its columns
    matched), or, for a file kept unread, read now and kept. The rows are None when the
    file's columns turn out to need the editor: its options, saved, say so, and the
    caller makes it wait for that, as uploaded."""
    if record.rows_file:
        kept_name, table = getattr(record, "_rows_read", ("", None))
        if table is not None and kept_name == record.rows_file.name:
            return options, table  # the rows this process kept just now
        with record.rows_file.open("rb") as stored:
            return options, read_table_from(stored)
    with record.file.open("rb") as stored:
        content = stored.read()
    options, table = read_upload(content, record.original_name, options)
    record.options = options.to_json()
    if table is None:
        record.save(update_fields=["options"])
        return options, None
    record.total_rows = len(table)
    keep_rows(record, table)
    record.save(update_fields=["options", "total_rows", "rows_file"])
    return options, table
