"""Long lists of values in one parameter on PostgreSQL.

A batch of a page move compares thousands of paths and writes thousands of rows. As
``IN (%s, %s, …)`` and ``VALUES (…), (…)`` that is a statement with tens of thousands of
placeholders, which the driver scans and converts on every execution (psycopg's
``_split_query`` took a quarter of a 10,000-page move's handler time, Django's building
of the parameters another eighth). On PostgreSQL the same work is one array parameter
per column: ``= ANY(%s)``, ``unnest(%s, …)``. Other databases keep the portable forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(In):
    """``field__any_of=values``: ``IN`` everywhere, ``= ANY(array)`` on PostgreSQL."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lookup: Lookup[Any] = self
        lhs_sql, lhs_params = lookup.process_lhs(compiler, connection)
        field = lookup.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in set(lookup.rhs)]
        cast = field.cast_db_type(connection)
        return f"{lhs_sql} = ANY(%s::{cast}[])", [*lhs_params, values]


def uses_arrays(connection: Any) -> bool:
    return bool(connection.vendor == "postgresql")


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
) -> list[tuple[Any, ...]]:
    """PostgreSQL: ``rows`` (values in the order of ``names``) in one INSERT from one array
    per column (``unnest``), and the ``returning`` columns of the rows written.

    For many rows at once, where ``bulk_create()`` builds a model instance and prepares
    each value of each row (most of a 100,000-row import's writing). No signals are sent,
    as with ``bulk_create()``; every field without a database default must be named.
    """
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name: str) -> str:
        return str(quote(str(meta.get_field(name).column)))  # type: ignore[union-attr]

    fields: list[Any] = [meta.get_field(name) for name in names]
    arrays = []
    for index, field in enumerate(fields):
        values = [row[index] for row in rows]
        if not isinstance(field, _PLAIN_FIELDS):
            values = [field.get_db_prep_save(value, connection) for value in values]
        arrays.append(values)
    columns = ", ".join(column(name) for name in names)
    casts = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({casts})"  # noqa: S608
    if returning:
        sql += " RETURNING " + ", ".join(column(name) for name in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        return list(cursor.fetchall()) if returning else []
