"""Case- and accent-sensitive path columns on MySQL and MariaDB.

Those servers compare text with the column's collation, and their usual default
(``utf8mb4_general_ci``) ignores case, accents and trailing spaces: ``/About`` and
``/about`` would be one key of core's unique constraint and one answer to a lookup, where
Wagtail, PostgreSQL and SQLite see two paths. Migration 0006 gives the columns below a
binary collation of their own character set; ``redirects_doctor`` reports a column that
lost it (a later migration that rebuilds it, a restored dump) and ``--fix`` restores it.
Other databases compare text exactly already: nothing here touches them.

Searching stays case-insensitive: Django's ``icontains`` and ``iexact`` on MySQL rely on
the column's collation to ignore case, so on these columns they compare lower-cased text
instead (core's Redirects search and ours, "about" finding ``/About``).
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import lookups

#: (app label, model name, field name) of every column a redirect is looked up by.
PATH_FIELDS = (
    ("wagtailredirects", "Redirect", "old_path"),
    ("wagtailredirects", "Redirect", "redirect_link"),  # chains are re-pointed by link
    ("wagtail_redirect_tools", "ScheduledRedirect", "old_path"),
)


def applies_to(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "mysql"


def binary_collation(connection: Any, charset: str) -> str:
    """The exact, no-padding collation of ``charset`` (MySQL 8 has no padding only in
    ``utf8mb4_0900_bin``; its other ``_bin`` collations still ignore trailing spaces)."""
    if connection.mysql_is_mariadb:
        return f"{charset}_nopad_bin"
    return "utf8mb4_0900_bin" if charset == "utf8mb4" else f"{charset}_bin"


def _columns(connection: BaseDatabaseWrapper, models: Any) -> dict[tuple[str, str], Any]:
    """(table, column) -> (model, field name, character set, collation)."""
    wanted = {}
    for app_label, model_name, name in PATH_FIELDS:
        model = models.get_model(app_label, model_name)
        wanted[(model._meta.db_table, model._meta.get_field(name).column)] = (model, name)
    tables = sorted({table for table, _column in wanted})
    # Only placeholders are interpolated; the table names travel as parameters.
    sql = (
        "SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_SET_NAME, COLLATION_NAME "  # noqa: S608
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
        f"AND TABLE_NAME IN ({', '.join(['%s'] * len(tables))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        found = cursor.fetchall()
    return {
        (table, column): (*wanted[(table, column)], charset, collation)
        for table, column, charset, collation in found
        if (table, column) in wanted
    }


def insensitive_columns(
    connection: BaseDatabaseWrapper | None = None, models: Any = None
) -> list[tuple[Any, str, str]]:
    """(model, field name, character set) of each path column without its exact collation."""
    from django.apps import apps

    connection = connection or connections["default"]
    if not applies_to(connection):
        return []
    return [
        (model, name, charset)
        for model, name, charset, collation in _columns(connection, models or apps).values()
        if collation != binary_collation(connection, charset)
    ]


def make_sensitive(schema_editor: BaseDatabaseSchemaEditor, models: Any = None) -> int:
    """Give each path column its exact collation; how many columns changed."""
    columns = insensitive_columns(schema_editor.connection, models)
    for model, name, charset in columns:
        old = model._meta.get_field(name)
        new = copy.copy(old)
        new.db_collation = binary_collation(schema_editor.connection, charset)
        schema_editor.alter_field(model, old, new)
    return len(columns)


class _Folded:
    """A case-insensitive lookup that lower-cases both sides on MySQL, where the
    inherited SQL would compare with the (exact) column collation. The operator is
    Django's own for the lookup (``LIKE``, with its escaping of ``%`` and ``_``, and
    its ``CONCAT`` around an expression)."""

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lookup: Any = self
        lhs_sql, lhs_params = lookup.process_lhs(compiler, connection)
        rhs_sql, rhs_params = lookup.process_rhs(compiler, connection)
        operator = lookup.get_rhs_op(connection, f"LOWER({rhs_sql})")
        return f"LOWER({lhs_sql}) {operator}", [*lhs_params, *rhs_params]


class FoldedIContains(_Folded, lookups.IContains):
    pass


class FoldedIExact(_Folded, lookups.IExact):
    pass


def register_lookups() -> None:
    """Give each path column the case-insensitive lookups above (AppConfig.ready)."""
    from django.apps import apps

    for app_label, model_name, name in PATH_FIELDS:
        try:
            field = apps.get_model(app_label, model_name)._meta.get_field(name)
        except LookupError:  # core's redirects app missing: a system check reports it
            continue
        field.register_instance_lookup(FoldedIContains)
        field.register_instance_lookup(FoldedIExact)
