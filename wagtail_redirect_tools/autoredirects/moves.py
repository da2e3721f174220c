"""Permanent redirects for the old URLs of a page and its live descendants after a move
or a slug change: written in bulk, without chains, never shadowing a live page.

The old and new URL of every page in the subtree follow from ``url_path``
prefixes and the sites' root paths, so pages are read as plain rows, a batch at a
time; each batch costs a fixed number of queries whose size is bounded by the
batch, however large the subtree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections, transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page

from .. import conf
from ..database.arrays import can_copy, rows_per_batch
from ..resolution import frontend_cache
from .nearby import Key, Nearby
from .page_urls import OldUrl, SiteRoot, moved_urls, roots_serving, specific_pages
from .pattern_targets import repoint_pattern_targets
from .report import ACTION_CREATED, AutoRedirectReport
from .writing import copy_under_section, insert_fields, once_more_on_conflict, write_batch


def auto_create_enabled() -> bool:
    """Automatic redirects are on (see :func:`conf.auto_redirects` for the one switch)."""
    return conf.auto_redirects()


def redirect_old_urls(
    page: Page, *, url_path_before: str, batch_size: int | None = None, with_page: bool = True
) -> AutoRedirectReport | None:
    """Redirect every old URL of ``page`` (now at its new place) and its live descendants,
    ``batch_size`` pages at a time (by default as many rows as the database takes per batch);
    the descendants' only when not ``with_page`` (the page had no public URL before).

    Returns None when no URL changed (a reorder, or the page is a site root).
    """
    page = Page.objects.get(pk=page.pk)  # its new path and url_path; whole, for the audit log
    url_path_after = page.url_path
    if url_path_after == url_path_before:
        return None
    roots = roots_serving(url_path_before, url_path_after)
    if not roots:
        return None

    batch_size = fit_one_insert(batch_size or rows_per_batch(connections[Redirect.objects.db]))
    return once_more_on_conflict(
        lambda: _redirect_subtree(page, roots, url_path_before, batch_size, with_page)
    )


def _redirect_subtree(
    page: Page, roots: list[SiteRoot], url_path_before: str, batch_size: int, with_page: bool
) -> AutoRedirectReport:
    """:func:`redirect_old_urls`'s writing, all or nothing."""
    url_path_after = page.url_path
    report = AutoRedirectReport(
        page_id=page.pk, url_path_before=url_path_before, url_path_after=url_path_after
    )
    depth = {"depth__gte": page.depth} if with_page else {"depth__gt": page.depth}
    subtree = (
        Page.objects.filter(path__startswith=page.path, live=True, **depth)
        .order_by("path")
        .values_list("pk", "url_path", "content_type_id")
    )
    with transaction.atomic():
        nearby = Nearby.around(roots, url_path_before, url_path_after)
        for rows in batches(subtree.iterator(chunk_size=batch_size), batch_size):
            _process_batch(rows, roots, url_path_before, url_path_after, report, nearby)
        if nearby.links:  # (a pattern's target under the section links into it)
            repoint_pattern_targets(page, roots, url_path_before, report)
        entry = log(page, ACTION_CREATED, data=report.log_data())
        report.log_entry_id = entry.pk if entry is not None else None
    return report


def fit_one_insert(batch_size: int) -> int:
    """At most as many pages per batch as one INSERT of redirects takes on this database,
    by Django's own limit (``bulk_batch_size``, which bulk_create() batches by; on SQLite
    it keeps a statement within the parameter limit), so that a batch of pages with one
    URL each is one INSERT, and the batch's other queries (fewer parameters per URL)
    stay within the limit too.

    Kept, measured against batches of ``batch_size`` pages whose INSERTs are split at the
    same limit (bench_page_moves.py's sections, interleaved, median of 5 moves, 3 runs):
    SQLite, 1,000 pages level (0.94-1.01x), 10,000 pages 1.10-1.34 times slower without
    it. PostgreSQL has no such limit: batches are ``batch_size`` either way.
    """
    per_insert = connections[Redirect.objects.db].ops.bulk_batch_size(
        insert_fields(), [None] * batch_size
    )
    return max(1, min(batch_size, per_insert))


def batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _process_batch(
    rows: list[Any],
    roots: list[SiteRoot],
    url_path_before: str,
    url_path_after: str,
    report: AutoRedirectReport,
    nearby: Nearby,
) -> None:
    specific = specific_pages(rows)

    def before(url_path: str) -> str:
        return url_path_before + url_path[len(url_path_after) :]

    if not (nearby.clear and can_copy(connections[Redirect.objects.db])):
        old_urls, live_paths = _collect(moved_urls(rows, roots, specific, before))
        _drop_swapped(old_urls, live_paths)
        write_batch(old_urls, live_paths, report, nearby)
        return
    # Pages of a type with its own URLs first, then the others' redirects written as
    # they are made; what is left is written with its lookups.
    own = [row for row in rows if row[0] in specific]
    old_urls, live_paths = _collect(moved_urls(own, roots, specific, before))
    plain = (row for row in rows if row[0] not in specific)
    under_section = copy_under_section(
        moved_urls(plain, roots, {}, before), old_urls, live_paths, report, nearby
    )
    _drop_swapped(old_urls, live_paths | under_section)
    write_batch(old_urls, live_paths, report, nearby)


def _collect(
    moved: Iterable[tuple[SiteRoot, int, str, str, str]],
) -> tuple[dict[Key, OldUrl], set[Key]]:
    """The old URLs to redirect, by (site, path), and the live URLs, of what ``moved``
    yields (site, page id, route, old path, new path)."""
    old_urls: dict[Key, OldUrl] = {}
    live_paths: set[Key] = set()
    for root, pk, route, old_path, new_path in moved:
        live_paths.add((root.site_id, new_path))
        if old_path != new_path:
            old_urls[(root.site_id, old_path)] = OldUrl(root, old_path, pk, route)
    return old_urls, live_paths


def _drop_swapped(old_urls: dict[Key, OldUrl], live_paths: set[Key]) -> None:
    """Old URLs that are another page's live URL now (swapped within the subtree)."""
    for swapped in live_paths & old_urls.keys():
        del old_urls[swapped]


def purge_old_links(report: AutoRedirectReport) -> None:
    """Purge the old URLs from Wagtail's front-end cache, as core does."""
    frontend_cache.purge(report.old_links, what=f"the old URLs of page {report.page_id}")
