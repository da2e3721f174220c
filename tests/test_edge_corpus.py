"""The hostile corpus (tests/corpus/hostile_values.json) through every edge export, each
value as a source and as a target, read by the real tool or by a parser of the format's
documented syntax (issue 29).

For each format: the tool accepts the file; every line is one rule of the expected shape
(no value adds a line, a directive, a field or a placeholder); every path it holds is
answered exactly as Django answers it; and no other request (what it left out, the same
paths in another case or longer, ``/`` and ``/admin/``) gets an answer Django does not
give. What it cannot hold is left out and listed with a reason.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils.encoding import iri_to_uri
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tests.utils.edge_tools import (
    apache_conf,
    ask_exact,
    next_routes,
    serve_nginx,
    tool,
    upper_escapes,
    wait_for_port,
)
from tests.utils.pages import fresh_site_tree
from tests.utils.sandbox import free_port
from wagtail_redirect_tools.edge import EDGE_FORMATS, EdgeMap, Output, build_map
from wagtail_redirect_tools.edge.base import encoded_path
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOST = "localhost"
CORPUS = [
    item["value"]
    for item in json.loads(
        (Path(__file__).parent / "corpus" / "hostile_values.json").read_text(encoding="utf-8")
    )["values"]
]
# Beyond the corpus: a decoded "?" (a key nginx would read as a query string), and
# targets with several query parameters, a fragment, and a scheme Django refuses.
EXTRA_SOURCES = ["/a%3Fb", "/a%3Fb=1"]
EXTRA_TARGETS = ["/x?a=1&b=2", "https://example.org/p?q=1#f", "javascript:alert(1)"]
PROBES = ["/", "/admin/", "/admin", "/anything", "/visitor", "/a", "/x", "/to", "/s0/"]

Answer = tuple[int, str | None]
FILE_ANSWERS = (301, 302, 307, 308, 410)


def storable(value: str, field: str) -> bool:
    """False for what this database refuses: NUL (PostgreSQL) or a value longer than
    the column (SQLite stores it all, so the long value is tested there)."""
    if connection.vendor == "postgresql" and "\0" in value:
        return False
    limit = Redirect._meta.get_field(field).max_length
    return connection.vendor == "sqlite" or limit is None or len(value) <= limit


def stored_forms(value: str) -> list[str]:
    """The value as the form stores it (normalised) and as a careless writer might."""
    forms = dict.fromkeys([Redirect.normalise_path(value), value])
    return [form for form in forms if storable(form, "old_path")]


def make_corpus() -> Site:
    """Each value as a source (301 to /s<n>/; with "/gone" before it, a 410; with "/win"
    before it, a window) and as a target (of /to<n>, 301 or 302, and of a window)."""
    site, _home = fresh_site_tree(HOST)
    sources: dict[str, tuple[str, int]] = {}
    for index, value in enumerate([*CORPUS, *EXTRA_SOURCES]):
        for form in stored_forms(value):
            sources.setdefault(form, (f"/s{index}/", 301))
        if value.startswith("/"):
            for form in stored_forms("/gone" + value):
                sources.setdefault(form, ("", 410))
    for path, (target, code) in sources.items():
        store(site, path, target, code)
    for index, value in enumerate([*CORPUS, *EXTRA_TARGETS]):
        if storable(value, "redirect_link"):
            store(site, f"/to{index}", value, (301, 302)[index % 2])
            # A scheduled window with the same target, and one at the value as a path.
            window(site, f"/w{index}", value)
        if value.startswith("/"):
            for form in stored_forms("/win" + value):
                window(site, form, f"/ws{index}/")
    return site


def window(site: Site, path: str, target: str) -> None:
    """An active scheduled redirect (302), written as a careless writer might."""
    if storable(path, "old_path") and storable(target, "redirect_link"):
        with transaction.atomic():
            ScheduledRedirect.objects.create(
                site=site, old_path=path, redirect_link=target, expires_at=NOW + DAY
            )


def store(site: Site, path: str, target: str, code: int) -> None:
    try:
        with transaction.atomic():
            made = Redirect.objects.create(old_path=path, redirect_link=target, site=site)
    except IntegrityError:
        return  # the same path to this collation (MariaDB's compare case and accents)
    RedirectDetails.record(made, status_code=code)


def request_target(path: str) -> str:
    """What a browser sends for a stored path: encoded, the query string as typed."""
    bare, sep, query = path.partition("?")
    return encoded_path(bare) + sep + iri_to_uri(query)


class Corpus:
    """The corpus's map, one format's file, and Django's answer to any request."""

    def __init__(self, name: str) -> None:
        self.site = make_corpus()
        self.map: EdgeMap = build_map([self.site])
        self.output: Output = EDGE_FORMATS[name].render(self.map)
        left_out = {omission.path for omission in self.output.omitted}
        self.kept = [entry for entry in self.map.entries if entry.path not in left_out]
        self.client = Client()
        self.answers: dict[str, Answer] = {}

    def django(self, target: str) -> Answer:
        if target not in self.answers:
            response = self.client.get(target)
            self.answers[target] = (response.status_code, response.headers.get("Location"))
        return self.answers[target]

    def kept_targets(self) -> list[str]:
        return list(dict.fromkeys(request_target(entry.path) for entry in self.kept))

    def other_targets(self) -> list[str]:
        """Requests the file must leave as Django answers them: what it left out, each
        path in another case and longer, and the probes."""
        kept = set(self.kept_targets())
        others = [request_target(omission.path) for omission in self.output.omitted]
        others += [request_target(omission.path) for omission in self.map.omitted]
        for target in kept:
            bare, sep, query = target.partition("?")
            others += [bare.upper() + sep + query, bare.swapcase() + sep + query, bare + "x"]
        others += PROBES
        return [target for target in dict.fromkeys(others) if target not in kept]

    def check(
        self, answer_of: Callable[[str], Answer | None], expected: Callable[[str], Answer]
    ) -> None:
        """Every kept path answered as Django does; any other answered only as Django does."""
        assert self.kept, "nothing written"
        for target in self.kept_targets():
            assert answer_of(target) == expected(target), target
        for target in self.other_targets():
            got = answer_of(target)
            if got is not None:
                assert got == expected(target), target


QUOTED = r'"(?:[^"\\\x00-\x1f\x7f]|\\.)*"'
# nginx's values hold their fields separated by tabs.
QUOTED_TABS = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\.)*"'


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_nginx(tmp_path: Path, running: list[subprocess.Popen[str]]) -> None:
    corpus = Corpus("nginx")
    content = corpus.output.content
    entries = re.findall(
        r"^    (.*);$",
        content.split("map $is_args$uri$is_args$args $wrt_entry {")[1].split("\n}")[0],
        re.M,
    )
    for line in entries[1:]:
        assert re.fullmatch(f"{QUOTED} {QUOTED_TABS}", line), line
    port = serve_nginx(tmp_path, content, running)

    def answer_of(target: str) -> Answer | None:
        got = ask_exact(port, target, HOST)
        # The file only answers redirects and 410s; else it is passed on to the (absent)
        # backend (502) or refused by nginx itself (400 for %00), with or without the file.
        return got if got[0] in FILE_ANSWERS else None

    corpus.check(answer_of, corpus.django)


@pytest.mark.django_db
@pytest.mark.slow
@time_machine.travel(NOW, tick=False)
def test_apache(tmp_path: Path, running: list[subprocess.Popen[str]]) -> None:
    apache = tool("apache2", "/usr/sbin/apache2")
    corpus = Corpus("apache")
    content = corpus.output.content
    rules = 0
    for line in content.split("\n")[:-1]:  # httpd ends lines at "\n" only
        if line.startswith("#") or line in ("<If \"%{QUERY_STRING} == ''\">", "</If>"):
            continue
        assert re.fullmatch(f"    RedirectMatch (gone|30[1278]) {QUOTED}( {QUOTED})?", line), line
        rules += 1
    assert rules == len(corpus.kept)
    lines_file = tmp_path / "redirects.conf"
    lines_file.write_text(content)
    port = free_port()
    conf = apache_conf(tmp_path, lines_file, port)
    check = subprocess.run([apache, "-t", "-f", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([apache, "-f", str(conf), "-DFOREGROUND"], text=True)
    running.append(process)
    wait_for_port(port, process)

    def answer_of(target: str) -> Answer | None:
        status, location = ask_exact(port, target, HOST)
        # The file only answers redirects and 410s; else httpd's own answer (404 from
        # its empty DocumentRoot, 400 for "/../", 403 for a name too long for a file).
        return (status, upper_escapes(location)) if status in FILE_ANSWERS else None

    def expected(target: str) -> Answer:
        status, location = corpus.django(target)
        # mod_alias makes a path absolute on the Host asked for.
        if location is not None and location.startswith("/"):
            location = f"http://{HOST}{location}"
        return status, location

    corpus.check(answer_of, expected)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_nextjs(tmp_path: Path) -> None:
    corpus = Corpus("nextjs")
    items = json.loads(corpus.output.content)
    assert len(items) == len(corpus.kept)
    for item in items:
        assert set(item) in (
            {"source", "destination", "statusCode"},
            {"source", "destination", "permanent"},
        )
    requests = [*corpus.kept_targets(), *corpus.other_targets()]
    result = next_routes(tmp_path, corpus.output.content, requests)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]

    def answer_of(target: str) -> Answer | None:
        got = answers[target]
        if got is None:
            return None
        if got[2:] == ["next"]:
            # Next.js's own trailing-slash or repeated-slash redirect, which it gives
            # with or without the file (README: the file holds both forms anyway).
            return None if target not in kept else (got[0], got[1])
        return got[0], got[1]

    kept = set(corpus.kept_targets())
    for target in kept:
        got = answers[target]
        if got is not None and got[2:] == ["next"]:
            assert target.partition("?")[0].endswith("/") or "//" in target, target
            continue
        assert (got[0], got[1]) == corpus.django(target), target
    for target in corpus.other_targets():
        got = answer_of(target)
        if got is not None:
            assert got == corpus.django(target), target


def read_netlify(content: str) -> list[tuple[str, str, int]]:
    """The rules of a ``_redirects`` file as Netlify documents them: one per line,
    whitespace-separated ``from [query params] to [status[!]] [conditions]``, ``#`` lines
    are comments; ``:name`` and ``*`` in ``from`` and ``:name`` in ``to`` are placeholders.
    Here every rule must be a plain ``from to status``."""
    rules = []
    for line in content.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fields = text.split()
        assert len(fields) == 3, line  # no query parameter, no condition
        source, to, status = fields
        assert re.fullmatch(r"30[12]!?", status), line
        assert source.startswith("/") and not source.startswith("//"), line
        assert not re.search(r":[A-Za-z_]|\*", source), line  # no placeholder or splat
        assert to.startswith("/") or re.match(r"https?://[^/]", to), line
        assert not re.search(r":[A-Za-z_]", to.split("://", 1)[-1]), line
        rules.append((source, to, int(status.rstrip("!"))))
    return rules


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_netlify() -> None:
    corpus = Corpus("netlify")
    rules = read_netlify(corpus.output.content)
    assert len(rules) == len(corpus.kept)

    def answer_of(target: str) -> Answer | None:
        bare = target.partition("?")[0]  # a rule without query parameters matches any
        for source, to, status in rules:  # the first matching rule wins
            if source == bare:
                return status, to
        return None

    corpus.check(answer_of, corpus.django)


CLOUDFLARE_LIMIT = 32 * 1024  # bytes of a source or target URL


def read_cloudflare(content: str) -> dict[str, tuple[str, int]]:
    """A Bulk Redirect List's CSV as Cloudflare documents it: no header, seven fields
    (source_url, target_url, status_code, preserve_query_string, include_subdomains,
    subpath_matching, preserve_path_suffix); a source is host and path (no scheme needed,
    no port, query string or fragment), at most 32 KB, once per list; a target is a URL,
    with a query string only when the request's is not kept."""
    rules: dict[str, tuple[str, int]] = {}
    for row in csv.reader(io.StringIO(content, newline="")):
        assert len(row) == 7, row
        source, target, status, keep_query, *flags = row
        assert status in ("301", "302", "307", "308"), row
        assert keep_query in ("TRUE", "FALSE") and flags == ["FALSE", "FALSE", "FALSE"], row
        for url in (source, target):
            assert len(url.encode()) <= CLOUDFLARE_LIMIT, row
            assert not re.search(r"[\x00-\x20\x7f]", url), row
            assert not url.startswith(("=", "+", "-", "@")), row  # no spreadsheet formula
        parts = urlsplit("http://" + source)
        assert parts.hostname == HOST and parts.port is None, row
        assert not parts.query and not parts.fragment and "?" not in source, row
        assert source not in rules, row  # a list cannot hold one source twice
        target_parts = urlsplit(target)
        assert target_parts.scheme in ("http", "https") and target_parts.netloc, row
        assert not (target_parts.query and keep_query == "TRUE"), row
        rules[source] = (target, int(status))
    return rules


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_cloudflare() -> None:
    corpus = Corpus("cloudflare")
    rules = read_cloudflare(corpus.output.content)
    assert len(rules) == len(corpus.kept_targets())

    def answer_of(target: str) -> Answer | None:
        found = rules.get(HOST + target.partition("?")[0])  # any query string matches
        return None if found is None else (found[1], found[0])

    def expected(target: str) -> Answer:
        status, location = corpus.django(target)
        # Cloudflare's targets are URLs: Django's Location on the site, as it was asked.
        if location is not None and location.startswith("/") and not location.startswith("//"):
            location = f"http://{HOST}{location}"
        elif location is not None and not urlsplit(location).scheme:
            location = urljoin(f"http://{HOST}{target}", location)
        return status, location

    corpus.check(answer_of, expected)
