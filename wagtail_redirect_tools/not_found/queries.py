"""The open 404 log: logged paths that nothing answers now and no rule ignores.

Whether a redirect, an active window or a live page answers a path is decided when the
log is *listed* (one query), so a path leaves the report the moment a
redirect is saved or a page published at its URL, whoever made it and however.

Whether a pattern redirect answers it is decided in Python, by the pattern index this
process keeps (:func:`pattern_answered_ids`): one query of the logged paths a pattern
could answer (those under a pattern's first segment), however many patterns there are;
the answers are kept in the process and only the paths logged since are read again, until
the pattern index changes (:class:`AnsweredByPatterns`). As conditions in SQL, one or
two per pattern, 10,000 patterns made the report's count take minutes (each row tested
against every pattern).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat, Length, StrIndex, Substr
from django.db.models.lookups import Exact, StartsWith
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .. import conf
from ..database.collation import ExactText
from ..models import ScheduledRedirect
from ..patterns import Pattern
from ..resolution import pattern_index
from ..resolution.languages import language_prefixes, prefixed_roots
from ..resolution.sites import site_root_paths
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
    answers: Any = redirect | page | window
    patterns = pattern_answering()
    if patterns is not None:
        answers = ExpressionWrapper(Q(answers) | patterns, output_field=BooleanField())
    return paths.annotate(answered=answers)


def unanswered(paths: QuerySet[NotFoundPath] | None = None) -> QuerySet[NotFoundPath]:
    """Those of ``paths`` (by default the whole log) still answering 404 (ignored ones too).

    Each "answers it" is its own condition (not one NOT of three ORs): on PostgreSQL
    the redirects and windows are anti-joins, once over the table, instead of three
    subqueries a row (the report's count of 100,000 rows: 1.8 s before, most of it
    compiling the plan). The live pages are one list the database makes once (NOT IN
    an uncorrelated subquery): a page's ``url_path`` has no index, and SQLite read
    every page again for each row of the log; without language prefixes, each site's list
    is of its pages' paths as the log stores them (:func:`not_at_live_pages`)."""
    paths = NotFoundPath.objects.all() if paths is None else paths
    redirect, _page, window = answering()
    paths = not_at_live_pages(paths.filter(~redirect, ~window))
    covered = pattern_answered_ids()
    return paths.exclude(pk__in=covered) if covered else paths


def not_at_live_pages(paths: QuerySet[NotFoundPath]) -> QuerySet[NotFoundPath]:
    """Those of ``paths`` no live page answers (as :func:`page_url_path` says it).

    Without ``WAGTAIL_I18N_ENABLED``, for each site (Wagtail's site root paths, kept in
    this process: :func:`..resolution.sites.site_root_paths`), the live pages' paths as
    the log stores them (:func:`page_paths`): the log's own ``path`` is compared, not an
    expression made from it, its site and its site's root page for every row (a join of
    three tables and a string built per row: 60 ms of the report's count of 100,000 rows
    on PostgreSQL). With it, a language's prefix decides the root page: the expression."""
    if conf.i18n_enabled():
        return paths.alias(page_url_path=page_url_path(F)).exclude(
            page_url_path__in=live_pages().values("url_path")
        )
    at_page = Q()
    for site_id, root_path in sorted({(r.site_id, r.root_path) for r in site_root_paths()}):
        at_page |= Q(site_id=site_id, exact_path__in=page_paths(root_path))
    if not at_page:
        return paths
    return paths.alias(exact_path=ExactText(F("path"))).exclude(at_page)


def page_paths(root_path: str) -> QuerySet[Page]:
    """The paths, as the log stores them, that the live pages under the root page at
    ``root_path`` answer: a page's ``url_path`` after the root's, with a "/" before and
    none after (``/home/news/2019/`` under ``/home/`` is ``/news/2019``; the root page
    itself, ``/``, is no logged path). The inverse of :func:`page_url_path`, compared
    exactly (:class:`ExactText`) as it is."""
    size = len(root_path)
    url_path = F("url_path")
    return (
        live_pages()
        .alias(url_path_size=Length(url_path))
        .filter(
            Exact(ExactText(Substr(url_path, 1, size)), ExactText(Value(root_path))),
            url_path_size__gt=size,
            url_path__endswith="/",
        )
        .values(
            logged=ExactText(
                Concat(
                    Value("/"),
                    Substr(url_path, size + 1, F("url_path_size") - size - 1),
                    output_field=CharField(),
                )
            )
        )
    )


def pattern_answered_ids(paths: QuerySet[NotFoundPath] | None = None) -> list[int]:
    """The ids of those of ``paths`` (by default the whole log) a pattern redirect answers
    now, as resolution would answer them: the pattern index this process keeps
    (:mod:`..resolution.pattern_index`, no query once read) matches each path that could
    be answered, in Python.

    Only the rows whose first segment is a stored pattern's first segment are read (one
    query, none without patterns; see :func:`candidate_rows`): a pattern starting with a
    literal segment answers nothing else. The work is that query and a match a row read
    (microseconds), whatever the number of patterns. The ids are then left out by a list
    (``NOT IN``): as many parameters as rows the patterns answer, which SQLite bounds
    (250,000 in Python 3.11's build) and the other databases do not.

    For the whole log the answers are kept in this process (:class:`AnsweredByPatterns`)
    and only the rows logged since are read and matched, until the pattern index changes.

    A pattern stored by another process since this one read its index answers here (and
    in this process's requests) once the index is read again, at the next check of the
    change stamps, as before."""
    index = pattern_index.current()
    if not index:
        return []
    if paths is None:
        return _answered.ids(index)
    rows = candidate_rows(index, paths).order_by().values_list("pk", "site_id", "path")
    return [pk for pk, site_id, path in rows if index.match(site_id, path) is not None]


def candidate_rows(
    index: pattern_index.PatternIndex, rows: QuerySet[NotFoundPath]
) -> QuerySet[NotFoundPath]:
    """Those of ``rows`` a pattern of ``index`` could answer: the rows whose first segment
    is a pattern redirect's first segment (the database's, of the pattern redirects' rows,
    a subquery rather than one parameter a pattern); all of them when a pattern starts
    with a named segment, or is ``/*`` (it could answer any path)."""
    if any_first_segment(index.entries):
        return rows
    firsts = Redirect.objects.filter(details__is_pattern=True).values(
        first=ExactText(FirstSegment("old_path"))
    )
    return rows.alias(first_segment=ExactText(FirstSegment("path"))).filter(
        first_segment__in=firsts
    )


@dataclass(frozen=True, slots=True)
class _Known:
    """What one read of the log found, for one pattern index: the ids of the rows it
    answers, and of every row up to ``top`` (the highest id there was) how many there
    were and the sum of their ids."""

    index: weakref.ref[pattern_index.PatternIndex]
    answered: list[int]
    top: int
    rows: int
    id_sum: int


class AnsweredByPatterns:
    """The ids of the logged paths the pattern index answers, kept in this process.

    A logged row's site and path never change (the log's writer updates only its counts
    and times, ``writing.UPDATED_FIELDS``), so what a pattern index answered stays
    answered: at the next call only the rows with a higher id than any read before are
    read and matched, in the same one query, which also counts the rows up to that id and
    sums their ids. The answers are read again in full (a second query) when the pattern
    index is another one (a pattern added, changed or removed, here or in another process,
    by the ``redirects`` stamp), or when those rows are not the rows known: some were
    deleted (their ids would be stale in the list: a purge, the bound of kept paths), or
    a row with a lower id was committed after the last read (ids are taken when a row is
    inserted, not when its transaction commits). The rows and totals shown are then those
    of a full read; only as many rows deleted as committed late with the same sum of ids,
    between two calls, would go unseen until the next change.

    One lock around the read and the update: two views at once in one process read the
    log's new rows once, one after the other. The pattern index is held weakly: a
    replaced one is not kept alive by this."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: _Known | None = None

    def forget(self) -> None:
        with self._lock:
            self._known = None

    def ids(self, index: pattern_index.PatternIndex) -> list[int]:
        with self._lock:
            known = self._known
            if known is not None and known.index() is index:
                found, same_rows = self._read(index, known)
                if not same_rows:
                    found, _same = self._read(index, None)
            else:
                found, _same = self._read(index, None)
            self._known = found
            return found.answered

    @staticmethod
    def _read(index: pattern_index.PatternIndex, known: _Known | None) -> tuple[_Known, bool]:
        """The rows logged since ``known`` (all rows when None) matched, and whether the
        rows up to ``known.top`` are those known (if not, the answers are to be read again
        in full)."""
        top = known.top if known is not None else 0
        nothing = Value(None, output_field=BigIntegerField())
        new = (
            candidate_rows(index, NotFoundPath.objects.filter(pk__gt=top))
            .order_by()
            .values_list("pk", "site_id", "path", nothing, nothing, nothing)
        )
        before = Q(pk__lte=top)
        totals = (
            NotFoundPath.objects.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(
                t_top=Max("pk"),
                t_rows=Count("pk"),
                t_path=Value(None, output_field=CharField()),
                t_sum=Sum("pk"),
                t_before_rows=Count("pk", filter=before),
                t_before_sum=Sum("pk", filter=before),
            )
            .values_list("t_top", "t_rows", "t_path", "t_sum", "t_before_rows", "t_before_sum")
        )
        answered = list(known.answered) if known is not None else []
        now_top, rows, id_sum, before_rows, before_sum = top, 0, 0, 0, 0
        for pk, site_id, path, total, counted, summed in new.union(totals, all=True):
            if path is not None:
                if index.match(site_id, path) is not None:
                    answered.append(pk)
            elif pk is not None:  # the totals (none when the log is empty)
                now_top, rows, id_sum = int(pk), int(site_id), int(total or 0)
                before_rows, before_sum = int(counted or 0), int(summed or 0)
        same_rows = known is None or (before_rows, before_sum) == (known.rows, known.id_sum)
        return _Known(weakref.ref(index), answered, max(now_top, top), rows, id_sum), same_rows


_answered = AnsweredByPatterns()


def any_first_segment(entries: list[pattern_index.IndexedPattern]) -> bool:
    """One of the patterns may answer a path of any first segment: it starts with a named
    segment, or is ``/*``."""
    return any(
        not entry.pattern.segments or entry.pattern.segments[0].startswith(":") for entry in entries
    )


class FirstSegment(Func):
    """A path's first segment, as the pattern index splits a path starting with "/": the
    text after the leading "/" up to the next "/" or the end (``/news/2019`` → ``news``,
    ``/`` → ""). PostgreSQL's ``split_part`` does it in one call (the portable form, four
    string functions a row, took 150 ms of a query over 100,000 rows)."""

    arity = 1
    output_field = CharField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: Any = None,
        template: Any = None,
        arg_joiner: Any = None,
        **extra: Any,
    ) -> tuple[str, Any]:
        if template is not None:  # PostgreSQL's
            return super().as_sql(compiler, connection, function, template, arg_joiner, **extra)
        (path,) = self.get_source_expressions()
        rest = Concat(Substr(path, 2), Value("/"), output_field=CharField())
        portable = Substr(rest, 1, StrIndex(rest, Value("/")) - 1, output_field=CharField())
        return compiler.compile(portable)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        return super().as_sql(
            compiler, connection, template="split_part(%(expressions)s, '/', 2)", **extra
        )


def pattern_answering() -> Q | None:
    """The logged paths a pattern redirect answers (see :mod:`..patterns`), as a condition
    on the log's own rows, or None when there is no pattern: for :func:`answered`'s
    annotation (the report uses :func:`pattern_answered_ids`, the same answers without a
    condition per pattern in its SQL). Built from the patterns this
    process keeps (:mod:`..resolution.pattern_index`: no query once they are read): a
    prefix (``/old-section/*``) is the path or what starts with it and "/"; named
    segments are a regular expression with every literal escaped and no nested
    repetition (``^/news/[^/]+/[^/]+/?$``), which no database evaluates in more than
    linear time. Each pattern is a condition of its own, so the report's query grows
    with the patterns (two or three parameters each)."""
    conditions = [
        pattern_condition(entry.pattern, entry.site_id) for entry in pattern_index.current().entries
    ]
    if not conditions:
        return None
    found = conditions[0]
    for condition in conditions[1:]:
        found |= condition
    return found


def pattern_condition(pattern: Pattern, site_id: int | None) -> Q:
    """The logged paths (stored without a trailing slash) ``pattern`` of ``site_id``
    (None: all sites) answers."""
    if pattern.is_prefix:
        prefix = pattern.literal_prefix
        path = (
            Q(path__startswith="/")
            if prefix == "/"
            else (Q(path=prefix) | Q(path__startswith=prefix + "/"))
        )
    else:
        parts = [
            "/" + ("[^/]+" if segment.startswith(":") else _escaped(segment))
            for segment in pattern.segments
        ]
        rest = "(/.*)?" if pattern.splat else ""
        path = Q(path__regex=f"^{''.join(parts)}{rest}/?$")
    return path & Q(site_id=site_id) if site_id is not None else path


#: What has a meaning outside brackets in PostgreSQL's, MySQL's (ICU) and Python's
#: regular expressions; every other character stands for itself in all three.
_SPECIAL = frozenset(".^$*+?()[]{}|\\")


def _escaped(literal: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in literal)


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
