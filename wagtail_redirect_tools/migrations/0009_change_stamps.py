import uuid

from django.db import migrations, models

NAMES = ("redirects", "windows", "pages")


def add_stamps(apps, schema_editor):
    ChangeStamp = apps.get_model("wagtail_redirect_tools", "ChangeStamp")
    ChangeStamp.objects.using(schema_editor.connection.alias).bulk_create(
        [ChangeStamp(name=name, stamp=uuid.uuid4().hex) for name in NAMES]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_redirect_tools", "0008_not_found_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeStamp",
            fields=[
                ("name", models.CharField(max_length=16, primary_key=True, serialize=False)),
                ("stamp", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "change stamp",
                "verbose_name_plural": "change stamps",
            },
        ),
        migrations.RunPython(add_stamps, migrations.RunPython.noop),
    ]
