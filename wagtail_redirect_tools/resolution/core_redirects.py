"""Find the core ``Redirect`` that answers a 404, with core's matching rules in one query.

Core's middleware tries, in order: the full path with its parameters and query
string (decoded to an IRI, then as sent), then the bare path (likewise); for each
path, a site-specific redirect beats an all-sites one. That costs core one to four
queries (more when a path has both kinds). We fetch every candidate row in one
query, with the target page and our details, and apply core's order in Python.
What a path resolved to, a redirect or nothing, is remembered (:mod:`.remembered`),
so asking again costs no query until a redirect changes; a path no redirect is stored
at costs none the first time either (:mod:`.membership`).

On a multilingual site a redirect may serve every language (``RedirectDetails.every_language``):
stored once at ``/old-page``, it answers ``/cy/old-page/`` too when no redirect is stored
at that very path, and leads to its target page's translation in the requested language
(:mod:`.languages`). Its rows come in the same query as the exact ones.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.encoding import escape_uri_path, uri_to_iri
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from ..models import RedirectDetails, page_link
from ..patterns import fill
from . import pattern_index, stamps
from .languages import RequestedLanguage, requested_language, with_language_prefix
from .membership import may_be_stored
from .paths import candidate_paths
from .remembered import NOT_REMEMBERED, lookups, translations
from .responses import with_query
from .sites import request_site_id, site_root_paths


@dataclass(frozen=True, kw_only=True)
class RedirectMatch:
    """A redirect found for a request.

    ``status_code`` is what the request is answered with: 301, 302, 307, 308, or 410
    for a gone URL (see ``RedirectDetails``). ``unmatched_query`` is the request's
    query string when the redirect was found only after dropping it (core's
    fallback), and empty when the path matched as sent.
    """

    redirect: Redirect
    status_code: int
    unmatched_query: str = ""
    #: For a redirect that serves every language: the language requested, and the
    #: target page's live translation in it (None: the target page itself).
    language: RequestedLanguage | None = None
    translation: Page | None = None
    #: For a pattern redirect (:mod:`.pattern_index`): the values of its placeholders,
    #: filled into an external target (None: an exact redirect).
    captured: dict[str, str] | None = None

    @property
    def is_permanent(self) -> bool:
        return self.redirect.is_permanent

    def location(self, *, keep_query_string: bool = False) -> str | None:
        """Where to send the visitor, or None when the target has no URL (core then gives up).

        A page target is the page's ``url``, as in core (absolute when there are
        several sites); a page on no site has no URL.
        """
        redirect = self.redirect
        page = self.translation or redirect.redirect_page
        if page is not None:
            link = page_link(page, redirect.redirect_page_route_path, without_request())
        else:
            link = redirect.redirect_link or None
            if link is not None and self.captured is not None:
                link = fill(link, self.captured)
            if link is not None and self.language is not None:
                link = with_language_prefix(link, self.language)
        if link is None or not keep_query_string:
            return link
        return with_query(link, self.unmatched_query)


def without_request() -> SimpleNamespace:
    """What Wagtail's URL methods take for "no request" (so no current site: a URL is
    absolute when there are several sites, as core's ``Redirect.link`` gives it), holding
    the sites' root paths as this process keeps them: Wagtail would read them from its
    cache, and a request while that cache is down must not fail."""
    return SimpleNamespace(_wagtail_site=None, _wagtail_cached_site_root_paths=site_root_paths())


def find_core_redirect(request: HttpRequest) -> RedirectMatch | None:
    """The core redirect for this request's site and path, or None. At most one query;
    none when this host and path were looked up before."""
    shared = stamps.current()
    # The host decides the site (a site change forgets everything); a site resolved
    # already, by Wagtail or by the caller, is part of the key too.
    resolved = getattr(request, "_wagtail_site", None)
    key = (request.get_host(), request.get_full_path(), getattr(resolved, "pk", None))
    answer = lookups.recall(key, shared)
    if answer is NOT_REMEMBERED:
        answer = look_up(request)
        lookups.remember(key, answer, shared)
    if answer is not None and answer.language is not None:
        answer = with_translation(answer, shared)
    return answer


def look_up(
    request: HttpRequest, read_rows: Callable[[list[str], int | None], list[Row]] | None = None
) -> RedirectMatch | None:
    """The core redirect for the request, read with ``read_rows`` (the rows whose
    ``old_path`` is one of the paths, for the site or all sites, in id order; by default
    one query, with the patterns when this process has not read them since they changed),
    not remembered: core's order is applied here, then the patterns'."""
    candidates, full_forms, query = candidate_paths(request)
    site_id = request_site_id(request)
    language = requested_language(request.path_info)
    unprefixed = _without_prefix(candidates, language)
    wanted = candidates + [path for path in unprefixed if path not in candidates]
    shared = stamps.current()
    index = pattern_index.loaded(shared)
    if read_rows is not None:
        rows = read_rows(wanted, site_id) if wanted else []
    # A path no redirect is stored at (on any site) has no row to fetch: only the
    # patterns are read, when this process has not read them since they changed.
    elif wanted and may_be_stored(wanted):
        rows, patterns = _rows(wanted, site_id, with_patterns=index is None)
        if index is None:
            index = pattern_index.keep(patterns, shared)
    else:
        rows = []
    if index is None:
        index = pattern_index.current()
    # Core's order over the paths as requested; then, for a path under a language's
    # prefix, the redirects for every language stored at the path without it.
    searches = [(candidates, False), (unprefixed, True)]
    for paths, every_language_only in searches:
        for position, path in enumerate(paths):
            found = _preferred(
                [
                    row
                    for row in rows
                    if row[0].old_path == path and (row[2] or not every_language_only)
                ],
                site_id,
            )
            if found is not None:
                return _match(found, "" if position < full_forms else query, language)
    return _pattern_match(index, request, site_id, query, language)


def _pattern_match(
    index: pattern_index.PatternIndex,
    request: HttpRequest,
    site_id: int | None,
    query: str,
    language: RequestedLanguage | None,
) -> RedirectMatch | None:
    """When no exact redirect answers: the most specific pattern redirect matching the bare
    path (as an IRI, then as sent, as exact paths are tried), with the trailing slash the
    visitor sent (a ``*`` carries it); then, under a language's prefix, the patterns that
    serve every language, on the path without it. The query string is unmatched, as when
    core finds an exact redirect by the bare path."""
    if not index:
        return None
    sent = escape_uri_path(request.path)
    forms = [form for form in dict.fromkeys((uri_to_iri(sent), sent)) if "\0" not in form]
    searches = [(forms, False), (_without_prefix(forms, language), True)]
    for paths, every_language_only in searches:
        for path in paths:
            found = index.match(site_id, path, every_language_only=every_language_only)
            if found is not None:
                entry = found.entry
                redirect = entry.as_redirect()
                return RedirectMatch(
                    redirect=redirect,
                    status_code=RedirectDetails.status_code_for(redirect, entry.stored_code),
                    unmatched_query=query,
                    language=language if entry.every_language else None,
                    captured=found.captured,
                )
    return None


def match_exactly(rows: list[Row], site_id: int | None) -> RedirectMatch | None:
    """Core's choice among the ``rows`` stored at a path requested exactly as stored (no
    query string, nothing to decode, no language's prefix): what :func:`look_up` finds
    for it, without its candidate forms."""
    found = _preferred(rows, site_id)
    return _match(found, "", None) if found is not None else None


def _without_prefix(candidates: list[str], language: RequestedLanguage | None) -> list[str]:
    """The candidate forms without the requested language's prefix, for the redirects
    that serve every language (none for a path without a language's prefix)."""
    if language is None or not language.prefix:
        return []
    prefix = language.prefix
    return [
        "/" + path[len(prefix) :].lstrip("/")
        for path in candidates
        if path == prefix or path.startswith((prefix + "/", prefix + "?"))
    ]


def _match(row: Row, unmatched_query: str, language: RequestedLanguage | None) -> RedirectMatch:
    redirect, stored_code, every_language = row
    return RedirectMatch(
        redirect=redirect,
        status_code=RedirectDetails.status_code_for(redirect, stored_code),
        unmatched_query=unmatched_query,
        language=language if every_language else None,
    )


def with_translation(match: RedirectMatch, shared: stamps.Stamps) -> RedirectMatch:
    """``match`` leading to its target page's live translation in the requested language,
    for a redirect that serves every language. Which translation is live changes with
    the pages (the ``pages`` stamp), not only with the redirects: it is remembered apart,
    and asking again costs no query until a page or a redirect changes."""
    page = match.redirect.redirect_page
    if match.language is None or page is None:
        return match
    key = (page.pk, match.language.language)
    found = translations.recall(key, shared)
    if found is NOT_REMEMBERED:
        found = translation_in(page, match.language.language)
        translations.remember(key, found, shared)
    return dataclasses.replace(match, translation=found)


def translation_in(page: Page, language: str) -> Page | None:
    """The live translation of ``page`` in ``language`` (one query), or None: there is
    none, or ``page`` is in that language itself."""
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        return None
    return (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=code)
        .exclude(pk=page.pk)
        .select_related("locale")
        .first()
    )


# What a match needs, read in one query: the redirect, our stored status code and the
# target page. Raw SQL, built once per shape, because building and compiling the same
# query as a queryset (select_related("redirect_page", "details").only(...)) is most of
# a first lookup. Measured with bench_resolution.py's cases, both versions interleaved in
# one run (3 runs, 1,000 and 100,000 redirects), our middleware alone per first lookup
# (hit, miss, hit to a page, hit after dropping the query; p50): SQLite 0.17-0.72 ms raw,
# 1.4-2.5 ms as a queryset (3.4-10x); PostgreSQL 0.75-1.6 ms raw, 2.5-4.1 ms as a
# queryset (2.0-3.3x); the whole request 5-52% slower. With the queryset a first lookup
# cost up to 2.7 times more than core's middleware; raw, it costs 1.3-4.6 times less.
# Repeated lookups (no query) are the same either way.
# The rows become instances as the ORM makes them: the database's and the fields'
# converters (SQLite returns booleans as integers and datetimes as text), then
# Model.from_db().
Row = tuple[Redirect, int | None, bool]


def _in_model_order(model: type[Model], *wanted: str) -> tuple[str, ...]:
    # Model.from_db() expects values in the order of the model's fields.
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in wanted)


REDIRECT_FIELDS = _in_model_order(
    Redirect,
    "id",
    "old_path",
    "site_id",
    "is_permanent",
    "redirect_page_id",
    "redirect_page_route_path",
    "redirect_link",
    "automatically_created",
)
# All of the base page's own fields: its specific page copies each of them.
PAGE_FIELDS = tuple(f.attname for f in Page._meta.concrete_fields)


@functools.cache
def _select(candidates: int, with_site: bool, vendor: str, with_patterns: bool = False) -> str:
    """The SELECT for ``candidates`` paths (built once per shape): exact redirects only, a
    pattern redirect's row never answers its own source (``/old/*``) as a path. With
    ``with_patterns``, every pattern redirect too (in the same query: the index of them,
    out of date, is rebuilt from them; see :mod:`.pattern_index`)."""
    quote = connections[Redirect.objects.db].ops.quote_name

    def column(model: type[Model], alias: str, name: str) -> str:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or not field.column:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        return f"{alias}.{quote(field.column)}"

    columns = [column(Redirect, "r", name.removesuffix("_id")) for name in REDIRECT_FIELDS]
    columns.append(column(RedirectDetails, "d", "status_code"))
    columns.append(column(RedirectDetails, "d", "every_language"))
    is_pattern = column(RedirectDetails, "d", "is_pattern")
    columns.append(is_pattern)
    columns += [column(Page, "p", name.removesuffix("_id")) for name in PAGE_FIELDS]
    where = f"{column(Redirect, 'r', 'old_path')} IN ({', '.join(['%s'] * candidates)})"
    if with_site:
        site = column(Redirect, "r", "site_id")
        where += f" AND ({site} = %s OR {site} IS NULL)"
    where += f" AND ({is_pattern} IS NULL OR NOT {is_pattern})"
    # Only quoted names from the models' metadata; every value is a parameter.
    select = (
        f"SELECT {', '.join(columns)} FROM {quote(Redirect._meta.db_table)} r "  # noqa: S608
        f"LEFT JOIN {quote(RedirectDetails._meta.db_table)} d "
        f"ON {column(RedirectDetails, 'd', 'redirect')} = {column(Redirect, 'r', 'id')} "
        f"LEFT JOIN {quote(Page._meta.db_table)} p "
        f"ON {column(Page, 'p', 'id')} = {column(Redirect, 'r', 'redirect_page')} "
    )
    if with_patterns:  # each part by its own index (old_path; is_pattern)
        return f"{select} WHERE {where} UNION ALL {select} WHERE {is_pattern}"
    return f"{select} WHERE {where} ORDER BY {column(Redirect, 'r', 'id')}"


@functools.cache
def _converters(model: type[Model], names: tuple[str, ...], vendor: str) -> list[Any]:
    """Per column, the database's and the field's converters, as the ORM applies them."""
    connection = connections[model._default_manager.db]
    found = []
    for name in names:
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        column = field.get_col(model._meta.db_table)
        steps = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        found.append((column, steps))
    return found


def _values(model: type[Model], names: tuple[str, ...], values: tuple[Any, ...]) -> list[Any]:
    connection = connections[model._default_manager.db]
    converted = []
    for value, (column, steps) in zip(
        values, _converters(model, names, connection.vendor), strict=True
    ):
        for step in steps:
            value = step(value, column, connection)
        converted.append(value)
    return converted


def _rows(
    candidates: list[str], site_id: int | None, *, with_patterns: bool = False
) -> tuple[list[Row], list[pattern_index.IndexedPattern]]:
    """The exact redirects for these paths, each with its target page and our stored
    status code (None when it has no details); with ``with_patterns``, every pattern
    redirect too (else none)."""
    if not candidates and not with_patterns:
        return [], []
    connection = connections[Redirect.objects.db]
    params: list[str | int] = list(candidates) or [""]
    if site_id is not None:
        params.append(site_id)
    sql = _select(
        len(params) - (site_id is not None), site_id is not None, connection.vendor, with_patterns
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    database = Redirect.objects.db
    rows = []
    patterns = []
    split = len(REDIRECT_FIELDS)
    for row in found:
        values = _values(Redirect, REDIRECT_FIELDS, row[:split])
        redirect = Redirect.from_db(database, REDIRECT_FIELDS, values)
        page_values = row[split + 3 :]
        if page_values[PAGE_FIELDS.index("id")] is not None:
            values = _values(Page, PAGE_FIELDS, page_values)
            redirect.redirect_page = Page.from_db(database, PAGE_FIELDS, values)
        if row[split + 2]:
            entry = pattern_index.entry_for(redirect, row[split], bool(row[split + 1]))
            if entry is not None:
                patterns.append(entry)
        else:
            rows.append((redirect, row[split], bool(row[split + 1])))
    return rows, patterns


def _preferred(rows: list[Row], site_id: int | None) -> Row | None:
    """Core's choice among the rows for one path: the one for exactly this site, else
    the all-sites one. Where several are equally good (duplicates core's constraint lets
    through for all sites, see ``redirects_doctor``), the newest, where core gives up."""
    exact = [row for row in rows if row[0].site_id == site_id]
    candidates = exact or [row for row in rows if row[0].site_id is None]
    return max(candidates, key=lambda row: row[0].pk) if candidates else None
