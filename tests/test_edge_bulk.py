"""The edge export's bulk lookups (issue 34): the map read in bulk is the map each path's own
``resolve()`` gives (``build_map(..., exact=True)``, the old way), byte for byte in every
format, on a varied corpus: several sites and all-sites redirects, page targets (live,
draft, on no site, with a route), external links, query-string sources, both slash
forms, non-ASCII, 410s, active and upcoming windows, loops, paths of live and draft
pages, of a routable page's routes and of other views; the hostile corpus; and, on the
multilingual settings, the redirects for every language."""

from __future__ import annotations

import datetime
import io
import tempfile
import unittest
import unittest.mock
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from tests.testapp.models import EventIndexPage, FlatUrlPage
from tests.utils.pages import add_page, fresh_site_tree, make_site
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.edge import EDGE_FORMATS, MULTI_SITE_FORMATS, EdgeMap, build_map
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution import forget_process_state

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
# What the corpus meets, and the queries, are those of the single-language test site (the
# comparison itself holds under tests.settings_i18n too, every path then asked of resolve()).
PLAIN_SETTINGS = unittest.skipIf(
    getattr(settings, "WAGTAIL_I18N_ENABLED", False), "the single-language test site's URLs"
)
DAY = datetime.timedelta(days=1)


def redirect(
    path: str,
    target: str | Page = "",
    *,
    code: int = 301,
    site: Site | None = None,
    **fields: object,
) -> Redirect:
    if isinstance(target, Page):
        fields["redirect_page"] = target
        target = ""
    made = Redirect.objects.create(old_path=path, redirect_link=target, site=site, **fields)
    RedirectDetails.record(made, status_code=code)
    return made


def both_ways(sites: list[Site]) -> tuple[EdgeMap, EdgeMap]:
    forget_process_state()
    slow = build_map(sites, now=NOW, exact=True)
    forget_process_state()
    fast = build_map(sites, now=NOW)
    return slow, fast


def described(edge_map: EdgeMap) -> tuple[list[tuple[object, ...]], list[str]]:
    entries = [
        (e.site.pk, e.path, e.status_code, e.location, e.kind, e.source_id)
        for e in edge_map.entries
    ]
    return entries, [str(omission) for omission in edge_map.omitted]


def assert_same_everywhere(case: TestCase | None, sites: list[Site]) -> int:
    """Every format of every site (and of all sites, where one file holds several) is
    the same file either way, leaving out the same paths; returns the entries compared."""
    compared = 0
    groups = [[site] for site in sites] + [sites]
    for group in groups:
        slow, fast = both_ways(group)
        assert described(fast) == described(slow)
        compared += len(slow.entries)
        for name, edge_format in EDGE_FORMATS.items():
            if len(group) > 1 and name not in MULTI_SITE_FORMATS:
                continue
            expected, found = edge_format.render(slow), edge_format.render(fast)
            assert found.content.encode() == expected.content.encode(), name
            assert [str(o) for o in found.omitted] == [str(o) for o in expected.omitted], name
    return compared


@time_machine.travel(NOW, tick=False)
class TestSameMap(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, home = fresh_site_tree("localhost")
        cls.about = add_page(home, "about")
        team = add_page(cls.about, "team")
        draft = add_page(home, "draft", live=False)
        add_page(draft, "under-draft")  # a live page below a draft one: still routed
        events = add_page(home, "events", page_class=EventIndexPage)
        flat = add_page(home, "flat-parent", page_class=FlatUrlPage)
        add_page(home, "café")
        other_home = add_page(Page.get_first_root_node(), "other-home", title="Other")
        cls.other = make_site("other.example", other_home, port=8080)
        other_page = add_page(other_home, "elsewhere")
        orphan = add_page(Page.get_first_root_node(), "on-no-site")
        # Several sites and all sites, the same path on both.
        redirect("/shared", "/from-all/")
        redirect("/shared", "/from-localhost/", site=cls.site)
        redirect("/shared", "/from-other/", site=cls.other, code=302)
        redirect("/all-only", "https://example.org/all", code=308)
        redirect("/other-only", "/x/", site=cls.other, code=307)
        # Page targets: live, below a draft, draft, on no site, another site's, routable.
        redirect("/to-team", team)
        redirect("/to-under-draft", draft.get_children().first())
        redirect("/to-draft", draft)
        redirect("/to-orphan", orphan)
        redirect("/to-elsewhere", other_page, site=cls.site)
        redirect("/to-flat", flat, code=302)
        Redirect.objects.create(
            old_path="/to-past", redirect_page=events, redirect_page_route_path="/past/"
        )
        Redirect.objects.create(
            old_path="/to-no-route", redirect_page=events, redirect_page_route_path="/nowhere/"
        )
        # Pattern redirects: never exact entries (written apart, after them), and an exact
        # redirect under one still is.
        for source, target in [("/old-section/*", "/new/:splat"), ("/news/:year/:slug", "")]:
            made = Redirect.objects.create(old_path=source, redirect_link=target, site=cls.site)
            RedirectDetails.record(made, status_code=301 if target else 410, is_pattern=True)
        redirect("/old-section/kept", "/kept/", site=cls.site)
        # Query strings, slashes, non-ASCII, case, 410s.
        redirect("/index.php?id=7", "/about/")
        redirect("/index.php", "/home-php/")
        redirect("/search?q=caf%C3%A9&x=1", "https://example.org/?q=1")
        redirect("/caf\u00e9-old", "/caf\u00e9/")
        redirect("/\u65e5\u672c", "/ja/")
        redirect("/About-Us", "/about/")
        redirect("/gone", code=410)
        redirect("/gone-all", code=410, site=None)
        redirect("/", "/home-moved/", site=cls.other)
        # Loops and near-loops.
        redirect("/loop", "/loop/")
        redirect("/ping", "/pong")
        redirect("/pong", "/ping")
        redirect("/self-absolute", "http://localhost/self-absolute")
        # Paths of live and draft pages, of routes, of other views.
        redirect("/about", "/shadowed/")
        redirect("/about/team", "/shadowed-team/")
        redirect("/draft", "/draft-answered/")
        redirect("/draft/under-draft", "/under-draft-shadowed/")
        redirect("/caf\u00e9", "/cafe-shadowed/")
        redirect("/events/past", "/events-past-shadowed/")
        redirect("/events/nowhere", "/events-nowhere/")
        redirect("/events", "/events-shadowed/")
        redirect("/admin", "/admin-shadowed/")
        redirect("/admin/login", "/login-shadowed/")
        redirect("/api/v2/pages", "/api-shadowed/")
        redirect("/flat/home-localhost-flat-parent", "/flat-old/")
        redirect("/elsewhere", "/elsewhere-on-localhost/")
        redirect("/bad-scheme", "javascript:alert(1)")
        # Windows: on a path, on a page, for all sites, upcoming; over a redirect.
        schedule_redirect("/campaign", "/offers/", expires_at=NOW + DAY, site=cls.site)
        schedule_redirect("/shared", "/window-wins/", expires_at=NOW + DAY, site=None)
        schedule_redirect(cls.about, "/about-window/", expires_at=NOW + DAY)
        schedule_redirect(team, "/later/", starts_at=NOW + DAY, expires_at=NOW + 2 * DAY)
        schedule_redirect("/soon", "/soon-target/", starts_at=NOW + DAY, expires_at=NOW + 2 * DAY)

    def test_every_format_of_every_site_is_the_same_file(self) -> None:
        compared = assert_same_everywhere(self, [self.site, self.other])
        self.assertGreater(compared, 60)

    @PLAIN_SETTINGS
    def test_the_corpus_has_each_kind_of_answer_and_omission(self) -> None:
        # The comparison means something only if both ways meet each case.
        _slow, fast = both_ways([self.site])
        kinds = {entry.kind for entry in fast.entries}
        self.assertEqual(kinds, {"redirect", "gone", "window"})
        paths = {entry.path for entry in fast.entries}
        omitted = {omission.path for omission in fast.omitted}
        self.assertIn("/draft", paths)  # a draft page does not shadow
        self.assertIn("/draft/under-draft", paths)  # no slash: not a page URL
        self.assertNotIn("/draft/under-draft/", paths)  # a live page below a draft
        self.assertNotIn("/about/team/", paths)
        self.assertNotIn("/events/past/", paths)  # a route of a routable page
        self.assertIn("/events/nowhere/", paths)
        self.assertNotIn("/admin/", paths)  # another view answers it
        self.assertIn("/admin/", omitted)
        self.assertIn("/loop", omitted)
        self.assertIn("/to-orphan", omitted)
        self.assertIn("/bad-scheme", omitted)
        # Patterns are written apart (their own entries), never as the exact path "/old-section/*".
        self.assertIn("/old-section/kept", paths)
        self.assertFalse([path for path in paths if "*" in path or "/:" in path])
        self.assertEqual(
            sorted(entry.pattern.source for entry in fast.patterns),
            ["/news/:year/:slug", "/old-section/*"],
        )

    def test_the_command_writes_the_whole_text_in_pieces(self) -> None:
        # The file and standard output are written a piece at a time (made small here,
        # so that there are many): the same bytes as the whole text.
        from wagtail_redirect_tools.management.commands import redirects_export

        with (
            unittest.mock.patch.object(redirects_export, "PIECE", 100),
            tempfile.TemporaryDirectory() as folder,
        ):
            for name, edge_format in EDGE_FORMATS.items():
                forget_process_state()
                whole = edge_format.render(build_map([self.site], now=NOW)).content
                file = Path(folder) / name
                out = io.StringIO()
                for target in ([str(file)], []):
                    call_command(
                        "redirects_export",
                        *target,
                        format=name,
                        site="localhost",
                        stdout=out,
                        stderr=io.StringIO(),
                    )
                self.assertGreater(len(whole), 1000)
                self.assertEqual(file.read_bytes(), whole.encode(), name)
                self.assertEqual(out.getvalue(), whole, name)

    @PLAIN_SETTINGS
    def test_the_bulk_map_reads_in_a_few_queries(self) -> None:
        redirect_count = Redirect.objects.count()
        forget_process_state()
        with CaptureQueriesContext(connection) as queries:
            build_map([self.site], now=NOW)
        # The fixed reads, the windows' pages and the routable page's routes, not a
        # query or more per path as each path's resolve() costs.
        self.assertLess(len(queries), 40)
        forget_process_state()
        with CaptureQueriesContext(connection) as exact:
            build_map([self.site], now=NOW, exact=True)
        self.assertGreater(len(exact), redirect_count * 2)


@pytest.mark.django_db
def test_the_hostile_corpus_is_the_same_file() -> None:
    from tests.test_edge_corpus import make_corpus

    with time_machine.travel(NOW, tick=False):
        site = make_corpus()
        assert assert_same_everywhere(None, [site]) > 100


@pytest.fixture
def i18n_site() -> Iterator[Site]:
    from tests.test_i18n_every_language import every_language
    from tests.utils.i18n_compare import forget
    from tests.utils.i18n_site import build_site

    with time_machine.travel(NOW, tick=False):
        built = build_site()
        every_language("/old-about", built.page("en", "about"))
        every_language("/old-news", "/news/", status_code=302)
        Redirect.add_redirect("/cy/hen", "/cy/cysylltu/", is_permanent=True)
        every_language("/hen", built.page("en", "team"))
        every_language("/amdanom", built.page("en", "contact"))
        Redirect.add_redirect("/en/plain", "/en/about/", is_permanent=True)
        forget()
        yield Site.objects.get(hostname="localhost")


@pytest.mark.i18n
@pytest.mark.django_db
def test_every_language_redirects_are_the_same_file(i18n_site: Site) -> None:
    with time_machine.travel(NOW, tick=False):
        assert assert_same_everywhere(None, [i18n_site]) >= 8


URL_PATHS = [
    "/",
    "/about/",
    "/about",
    "/a/b/c/",
    "/admin",
    "/admin/",
    "/admin/login/",
    "/adminx/",
    "/api/v2/pages/",
    "/api/v2/pages",
    "/api/v2x/",
    "/_util/login/",
    "/_util/",
    "/caf\u00e9/",
    "/a.b/",
    "/a~b/",
    "/sitemap.xml",
]


def test_the_urlconf_read_once_answers_as_django() -> None:
    from django.urls import Resolver404
    from django.urls import resolve as resolve_url

    from wagtail_redirect_tools.edge.urlconf import UrlconfPaths

    urls = UrlconfPaths()
    assert urls._usable  # the test URLconf is readable: the shortcut is what is compared
    for path in URL_PATHS:
        try:
            expected = resolve_url(path)
        except Resolver404:
            with pytest.raises(Resolver404):
                urls.resolve(path)
            continue
        found = urls.resolve(path)
        assert (found.url_name, tuple(found.args)) == (expected.url_name, tuple(expected.args))


def test_an_unreadable_urlconf_is_asked_of_django() -> None:
    from django.urls.resolvers import RegexPattern, RoutePattern

    from wagtail_redirect_tools.edge.urlconf import literal_prefix

    assert literal_prefix(RoutePattern("admin/<int:pk>/")) == "admin/"
    assert literal_prefix(RegexPattern(r"^sitemap\.xml$")) == "sitemap"
    assert literal_prefix(RegexPattern(r"^pages?/")) == "page"
    assert literal_prefix(RegexPattern(r"^a/|^b/")) is None
    assert literal_prefix(RegexPattern(r"old/")) is None  # not anchored: anywhere
    assert literal_prefix(RegexPattern(r"^(?P<x>\w+)/")) == ""


LOCATIONS = [
    "/new/a/article-1/",
    "/",
    "//other.example/x",
    "/a~b/c.d_e-f",
    "/caf\u00e9/",
    "/a b",
    "/a?b=1",
    "/a#b",
    "/a%20b",
    "https://example.org/x",
    "javascript:alert(1)",
    "relative/path",
    "/" + "a" * 2047,
    "/" + "a" * 20_000,
]


def test_a_plain_location_is_sent_as_the_response_sends_it() -> None:
    from wagtail_redirect_tools.edge.entries import _sent_by_response, sent_location

    for location in LOCATIONS:
        for status_code in (301, 302, 307, 308):
            assert sent_location(location, status_code) == _sent_by_response(
                location, status_code
            ), location


def test_the_nextjs_pieces_are_what_json_dumps_writes() -> None:
    import json

    from wagtail_redirect_tools.edge.nextjs import _json_pieces

    item = {"source": '/caf\u00e9/"\\', "destination": "/b", "permanent": True, "n": 1.5}
    for items in ([], [item], [item, {"has": [{"type": "query", "key": "q"}], "x": None}]):
        expected = json.dumps(items, indent=2, ensure_ascii=False) + "\n"
        assert "".join(_json_pieces(items)) == expected


def test_the_cloudflare_blocks_are_what_one_csv_writer_writes() -> None:
    """Cloudflare's CSV is made a block of rows at a time: the blocks joined are the text
    one writer gives for every row at once, across block boundaries and quoting."""
    import csv

    from wagtail_redirect_tools.edge.cloudflare import BLOCK_ROWS, _csv_blocks

    row = ["host/a,b", 'https://host/"q"', 301, "FALSE", "FALSE", "FALSE", "FALSE"]
    for count in (0, 1, BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS + 1, 2 * BLOCK_ROWS + 3):
        rows = [[f"{row[0]}{n}", *row[1:]] for n in range(count)]
        whole = io.StringIO()
        csv.writer(whole, lineterminator="\n").writerows(rows)
        blocks = list(_csv_blocks(iter(rows)))
        assert "".join(blocks) == whole.getvalue()
        assert len(blocks) == -(-count // BLOCK_ROWS)


def test_joined_pieces_keep_the_text() -> None:
    from wagtail_redirect_tools.edge.base import joined_pieces

    pieces = [f"line {n}\n" for n in range(1000)]
    joined = list(joined_pieces(pieces, size=100))
    assert "".join(joined) == "".join(pieces)
    assert all(len(piece) < 100 + 10 for piece in joined)
    assert list(joined_pieces([])) == []
