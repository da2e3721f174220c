from typing import Any

from django.db import migrations

from wagtail_redirect_tools.database import collation

# As this migration found them (later ones add others).
FIELDS = (
    ("wagtailredirects", "Redirect", "old_path"),
    ("wagtailredirects", "Redirect", "redirect_link"),
    ("wagtail_redirect_tools", "ScheduledRedirect", "old_path"),
)


def case_sensitive(apps: Any, schema_editor: Any) -> None:
    collation.make_sensitive(schema_editor, apps, FIELDS)


def table_collations(apps: Any, schema_editor: Any) -> None:
    collation.restore_table_collations(schema_editor, apps, FIELDS)


class Migration(migrations.Migration):
    """On MySQL and MariaDB only: old paths that differ in case or accents (``/About``,
    ``/about``) are different redirects, as on PostgreSQL and SQLite (see collation.py).
    It changes three columns, two of them core's: ``wagtailredirects_redirect.old_path``
    and ``.redirect_link``, and ``wagtail_redirect_tools_scheduledredirect.old_path``, to
    their character set's exact collation (``utf8mb4_nopad_bin`` on MariaDB,
    ``utf8mb4_0900_bin`` on MySQL). Reversed (``migrate wagtail_redirect_tools 0005``),
    each gets its table's default collation again, as Django created it; refused while
    two of core's redirects differ only in case for one site (its unique constraint
    could not hold them)."""

    dependencies = [
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtail_redirect_tools", "0005_rename_import_batch"),
    ]

    # MySQL cannot alter a table inside a transaction.
    operations = [migrations.RunPython(case_sensitive, table_collations, atomic=False)]
