"""An index on the 404 log in the order its report and the dashboard read it (most hit
first, then by path): their first page is read from it, not from every row sorted
(issue 34, item 5)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_redirect_tools", "0014_pattern_redirects"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notfoundpath",
            index=models.Index(fields=["-hits", "path", "id"], name="wrt_not_found_most_hit"),
        ),
    ]
