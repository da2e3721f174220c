from django.db import migrations, models


class Migration(migrations.Migration):
    """An import's job beats while it runs (``heartbeat_at``), so one whose worker died
    is seen and can be retried."""

    dependencies = [
        ("wagtail_redirect_tools", "0009_change_stamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="redirectimport",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
