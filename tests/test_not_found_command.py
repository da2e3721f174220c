"""``redirects_not_found`` prints the open 404 log."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.not_found.models import NotFoundPath


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("redirects_not_found", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestCommand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, _home = fresh_site_tree("localhost")
        now = timezone.now()
        for path, hits, bot_hits, days_ago in [
            ("/busy", 40, 0, 1),
            ("/quiet", 2, 0, 1),
            ("/scanner", 90, 90, 1),
            ("/last-month", 12, 0, 30),
            ("/redirected", 99, 0, 1),
        ]:
            NotFoundPath.objects.create(
                site=cls.site,
                path=path,
                hits=hits,
                bot_hits=bot_hits,
                first_seen_at=now - datetime.timedelta(days=days_ago),
                last_seen_at=now - datetime.timedelta(days=days_ago),
                referrers=["example.org/links"],
            )
        Redirect.add_redirect("/redirected", "/busy/")

    def test_csv_most_hit_first_without_answered_paths(self) -> None:
        out, err = run()
        lines = out.splitlines()
        self.assertEqual(lines[0], "path,site,hits,bot_hits,first_seen_at,last_seen_at,referrers")
        self.assertEqual(
            [line.split(",")[0] for line in lines[1:]],
            ["/scanner", "/busy", "/last-month", "/quiet"],
        )
        self.assertIn("localhost,40,0,", lines[2])
        self.assertEqual(err.strip(), "4 paths not found.")

    def test_json_with_filters(self) -> None:
        out, _err = run("--format", "json", "--since", "7", "--min-hits", "3", "--hide-bots")
        rows = json.loads(out)
        self.assertEqual([row["path"] for row in rows], ["/busy"])
        self.assertEqual(rows[0]["referrers"], ["example.org/links"])
        since = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()
        out, _err = run("--format", "json", "--since", since, "--hide-bots")
        self.assertEqual(len(json.loads(out)), 3)

    def test_mistakes(self) -> None:
        with pytest.raises(CommandError, match="--since 'last week'"):
            run("--since", "last week")
        with pytest.raises(CommandError, match="--min-hits"):
            run("--min-hits", "-1")
