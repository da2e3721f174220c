from django.db import migrations, models

import wagtail_redirect_tools.models


class Migration(migrations.Migration):
    """The rows an upload read are kept with its import (``rows_file``), so the preview
    and the confirm do not parse the file again."""

    dependencies = [
        ("wagtail_redirect_tools", "0006_case_sensitive_paths"),
    ]

    operations = [
        migrations.AddField(
            model_name="redirectimport",
            name="rows_file",
            field=models.FileField(
                blank=True,
                max_length=255,
                upload_to=wagtail_redirect_tools.models._import_upload_path,
            ),
        ),
    ]
