"""Pattern redirects in the edge exports (issue 33): each format's real tool reads the
file and answers requests under a pattern as Django's rules say (exact redirects first,
live pages left to Django, the most specific pattern), with every literal of a pattern
escaped; what a format cannot say is left out with a reason."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import time_machine
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from tests.testapp.models import EventIndexPage
from tests.utils.edge_tools import (
    ask,
    next_routes,
    serve_apache,
    serve_nginx,
    upper_escapes,
)
from tests.utils.pages import add_page, fresh_site_tree, root_page
from tests.utils.pages import make_site as site_at
from wagtail_redirect_tools import patterns
from wagtail_redirect_tools.edge import EDGE_FORMATS, build_map
from wagtail_redirect_tools.edge.base import encoded_path
from wagtail_redirect_tools.edge.patterns import specificity
from wagtail_redirect_tools.models import RedirectDetails

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
# A literal with what regular expressions, nginx, httpd and URLs read as syntax.
HOSTILE = '/h.o(s)t$i{l}e+[|^ é \\x"/*'
# As a browser that encodes what RFC 3986 does not allow in a path sends it.
HOSTILE_REQUEST = encoded_path(HOSTILE.removesuffix("/*"))

# (source, target, status): patterns; "page:" targets the page of that slug.
PATTERNS: list[tuple[str, str, int]] = [
    ("/old-section/*", "/new-section/:splat", 301),
    ("/old-section/keep/*", "https://newsite.example/kept/:splat", 302),
    ("/news/:year/:slug", "/blog/:slug", 308),
    ("/shop/:category/*", "/store/:category/:splat", 307),
    ("/gone-section/*", "", 410),
    ("/to-page/*", "page:sale", 301),
    ("/fixed/*", "/one-place/", 301),
    ("/hostile/*", "/h/:splat", 301),
    (HOSTILE, "/escaped/:splat", 301),
    ("/elsewhere/*", "https://other.example/landing", 302),
]
EXACT: list[tuple[str, str, int]] = [
    ("/old-section/exact", "/exact-target/", 301),
    ("/old-section/price$5", "/dollar/", 301),  # nginx leaves it out
    ("/to-page/gone", "", 410),  # Netlify, Cloudflare and Next.js leave it out
]


def make_site() -> Site:
    site, home = fresh_site_tree("localhost")
    add_page(home, "sale")
    section = add_page(home, "old-section")
    add_page(section, "still-here")
    add_page(home, "shop")  # /shop/ itself is a live page, under no pattern's match
    events = add_page(home, "fixed", page_class=EventIndexPage)  # routes its sub-paths
    assert events.url_path.endswith("/fixed/")
    sale = Page.objects.get(slug="sale")
    for source, target, code in PATTERNS:
        page = sale if target == "page:sale" else None
        made = Redirect.objects.create(
            old_path=source,
            redirect_link="" if page else target,
            redirect_page=page,
            site=site,
        )
        RedirectDetails.record(made, status_code=code)
        RedirectDetails.objects.filter(redirect=made).update(is_pattern=True)
    for source, target, code in EXACT:
        made = Redirect.objects.create(
            old_path=Redirect.normalise_path(source), redirect_link=target, site=site
        )
        RedirectDetails.record(made, status_code=code)
    return site


def render(name: str, site: Site) -> tuple[str, dict[str, str]]:
    edge_map = build_map([site])
    output = EDGE_FORMATS[name].render(edge_map)
    omitted = {each.path: each.reason for each in [*edge_map.omitted, *output.omitted]}
    return output.content, omitted


def expected(request: str) -> tuple[int, str | None] | None:
    """What Django's rules give ``request`` (no query string) on the site of
    :func:`make_site`: an exact redirect, nothing for a live page (None), else the most
    specific pattern filled with ``patterns.match``/``fill``."""
    return answer_and_source(request)[0]


def answer_and_source(request: str) -> tuple[tuple[int, str | None] | None, str | None]:
    """:func:`expected`'s answer, and the source (exact path or pattern) that gives it."""
    path = unquote(request)
    exact = {source: (code, target or None) for source, target, code in EXACT}
    if path.rstrip("/") in exact:
        return exact[path.rstrip("/")], path.rstrip("/")
    live = {"/sale", "/old-section", "/old-section/still-here", "/shop", "/fixed"}
    if path.rstrip("/") in live or path.startswith("/fixed/"):
        return None, None
    parsed = [(patterns.parse(source), target, code) for source, target, code in PATTERNS]
    for pattern, target, code in sorted(parsed, key=lambda each: specificity(each[0])):
        captured = pattern.match(path)
        if captured is None:
            continue
        if code == 410:
            return (410, None), pattern.source
        if target == "page:sale":
            return (code, "/sale/"), pattern.source
        return (code, patterns.fill(target, captured)), pattern.source
    return None, None


# Requests under the patterns whose values hold only characters every format puts in a
# target as they are, and the live pages and exact paths among them.
REQUESTS = [
    "/old-section",
    "/old-section/a",
    "/old-section/a/b/",
    "/old-section/keep",
    "/old-section/keep/x/y",
    "/old-section/exact",
    "/old-section/still-here/",
    "/old-section/",
    "/news/2019/hello-world",
    "/news/2019/hello-world/",
    "/shop/shoes/red/boots",
    "/shop/shoes",
    "/gone-section/anything/",
    "/to-page/whatever/deep",
    "/to-page/gone",
    "/elsewhere/deep/er",
    "/fixed/1",
    "/hostile/a.b~c-d_e",
    f"{HOSTILE_REQUEST}/x",
]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_expectations_follow_the_rules() -> None:
    """The test's own oracle says what the issue's rules say (so a server agreeing with
    it agrees with them)."""
    make_site()
    assert expected("/old-section/a/b/") == (301, "/new-section/a/b/")
    assert expected("/old-section/keep/x") == (302, "https://newsite.example/kept/x")
    assert expected("/old-section/exact") == (301, "/exact-target/")
    assert expected("/old-section/still-here/") is None
    assert expected("/news/2019/hello") == (308, "/blog/hello")
    assert expected("/shop/shoes/red") == (307, "/store/shoes/red")
    assert expected(f"{HOSTILE_REQUEST}/x") == (301, "/escaped/x")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_patterns_are_not_exact_entries() -> None:
    """A pattern's source is never an exact path of the map, and the patterns come most
    specific first, each with the paths under it the edge leaves to Django."""
    site = make_site()
    edge_map = build_map([site])
    assert not [entry for entry in edge_map.entries if "*" in entry.path or ":" in entry.path]
    sources = [entry.path for entry in edge_map.patterns]
    assert sources.index("/old-section/keep/*") < sources.index("/old-section/*")
    assert sources.index("/news/:year/:slug") < sources.index("/shop/:category/*")
    section = edge_map.patterns[sources.index("/old-section/*")]
    assert set(section.live_paths) == {"/old-section/", "/old-section/still-here/"}
    assert "/old-section/exact" in section.exact_paths
    fixed = edge_map.patterns[sources.index("/fixed/*")]
    assert fixed.subtrees == ("/fixed",)


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_nginx_answers_patterns_as_django(
    tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    site = make_site()
    content, omitted = render("nginx", site)
    assert omitted.get("/old-section/price$5") == "nginx reads '$' as a variable"
    port = serve_nginx(tmp_path, content, running)
    for request in REQUESTS:
        answer = expected(request)
        # 502: passed on to the backend (not running here), which answers as Django.
        assert ask(port, request, "localhost") == (answer or (502, None)), request
    # Left to Django: an exact path nginx could not write, values a target would need
    # encoded, a query string, and the literal's characters read as syntax.
    passed_on = [
        "/old-section/price$5",
        "/old-section/caf%C3%A9",
        "/old-section/a%20b",
        "/old-section/a?x=1",
        f"{HOSTILE_REQUEST}x",
        HOSTILE_REQUEST.replace(".", "X") + "/x",
        HOSTILE_REQUEST.replace("(", "") + "/x",
        HOSTILE_REQUEST.replace("+", "") + "/x",
        HOSTILE_REQUEST.replace("e+", "ee") + "/x",
        HOSTILE_REQUEST.replace("%5Cx", "x") + "/x",
        "/OLD-SECTION/a",
        "/old-sectionx/a",
        "/fixed/sub/path",
    ]
    for request in passed_on:
        assert ask(port, request, "localhost")[0] == 502, request


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_apache_answers_patterns_as_django(
    tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    site = make_site()
    content, omitted = render("apache", site)
    assert not omitted
    port, check = serve_apache(tmp_path, content, running)
    assert check.returncode == 0, check.stderr
    for request in REQUESTS:
        answer = expected(request)
        if answer is None:
            assert ask(port, request, "localhost") == (404, None), request
            continue
        status, location = ask(port, request, "localhost")
        if answer[1] is not None and answer[1].startswith("/"):
            answer = (answer[0], f"http://localhost{answer[1]}")  # mod_alias makes it absolute
        assert (status, upper_escapes(location)) == answer, request
    assert ask(port, "/old-section/price$5", "localhost") == (301, "http://localhost/dollar/")
    for request in (
        "/old-section/a%20b",
        "/old-section/a?x=1",
        f"{HOSTILE_REQUEST}x",
        HOSTILE_REQUEST.replace(".", "X") + "/x",
        HOSTILE_REQUEST.replace("%5Cx", "x") + "/x",
        "/OLD-SECTION/a",
        "/fixed/sub/path",
    ):
        assert ask(port, request, "localhost")[0] == 404, request


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nextjs_reads_the_patterns(tmp_path: Path) -> None:
    site = make_site()
    content, omitted = render("nextjs", site)
    requests = [r for r in REQUESTS if not r.endswith("/") or r == "/old-section/"]
    result = next_routes(tmp_path, content, requests)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    # Live pages sit under these: Next.js answers redirects before pages, so they are
    # left out; 410 cannot be said.
    for source in ("/old-section/*", "/fixed/*", "/gone-section/*"):
        assert source in omitted, source
    assert "/news/:year/:slug" not in omitted
    for request in requests:
        answer, source = answer_and_source(request)
        if source in omitted or answer is None:
            # Not Next.js's to answer (Django's, or Next.js's own slash redirect).
            assert answers[request] in (None, [308, request.rstrip("/"), "next"]), request
        else:
            assert answers[request] == list(answer), request
    assert answers["/old-section/exact"] == [301, "/exact-target/"]
    assert answers["/news/2019/hello-world"] == [308, "/blog/hello-world"]
    assert answers[f"{HOSTILE_REQUEST}/x"] == [301, "/escaped/x"]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_netlify_and_cloudflare_lines() -> None:
    site = make_site()
    netlify, netlify_omitted = render("netlify", site)
    lines = netlify.splitlines()
    assert "/old-section/* /new-section/:splat 301" in lines
    assert lines.index("/old-section/exact /exact-target/ 301") < lines.index(
        "/old-section/* /new-section/:splat 301"
    )
    assert lines.index("/old-section/keep/* https://newsite.example/kept/:splat 302") < (
        lines.index("/old-section/* /new-section/:splat 301")
    )
    assert "/shop/:category/*" in netlify_omitted  # 307: Netlify cannot
    assert "/fixed/* /one-place/ 301" in lines
    assert "/hostile/* /h/:splat 301" in lines
    assert f"{HOSTILE_REQUEST}/* /escaped/:splat 301" in lines
    # An exact 410 under it is not in the file: the pattern would answer it.
    assert "/to-page/*" in netlify_omitted
    assert "/to-page/" not in netlify
    cloudflare, cloudflare_omitted = render("cloudflare", site)
    rows = cloudflare.splitlines()
    assert "localhost/hostile/,http://localhost/h/,301,FALSE,FALSE,TRUE,TRUE" in rows
    assert "localhost/elsewhere/,https://other.example/landing,302,FALSE,FALSE,TRUE,FALSE" in rows
    assert "named segment" in cloudflare_omitted["/news/:year/:slug"]
    for source in ("/old-section/*", "/to-page/*", "/fixed/*"):  # things under them
        assert "sit under it" in cloudflare_omitted[source], source


def add_pattern(source: str, target: str, *, site: Site | None, code: int = 301) -> Redirect:
    made = Redirect.objects.create(old_path=source, redirect_link=target, site=site)
    RedirectDetails.record(made, status_code=code)
    RedirectDetails.objects.filter(redirect=made).update(is_pattern=True)
    return made


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_order_sites_and_other_views() -> None:
    """The most specific pattern first, then a site's own before one for all sites (each
    site gets the all-sites pattern, so Cloudflare writes one row per host); a pattern
    over another view of the URLconf (the admin) is left out, saying which."""
    site, _home = fresh_site_tree("localhost")
    other = site_at("other.example", add_page(root_page(), "other-home"), is_default=False)
    everywhere = add_pattern("/docs/*", "/all-sites/:splat", site=None)
    own = add_pattern("/docs/*", "/own/:splat", site=site)
    deeper = add_pattern("/docs/:version/*", "/v/:version/:splat", site=None)
    add_pattern("/admin/old/*", "/elsewhere/:splat", site=site)
    edge_map = build_map([site, other])
    here = [entry.source_id for entry in edge_map.patterns if entry.site == site]
    assert here == [deeper.pk, own.pk, everywhere.pk]
    there = [entry.source_id for entry in edge_map.patterns if entry.site == other]
    assert there == [deeper.pk, everywhere.pk]
    reasons = {each.path: each.reason for each in edge_map.omitted}
    assert "/admin/" in reasons["/admin/old/*"]
    rows = EDGE_FORMATS["cloudflare"].render(edge_map).content.splitlines()
    assert "localhost/docs/,http://localhost/own/,301,FALSE,FALSE,TRUE,TRUE" in rows
    assert "other.example/docs/,http://other.example/all-sites/,301,FALSE,FALSE,TRUE,TRUE" in rows
    assert not [row for row in rows if "/v/" in row]  # named: Cloudflare cannot


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_targets_no_format_can_fill() -> None:
    """A target whose ``:splat`` is not at the end of its path (Django folds the "//"
    an empty one leaves) is left out by every format that fills it as matched."""
    site, _home = fresh_site_tree("localhost")
    add_pattern("/a/*", "/b/:splat/index.html", site=site)
    add_pattern("/c/*", "/d//:splat", site=site)
    edge_map = build_map([site])
    for name in ("nginx", "apache", "netlify", "cloudflare", "nextjs"):
        output = EDGE_FORMATS[name].render(edge_map)
        reasons = {each.path: each.reason for each in output.omitted}
        assert ":splat" in reasons["/a/*"], name
        assert "repeated slashes" in reasons["/c/*"], name


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_too_many_exceptions_for_one_expression() -> None:
    """Past what one regular expression can hold, nginx and httpd leave the pattern out
    instead of writing one PCRE would refuse."""
    from wagtail_redirect_tools.edge.nginx import MAX_PATTERN_REGEX, pattern_regex

    site, _home = fresh_site_tree("localhost")
    add_pattern("/big/*", "/new/:splat", site=site)
    edge_map = build_map([site])
    entry = edge_map.patterns[0]
    many = {f"/big/page-{index:05d}" for index in range(MAX_PATTERN_REGEX // 10)}
    crowded = type(entry)(**{**entry.__dict__, "live_paths": tuple(sorted(many))})
    assert len(pattern_regex(crowded, set())[0]) > MAX_PATTERN_REGEX
    edge_map.patterns = [crowded]
    for name in ("nginx", "apache"):
        output = EDGE_FORMATS[name].render(edge_map)
        assert "/big/*" in {each.path for each in output.omitted}, name
        assert "/big" not in output.content.split('map "$is_args$uri" $wrt_pattern')[-1]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_command_counts_patterns() -> None:
    """``redirects_export`` counts a written pattern among the paths written, and lists
    one left out with its reason."""
    import io

    from django.core.management import call_command

    site, _home = fresh_site_tree("localhost")
    add_pattern("/old/*", "/new/:splat", site=site)
    add_pattern("/news/:year/:slug", "/blog/:slug", site=site)
    Redirect.objects.create(old_path="/exact", redirect_link="/x/", site=site)
    out, err = io.StringIO(), io.StringIO()
    call_command("redirects_export", "--format", "cloudflare", stdout=out, stderr=err)
    assert "localhost/old/,http://localhost/new/,301,FALSE,FALSE,TRUE,TRUE" in out.getvalue()
    assert "localhost/news/:year/:slug: a Bulk Redirect matches a path" in err.getvalue()
    assert "3 paths written, 1 left out." in err.getvalue()  # /exact, /exact/, /old/*
