"""The page-tree builders that other tests stand on."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from tests.utils.pages import build_tree, fresh_site_tree


@pytest.mark.django_db
def test_build_tree_makes_a_full_live_tree() -> None:
    site, home = fresh_site_tree("localhost")
    pages = build_tree(home, depth=2, breadth=3, prefix="s")
    assert len(pages) == 3 + 3 * 3
    assert all(page.live for page in pages)
    assert home.get_descendants().count() == 12
    deepest = Page.objects.get(slug="s-2-3")
    assert deepest.get_parent().slug == "s-2"
    assert deepest.get_url(current_site=site) == "/s-2/s-2-3/"
