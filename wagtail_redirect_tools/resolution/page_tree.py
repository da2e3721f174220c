"""Whether the page tree alone made Wagtail's routing give a 404, so that the 404 stays
while no page changes.

Wagtail's ``serve`` view routes a path from the site's root page (its translation in the
active language): each page's ``route()`` finds the child with the next slug, and the
last page answers if it is live. With the base ``Page.route`` everywhere on the way, the
404 depends on nothing but the tree (children, slugs, live flags), and every change to
those changes the ``pages`` stamp. A page class with a ``route()`` of its own (a
``RoutablePage``, a page that answers tags or snippets) may start answering the path
with no page changed: its 404s are never decided here. A page's ``serve()`` does not
matter: routing that reached it did not give the 404.

Any doubt is a "no": the 404 is then routed again, as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest
from wagtail import views as wagtail_views
from wagtail.models import Page

#: Paths with more components than this are not checked (one condition a component).
MOST_COMPONENTS = 32
#: Pages read at most: more pages with the path's slugs at its depths than this is doubt.
MOST_PAGES = 200


def routing_found_nothing(request: HttpRequest) -> bool:
    """Wagtail's ``serve`` view handled the request and its routing found no page (as
    Wagtail notes it on the request: ``_wagtail_route_for_request`` is None)."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.func is wagtail_views.serve
        and hasattr(request, "_wagtail_route_for_request")
        and request._wagtail_route_for_request is None
    )


def routed_path(request: HttpRequest) -> str | None:
    """The path the ``serve`` view routed (the part of the URL its pattern captured)."""
    match = request.resolver_match
    if match is None:
        return None
    if match.args:
        return str(match.args[0])
    path = match.kwargs.get("path")
    return path if isinstance(path, str) else None


def decided_by_tree(request: HttpRequest) -> bool:
    """Whether the 404 routing just gave this request is the page tree's alone: the
    site's root page and every page found on the path's slugs route with the base
    ``Page.route``, and a slug has no page or the last page is not live.

    Costs one query of the pages on the way (plus Wagtail's own for the root page's
    translation on a multilingual site); call it only after :func:`routing_found_nothing`.
    """
    site = getattr(request, "_wagtail_site", None)
    path = routed_path(request)
    if site is None or path is None:
        return False
    components = [component for component in path.split("/") if component]
    if len(components) > MOST_COMPONENTS:
        return False
    # What Wagtail's routing starts from (``Page.route_for_request``).
    root = site.root_page.localized
    if not _routes_by_tree(root.content_type_id):
        return False
    if not components:
        return not root.live
    on_the_way = Q()
    for offset, slug in enumerate(components, start=1):
        # The database compares the slugs, as routing's ``get(slug=...)`` does (a
        # case-insensitive collation matches alike).
        on_the_way |= Q(depth=root.depth + offset, slug=slug)
    rows = list(
        Page.objects.filter(on_the_way, path__startswith=root.path)
        .order_by()
        .values_list("path", "depth", "live", "content_type_id")[: MOST_PAGES + 1]
    )
    if len(rows) > MOST_PAGES:
        return False
    current_path, current_depth, current_live = root.path, root.depth, root.live
    for _component in components:
        children = [
            row for row in rows if row[1] == current_depth + 1 and row[0].startswith(current_path)
        ]
        if not children:
            return True  # no page for this slug: routing's 404
        if len(children) > 1:
            return False  # two children with one slug: not the tree's plain 404
        current_path, current_depth, current_live, content_type_id = children[0]
        if not _routes_by_tree(content_type_id):
            return False
    return not current_live


def _routes_by_tree(content_type_id: int) -> bool:
    """Whether pages of this content type route with the base ``Page.route`` (the content
    types are Django's cache: no query once seen)."""
    try:
        model: Any = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return False
    return model is not None and issubclass(model, Page) and model.route is Page.route
