"""Case- and accent-sensitive path columns on MySQL and MariaDB.

Those servers compare text with the column's collation, and their usual default
(``utf8mb4_general_ci``) ignores case, accents and trailing spaces: ``/About`` and
``/about`` would be one key of core's unique constraint and one answer to a lookup, where
Wagtail, PostgreSQL and SQLite see two paths. Migration 0006 gives the columns below a
binary collation of their own character set; ``redirects_doctor`` reports a column that
lost it (a later migration that rebuilds it, a restored dump) and ``--fix`` restores it.
Other databases compare text exactly already: nothing here touches them.

Where one of those columns meets a column of another collation in a query (the 404 log's
paths against core's old paths, a window's path beside a page's ``url_path``), MySQL and
MariaDB refuse two different binary collations (``utf8mb4_bin`` against
``utf8mb4_nopad_bin``: "Illegal mix of collations"). :class:`ExactText` gives the other
side the path columns' collation explicitly, whatever collation the database has.

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
from django.db.migrations.exceptions import IrreversibleError
from django.db.models import Func, TextField, lookups

Field = tuple[str, str, str]  # (app label, model name, field name)

#: The columns migration 0006 made exact: those a redirect is looked up by.
REDIRECT_PATH_FIELDS: tuple[Field, ...] = (
    ("wagtailredirects", "Redirect", "old_path"),
    ("wagtailredirects", "Redirect", "redirect_link"),  # chains are re-pointed by link
    ("wagtail_redirect_tools", "ScheduledRedirect", "old_path"),
)
#: The column migration 0011 made exact: the 404 log's paths, one row per exact path, as
#: a redirect's (``/About`` and ``/about`` were one row, holding the later one's count).
NOT_FOUND_PATH_FIELDS: tuple[Field, ...] = (("wagtail_redirect_tools", "NotFoundPath", "path"),)
#: Every path column.
PATH_FIELDS = REDIRECT_PATH_FIELDS + NOT_FOUND_PATH_FIELDS


def applies_to(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "mysql"


def binary_collation(connection: Any, charset: str) -> str:
    """The exact, no-padding collation of ``charset`` (MySQL 8 has no padding only in
    ``utf8mb4_0900_bin``; its other ``_bin`` collations still ignore trailing spaces)."""
    if connection.mysql_is_mariadb:
        return f"{charset}_nopad_bin"
    return "utf8mb4_0900_bin" if charset == "utf8mb4" else f"{charset}_bin"


def _columns(
    connection: BaseDatabaseWrapper, models: Any, fields: tuple[Field, ...] = PATH_FIELDS
) -> dict[tuple[str, str], Any]:
    """(table, column) -> (model, field name, character set, collation) of ``fields``."""
    wanted = {}
    for app_label, model_name, name in fields:
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
    connection: BaseDatabaseWrapper | None = None,
    models: Any = None,
    fields: tuple[Field, ...] = PATH_FIELDS,
) -> list[tuple[Any, str, str]]:
    """(model, field name, character set) of each of ``fields`` (by default every path
    column) without its exact collation."""
    from django.apps import apps

    connection = connection or connections["default"]
    if not applies_to(connection):
        return []
    found = _columns(connection, models or apps, fields)
    return [
        (model, name, charset)
        for model, name, charset, collation in found.values()
        if collation != binary_collation(connection, charset)
    ]


def make_sensitive(
    schema_editor: BaseDatabaseSchemaEditor,
    models: Any = None,
    fields: tuple[Field, ...] = PATH_FIELDS,
) -> int:
    """Give each of ``fields`` (by default every path column) its exact collation; how
    many columns changed."""
    columns = insensitive_columns(schema_editor.connection, models, fields)
    for model, name, charset in columns:
        old = model._meta.get_field(name)
        new = copy.copy(old)
        new.db_collation = binary_collation(schema_editor.connection, charset)
        schema_editor.alter_field(model, old, new)
    return len(columns)


def _table_collations(connection: BaseDatabaseWrapper, tables: list[str]) -> dict[str, str]:
    """table -> its default collation, the one a column created without one gets."""
    sql = (
        "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES "  # noqa: S608
        "WHERE TABLE_SCHEMA = DATABASE() "
        f"AND TABLE_NAME IN ({', '.join(['%s'] * len(tables))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


#: The path columns in a unique constraint with a site: (app label, model name, field name)
#: -> the site's field name.
UNIQUE_WITH_SITE = {
    ("wagtailredirects", "Redirect", "old_path"): "site",
    ("wagtail_redirect_tools", "NotFoundPath", "path"): "site",
}


def _clashes(
    connection: BaseDatabaseWrapper, model: Any, name: str, site_name: str, collation: str
) -> list[str]:
    """Paths of ``model`` that its unique constraint (site, path) would hold to be one
    under ``collation`` (``/About`` and ``/about`` of one site), a few at most."""
    quote = connection.ops.quote_name
    meta = model._meta
    path, site = meta.get_field(name).column, meta.get_field(site_name).column
    charset = collation.split("_", 1)[0]  # a collation's name starts with its set's
    # Only quoted names from the model's metadata and a collation name read from the
    # server are interpolated.
    sql = (
        f"SELECT MIN({quote(path)}), MAX({quote(path)}) FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(site)} IS NOT NULL GROUP BY {quote(site)}, "
        f"CONVERT({quote(path)} USING {charset}) COLLATE {collation} HAVING COUNT(*) > 1 LIMIT 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [f"{low} / {high}" for low, high in cursor.fetchall()]


def restore_table_collations(
    schema_editor: BaseDatabaseSchemaEditor, models: Any, fields: tuple[Field, ...]
) -> int:
    """Migrations 0006 and 0011 reversed: each of ``fields`` that has its exact collation
    gets its table's default collation again, the one Django gave it (what the column had
    before was not recorded; a site that had set another one by hand sets it again).
    Refused, before any column changes, when a unique constraint (site, path) could not
    hold the rows under that collation (``/About`` and ``/about`` for one site). How many
    columns changed."""
    connection = schema_editor.connection
    if not applies_to(connection):
        return 0
    columns = _columns(connection, models, fields)
    tables = _table_collations(connection, sorted({table for table, _column in columns}))
    changes = []
    for (table, _column), (model, name, charset, current) in columns.items():
        restored = tables[table]
        if current == binary_collation(connection, charset) and current != restored:
            changes.append((model, name, current, restored))
    for model, name, _current, restored in changes:
        site_name = UNIQUE_WITH_SITE.get((model._meta.app_label, model._meta.object_name, name))
        clashes = _clashes(connection, model, name, site_name, restored) if site_name else []
        if clashes:
            raise IrreversibleError(
                f"{model._meta.db_table}: the paths {', '.join(clashes)} differ only in "
                f"case, accents or trailing spaces: under {restored} they would be one, "
                "which its unique constraint refuses. Delete or rename one of each pair, "
                "then migrate back again."
            )
    for model, name, current, restored in changes:
        old = copy.copy(model._meta.get_field(name))
        old.db_collation = current
        new = copy.copy(old)
        new.db_collation = restored
        schema_editor.alter_field(model, old, new)
    return len(changes)


class ExactText(Func):
    """A text expression compared as the path columns compare: exactly. On MySQL and
    MariaDB it is converted to utf8mb4 (which holds any character set's text) with that
    set's exact collation, named explicitly, so it wins over the implicit collation of
    the column it meets and agrees with the path columns' own (their index still serves
    the comparison). Elsewhere it is the expression itself: text compares exactly there.
    """

    arity = 1
    template = "%(expressions)s"
    output_field = TextField()

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        collation = binary_collation(connection, "utf8mb4")
        template = f"CONVERT(%(expressions)s USING utf8mb4) COLLATE {collation}"
        return self.as_sql(compiler, connection, template=template, **extra)


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


#: Our other columns the admin searches: in a database with a binary collation
#: (``utf8mb4_bin``) Django's ``icontains`` would tell "winter" from "Winter" there too.
SEARCHED_FIELDS: tuple[Field, ...] = (
    ("wagtail_redirect_tools", "ScheduledRedirect", "reason"),
    ("wagtail_redirect_tools", "ScheduledRedirect", "redirect_link"),
)


def register_lookups() -> None:
    """Give each path column, and our other searched columns, the case-insensitive lookups
    above (AppConfig.ready)."""
    from django.apps import apps

    for app_label, model_name, name in PATH_FIELDS + SEARCHED_FIELDS:
        try:
            field = apps.get_model(app_label, model_name)._meta.get_field(name)
        except LookupError:  # core's redirects app missing: a system check reports it
            continue
        field.register_instance_lookup(FoldedIContains)
        field.register_instance_lookup(FoldedIExact)
