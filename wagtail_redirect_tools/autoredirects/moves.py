"""Permanent redirects for the old URLs of a page and its live descendants after a move
or a slug change: written in bulk, without chains, never shadowing a live page.

The old and new URL of every page in the subtree follow from ``url_path``
prefixes and the sites' root paths, so pages are read as plain rows, a batch at a
time; each batch costs a fixed number of queries whose size is bounded by the
batch, however large the subtree."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page

from .. import conf
from .report import ACTION_CREATED, AutoRedirectReport
from .urls import (
    DEFAULT_ROUTES,
    OldUrl,
    SiteRoot,
    normalised,
    page_path,
    roots_serving,
    specific_pages,
)
from .writing import insert, repoint_chains, settle_existing

logger = logging.getLogger(__name__)


def auto_create_enabled() -> bool:
    """Ours is on, and core's WAGTAILREDIRECTS_AUTO_CREATE (which it replaces) is not off."""
    return conf.auto_redirects() and bool(getattr(settings, "WAGTAILREDIRECTS_AUTO_CREATE", True))


def redirect_old_urls(
    page: Page, *, url_path_before: str, batch_size: int = 1000
) -> AutoRedirectReport | None:
    """Redirect every old URL of ``page`` (now at its new place) and its live descendants.

    Returns None when no URL changed (a reorder, or the page is a site root).
    """
    page = Page.objects.get(pk=page.pk)  # its new path and url_path; whole, for the audit log
    url_path_after = page.url_path
    if url_path_after == url_path_before:
        return None
    roots = roots_serving(url_path_before, url_path_after)
    if not roots:
        return None

    report = AutoRedirectReport(
        page_id=page.pk, url_path_before=url_path_before, url_path_after=url_path_after
    )
    batch_size = _fit_one_insert(batch_size)
    subtree = (
        Page.objects.filter(path__startswith=page.path, depth__gte=page.depth, live=True)
        .order_by("path")
        .values_list("pk", "url_path", "content_type_id")
    )
    with transaction.atomic():
        for rows in _batches(subtree.iterator(chunk_size=batch_size), batch_size):
            _process_batch(rows, roots, url_path_before, url_path_after, report)
        entry = log(page, ACTION_CREATED, data=report.log_data())
        report.log_entry_id = entry.pk if entry is not None else None
    return report


def _fit_one_insert(batch_size: int) -> int:
    """At most as many pages per batch as one INSERT of redirects can take on this database
    (SQLite limits the parameters of a statement), so each batch is one INSERT."""
    fields = [f for f in Redirect._meta.concrete_fields if not f.primary_key]
    per_insert = connections[Redirect.objects.db].ops.bulk_batch_size(fields, [None] * batch_size)
    return max(1, min(batch_size, per_insert))


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
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
) -> None:
    specific = specific_pages(rows)
    old_urls: dict[tuple[int, str], OldUrl] = {}
    live_paths: set[tuple[int, str]] = set()
    for pk, url_path, _content_type_id in rows:
        old_url_path = url_path_before + url_path[len(url_path_after) :]
        page = specific.get(pk)
        routes = page.get_route_paths() if page is not None else DEFAULT_ROUTES
        for root in roots:
            old_relative = page_path(root, old_url_path, page)
            new_relative = page_path(root, url_path, page)
            if old_relative is None or new_relative is None:
                continue
            for route in routes:
                route_path = Redirect.normalise_page_route_path(route)
                old_path = normalised(old_relative.rstrip("/") + (route_path or "/"))
                new_path = normalised(new_relative.rstrip("/") + (route_path or "/"))
                live_paths.add((root.site_id, new_path))
                if old_path != new_path:
                    old_urls[(root.site_id, old_path)] = OldUrl(root, old_path, pk, route_path)
    for key in live_paths & old_urls.keys():  # URLs swapped within the subtree
        del old_urls[key]

    # Every old URL leaves the front-end cache, also where a manual redirect is kept.
    report.old_links.extend(url.site.root_url + url.old_path for url in old_urls.values())
    doomed = settle_existing(live_paths, old_urls, report)
    if doomed:
        Redirect.objects.filter(pk__in=doomed).delete()
    insert(list(old_urls.values()), report)
    repoint_chains(old_urls, report)


def purge_old_links(report: AutoRedirectReport) -> None:
    """Purge the old URLs from Wagtail's front-end cache, as core does."""
    if not report.old_links or not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(report.old_links)
    except Exception:  # a CDN outage must not undo the move
        logger.exception("Could not purge the old URLs of page %s", report.page_id)
