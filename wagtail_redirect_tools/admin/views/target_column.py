"""The *To* column of the Redirects and Scheduled listings: a page target's title (a link
to edit the page), on a multilingual site the page's language under it (where the title's
truncation cannot hide it), and its URL; or a link target's link.

The URL comes from the page's ``url_path`` (the listing selects the page with its row)
and the site root paths Wagtail caches once a request: no query a row."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from wagtail.admin.ui.tables import Column

from ...editing.page_titles import page_language
from ...models import page_link


class TargetColumn(Column):
    cell_template_name = "wagtail_redirect_tools/tables/target_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: dict[str, Any]) -> Any:
        context = super().get_cell_context_data(instance, parent_context)
        page = instance.redirect_page if instance.redirect_page_id else None
        if page is None:
            context.update(
                title=instance.redirect_link, edit_url=None, page_url=None, language=None
            )
            return context
        route_path = getattr(instance, "redirect_page_route_path", "") or ""
        context.update(
            title=page.get_admin_display_title(),
            edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            page_url=page_link(page, route_path, parent_context.get("request")),
            language=page_language(page),
        )
        return context
