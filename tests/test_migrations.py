"""Models and migrations agree (on whichever Wagtail version this run uses), and every
migration of ours goes back and forward again.

Migrations 0006 (core's own columns) and 0011 (the 404 log's path) give path columns an
exact collation on MySQL and MariaDB: going back gives them their table's collation
again, in each collation the database may have (marked ``collation``).
"""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.test import TransactionTestCase
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools.database import collation
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect
from wagtail_redirect_tools.not_found.models import NotFoundPath

pytestmark = pytest.mark.collation

BEFORE_0006 = "0005"
BEFORE_0011 = "0010"


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def path_collations() -> dict[str, str]:
    """``table.column`` -> collation of each path column, and of its table (MySQL)."""
    tables = [
        Redirect._meta.db_table,
        ScheduledRedirect._meta.db_table,
        NotFoundPath._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLLATION_NAME, t.TABLE_COLLATION "
            "FROM information_schema.COLUMNS c JOIN information_schema.TABLES t "
            "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
            "WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME IN (%s, %s, %s) "
            "AND c.COLUMN_NAME IN ('old_path', 'redirect_link', 'path')",
            tables,
        )
        rows = cursor.fetchall()
    found = {f"{table}.{column}": coll for table, column, coll, _table in rows}
    found.update({table: table_collation for table, _c, _coll, table_collation in rows})
    return found


class TestBackAndForth(TransactionTestCase):
    def migrate(self, target: str | None = None) -> None:
        args = ["wagtail_redirect_tools", target] if target else []
        call_command("migrate", *args, verbosity=0, stdout=io.StringIO())

    def setUp(self) -> None:
        self.addCleanup(self.migrate)  # a failure halfway leaves the schema whole

    def test_back_before_0006_and_forward_again(self) -> None:
        self.migrate(BEFORE_0006)
        self.migrate()
        # The schema is whole again: a window and a redirect are written and read back.
        Redirect.add_redirect("/about", "/one/")
        self.assertTrue(Redirect.objects.filter(old_path="/about").exists())
        self.assertFalse(ScheduledRedirect.objects.exists())

    @pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL and MariaDB only")
    def test_0006_reversed_gives_core_columns_their_table_collation(self) -> None:
        exact = collation.binary_collation(connection, "utf8mb4")
        redirects, windows = Redirect._meta.db_table, ScheduledRedirect._meta.db_table
        columns = [f"{redirects}.old_path", f"{redirects}.redirect_link", f"{windows}.old_path"]
        forward = path_collations()
        self.assertEqual([forward[column] for column in columns], [exact] * 3)

        self.migrate(BEFORE_0006)
        back = path_collations()
        self.assertEqual(
            [back[column] for column in columns], [back[redirects], back[redirects], back[windows]]
        )
        self.assertEqual(back[redirects], forward[redirects])  # the database's collation

        self.migrate()
        self.assertEqual(path_collations(), forward)

    @pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL and MariaDB only")
    def test_0006_is_not_reversed_while_two_redirects_differ_only_in_case(self) -> None:
        table_collation = path_collations()[Redirect._meta.db_table]
        if table_collation.endswith("_bin"):
            self.skipTest(f"{table_collation} tells /About from /about: nothing clashes")
        site, _home = fresh_site_tree("localhost")
        Redirect.add_redirect("/About", "/one/", site=site)
        Redirect.add_redirect("/about", "/two/", site=site)
        redirects = Redirect._meta.db_table
        columns = [f"{redirects}.old_path", f"{redirects}.redirect_link"]
        before = [path_collations()[column] for column in columns]
        with self.assertRaisesMessage(IrreversibleError, "/About / /about"):
            self.migrate(BEFORE_0006)
        # Refused before any of core's columns changed.
        self.assertEqual([path_collations()[column] for column in columns], before)
        # Deleted in SQL: the migrations after 0006 are undone by now, and the ORM would
        # read our details' later columns (every_language) in its cascade.
        pk = Redirect.objects.get(old_path="/about").pk
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, column in (
                (RedirectDetails._meta.db_table, "redirect_id"),
                (redirects, "id"),
            ):
                cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} = %s", [pk])  # noqa: S608
        self.migrate(BEFORE_0006)
        self.assertNotEqual([path_collations()[column] for column in columns], before)

    @pytest.mark.skipif(connection.vendor != "mysql", reason="MySQL and MariaDB only")
    @time_machine.travel("2026-06-01 12:00Z", tick=False)
    def test_0011_exact_log_paths_back_and_forth(self) -> None:
        log = NotFoundPath._meta.db_table
        exact = collation.binary_collation(connection, "utf8mb4")
        self.assertEqual(path_collations()[f"{log}.path"], exact)
        site, _home = fresh_site_tree("localhost")
        now = timezone.now()
        for path in ("/About", "/about"):  # two entries, in every collation
            NotFoundPath.objects.create(site=site, path=path, first_seen_at=now, last_seen_at=now)
        if not path_collations()[log].endswith("_bin"):
            with self.assertRaisesMessage(IrreversibleError, "/About / /about"):
                self.migrate(BEFORE_0011)
            self.assertEqual(path_collations()[f"{log}.path"], exact)
            NotFoundPath.objects.filter(path="/about").delete()
        self.migrate(BEFORE_0011)
        collations = path_collations()
        self.assertEqual(collations[f"{log}.path"], collations[log])
        self.migrate()
        self.assertEqual(path_collations()[f"{log}.path"], exact)
