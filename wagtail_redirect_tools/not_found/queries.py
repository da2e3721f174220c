"""The open 404 log: logged paths that nothing answers now and no rule ignores.

Whether a redirect, an active window or a live page answers a path is decided when the
log is *listed* (one query), so a path leaves the report the moment a
redirect is saved or a page published at its URL, whoever made it and however.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Substr
from django.db.models.lookups import Exact, StartsWith
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from ..database.collation import ExactText
from ..models import ScheduledRedirect
from ..resolution.languages import language_prefixes, prefixed_roots
from .models import NotFoundIgnoreRule, NotFoundPath
from .rules import as_q, setting_rules


def answering() -> tuple[Any, Exists, Exists]:
    """What answers a logged path now: a redirect or an active scheduled redirect (of
    its site or all sites) from the path, or a live page at it (the site's root page
    path + the path + "/", as Wagtail routes).

    Every comparison is exact (:class:`ExactText`), as on PostgreSQL and SQLite: on
    MySQL and MariaDB the path columns have a binary collation of their own, which a
    column in the database's collation (a page's ``url_path``; the log's own path
    where migration 0011 has not run or was undone) may not mix with. A path that
    a case-insensitive database serves by a page of another spelling (``/About/``
    for ``/about/``) stays open: it was logged when nothing answered it."""
    path = ExactText(OuterRef("path"))
    applies = Q(site_id=OuterRef("site_id")) | Q(site__isnull=True)
    redirect: Any = Exists(Redirect.objects.filter(applies, old_path=path))
    unprefixed = path_without_language(OuterRef)
    if unprefixed is not None:
        # A redirect for every language, stored at the path without its prefix.
        every_language = Redirect.objects.filter(
            applies, details__every_language=True, old_path=ExactText(unprefixed)
        )
        redirect = redirect | Exists(every_language)
    page = live_pages().filter(url_path=page_url_path(OuterRef))
    window = ScheduledRedirect.objects.active().filter(
        Q(site_id=OuterRef("site_id")) | Q(site__isnull=True), old_path=path
    )
    return redirect, Exists(page), Exists(window)


def answered(paths: QuerySet[NotFoundPath]) -> QuerySet[NotFoundPath]:
    """``paths`` annotated ``answered``: something answers the path now (see
    :func:`answering`)."""
    redirect, page, window = answering()
    return paths.annotate(answered=redirect | page | window)


def unanswered(paths: QuerySet[NotFoundPath] | None = None) -> QuerySet[NotFoundPath]:
    """Those of ``paths`` (by default the whole log) still answering 404 (ignored ones too).

    Each "answers it" is its own condition (not one NOT of three ORs): on PostgreSQL
    the redirects and windows are anti-joins, once over the table, instead of three
    subqueries a row (the report's count of 100,000 rows: 1.8 s before, most of it
    compiling the plan). The live pages are one list the database makes once (NOT IN
    an uncorrelated subquery): a page's ``url_path`` has no index, and SQLite read
    every page again for each row of the log."""
    paths = NotFoundPath.objects.all() if paths is None else paths
    redirect, _page, window = answering()
    return (
        paths.alias(page_url_path=page_url_path(F))
        .filter(~redirect, ~window)
        .exclude(page_url_path__in=live_pages().values("url_path"))
    )


def not_ignored(
    paths: QuerySet[NotFoundPath], ignore_rules: list[tuple[str, str]] | None = None
) -> QuerySet[NotFoundPath]:
    """Those of ``paths`` no rule ignores (``NOT_FOUND_IGNORE`` and ``ignore_rules``, by
    default the stored rules: one query)."""
    rules = NotFoundIgnoreRule.all_rules() if ignore_rules is None else ignore_rules
    ignored = as_q([*setting_rules(), *rules])
    return paths.exclude(ignored) if ignored else paths


def open_paths(
    paths: QuerySet[NotFoundPath] | None = None,
    ignore_rules: list[tuple[str, str]] | None = None,
) -> QuerySet[NotFoundPath]:
    """The open log (of ``paths``, by default the whole log): paths still answering 404
    that no rule ignores."""
    return not_ignored(unanswered(paths), ignore_rules)


def live_pages() -> Any:
    return Page.objects.filter(live=True)


def page_url_path(field: type[F] | type[OuterRef]) -> Case | Concat:
    """The ``url_path`` of the page that would answer a logged path: its site's root
    page's path, then the path without its first "/", then "/" (as Wagtail routes).
    ``field`` is ``F`` on the log's own rows, ``OuterRef`` in a subquery.

    On a multilingual site a path under a language's prefix (``/cy/amdanom``) is routed
    from that language's root page instead, without its prefix (:mod:`..resolution.languages`)."""
    path = ExactText(field("path"))
    unprefixed = Concat(
        ExactText(field("site__root_page__url_path")),
        Substr(path, 2),
        Value("/"),
        output_field=CharField(),
    )
    whens = []
    for site_id, prefix, root_path in prefixed_roots():
        in_site = Exact(field("site_id"), site_id)
        whens.append(When(Q(in_site) & Q(Exact(path, prefix)), then=Value(root_path)))
        rest = Concat(Value(root_path), Substr(path, len(prefix) + 2), Value("/"))
        whens.append(When(Q(in_site) & Q(StartsWith(path, prefix + "/")), then=rest))
    if not whens:
        return unprefixed
    return Case(*whens, default=unprefixed, output_field=CharField())


def path_without_language(field: type[F] | type[OuterRef]) -> Case | None:
    """A logged path without its language's prefix (``/cy/old-page`` → ``/old-page``),
    where a redirect for every language is stored; NULL for a path without one. None
    without ``WAGTAIL_I18N_ENABLED`` (no language has a prefix)."""
    prefixes = language_prefixes()
    if not prefixes:
        return None
    path = ExactText(field("path"))
    whens = [
        When(StartsWith(path, prefix + "/"), then=Substr(path, len(prefix) + 1))
        for prefix in prefixes
    ]
    return Case(*whens, default=Value(None), output_field=CharField())
