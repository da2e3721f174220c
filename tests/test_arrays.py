"""Long lists of values on PostgreSQL (``wagtail_redirect_tools.database.arrays``): the ``any_of``
lookup finds what ``in`` finds for any text, and rows written by COPY or by an INSERT from
arrays are the same rows, counted as queries like any other."""

from __future__ import annotations

import datetime
import time

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from wagtail.contrib.redirects.models import Redirect

from wagtail_redirect_tools.database.arrays import (
    copy_rows,
    insert_rows,
    new_ids,
    text_array,
    update_rows,
)
from wagtail_redirect_tools.models import REDIRECT_INSERT_FIELDS, RedirectDetails

# Text PostgreSQL stores (no NUL), with what an array literal must escape.
TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20
)
AWKWARD = ['a"b', "c\\d", "e,f", "{g}", " h ", "NULL", "", "ü/ß", '\\"', "'"]


class TestTextArray(HypothesisTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's array literal")

    @settings(max_examples=60, deadline=None)
    @given(values=st.lists(TEXT, max_size=8))
    def test_postgresql_reads_back_every_value(self, values: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::text[]", [text_array(values)])
            self.assertEqual(cursor.fetchone()[0], values)

    def test_awkward_values(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::text[]", [text_array(AWKWARD)])
            self.assertEqual(cursor.fetchone()[0], AWKWARD)


class TestAnyOf(TestCase):
    def test_finds_what_in_finds(self) -> None:
        for path in AWKWARD[:-3]:
            Redirect.objects.create(old_path=f"/{path}", redirect_link="/x/")
        asked = [f"/{path}" for path in AWKWARD] + ["/absent"]
        found = set(Redirect.objects.filter(old_path__any_of=asked).values_list("pk", flat=True))
        expected = set(Redirect.objects.filter(old_path__in=asked).values_list("pk", flat=True))
        self.assertEqual(found, expected)
        self.assertEqual(len(found), len(AWKWARD) - 3)

    def test_a_subquery_still_works(self) -> None:
        Redirect.objects.create(old_path="/a", redirect_link="/a")
        Redirect.objects.create(old_path="/b", redirect_link="/z")
        links = Redirect.objects.values("redirect_link")
        found = Redirect.objects.filter(old_path__any_of=links).values_list("old_path", flat=True)
        self.assertEqual(list(found), ["/a"])


class TestInsertRows(TestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's bulk writes")

    def rows(self, prefix: str, moment: datetime.datetime) -> list[tuple[object, ...]]:
        return [
            (f"/{prefix}/{path}", None, True, None, "", f"/to/{index}", False, moment)
            for index, path in enumerate(AWKWARD)
        ]

    def test_copy_and_arrays_write_the_same_rows(self) -> None:
        moment = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)
        with CaptureQueriesContext(connection) as queries:
            insert_rows(Redirect, REDIRECT_INSERT_FIELDS, self.rows("copy", moment))
        self.assertEqual(len(queries), 1)  # COPY, counted like any statement
        self.assertTrue(queries[0]["sql"].startswith("COPY "))
        returned = insert_rows(
            Redirect, REDIRECT_INSERT_FIELDS, self.rows("arrays", moment), returning=("id",)
        )
        self.assertEqual(len(returned), len(AWKWARD))

        def stored(prefix: str) -> list[tuple[object, ...]]:
            found = Redirect.objects.filter(old_path__startswith=f"/{prefix}/").order_by("pk")
            fields = (
                "old_path",
                "site",
                "is_permanent",
                "redirect_page",
                "redirect_page_route_path",
            )
            return [
                (row[0].removeprefix(f"/{prefix}/"), *row[1:])
                for row in found.values_list(
                    *fields, "redirect_link", "automatically_created", "created_at"
                )
            ]

        self.assertEqual(stored("copy"), stored("arrays"))
        self.assertEqual(stored("copy")[0][-1], moment)

    def test_copy_stores_rows_while_the_rest_are_still_being_made(self) -> None:
        """A move's redirects are made while COPY sends them: the server must be storing
        the first ones (as another session sees, in pg_stat_progress_copy) before the
        generator has made the last."""
        import psycopg

        moment = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)
        params = connection.settings_dict
        pid = connection.cursor().connection.info.backend_pid
        stored_meanwhile: list[int] = []
        with psycopg.connect(
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"] or None,
            dbname=params["NAME"],
            autocommit=True,
        ) as watcher:

            def progress() -> int:
                row = watcher.execute(
                    "SELECT tuples_processed FROM pg_stat_progress_copy WHERE pid = %s", [pid]
                ).fetchone()
                return int(row[0]) if row else 0

            def rows() -> object:
                for index in range(20_000):
                    if index == 15_000:  # ~700 KB made: wait for the server to store some
                        deadline = time.monotonic() + 5
                        while not progress() and time.monotonic() < deadline:
                            time.sleep(0.01)
                        stored_meanwhile.append(progress())
                    yield (f"/streamed/{index}", None, True, None, "", "/to/", False, moment)

            copy_rows(Redirect, REDIRECT_INSERT_FIELDS, rows())  # type: ignore[arg-type]
        self.assertGreater(stored_meanwhile[0], 0)
        self.assertEqual(Redirect.objects.filter(old_path__startswith="/streamed/").count(), 20_000)

    def test_new_ids_come_from_the_sequence(self) -> None:
        first = Redirect.objects.create(old_path="/first", redirect_link="/x")
        ids = new_ids(Redirect, 3)
        self.assertEqual(len(set(ids)), 3)
        self.assertTrue(all(pk > first.pk for pk in ids))
        later = Redirect.objects.create(old_path="/later", redirect_link="/x")
        self.assertGreater(later.pk, max(ids))  # never handed out again

    def test_update_rows_sets_the_given_columns_of_the_given_rows(self) -> None:
        one = Redirect.objects.create(old_path="/one", redirect_link="/a")
        two = Redirect.objects.create(old_path="/two", redirect_link="/b")
        other = Redirect.objects.create(old_path="/other", redirect_link="/c")
        with CaptureQueriesContext(connection) as queries:
            update_rows(
                Redirect,
                ("id", "redirect_link", "is_permanent"),
                [(one.pk, 'a"b\\c', False), (two.pk, "", True)],
            )
        self.assertEqual(len(queries), 1)
        found = dict(Redirect.objects.values_list("old_path", "redirect_link"))
        self.assertEqual(found, {"/one": 'a"b\\c', "/two": "", "/other": "/c"})
        self.assertFalse(Redirect.objects.get(pk=one.pk).is_permanent)
        other.refresh_from_db()
        self.assertEqual(other.redirect_link, "/c")

    def test_insert_or_update_on_the_primary_key(self) -> None:
        first = Redirect.objects.create(old_path="/first", redirect_link="/a")
        second = Redirect.objects.create(old_path="/second", redirect_link="/b")
        RedirectDetails.objects.create(redirect=first, status_code=301, reason="old", hits=7)
        names = ("redirect", "status_code", "origin", "reason", "hits")
        insert_rows(
            RedirectDetails,
            names,
            [(first.pk, 308, "import", "new", 0), (second.pk, 302, "import", "added", 0)],
            update_on_conflict=("status_code", "reason"),
        )
        found = {
            d.redirect_id: (d.status_code, d.reason, d.hits) for d in RedirectDetails.objects.all()
        }
        self.assertEqual(found, {first.pk: (308, "new", 7), second.pk: (302, "added", 0)})
