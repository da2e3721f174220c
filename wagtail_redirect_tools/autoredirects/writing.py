"""Writing one batch of redirects: settle existing rows, insert, flatten chains."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, connections
from django.db.models import Field, Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from .. import rules
from ..database.arrays import copy_rows, insert_rows, save_fields, uses_arrays
from ..models import REDIRECT_INSERT_FIELDS
from ..resolution.stamps import redirects_changed
from .nearby import Key, Nearby
from .page_urls import OldUrl, SiteRoot
from .report import AutoRedirectReport, replaced_row

T = TypeVar("T")


def once_more_on_conflict(write: Callable[[], T]) -> T:
    """``write()`` (all or nothing, in an atomic block), and once more if another writer
    (an import, an editor, another move) added a redirect at one of its URLs meanwhile:
    the unique (site, path) made ours wait for that writer's commit, then refused it. The
    second time the other redirect is read, and kept like any manual one."""
    try:
        return write()
    except IntegrityError:
        return write()


def write_batch(
    old_urls: dict[tuple[int, str], OldUrl],
    live_paths: set[tuple[int, str]],
    report: AutoRedirectReport,
    nearby: Nearby | None = None,
) -> None:
    """Redirect ``old_urls``; clear automatic redirects from ``live_paths`` (URLs that are a
    live page's own). With ``nearby`` (a move's), only the URLs where something may be
    are looked up; without, all of them."""
    # Every old URL leaves the front-end cache, also where a manual redirect is kept.
    report.old_links.extend(url.site.root_url + url.old_path for url in old_urls.values())
    drop_too_long(old_urls, report)
    drop_refused(old_urls, report)
    keys = live_paths | old_urls.keys()
    doomed = settle_existing(
        nearby.sources_to_check(keys) if nearby else keys, live_paths, old_urls, report
    )
    if doomed:
        Redirect.objects.filter(pk__in=doomed).delete()
    insert(list(old_urls.values()), report)
    repoint_chains(nearby.links_to_check(old_urls) if nearby else old_urls, report)
    # The INSERT and bulk_update send no signals: tell the resolver here.
    redirects_changed()


def drop_too_long(old_urls: dict[Key, OldUrl], report: AutoRedirectReport) -> None:
    """Old URLs longer than core's ``old_path`` can hold get no redirect, and are reported:
    PostgreSQL and MySQL would refuse the whole batch, SQLite would store what core's own
    forms cannot show."""
    limit = old_path_limit()
    for key in [key for key in old_urls if len(key[1]) > limit]:
        report.too_long.append(old_urls.pop(key).old_path)


def drop_refused(old_urls: dict[Key, OldUrl], report: AutoRedirectReport) -> None:
    """Old URLs the Redirects form and the import would refuse as a source get no
    redirect either, and are reported."""
    admin = rules.admin_root()
    for key in [key for key in old_urls if rules.source_error(key[1], admin=admin)]:
        report.refused.append(old_urls.pop(key).old_path)


def old_path_limit() -> int:
    """The longest old path core's ``old_path`` column holds."""
    return Redirect._meta.get_field("old_path").max_length or 0


def existing(keys: Iterable[tuple[int, str]]) -> list[Redirect]:
    keys = set(keys)
    if not keys:
        return []
    site_ids = {site_id for site_id, _path in keys}
    candidates = Redirect.objects.filter(
        site_id__in=site_ids, old_path__any_of={path for _site_id, path in keys}
    )
    return [r for r in candidates if (r.site_id, r.old_path) in keys]


def settle_existing(
    keys: set[tuple[int, str]],
    live_paths: set[tuple[int, str]],
    old_urls: dict[tuple[int, str], OldUrl],
    report: AutoRedirectReport,
) -> list[int]:
    """Decide about the redirects already at ``keys``, of the batch's old and new URLs,
    in one query.

    Returns the automatic ones to delete: those on a URL that is a live page's own
    again (e.g. after moving a page back), and those an old URL's new redirect replaces.
    Manual redirects are never touched; they are reported instead.
    """
    doomed = []
    for redirect in existing(keys):
        key = (redirect.site_id, redirect.old_path)
        if redirect.automatically_created:
            doomed.append(redirect.pk)
            if key in old_urls:
                report.replaced += 1
                report.replaced_rows.append(replaced_row(redirect))
            else:
                report.removed += 1
        elif key in live_paths:
            report.conflicts.append(
                f"{redirect.old_path} (site {redirect.site_id}) is a live page's URL again; "
                "its manual redirect was kept"
            )
        else:
            url = old_urls.pop(key)
            if redirect.redirect_page_id != url.page_id:
                report.conflicts.append(
                    f"{redirect.old_path} (site {redirect.site_id}) already has a manual "
                    "redirect; it was kept"
                )
    return doomed


def insert(urls: list[OldUrl], report: AutoRedirectReport) -> None:
    """Multi-row INSERTs of at most as many rows as the database takes per statement:
    one for a batch sized by ``moves.fit_one_insert`` whose pages have one URL each.

    Not bulk_create(): it stamps each row with its own ``created_at`` (auto_now_add), and
    Undo finds a move's redirects by the one ``report.created_at``, so the ORM needs an
    UPDATE after each INSERT; and it costs more in Python per row. Measured with
    bench_page_moves.py's sections, both interleaved in one run (our handler alone, median
    of 5 moves; 5 runs on PostgreSQL, 3 on SQLite): PostgreSQL, 1,000 pages 0.12-0.21 s
    raw, 0.24-0.36 s with bulk_create + UPDATE (1.3-2.5x); 10,000 pages 2.0-2.5 s raw,
    2.3-2.8 s (0.93-1.23x); bulk_create alone is level with raw there (0.85-1.3x): the
    UPDATE is the difference. SQLite, 1,000 pages 0.09-0.10 s raw, 0.15-0.26 s (1.6-2.9x);
    10,000 pages 0.69-1.0 s raw, 1.5-2.0 s (2.0-2.4x), and 2.1x with bulk_create alone.
    """
    if not urls:
        return
    connection = connections[Redirect.objects.db]
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Redirect._meta.get_field(name).column) for name in REDIRECT_INSERT_FIELDS
    )
    placeholders = "(" + ", ".join(["%s"] * len(REDIRECT_INSERT_FIELDS)) + ")"
    # The value as the ORM would write it (Field.get_db_prep_save), once per batch.
    created_at = Redirect._meta.get_field("created_at").get_db_prep_save(
        report.created_at, connection
    )
    table = quote(Redirect._meta.db_table)
    if uses_arrays(connection):
        moment = report.created_at  # one for every row: Undo finds the move's redirects by it
        insert_rows(Redirect, REDIRECT_INSERT_FIELDS, [_row(url, moment) for url in urls])
        report.created += len(urls)
        return
    # Django's own limit per statement, the one bulk_create() batches by.
    size = max(1, connection.ops.bulk_batch_size(insert_fields(), urls))
    with connection.cursor() as cursor:
        for start in range(0, len(urls), size):
            rows = urls[start : start + size]
            params: list[Any] = []
            for url in rows:
                params += [url.old_path, url.site_id, True, url.page_id, url.route_path, "", True]
                params.append(created_at)
            # Only quoted names from the model's metadata and placeholders are
            # interpolated; every value travels as a parameter.
            sql = (
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([placeholders] * len(rows))}"
            )
            cursor.execute(sql, params)
    report.created += len(urls)


def _row(url: OldUrl, moment: datetime) -> tuple[Any, ...]:
    """The values of ``url``'s redirect, in the order of ``REDIRECT_INSERT_FIELDS``."""
    return (url.old_path, url.site_id, True, url.page_id, url.route_path, "", True, moment)


def copy_under_section(
    moved: Iterable[tuple[SiteRoot, int, str, str, str]],
    old_urls: dict[Key, OldUrl],
    live_paths: set[Key],
    report: AutoRedirectReport,
    nearby: Nearby,
) -> set[Key]:
    """Where nothing is near the section (``nearby.clear``; PostgreSQL with psycopg 3):
    write the redirects of the old URLs ``moved`` yields (site, page id, route, old path,
    new path) by one COPY, while they are being made, when both URLs are under the
    section's paths: such a URL needs no looking up, so there is nothing to wait for. The
    database stores one chunk while the next is made. Making every URL first and then
    writing added the making (about a quarter of a 10,000-page move's handler: 75 ms of
    its 370 ms on PostgreSQL) to the writing.

    The other URLs are added to ``old_urls`` and ``live_paths``, to be written by
    :func:`write_batch` with their lookups; no redirect is written at a URL already in
    ``live_paths``. Returns the live URLs under the section's paths, which may still take
    one of ``old_urls`` (a URL swapped within the subtree).
    """
    limit = old_path_limit()  # longer ones are reported, as drop_too_long() does
    admin = rules.admin_root()  # and refused ones as drop_refused() does
    taken = set(live_paths)
    new_paths: set[Key] = set()
    moment = report.created_at

    def rows() -> Iterator[tuple[Any, ...]]:
        for root, pk, route, old_path, new_path in moved:
            new = (root.site_id, new_path)
            if nearby.under_section(new):
                new_paths.add(new)
            else:
                live_paths.add(new)
            if old_path == new_path:
                continue
            old, url = (root.site_id, old_path), OldUrl(root, old_path, pk, route)
            if not nearby.under_section(old):
                old_urls[old] = url
            elif old not in taken:  # in it: a URL swapped within the subtree
                report.old_links.append(root.root_url + old_path)
                if len(old_path) > limit:
                    report.too_long.append(old_path)
                    continue
                if rules.source_error(old_path, admin=admin) is not None:
                    report.refused.append(old_path)
                    continue
                report.created += 1
                yield _row(url, moment)

    copy_rows(Redirect, REDIRECT_INSERT_FIELDS, rows())
    return new_paths


def insert_fields() -> list[Field[Any, Any]]:
    """The fields :func:`insert` writes, in its order."""
    return [Redirect._meta.get_field(name) for name in REDIRECT_INSERT_FIELDS]


def repoint_chains(old_urls: dict[tuple[int, str], OldUrl], report: AutoRedirectReport) -> None:
    """Redirects that link to an old URL now point at the page: one hop, not two."""
    by_link: dict[str, list[OldUrl]] = {}
    for url in old_urls.values():
        forms = {url.old_path, url.old_path + "/"} if "?" not in url.old_path else {url.old_path}
        for form in forms:
            by_link.setdefault(form, []).append(url)
            by_link.setdefault(url.site.root_url + form, []).append(url)
    if not by_link:
        return
    chained = Redirect.objects.filter(
        Q(redirect_link__any_of=by_link.keys()), redirect_page__isnull=True
    )
    changed = []
    every_site = functools.cache(lambda: {root.site_id for root in Site.get_site_root_paths()})
    for redirect in chained:
        match = _matching_old_url(redirect, by_link[redirect.redirect_link], every_site)
        if match is None:
            if redirect.site_id is None and "://" not in redirect.redirect_link:
                report.kept_chains.append(redirect.old_path)
            continue
        redirect.redirect_page_id = match.page_id
        redirect.redirect_page_route_path = match.route_path
        redirect.redirect_link = ""
        changed.append(redirect)
    repoint(changed)
    report.repointed += len(changed)


def repoint(changed: list[Redirect]) -> None:
    """Save the new page targets of ``changed``: one UPDATE from arrays on PostgreSQL
    (bulk_update()'s CASE with three parameters per row and column cost 15% of a
    10,000-page move), bulk_update() elsewhere."""
    save_fields(changed, ("redirect_page", "redirect_page_route_path", "redirect_link"))


def _matching_old_url(
    redirect: Redirect, urls: list[OldUrl], every_site: Callable[[], set[int]]
) -> OldUrl | None:
    """The old URL ``redirect`` links to, when its link means that URL unambiguously
    (``every_site``: the ids of all sites, read once per batch and only when needed)."""
    if "://" in redirect.redirect_link:
        return urls[0]
    if redirect.site_id is not None:  # a path on the redirect's own site
        return next((url for url in urls if url.site_id == redirect.site_id), None)
    # An all-sites redirect with a path means that path on whichever site is asked: it
    # is this page's old URL only if it was so on every site (always, with one site).
    targets = {url.site_id: (url.page_id, url.route_path) for url in urls}
    if set(targets) == every_site() and len(set(targets.values())) == 1:
        return urls[0]
    return None
