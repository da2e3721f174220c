"""``redirects_not_found`` prints the open 404 log.

Marked ``collation``: the open log compares the log's paths with core's redirects, whose
column has a collation of its own on MySQL and MariaDB (CI runs these tests in each of
the database collations sites choose).
"""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.scheduling import schedule_redirect

pytestmark = pytest.mark.collation


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


class TestSpellings(TestCase):
    """A redirect or a window answers the path spelt as its source is, exactly: in every
    collation the database may have (``utf8mb4_bin`` refused the comparison)."""

    @time_machine.travel("2026-06-01 12:00Z", tick=False)
    def test_a_redirect_or_window_answers_its_own_spelling_only(self) -> None:
        site, _home = fresh_site_tree("localhost")
        now = timezone.now()
        for path in ("/About", "/about", "/Sale", "/sale", "/café", "/cafe"):
            NotFoundPath.objects.create(site=site, path=path, first_seen_at=now, last_seen_at=now)
        Redirect.add_redirect("/About", "/one/")
        Redirect.add_redirect("/café", "/one/", site=site)
        schedule_redirect("/sale", "/two/", expires_at=now + datetime.timedelta(days=1))
        out, err = run("--format", "json")
        self.assertEqual(
            sorted(row["path"] for row in json.loads(out)), ["/Sale", "/about", "/cafe"]
        )
        self.assertEqual(err.strip(), "3 paths not found.")
