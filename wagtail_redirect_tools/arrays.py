"""Long lists of values in one parameter on PostgreSQL.

A batch of a page move compares thousands of paths and writes thousands of rows. As
``IN (%s, %s, …)`` and ``VALUES (…), (…)`` that is a statement with tens of thousands of
placeholders, which the driver scans and converts on every execution (psycopg's
``_split_query`` took a quarter of a 10,000-page move's handler time, Django's building
of the parameters another eighth). On PostgreSQL the same work is one array parameter
per column: ``= ANY(%s)``, ``unnest(%s, …)``. Other databases keep the portable forms.
"""

from __future__ import annotations

from typing import Any

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
