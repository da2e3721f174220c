from django.db import migrations


class Migration(migrations.Migration):
    """The import a redirect or window came from: ``source_import`` (it was
    ``import_batch``, which read like the batches of rows an import is written in)."""

    dependencies = [
        ("wagtail_redirect_tools", "0004_write_locks"),
    ]

    operations = [
        migrations.RenameField(
            model_name="redirectdetails", old_name="import_batch", new_name="source_import"
        ),
        migrations.RenameField(
            model_name="scheduledredirect", old_name="import_batch", new_name="source_import"
        ),
    ]
