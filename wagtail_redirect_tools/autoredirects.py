"""Permanent redirects for the old URLs of a page and its live descendants after a move
or a slug change: written in bulk, without chains, never shadowing a live page.

The old and new URL of every page in the subtree follow from ``url_path``
prefixes and the sites' root paths, so pages are read as plain rows, a batch at a
time; each batch costs a fixed number of queries whose size is bounded by the
batch, however large the subtree.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import get_dummy_request
from wagtail.log_actions import log
from wagtail.models import Page, Site

from . import conf

logger = logging.getLogger(__name__)

ACTION_CREATED = "wagtail_redirect_tools.auto_redirects"
ACTION_UNDONE = "wagtail_redirect_tools.auto_redirects_undone"
DEFAULT_ROUTES = ("/",)


@dataclass(frozen=True)
class SiteRoot:
    site: Site
    root_path: str
    root_url: str

    @property
    def site_id(self) -> int:
        return int(self.site.pk)

    def relative(self, url_path: str) -> str | None:
        """The path of ``url_path`` on this site, or None if the site does not serve it."""
        if not url_path.startswith(self.root_path):
            return None
        return "/" + url_path[len(self.root_path) :]


@dataclass(frozen=True)
class OldUrl:
    site: SiteRoot
    old_path: str
    page_id: int
    route_path: str

    @property
    def site_id(self) -> int:
        return self.site.site_id


@dataclass(kw_only=True)
class AutoRedirectReport:
    """What one move or slug change did to the redirects."""

    page_id: int
    url_path_before: str
    url_path_after: str
    #: Every redirect this move created carries this ``created_at``: Undo finds them by it.
    created_at: datetime.datetime = field(default_factory=timezone.now)
    log_entry_id: int | None = None
    created: int = 0
    replaced: int = 0
    repointed: int = 0
    removed: int = 0
    conflicts: list[str] = field(default_factory=list)
    old_links: list[str] = field(default_factory=list)

    def log_data(self) -> dict[str, Any]:
        return {
            "url_path_before": self.url_path_before,
            "url_path_after": self.url_path_after,
            "created_at": self.created_at.isoformat(),
            "created": self.created,
            "replaced": self.replaced,
            "repointed": self.repointed,
            "removed": self.removed,
            "conflicts": self.conflicts[:50],
            "conflict_count": len(self.conflicts),
        }


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to the redirects of one page in this thread: a report, or a failure."""

    report: AutoRedirectReport | None = None
    failed: bool = False


_outcomes = threading.local()


def remember_outcome(page_id: int, outcome: Outcome) -> None:
    """Keep the outcome for the admin view that moved or renamed the page (same thread)."""
    if not hasattr(_outcomes, "by_page"):
        _outcomes.by_page = {}
    _outcomes.by_page[page_id] = outcome


def pop_outcome(page_id: int) -> Outcome | None:
    by_page: dict[int, Outcome] = getattr(_outcomes, "by_page", {})
    return by_page.pop(page_id, None)


def skip_next_move(page_id: int) -> None:
    """The editor chose no redirects for the move of ``page_id`` about to happen (this thread)."""
    if not hasattr(_outcomes, "skip"):
        _outcomes.skip = set()
    _outcomes.skip.add(page_id)


def should_skip(page_id: int) -> bool:
    skip: set[int] = getattr(_outcomes, "skip", set())
    if page_id in skip:
        skip.discard(page_id)
        return True
    return False


def old_url_count(page: Page, destination: Page) -> int:
    """How many old URLs moving ``page`` under ``destination`` would redirect (one per live
    page and site; a RoutablePage's extra routes come on top)."""
    url_path_after = f"{destination.url_path}{page.slug}/"
    roots = _roots_serving(page.url_path, url_path_after)
    if not roots or page.url_path == url_path_after:
        return 0
    live = Page.objects.filter(path__startswith=page.path, depth__gte=page.depth, live=True)
    return live.count() * len(roots)


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
    roots = _roots_serving(url_path_before, url_path_after)
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


def _roots_serving(url_path_before: str, url_path_after: str) -> list[SiteRoot]:
    """Sites that served the page before and still serve it: as core, no cross-site redirects."""
    serving: dict[int, tuple[str, str]] = {}
    for site_id, root_path, root_url, _language in Site.get_site_root_paths():
        if site_id in serving or root_path == url_path_after:
            continue
        if url_path_before.startswith(root_path) and url_path_after.startswith(root_path):
            serving[site_id] = (root_path, root_url)
    sites = Site.objects.in_bulk(serving) if serving else {}
    return [SiteRoot(sites[pk], *serving[pk]) for pk in serving if pk in sites]


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _overrides(model: type[Page], name: str) -> bool:
    return getattr(model, name, None) is not getattr(Page, name)


def _specific_pages(rows: list[Any]) -> dict[int, Page]:
    """Specific instances of the pages whose class has its own routes (a RoutablePage) or
    its own URL scheme; plain pages need nothing but their row."""
    by_type: dict[int, list[int]] = {}
    for pk, _url_path, content_type_id in rows:
        by_type.setdefault(content_type_id, []).append(pk)
    pages: dict[int, Page] = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            continue
        if _overrides(model, "get_route_paths") or _overrides(model, "get_url_parts"):
            manager: Any = model._default_manager
            pages.update(manager.filter(pk__in=pks).defer_streamfields().in_bulk())
    return pages


def _page_path(root: SiteRoot, url_path: str, page: Page | None) -> str | None:
    """The page's path on the site of ``root`` if its URL were at ``url_path``."""
    if page is None or not _overrides(type(page), "get_url_parts"):
        return root.relative(url_path)
    page.url_path = url_path
    parts = page.get_url_parts(get_dummy_request(site=root.site))
    if parts is None or parts[0] != root.site_id:
        return None
    return str(parts[2])


def _process_batch(
    rows: list[Any],
    roots: list[SiteRoot],
    url_path_before: str,
    url_path_after: str,
    report: AutoRedirectReport,
) -> None:
    specific = _specific_pages(rows)
    old_urls: dict[tuple[int, str], OldUrl] = {}
    live_paths: set[tuple[int, str]] = set()
    for pk, url_path, _content_type_id in rows:
        old_url_path = url_path_before + url_path[len(url_path_after) :]
        page = specific.get(pk)
        routes = page.get_route_paths() if page is not None else DEFAULT_ROUTES
        for root in roots:
            old_relative = _page_path(root, old_url_path, page)
            new_relative = _page_path(root, url_path, page)
            if old_relative is None or new_relative is None:
                continue
            for route in routes:
                route_path = Redirect.normalise_page_route_path(route)
                old_path = _normalised(old_relative.rstrip("/") + (route_path or "/"))
                new_path = _normalised(new_relative.rstrip("/") + (route_path or "/"))
                live_paths.add((root.site_id, new_path))
                if old_path != new_path:
                    old_urls[(root.site_id, old_path)] = OldUrl(root, old_path, pk, route_path)
    for key in live_paths & old_urls.keys():  # URLs swapped within the subtree
        del old_urls[key]

    # Every old URL leaves the front-end cache, also where a manual redirect is kept.
    report.old_links.extend(url.site.root_url + url.old_path for url in old_urls.values())
    doomed = _settle_existing(live_paths, old_urls, report)
    if doomed:
        Redirect.objects.filter(pk__in=doomed).delete()
    _insert(list(old_urls.values()), report)
    _repoint_chains(old_urls, report)


# A path that core's normalise_path() would only strip of its trailing slash: no query
# string, parameters, fragment or percent-encoding (page slugs never have them).
_PLAIN_PATH = re.compile(r"/[^\s?;#%]*")


def _normalised(path: str) -> str:
    """``Redirect.normalise_path(path)``, without parsing the plain paths pages have."""
    if _PLAIN_PATH.fullmatch(path):
        return path[:-1] if len(path) > 1 and path.endswith("/") else path
    return str(Redirect.normalise_path(path))


def _existing(keys: Iterable[tuple[int, str]]) -> list[Redirect]:
    keys = set(keys)
    if not keys:
        return []
    site_ids = {site_id for site_id, _path in keys}
    candidates = Redirect.objects.filter(
        site_id__in=site_ids, old_path__in={path for _site_id, path in keys}
    )
    return [r for r in candidates if (r.site_id, r.old_path) in keys]


def _settle_existing(
    live_paths: set[tuple[int, str]],
    old_urls: dict[tuple[int, str], OldUrl],
    report: AutoRedirectReport,
) -> list[int]:
    """Decide about the redirects already at the batch's old and new URLs, in one query.

    Returns the automatic ones to delete: those on a URL that is a live page's own
    again (e.g. after moving a page back), and those an old URL's new redirect replaces.
    Manual redirects are never touched; they are reported instead.
    """
    doomed = []
    for redirect in _existing(live_paths | old_urls.keys()):
        key = (redirect.site_id, redirect.old_path)
        if redirect.automatically_created:
            doomed.append(redirect.pk)
            if key in old_urls:
                report.replaced += 1
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


REDIRECT_COLUMNS = (
    "old_path",
    "site",
    "is_permanent",
    "redirect_page",
    "redirect_page_route_path",
    "redirect_link",
    "automatically_created",
    "created_at",
)


def _insert(urls: list[OldUrl], report: AutoRedirectReport) -> None:
    """One multi-row INSERT: the ORM's bulk_create costs more in Python than the database
    does, per row (the batch size keeps it within the database's parameter limit)."""
    if not urls:
        return
    connection = connections[Redirect.objects.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Redirect._meta.get_field(name).column) for name in REDIRECT_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(REDIRECT_COLUMNS)) + ")"
    created_at = connection.ops.adapt_datetimefield_value(report.created_at)
    params: list[Any] = []
    for url in urls:
        params += [url.old_path, url.site_id, True, url.page_id, url.route_path, "", True]
        params.append(created_at)
    # Only quoted names from the model's metadata and placeholders are interpolated;
    # every value travels as a parameter.
    sql = (
        f"INSERT INTO {quote(Redirect._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * len(urls))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    report.created += len(urls)


def _repoint_chains(old_urls: dict[tuple[int, str], OldUrl], report: AutoRedirectReport) -> None:
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
        Q(redirect_link__in=by_link.keys()), redirect_page__isnull=True
    )
    changed = []
    for redirect in chained:
        match = _matching_old_url(redirect, by_link[redirect.redirect_link])
        if match is None:
            continue
        redirect.redirect_page_id = match.page_id
        redirect.redirect_page_route_path = match.route_path
        redirect.redirect_link = ""
        changed.append(redirect)
    Redirect.objects.bulk_update(
        changed, ["redirect_page", "redirect_page_route_path", "redirect_link"]
    )
    report.repointed += len(changed)


def _matching_old_url(redirect: Redirect, urls: list[OldUrl]) -> OldUrl | None:
    absolute = "://" in redirect.redirect_link
    for url in urls:
        # A path is relative to the redirect's own site; an all-sites redirect with a
        # path is left alone (the path means a different page on each site).
        if absolute or redirect.site_id == url.site.site_id:
            return url
    return None


def purge_old_links(report: AutoRedirectReport) -> None:
    """Purge the old URLs from Wagtail's front-end cache, as core does."""
    if not report.old_links or not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(report.old_links)
    except Exception:  # a CDN outage must not undo the move
        logger.exception("Could not purge the old URLs of page %s", report.page_id)


def created_by_move(entry: Any) -> QuerySet[Redirect]:
    """The redirects that the move logged in ``entry`` created (and that still exist)."""
    created_at = datetime.datetime.fromisoformat(entry.data["created_at"])
    return Redirect.objects.filter(
        automatically_created=True,
        created_at=created_at,
        redirect_page__path__startswith=entry.page.path,
    )


def undo_move_redirects(entry: Any, *, user: Any = None) -> int:
    """Delete exactly the redirects one move created; how many were deleted."""
    with transaction.atomic():
        deleted, _by_model = created_by_move(entry).delete()
        log(entry.page, ACTION_UNDONE, user=user, data={"deleted": deleted, "entry": entry.pk})
    return deleted
