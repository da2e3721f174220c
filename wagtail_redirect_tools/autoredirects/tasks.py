"""The automatic redirects' background job (django-tasks): a large moved section."""

from __future__ import annotations

from django_tasks import task
from wagtail.models import Page

from .moves import purge_old_links, redirect_old_urls


@task()
def redirect_old_urls_task(page_id: int, url_path_before: str) -> dict[str, int]:
    """Redirects for the old URLs of a large moved section, after the move."""
    page = Page.objects.get(pk=page_id)
    report = redirect_old_urls(page, url_path_before=url_path_before)
    if report is None:
        return {"created": 0}
    purge_old_links(report)
    return {"created": report.created, "conflicts": len(report.conflicts)}
