"""Long lists of values in one parameter on PostgreSQL.

A batch of a page move compares thousands of paths and writes thousands of rows. As
``IN (%s, %s, …)`` and ``VALUES (…), (…)`` that is a statement with tens of thousands of
placeholders, which the driver scans and converts on every execution (psycopg's
``_split_query`` took a quarter of a 10,000-page move's handler time, Django's building
of the parameters another eighth). On PostgreSQL the same work is one array parameter
per column: ``= ANY(%s)``, ``unnest(%s, …)``. Other databases keep the portable forms.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(In):
    """``field__any_of=values``: ``IN`` everywhere, ``= ANY(array)`` on PostgreSQL."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        if self._text_values():  # what In would prepare them into, value by value
            return list(dict.fromkeys(self.rhs))
        return super().get_prep_lookup()

    def _text_values(self) -> bool:
        """Plain strings for a text column: the values are sent as they are (a batch of a
        move compares 20,000 paths)."""
        lookup: Lookup[Any] = self
        values = lookup.rhs
        return (
            isinstance(lookup.lhs.output_field, _TEXT_FIELDS)
            and isinstance(values, Collection)
            and all(type(value) is str for value in values)
        )

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lookup: Lookup[Any] = self
        if not isinstance(lookup.rhs, Collection):  # a subquery: IN (SELECT …) as it is
            sql, params = super().as_sql(compiler, connection)
            return sql, list(params)
        lhs_sql, lhs_params = lookup.process_lhs(compiler, connection)
        field = lookup.lhs.output_field
        values: Any
        if self._text_values():
            values = text_array(set(lookup.rhs))
        else:
            values = [field.get_db_prep_value(value, connection) for value in set(lookup.rhs)]
        cast = field.cast_db_type(connection)
        return f"{lhs_sql} = ANY(%s::{cast}[])", [*lhs_params, values]


def text_array(values: Iterable[str]) -> str:
    """PostgreSQL's literal of a text array: one string parameter, which the driver sends
    as it is, where a list is converted value by value (a batch of a move compares 20,000
    to 40,000 paths: a third of the time)."""
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def uses_arrays(connection: Any) -> bool:
    return bool(connection.vendor == "postgresql")


#: Rows written per batch: PostgreSQL has no limit on a statement's parameters and takes
#: its rows by COPY or from arrays, so 10,000 at a time (an import of 100,000 rows wrote in
#: 2.7 s by 1,000s, 1.9 s by 10,000s and by 20,000s; a 10,000-page move spent 426 ms in
#: its handler by 1,000s and 367 ms by 10,000s, median of 6 interleaved moves each).
ROWS_PER_BATCH, ARRAY_ROWS_PER_BATCH = 1_000, 10_000


def rows_per_batch(connection: Any) -> int:
    return ARRAY_ROWS_PER_BATCH if uses_arrays(connection) else ROWS_PER_BATCH


def register_lookups() -> None:
    """Give the redirect columns that moves compare in bulk ``any_of`` (AppConfig.ready)."""
    from django.apps import apps

    try:
        model = apps.get_model("wagtailredirects", "Redirect")
    except LookupError:  # core's redirects app missing: a system check reports it
        return
    for name in ("old_path", "redirect_link"):
        model._meta.get_field(name).register_instance_lookup(AnyOf)


# Fields whose Python values are what the driver sends: no per-value preparation needed.
_TEXT_FIELDS = (models.CharField, models.TextField)
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: Sequence[str] = (),
    update_on_conflict: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """PostgreSQL: ``rows`` (values in the order of ``names``) in one statement, and the
    ``returning`` columns of the rows written. With ``update_on_conflict``, a row whose
    primary key is taken updates those columns of the row there instead.

    For many rows at once, where ``bulk_create()`` builds a model instance and prepares
    each value of each row (most of a 100,000-row import's writing). With psycopg 3 and
    nothing to return, the rows are sent by ``COPY``; otherwise by one INSERT from one
    array per column (``unnest``). No signals are sent, as with ``bulk_create()``; every
    field without a database default must be named.
    """
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name: str) -> str:
        return str(quote(str(meta.get_field(name).column)))  # type: ignore[union-attr]

    if not returning and not update_on_conflict and can_copy(connection):
        copy_rows(model, names, rows)
        return []
    fields: list[Any] = [meta.get_field(name) for name in names]
    columns = ", ".join(column(name) for name in names)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        arrays = _arrays(fields, rows, connection)
        casts = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
        sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({casts})"  # noqa: S608
        if update_on_conflict:
            assert meta.pk is not None  # noqa: S101 (every model has one)
            changes = ", ".join(f"{column(n)} = EXCLUDED.{column(n)}" for n in update_on_conflict)
            sql += f" ON CONFLICT ({column(meta.pk.name)}) DO UPDATE SET {changes}"
        if returning:
            sql += " RETURNING " + ", ".join(column(name) for name in returning)
        cursor.execute(sql, arrays)
        return list(cursor.fetchall()) if returning else []


def can_copy(connection: Any) -> bool:
    """PostgreSQL through psycopg 3, whose ``COPY`` :func:`copy_rows` uses."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def copy_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL with psycopg 3 (:func:`can_copy`): ``rows`` (values in the order of
    ``names``) by one ``COPY … FROM STDIN``. Rows reach the server in chunks of 32 KiB as
    they are taken from ``rows``, and it stores each chunk while the next is made: given
    a generator, the making and the storing overlap (on two cores)."""
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in names]
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        _copy(cursor, sql, rows, fields, _prepared(fields))


def update_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """PostgreSQL: the columns ``names[1:]`` of the rows whose primary key is each row's
    first value, set from one array per column in one UPDATE (``bulk_update()`` writes a
    CASE per column as long as its batch: a 100,000-row import of changed targets took
    50 s in batches of 1,000)."""
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in names]
    table, key = quote(meta.db_table), quote(fields[0].column)
    columns = [quote(field.column) for field in fields]
    changes = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    casts = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only quoted names from the model's metadata; every value is a parameter.
            f"UPDATE {table} SET {changes} FROM unnest({casts}) "  # noqa: S608
            f"AS v({', '.join(columns)}) WHERE {table}.{key} = v.{columns[0]}",
            _arrays(fields, rows, connection),
        )


def save_fields(objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """Save the fields ``names`` of ``objects`` (of one model): one UPDATE from arrays on
    PostgreSQL (:func:`update_rows`), ``bulk_update()`` elsewhere."""
    if not objects:
        return
    model = type(objects[0])
    if not uses_arrays(connections[model._default_manager.db]):
        model._default_manager.bulk_update(objects, list(names))
        return
    meta = model._meta
    attnames = [meta.get_field(name).attname for name in names]  # type: ignore[union-attr]
    update_rows(
        model,
        (meta.pk.name, *names),
        [(obj.pk, *(getattr(obj, name) for name in attnames)) for obj in objects],
    )


def _prepared(fields: list[Any]) -> list[int]:
    """The positions of the fields whose values the driver does not take as they are."""
    return [index for index, field in enumerate(fields) if not isinstance(field, _PLAIN_FIELDS)]


def _arrays(fields: list[Any], rows: Sequence[Sequence[Any]], connection: Any) -> list[Any]:
    """One list per column of ``rows``, each value as the driver takes it."""
    arrays = [[row[index] for row in rows] for index in range(len(fields))]
    for index in _prepared(fields):
        arrays[index] = [
            fields[index].get_db_prep_save(value, connection) for value in arrays[index]
        ]
    return arrays


def _copy(
    cursor: Any, sql: str, rows: Iterable[Sequence[Any]], fields: list[Any], prepared: list[int]
) -> None:
    """``rows`` through psycopg 3's ``COPY … FROM STDIN`` (about twice as fast as the
    INSERT from arrays for 100,000 redirects), logged as a query like any other."""
    connection = cursor.db
    logged = getattr(cursor, "debug_sql", None)  # Django's debug cursor (tests, DEBUG)
    # A value to prepare is most often the same for every row (the moment of an import).
    memo: dict[tuple[int, Any], Any] = {}

    def prepare(index: int, value: Any) -> Any:
        if (index, value) not in memo:
            memo[(index, value)] = fields[index].get_db_prep_save(value, connection)
        return memo[(index, value)]

    def run(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if prepared:
                    row = list(row)
                    for index in prepared:
                        row[index] = prepare(index, row[index])
                copy.write_row(row)

    # Through the site's execute wrappers (Django's database instrumentation), as any
    # statement is.
    executor: Any = run
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    with logged(sql) if logged is not None else contextlib.nullcontext():
        executor(sql, None, False, {"connection": connection, "cursor": cursor})


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """PostgreSQL: ``count`` values of ``model``'s primary key from its sequence, for rows
    written with their ids (so that no RETURNING is needed to know them)."""
    connection = connections[model._default_manager.db]
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 (every model has one)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]
