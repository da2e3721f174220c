"""Small builders for page trees and sites."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.testapp.models import SimplePage


def root_page() -> Page:
    """Wagtail's tree root (depth 1), created by its migrations, and again here after a
    transactional test's flush removed it."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _created = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def add_page(
    parent: Page, slug: str, *, page_class: type[Page] = SimplePage, **fields: Any
) -> Page:
    """Add a live page under ``parent``; ``title`` defaults to the slug."""
    fields.setdefault("title", slug.replace("-", " ").title())
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    return page


def build_tree(parent: Page, *, depth: int, breadth: int, prefix: str = "p") -> list[Page]:
    """A full tree of ``breadth`` children per page, ``depth`` levels below ``parent``.

    Returns the new pages in creation order (parents before children).
    """
    created: list[Page] = []

    def grow(node: Page, level: int, label: str) -> Iterator[Page]:
        if level > depth:
            return
        for index in range(1, breadth + 1):
            child = add_page(node, f"{prefix}{label}-{index}")
            yield child
            yield from grow(child, level + 1, f"{label}-{index}")

    created.extend(grow(parent, 1, ""))
    return created


def make_site(hostname: str, root: Page, *, port: int = 80, is_default: bool = False) -> Site:
    return Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=root,
        is_default_site=is_default,
        site_name=hostname,
    )


def fresh_site_tree(hostname: str = "localhost", *, is_default: bool = True) -> tuple[Site, Page]:
    """Replace Wagtail's welcome site with a new home page and site; returns both."""
    Site.objects.all().delete()
    home = add_page(root_page(), f"home-{hostname.replace('.', '-')}", title="Home")
    return make_site(hostname, home, is_default=is_default), home
