from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_redirect_tools", "0013_every_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="redirectdetails",
            name="is_pattern",
            field=models.BooleanField(
                db_default=False,
                db_index=True,
                default=False,
                help_text=(
                    "The path is a pattern (see wagtail_redirect_tools.patterns): /old-section/* "
                    "matches that path and everything under it, /news/:year/:slug named segments."
                ),
                verbose_name="pattern",
            ),
        ),
    ]
