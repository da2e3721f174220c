"""Each server format read by the real server: ``nginx -t`` and ``apache2 -t`` accept the
generated files and, run, answer each path as Django does; Next.js's own route loader reads the
Next.js JSON. Skipped when a tool is missing here; CI installs them and sets
``WRT_REQUIRE_EDGE_TOOLS=1``, so there they fail instead."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.utils.edge_tools import (
    apache_check,
    apache_conf,
    ask,
    next_routes,
    nginx_command,
    nginx_conf,
    serve_apache,
    tool,
    upper_escapes,
    wait_for_port,
)
from tests.utils.pages import add_page, fresh_site_tree
from tests.utils.sandbox import free_port
from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.edge import EDGE_FORMATS, build_map
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.not_found.fixes import mark_gone
from wagtail_redirect_tools.not_found.models import NotFoundPath

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
# Paths that need escaping in every format, and every code. A space or a quote is stored
# encoded (as Django finds it); stored raw, Django never finds it (left out).
CASES: list[tuple[str, str, int]] = [
    ("/old", "/new/", 301),
    ("/with%20space", "/a b/", 302),
    ("/quote%22d", "/q/", 301),
    ("/raw space", "/never/", 301),
    ("/hash%23tag", "/h/", 301),
    ("/café", "/é/", 308),
    ("/Case", "/upper/", 301),
    ("/case", "/lower/", 307),
    ("/paren(1)", "/p/", 301),
    ("/Q(x)", "/q1/", 301),
    ("/q(x)", "/q2/", 302),
    ("/dollar", "/price$5/", 301),
    ("/index.php?id=7", "/seven/", 301),
    ("/gone", "", 410),
]


def make_redirects() -> Site:
    site, home = fresh_site_tree("localhost")
    add_page(home, "sale")
    for path, target, code in CASES:
        made = Redirect.objects.create(
            old_path=Redirect.normalise_path(path), redirect_link=target, site=site
        )
        RedirectDetails.record(made, status_code=code)
    schedule_redirect("/promo", "/sale/", expires_at=NOW + datetime.timedelta(days=2))
    return site


def render(name: str, site: Site) -> tuple[str, list[str]]:
    edge_map = build_map([site])
    output = EDGE_FORMATS[name].render(edge_map)
    return output.content, [omission.path for omission in [*edge_map.omitted, *output.omitted]]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nginx_accepts_the_map(tmp_path: Path) -> None:
    site = make_redirects()
    content, omitted = render("nginx", site)
    map_file = tmp_path / "redirects.conf"
    map_file.write_text(content)
    conf = nginx_conf(tmp_path, map_file, port=free_port(), backend_port=free_port())
    result = subprocess.run(nginx_command(conf, "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    assert '"~^/case$" "/case\t307\t/lower/";' in content
    assert "~^/Case$" in content  # keys that differ only by case stay apart
    assert set(omitted) == {"/dollar", "/dollar/", "/raw space", "/raw space/"}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nginx_rejects_a_broken_map(tmp_path: Path) -> None:
    """The check above can fail: nginx refuses a map with an unbalanced quote."""
    site = make_redirects()
    content, _omitted = render("nginx", site)
    map_file = tmp_path / "redirects.conf"
    map_file.write_text(content.replace('"/old"', '"/old', 1))
    conf = nginx_conf(tmp_path, map_file, port=free_port(), backend_port=free_port())
    result = subprocess.run(nginx_command(conf, "-t"), capture_output=True, text=True)
    assert result.returncode != 0


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_nginx_answers_as_django(tmp_path: Path, running: list[subprocess.Popen[str]]) -> None:
    """Run, nginx answers each written path with Django's status and Location, including
    keys that differ only by case; other spellings go on to the (here absent) backend."""
    site = make_redirects()
    content, _omitted = render("nginx", site)
    map_file = tmp_path / "redirects.conf"
    map_file.write_text(content)
    port = free_port()
    conf = nginx_conf(tmp_path, map_file, port=port, backend_port=free_port())
    process = subprocess.Popen(nginx_command(conf, "-g", "daemon off;"), text=True)
    running.append(process)
    wait_for_port(port, process)
    client = Client()
    paths = ["/old", "/old/", "/with%20space", "/quote%22d", "/hash%23tag", "/caf%C3%A9"]
    paths += ["/Case", "/case/", "/paren(1)", "/Q(x)", "/q(x)/", "/promo", "/gone"]
    paths += ["/index.php?id=7", "/index.php/?id=7"]
    for path in paths:
        response = client.get(path)
        expected = (response.status_code, response.headers.get("Location"))
        assert ask(port, path, "localhost") == expected, path
    # Not nginx's to answer: passed on to the backend, which is not running (502).
    for path in ("/OLD", "/CASE", "/q(X)", "/old/x", "/raw%20space", "/old?x=1", "/dollar"):
        assert ask(port, path, "localhost")[0] == 502, path


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_apache_accepts_the_lines(tmp_path: Path) -> None:
    site = make_redirects()
    content, omitted = render("apache", site)
    lines_file = tmp_path / "redirects.conf"
    lines_file.write_text(content)
    result = apache_check(tmp_path, lines_file)
    assert result.returncode == 0, result.stderr
    assert "Syntax OK" in result.stderr
    assert 'RedirectMatch 307 "^/case$" "/lower/"' in content
    assert 'RedirectMatch gone "^/gone$"' in content
    assert 'RedirectMatch 301 "^/quote\\\\\\"d$" "/q/"' in content
    assert set(omitted) == {
        "/dollar",
        "/dollar/",
        "/index.php?id=7",
        "/index.php/?id=7",
        "/raw space",
        "/raw space/",
    }
    lines_file.write_text(content.replace("</If>", ""))
    assert apache_check(tmp_path, lines_file).returncode != 0


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_apache_answers_as_django(tmp_path: Path, running: list[subprocess.Popen[str]]) -> None:
    """Run, httpd answers each written path with Django's status and Location (made
    absolute on its own host, as mod_alias does), and leaves other spellings alone."""
    apache = tool("apache2", "/usr/sbin/apache2")
    site = make_redirects()
    content, _omitted = render("apache", site)
    lines_file = tmp_path / "redirects.conf"
    lines_file.write_text(content)
    port = free_port()
    conf = apache_conf(tmp_path, lines_file, port)
    process = subprocess.Popen([apache, "-f", str(conf), "-DFOREGROUND"], text=True)
    running.append(process)
    wait_for_port(port, process)
    client = Client()
    paths = ["/old", "/old/", "/with%20space", "/quote%22d", "/hash%23tag", "/caf%C3%A9"]
    paths += ["/Case", "/case/", "/paren(1)", "/promo", "/gone"]
    for path in paths:
        status, location = ask(port, path, "localhost")
        response = client.get(path)
        expected = response.headers.get("Location")
        if expected is not None and expected.startswith("/"):
            expected = f"http://localhost{expected}"  # the Host it was asked for
        # httpd writes percent-escapes in lower case: the same URL (RFC 3986, 2.1).
        assert (status, upper_escapes(location)) == (response.status_code, expected), path
    # Other spellings are not httpd's to answer: they go on (here, to its empty 404).
    for path in ("/OLD", "/old/x", "/raw%20space", "/index.php?id=7"):
        assert ask(port, path, "localhost")[0] == 404, path
    assert ask(port, "/old?x=1", "localhost")[0] == 404  # a query string is Django's


# Issue 29, item 1: a target accepted by the form and the import whose encoded newlines,
# decoded into the Apache file, would write directives of their own.
INJECTING_TARGET = "/x%0ARedirectMatch%20302%20%5E/%20https://evil.example/%0A#"


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_apache_target_cannot_write_directives(
    tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    """A target's encoded newline never becomes a line of the file: httpd accepts it and
    still sends no other URL anywhere (issue 29, item 1)."""
    site, _home = fresh_site_tree("localhost")
    Redirect.objects.create(old_path="/inject", redirect_link=INJECTING_TARGET, site=site)
    Redirect.objects.create(old_path="/plain", redirect_link="/new/", site=site)
    content, omitted = render("apache", site)
    port, check = serve_apache(tmp_path, content, running)
    assert check.returncode == 0, check.stderr
    for path in ("/", "/admin/", "/anything", "/inject"):
        assert ask(port, path, "localhost") == (404, None), path
    assert ask(port, "/plain", "localhost") == (301, "http://localhost/new/")
    assert "evil.example" not in content
    assert {"/inject", "/inject/"} <= set(omitted)
    # A CR LF target would have made httpd refuse the whole file.
    Redirect.objects.create(old_path="/crlf", redirect_link="/a%0D%0ASet-Cookie:%20x=1", site=site)
    content, omitted = render("apache", site)
    (tmp_path / "crlf").mkdir()
    (tmp_path / "crlf" / "redirects.conf").write_text(content)
    check = apache_check(tmp_path / "crlf", tmp_path / "crlf" / "redirects.conf")
    assert check.returncode == 0, check.stderr
    assert "Set-Cookie" not in content
    assert {"/crlf", "/crlf/"} <= set(omitted)


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_apache_source_with_an_encoded_newline(
    tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    """A path an anonymous visitor planted in the 404 log (``GET /visitor%250Ainj`` is
    logged as ``/visitor%0Ainj``) and an editor marked gone: httpd accepts the file and
    answers that request as Django does, and nothing else (issue 29, item 2)."""
    site, _home = fresh_site_tree("localhost")
    planted = [
        NotFoundPath.objects.create(site=site, path=path, first_seen_at=NOW, last_seen_at=NOW)
        for path in ("/visitor%0Ainj", "/visitor%0Dcr", "/visitor%0Ad")
    ]
    mark_gone(planted)
    Redirect.objects.create(old_path="/plain", redirect_link="/new/", site=site)
    content, _omitted = render("apache", site)
    port, check = serve_apache(tmp_path, content, running)
    assert check.returncode == 0, check.stderr
    client = Client()
    for path in ("/visitor%0Ainj", "/visitor%0Dcr", "/visitor%0Ad"):
        assert client.get(path).status_code == 410
        assert ask(port, path, "localhost") == (410, None), path
    # "\\" + newline + "d" must not become the regex "\d": other paths stay untouched.
    for path in ("/", "/admin/", "/visitor1", "/visitorinj", "/visitor"):
        assert ask(port, path, "localhost") == (404, None), path
    assert ask(port, "/plain", "localhost") == (301, "http://localhost/new/")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nextjs_redirects_read_by_next(tmp_path: Path) -> None:
    """Next.js's loadCustomRoutes() accepts the file and its router answers each path
    as Django does; a 410 is not in it."""
    site = make_redirects()
    content, _omitted = render("nextjs", site)
    paths = ["/old", "/with%20space", "/caf%C3%A9", "/case", "/paren(1)", "/promo", "/gone"]
    result = next_routes(tmp_path, content, paths)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    client = Client()
    for path in paths[:-1]:
        response = client.get(path)
        assert answers[path] == [response.status_code, response.headers["Location"]], path
    assert answers["/gone"] is None  # Next.js cannot say 410: left out


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nextjs_destinations_never_break_the_file(tmp_path: Path) -> None:
    """Targets with path-to-regexp's characters (``:name``, ``(``, ``*``) no longer make
    Next.js refuse the whole file; each row is written so Next.js sends Django's
    Location, or left out (issue 29, item 3)."""
    site, _home = fresh_site_tree("localhost")
    targets = ["/next:colon", "/next/:slug", "/paren(", "/star*", "/plus+", "/q?a=:b"]
    for index, target in enumerate(targets):
        Redirect.objects.create(old_path=f"/t{index}", redirect_link=target, site=site)
    Redirect.objects.create(old_path="/plain", redirect_link="/new/", site=site)
    content, omitted = render("nextjs", site)
    sources = [f"/t{index}" for index in range(len(targets))] + ["/plain"]
    result = next_routes(tmp_path, content, [*sources, "/", "/admin/"])
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    client = Client()
    for path in sources:
        if path in omitted:
            assert answers[path] is None, path
            continue
        response = client.get(path)
        assert answers[path] == [response.status_code, response.headers["Location"]], path
    assert answers["/"] is None
    assert answers["/admin/"] == [308, "/admin", "next"]  # Next.js's own, as without the file
    assert {"/t0", "/t1", "/t2", "/t3", "/t4"} <= set(omitted)
    assert answers["/plain"] == [301, "/new/"]


@pytest.mark.slow
def test_nginx_in_front_of_the_sandbox_answers_as_django(
    tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    """The sandbox's own redirects (every code, non-ASCII and query-string sources, two
    sites, an active window on a live page), exported by the command, served by nginx in
    front of the sandbox: every path and its variants get what Django gives."""
    from tests.utils.sandbox import manage, start_sandbox

    nginx_conf_check = tool("nginx", "/usr/sbin/nginx")
    assert nginx_conf_check
    sandbox = start_sandbox(tmp_path)
    try:
        host = f"localhost:{sandbox.port}"
        exported = manage("redirects_export", "--format", "nginx", "--site", host, workdir=tmp_path)
        assert exported.returncode == 0, exported.stderr
        map_file = tmp_path / "redirects.conf"
        map_file.write_text(exported.stdout)
        port = free_port()
        conf = nginx_conf(tmp_path, map_file, port=port, backend_port=sandbox.port)
        nginx = subprocess.Popen(nginx_command(conf, "-g", "daemon off;"), text=True)
        running.append(nginx)
        wait_for_port(port, nginx)
        # A key is the decoded path, with "?" before it when it has a query string.
        keys = [
            line.split('" "', 1)[0].strip().lstrip('"').removeprefix("?")
            for line in exported.stdout.splitlines()
            if line.startswith(('    "/', '    "?/'))
        ]
        assert len(keys) > 100, exported.stdout[:2000]
        variants = {"/vote", "/VOTE", "/vote?utm_source=x", "/index.php?id=102&x=1", "/about/"}
        for key in keys:
            variants.update({key, key.upper(), key + ("&x=1" if "?" in key else "?x=1")})
        answered_by_nginx = 0
        for path in sorted(variants):
            through_nginx = ask(port, path, host)
            direct = ask(sandbox.port, path, host)
            assert through_nginx == direct, path
            answered_by_nginx += path in keys
        assert answered_by_nginx == len(keys)
        # nginx answered them itself: the sandbox never saw them from nginx (which speaks
        # HTTP/1.0 to it; the direct requests above are HTTP/1.1).
        log = sandbox.output.read_text()
        assert '"GET /vote?utm_source=x HTTP/1.0"' in log  # not a key: passed on
        for path in (
            "/consultation-2019",
            "/vote",
            "/pay",
            "/report-it",
            "/services/bins-and-recycling/",
        ):
            assert path in keys
            assert f'"GET {path} HTTP/1.0"' not in log, path
    finally:
        sandbox.stop()
