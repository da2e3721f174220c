"""Every-language redirects at the edge, on the multilingual test site (issue 30): each edge
format writes one line per language for a redirect stored once, each answering as Django
does, and each file is read by the tool that reads it (nginx, Apache, Next.js). Netlify and
Cloudflare, which have no local reader, are checked line by line. The API answers it too."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.test_i18n_every_language import every_language
from tests.utils.edge_tools import (
    apache_check,
    ask,
    next_routes,
    serve_nginx,
)
from tests.utils.i18n_compare import forget
from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools.edge import EDGE_FORMATS, build_map

pytestmark = [pytest.mark.i18n, pytest.mark.django_db]

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)

#: The requests each format must answer as Django does.
PATHS = [
    "/en/old-about",
    "/en/old-about/",
    "/cy/old-about/",
    "/fr/old-about",
    "/cy/old-news/",
    "/fr/old-news",
    "/cy/hen",
    "/fr/hen/",
]


@pytest.fixture
def site() -> Iterator[I18nSite]:
    with time_machine.travel(NOW, tick=False):
        built = build_site()
        every_language("/old-about", built.page("en", "about"))
        every_language("/old-news", "/news/", status_code=302)
        # Stored at one language's path: it takes that language's place.
        Redirect.add_redirect("/cy/hen", "/cy/cysylltu/", is_permanent=True)
        every_language("/hen", built.page("en", "team"))
        # A live Welsh page at the prefixed path of an every-language redirect.
        every_language("/amdanom", built.page("en", "contact"))
        forget()
        yield built


def render(name: str) -> tuple[str, list[str]]:
    edge_map = build_map([Site.objects.get(hostname="localhost")], now=NOW)
    output = EDGE_FORMATS[name].render(edge_map)
    return output.content, [omission.path for omission in [*edge_map.omitted, *output.omitted]]


def django_answers(paths: list[str]) -> dict[str, tuple[int, str | None]]:
    client = Client()
    answers = {}
    for path in paths:
        response = client.get(path, HTTP_HOST="localhost")
        answers[path] = (response.status_code, response.headers.get("Location"))
    return answers


@time_machine.travel(NOW, tick=False)
def test_the_map_has_one_entry_per_language(site: I18nSite) -> None:
    entries = {
        entry.path: (entry.status_code, entry.location)
        for entry in build_map([Site.objects.get(hostname="localhost")], now=NOW).entries
    }
    assert entries["/cy/old-about/"] == (301, "/cy/amdanom/")
    assert entries["/fr/old-about"] == (301, "/fr/a-propos/")
    assert entries["/en/old-about/"] == (301, "/en/about/")
    assert entries["/fr/old-news/"] == (302, "/fr/news/")
    assert entries["/cy/hen/"] == (301, "/cy/cysylltu/")  # the Welsh row wins
    assert entries["/fr/hen/"] == (301, "/fr/a-propos/equipe/")
    assert "/cy/amdanom/" not in entries  # the live Welsh page is served
    assert entries["/fr/amdanom/"] == (301, "/fr/contact/")
    for path in PATHS:
        assert entries[path] == django_answers([path])[path], path


@time_machine.travel(NOW, tick=False)
def test_nginx_answers_each_language_as_django(
    site: I18nSite, tmp_path: Path, running: list[subprocess.Popen[str]]
) -> None:
    content, _omitted = render("nginx")
    port = serve_nginx(tmp_path, content, running)
    for path, expected in django_answers(PATHS).items():
        assert ask(port, path, "localhost") == expected, path
    assert ask(port, "/cy/amdanom/", "localhost")[0] == 502  # to Django (absent here)


@time_machine.travel(NOW, tick=False)
def test_apache_accepts_one_line_per_language(site: I18nSite, tmp_path: Path) -> None:
    content, _omitted = render("apache")
    lines_file = tmp_path / "redirects.conf"
    lines_file.write_text(content)
    result = apache_check(tmp_path, lines_file)
    assert result.returncode == 0, result.stderr
    assert 'RedirectMatch 301 "^/cy/old-about/?$" "/cy/amdanom/"' in content or (
        'RedirectMatch 301 "^/cy/old-about$" "/cy/amdanom/"' in content
    ), content


@time_machine.travel(NOW, tick=False)
def test_nextjs_reads_one_route_per_language(site: I18nSite, tmp_path: Path) -> None:
    content, _omitted = render("nextjs")
    # Next.js answers a trailing slash with its own 308 first (docs/developers/edge.md).
    paths = [path for path in PATHS if not path.endswith("/")]
    result = next_routes(tmp_path, content, paths)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    for path, (status, location) in django_answers(paths).items():
        assert answers[path] == [status, location], path


@time_machine.travel(NOW, tick=False)
def test_netlify_and_cloudflare_write_one_line_per_language(site: I18nSite) -> None:
    netlify, _omitted = render("netlify")
    lines = netlify.splitlines()
    for line in ("/cy/old-about /cy/amdanom/ 301", "/fr/old-about /fr/a-propos/ 301"):
        assert line in lines, netlify
    assert "/fr/old-news /fr/news/ 302" in lines
    cloudflare, _omitted = render("cloudflare")
    rows = {row[0]: row[1:3] for row in csv.reader(io.StringIO(cloudflare))}
    assert rows["localhost/cy/old-about"][1] == "301"
    assert rows["localhost/cy/old-about"][0].endswith("/cy/amdanom/")
    assert rows["localhost/fr/old-about"][0].endswith("/fr/a-propos/")


@time_machine.travel(NOW, tick=False)
def test_the_api_answers_each_language(site: I18nSite) -> None:
    urls = ["/api/v2/redirects/resolve/"]
    try:
        import wagtail.api.v3  # noqa: F401
    except ImportError:
        pass
    else:
        urls.append("/api/v3/redirect-tools/resolve/")
    client = Client()
    for url in urls:
        for path, location in (("/cy/old-about/", "/cy/amdanom/"), ("/fr/old-news/", "/fr/news/")):
            response = client.get(url, {"html_path": path}, HTTP_HOST="localhost")
            assert response.status_code == 200, response.content
            assert location in json.dumps(response.json()), (url, response.content)
