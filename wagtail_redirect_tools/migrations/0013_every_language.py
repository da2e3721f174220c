from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_redirect_tools", "0012_not_found_bound"),
    ]

    operations = [
        migrations.AddField(
            model_name="redirectdetails",
            name="every_language",
            field=models.BooleanField(
                default=False,
                db_default=False,
                help_text=(
                    "On a multilingual site: the redirect also answers its path under every "
                    "language's prefix (/old-page for /cy/old-page/ and /fr/old-page/), and "
                    "leads to the target page's translation in that language."
                ),
                verbose_name="every language",
            ),
        ),
    ]
