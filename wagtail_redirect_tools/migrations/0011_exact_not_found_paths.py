from typing import Any

from django.db import migrations

from wagtail_redirect_tools.database import collation

FIELDS = (("wagtail_redirect_tools", "NotFoundPath", "path"),)


def exact(apps: Any, schema_editor: Any) -> None:
    collation.make_sensitive(schema_editor, apps, FIELDS)


def table_collation(apps: Any, schema_editor: Any) -> None:
    collation.restore_table_collations(schema_editor, apps, FIELDS)


class Migration(migrations.Migration):
    """On MySQL and MariaDB only: the 404 log's path gets the exact collation 0006 gave
    the redirects' paths, so that ``/About`` and ``/about`` are two entries (in the
    database's collation they were one, counting only the later one's hits) and the log
    compares with core's old paths in every collation the database may have. Reversed,
    the column gets its table's default collation again."""

    dependencies = [("wagtail_redirect_tools", "0010_import_heartbeat")]

    # MySQL cannot alter a table inside a transaction.
    operations = [migrations.RunPython(exact, table_collation, atomic=False)]
