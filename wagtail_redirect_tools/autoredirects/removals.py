"""Permanent redirects from the URLs of a deleted or unpublished page (and its live
descendants) to its nearest live ancestor, so links to it do not 404. Off by default
(``WAGTAIL_REDIRECT_TOOLS_REDIRECT_ON_DELETE``).

A deletion is planned while the pages still exist and written once they are gone;
an unpublish is written at once. When the page is published again, the automatic
redirects from its own URLs are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page

from .. import conf
from ..resolution.stamps import redirects_changed
from .editor import PerPage
from .moves import batches, fit_one_insert
from .page_urls import OldUrl, roots_serving, specific_pages, urls_of
from .report import ACTION_CREATED, AutoRedirectReport
from .writing import once_more_on_conflict, write_batch


@dataclass(kw_only=True)
class RemovalPlan:
    """The URLs that will stop answering, and the live page they will redirect to."""

    page_id: int
    url_path: str
    target: Page
    old_urls: dict[tuple[int, str], OldUrl] = field(default_factory=dict)
    page_ids: set[int] = field(default_factory=set)


def plan_removal(page: Page, *, with_descendants: bool) -> RemovalPlan | None:
    """What removing ``page`` (and, if asked, its live descendants) would redirect; None
    when the setting is off or no live ancestor is served on the page's sites."""
    if not conf.redirect_on_delete():
        return None
    target = page.get_ancestors().filter(depth__gt=1, live=True).order_by("-depth").first()
    if target is None:
        return None
    roots = [
        root
        for root in roots_serving(page.url_path, target.url_path)
        if root.root_path != page.url_path  # a site's own root page: the site goes with it
    ]
    if not roots:
        return None
    pages = Page.objects.filter(pk=page.pk)
    if with_descendants:
        in_subtree = Q(path__startswith=page.path, depth__gt=page.depth, live=True)
        pages = Page.objects.filter(Q(pk=page.pk) | in_subtree)
    plan = RemovalPlan(page_id=page.pk, url_path=page.url_path, target=target)
    rows = pages.order_by("path").values_list("pk", "url_path", "content_type_id")
    for batch in batches(rows.iterator(), 1000):
        specific = specific_pages(batch)
        plan.page_ids.update(pk for pk, _url_path, _type in batch)
        for root, _pk, _route, path in urls_of(batch, roots, specific, lambda url_path: url_path):
            plan.old_urls[(root.site_id, path)] = OldUrl(root, path, target.pk, "")
    return plan


def write_removal(plan: RemovalPlan, *, reason: str, user: Any = None) -> AutoRedirectReport:
    """Write the planned redirects in batches, and point the automatic redirects that led
    to the removed pages at the target instead; one audit-log entry on the target."""
    return once_more_on_conflict(lambda: _write_removal(plan, reason=reason, user=user))


def _write_removal(plan: RemovalPlan, *, reason: str, user: Any) -> AutoRedirectReport:
    report = AutoRedirectReport(
        page_id=plan.target.pk, url_path_before=plan.url_path, url_path_after=plan.target.url_path
    )
    urls = list(plan.old_urls.items())
    size = fit_one_insert(1000)
    with transaction.atomic():
        for batch in batches(urls, size):
            write_batch(dict(batch), set(), report)
        Redirect.objects.filter(
            redirect_page_id__in=plan.page_ids, automatically_created=True
        ).update(redirect_page_id=plan.target.pk, redirect_page_route_path="")
        redirects_changed()
        data = {**report.log_data(), "reason": reason}
        entry = log(plan.target, ACTION_CREATED, user=user, data=data)
        report.log_entry_id = entry.pk if entry is not None else None
    return report


def clear_own_urls(page: Page) -> int:
    """A page published again keeps no automatic redirect on its own URLs."""
    roots = roots_serving(page.url_path, page.url_path)
    rows = [(page.pk, page.url_path, page.content_type_id)]
    own = {
        (root.site_id, path)
        for root, _pk, _route, path in urls_of(rows, roots, specific_pages(rows), lambda up: up)
    }
    report = AutoRedirectReport(
        page_id=page.pk, url_path_before=page.url_path, url_path_after=page.url_path
    )
    write_batch({}, own, report)
    return report.removed


_plans: PerPage[RemovalPlan] = PerPage()


def remember_plan(plan: RemovalPlan) -> None:
    """Keep a deletion's plan until the page is gone (same request, same thread)."""
    _plans.put(plan.page_id, plan)


def is_planned(page_id: int) -> bool:
    """Whether the page is part of a deletion already planned in this thread. (Wagtail
    sends ``page_unpublished`` for each live page it deletes.)"""
    return any(page_id in plan.page_ids for plan in _plans.values())


def pop_plan(page_id: int) -> RemovalPlan | None:
    return _plans.pop(page_id)
