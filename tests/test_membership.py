"""The set of stored old paths (resolution/membership.py): a first 404 with no redirect at
its path costs no redirect query, a first hit one, and the set never says "not stored"
of a path the database's own comparison would find (on SQLite, PostgreSQL and MariaDB)."""

from __future__ import annotations

import contextlib
import io
from unittest import mock, skipUnless

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import Client, RequestFactory, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from tests.utils.kept import read_kept_redirects
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.middleware import RedirectMiddleware
from wagtail_redirect_tools.models import ChangeStamp
from wagtail_redirect_tools.resolution import membership, pattern_index, remembered, window_index
from wagtail_redirect_tools.resolution.core_redirects import _rows

OURS = "wagtail_redirect_tools.middleware.RedirectMiddleware"
WITHOUT_OURS = [name for name in settings.MIDDLEWARE if name != OURS]

#: Stored paths and requests that differ from them only in case, accents, trailing spaces
#: or encoding (as the collation tests compare them).
STORED = ["/About", "/café", "/Straße", "/trailing ", "/caf%C3%A9-encoded", "/q?a=1&b=2"]
ASKED = [
    "/about",
    "/ABOUT",
    "/cafe",
    "/CAFÉ",
    "/strasse",
    "/STRASSE",
    "/trailing",
    "/trailing  ",
    "/café-encoded",
    "/q?b=2&a=1",
    "/q",
]


def not_found(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


class MembershipTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")

    def setUp(self) -> None:
        window_index.current_index(timezone.now())

    def middleware_alone(self, path: str) -> HttpResponse:
        request = RequestFactory().get(path, HTTP_HOST="localhost")
        request._wagtail_site = self.site  # type: ignore[attr-defined]
        return RedirectMiddleware(not_found)(request)  # type: ignore[return-value]

    def warm(self, client: Client) -> None:
        """Outside the counts: Wagtail's site root paths, our window index, the stamps,
        and the set of stored paths and the patterns (once per change of the redirects)."""
        client.get("/about/")
        window_index.current_index(timezone.now())
        read_kept_redirects()


# The stamps are read once per hour here: on a loaded machine a second may pass between
# the warm-up and the counted request (a check of the stamps is one query of its own).
@override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600)
class TestQueries(MembershipTestCase):
    def test_a_first_miss_costs_no_query_in_the_middleware_alone(self) -> None:
        for index in range(5):
            Redirect.add_redirect(f"/old-{index}", "/about/")
        read_kept_redirects()
        for path in ("/wp-login.php", "/missing/1/", "/missing/2/?utm_source=news", "/OLD-1"):
            with self.subTest(path), self.assertNumQueries(0):
                self.assertEqual(self.middleware_alone(path).status_code, 404)

    def test_a_first_hit_costs_one_query_in_the_middleware_alone(self) -> None:
        Redirect.add_redirect("/old-link", "/new/")
        read_kept_redirects()
        with self.assertNumQueries(1):
            response = self.middleware_alone("/old-link/?utm_source=news")
        self.assertEqual((response.status_code, response["Location"]), (301, "/new/"))

    def bare_queries(self, path: str) -> int:
        """The queries of a 404 at ``path`` on the same site without our middleware."""
        bare = Client()
        with override_settings(MIDDLEWARE=WITHOUT_OURS):
            bare.get("/about/")
            reset_queries()  # a request resets the log: count from its start
            with CaptureQueriesContext(connection) as without:
                self.assertEqual(bare.get(path).status_code, 404)
        return len(without)

    # Wagtail's own lookup of the site (joined with its root page) is answered from this
    # process's memory (resolution/sites.py preset_site): one query fewer than Wagtail alone.
    def test_full_stack_a_first_miss_costs_one_query_less_than_the_site_without_us(
        self,
    ) -> None:
        Redirect.add_redirect("/old-page", self.about)
        wagtail_alone = self.bare_queries("/missing/first/")
        client = Client()
        self.warm(client)
        with self.assertNumQueries(wagtail_alone - 1):
            self.assertEqual(client.get("/missing/second/").status_code, 404)

    def test_full_stack_a_first_hit_costs_what_the_site_costs_without_us(self) -> None:
        # A link target: a page target costs Wagtail's own site lookup for its URL too.
        Redirect.add_redirect("/old-page", "/about/", is_permanent=True)
        Redirect.add_redirect("/old-other", "/about/", is_permanent=True)
        wagtail_alone = self.bare_queries("/old-other/")
        client = Client()
        self.warm(client)
        with self.assertNumQueries(wagtail_alone):
            response = client.get("/old-page/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/about/"))

    def test_the_set_is_made_with_one_query_of_the_old_paths_once_per_change(self) -> None:
        Redirect.add_redirect("/old", "/new/")
        read_kept_redirects()
        Redirect.add_redirect("/newer", "/new/")
        pattern_index.current()  # its own query, tested in test_pattern_resolution
        with CaptureQueriesContext(connection) as made:
            self.middleware_alone("/anything")
        # Besides, on PostgreSQL, MySQL and MariaDB: the column's collation, from the catalog.
        reads = [
            q["sql"]
            for q in made
            if "wagtailredirects_redirect" in q["sql"]
            and not ("pg_attribute" in q["sql"] or "information_schema" in q["sql"])
        ]
        self.assertEqual(len(reads), 1, reads)
        select = reads[0]
        self.assertIn("old_path", select)
        self.assertNotIn("redirect_link", select)
        with self.assertNumQueries(0):
            self.middleware_alone("/something-else")

    def test_while_another_thread_makes_the_set_a_lookup_queries(self) -> None:
        Redirect.add_redirect("/old", "/new/")
        with membership._building:  # another thread is making it
            self.assertIsNone(membership.current())
            with self.assertNumQueries(1):
                self.assertEqual(self.middleware_alone("/missing").status_code, 404)
        self.assertIsNotNone(membership.current())


@override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600)
class TestRepeatedMissAtFullStack(MembershipTestCase):
    """Issue 34, item 2: a repeated 404 costs, with a query string or without, the queries
    of Wagtail's own routing (the site with its root page, then the root's specific page and
    the child by slug) but the site's, which our middleware answers from memory, and no
    redirect query; the second time one more (the check that the page tree alone decides
    it, see ``tests/test_early_not_found.py``), and from then on none: routing is skipped.
    ``/wp-login.php/`` costs none from the start because Wagtail's URL pattern
    takes no dot: Django answers 404 without routing."""

    def test_our_middleware_adds_no_query_to_a_repeated_miss(self) -> None:
        Redirect.add_redirect("/old-page", "/about/")
        for path in ("/gone/?utm_source=news", "/gone/", "/wp-login.php/?utm_source=news"):
            with self.subTest(path):
                bare = Client()
                with override_settings(MIDDLEWARE=WITHOUT_OURS):
                    bare.get(path)
                    reset_queries()  # a request resets the log: count from its start
                    with CaptureQueriesContext(connection) as without:
                        self.assertEqual(bare.get(path).status_code, 404)
                # Read now: the log is cleared by the next request (Django's request_started).
                wagtail_alone = len(without)
                self.assertEqual(wagtail_alone, 0 if "." in path else 3)  # Wagtail's routing
                client = Client()
                self.warm(client)
                # Wagtail's own site lookup is answered from memory (sites.preset_site).
                routing = max(wagtail_alone - 1, 0)
                with self.assertNumQueries(routing):
                    self.assertEqual(client.get(path).status_code, 404)
                tree_check = 0 if "." in path else 1
                with self.assertNumQueries(routing + tree_check):
                    self.assertEqual(client.get(path).status_code, 404)
                with self.assertNumQueries(0):
                    self.assertEqual(client.get(path).status_code, 404)
                with self.assertNumQueries(0):
                    self.assertEqual(self.middleware_alone(path).status_code, 404)


class TestNewRedirectsAreSeen(MembershipTestCase):
    def test_a_redirect_added_in_this_process_is_found_at_once(self) -> None:
        read_kept_redirects()
        self.assertEqual(self.middleware_alone("/fresh").status_code, 404)
        Redirect.add_redirect("/fresh-other", "/new/")  # a path never asked for before
        self.assertEqual(self.middleware_alone("/fresh-other")["Location"], "/new/")

    def test_a_redirect_added_in_another_process_is_found_after_the_stamp_check(self) -> None:
        Redirect.add_redirect("/old", "/new/")
        read_kept_redirects()
        # Another process adds a redirect: no signal here, only the stored stamp.
        Redirect.objects.bulk_create([Redirect(old_path="/elsewhere", redirect_link="/there/")])
        ChangeStamp.objects.update_or_create(
            name="redirects", defaults={"stamp": "another-process"}
        )
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=3600):
            # Within the interval this process has not read the stamps again.
            self.assertEqual(self.middleware_alone("/elsewhere").status_code, 404)
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
            response = self.middleware_alone("/elsewhere/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/there/"))

    def test_a_redirect_committed_while_the_set_is_read_is_found_after_the_stamp_check(
        self,
    ) -> None:
        # The set is labelled with the stamp read before its rows: another process's
        # write committed just after the rows were read brings a newer stamp, so the set
        # is made again once that stamp is seen.
        Redirect.add_redirect("/old", "/new/")
        build = membership.Membership.build

        def build_then_another_process_writes() -> membership.Membership:
            made = build()
            Redirect.objects.bulk_create([Redirect(old_path="/meanwhile", redirect_link="/m/")])
            ChangeStamp.objects.update_or_create(name="redirects", defaults={"stamp": "later"})
            return made

        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
            with mock.patch.object(
                membership.Membership, "build", staticmethod(build_then_another_process_writes)
            ):
                self.assertFalse(membership.current().may_hold(["/meanwhile"]))  # type: ignore[union-attr]
            self.assertEqual(self.middleware_alone("/meanwhile")["Location"], "/m/")


class TestStampReadBack(MembershipTestCase):
    def test_a_write_here_whose_stamp_reads_back_as_before(self) -> None:
        # A write in this process changes the stamp here at once and stores a new one when
        # its transaction commits (a TestCase never commits; in production the store may
        # fail): the stored stamp, read again, is the one the set was made under.
        Redirect.add_redirect("/old", "/new/")
        with override_settings(WAGTAIL_REDIRECT_TOOLS_INDEX_CHECK_SECONDS=0):
            read_kept_redirects()
            Redirect.add_redirect("/written-here", "/new/")
            self.assertEqual(self.middleware_alone("/written-here")["Location"], "/new/")


class TestSameAnswersAsTheDatabase(MembershipTestCase):
    """A false "may" costs a query; a false "not stored" would hide a redirect."""

    def answers(self, paths: list[str]) -> list[tuple[int, str | None]]:
        """What the middleware answers for each path: with the set, and with every lookup
        querying (as while another thread makes the set)."""
        found = []
        for path in paths:
            for use_the_set in (True, False):
                remembered.forget()
                with contextlib.ExitStack() as stack:
                    if not use_the_set:
                        stack.enter_context(membership._building)
                        stack.callback(membership.forget)
                    response = self.middleware_alone(path)
                found.append((response.status_code, response.get("Location")))
        return found

    def assert_same_answers(self, paths: list[str]) -> None:
        answers = self.answers(paths)
        for index, path in enumerate(paths):
            with self.subTest(path):
                self.assertEqual(answers[2 * index], answers[2 * index + 1])

    def test_paths_that_differ_only_in_case_accents_or_spaces(self) -> None:
        for index, path in enumerate(STORED):
            Redirect.objects.create(old_path=path, redirect_link=f"/to/{index}/")
        known = membership.Membership.build()
        for path in STORED:
            self.assertTrue(known.may_hold([path]))
        self.assertEqual(known.nbytes, 8 * len(STORED))
        self.assert_same_answers(STORED + ASKED + ["/caf%C3%A9", "/q/?a=1&b=2", "/About/"])
        read_kept_redirects()
        for path in ("/ABOUT", "/cafe", "/strasse", "/trailing"):
            with self.subTest(path), self.assertNumQueries(0):
                self.assertEqual(self.middleware_alone(path).status_code, 404)

    def test_pattern_and_all_sites_rows_are_in_the_set(self) -> None:
        Redirect.objects.create(old_path="/any-site", redirect_link="/to/")
        Redirect.objects.create(old_path="/this-site", redirect_link="/to/", site=self.site)
        known = membership.Membership.build()
        self.assertTrue(known.may_hold(["/nothing", "/any-site"]))
        self.assertTrue(known.may_hold(["/this-site"]))
        self.assertFalse(known.may_hold(["/nothing", "/other"]))


@skipUnless(connection.vendor == "mysql", "MySQL and MariaDB only")
class TestColumnThatLostItsCollation(TransactionTestCase):
    """Where ``old_path`` ignores case again (a collation lost, see ``redirects_doctor``),
    the SQL matches ``/About`` for ``/about``; the lookup keeps exact matches only, and the
    set answers as it does."""

    def test_the_same_answers_with_and_without_the_set(self) -> None:
        case = TestSameAnswersAsTheDatabase()
        case.site, _home = fresh_site_tree("localhost")
        for index, path in enumerate(STORED):
            Redirect.objects.create(old_path=path, redirect_link=f"/to/{index}/")
        table = connection.ops.quote_name(Redirect._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {table} MODIFY old_path varchar(255) "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL"
            )
        try:
            self.assertTrue(_rows(["/about"], None))  # the database itself matches it
            answers = case.answers(STORED + ASKED)
            for index, path in enumerate(STORED + ASKED):
                with self.subTest(path):
                    self.assertEqual(answers[2 * index], answers[2 * index + 1])
            self.assertEqual(answers[2 * len(STORED)], (404, None))  # /about
        finally:
            call_command("redirects_doctor", "--fix", stdout=io.StringIO())
