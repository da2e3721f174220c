from typing import Any

from django.db import migrations

from wagtail_redirect_tools import collation


def case_sensitive(apps: Any, schema_editor: Any) -> None:
    collation.make_sensitive(schema_editor, apps)


class Migration(migrations.Migration):
    """On MySQL and MariaDB only: old paths that differ in case or accents (``/About``,
    ``/about``) are different redirects, as on PostgreSQL and SQLite (see collation.py).
    Reversing leaves the columns as they are: nothing depends on them being insensitive."""

    dependencies = [
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtail_redirect_tools", "0005_rename_import_batch"),
    ]

    # MySQL cannot alter a table inside a transaction.
    operations = [migrations.RunPython(case_sensitive, migrations.RunPython.noop, atomic=False)]
