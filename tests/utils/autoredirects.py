"""The small site the automatic-redirect tests move pages around in, and a visitor's request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.test import Client, TestCase

from tests.utils.pages import add_page, fresh_site_tree


def get(path: str, host: str = "localhost") -> Any:
    """A visitor's GET through the test client (redirects not followed)."""
    return Client().get(path, HTTP_HOST=host)


class AutoRedirectTestCase(TestCase):
    """localhost's home with news/story/deep, a draft under news, and about."""

    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.news = add_page(self.home, "news")
        self.story = add_page(self.news, "story")
        self.deep = add_page(self.story, "deep")
        self.draft = add_page(self.news, "draft", live=False)
        self.about = add_page(self.home, "about")

    def assert_redirects_to(self, old: str, new: str, host: str = "localhost") -> None:
        response = get(old, host)
        self.assertEqual((response.status_code, response["Location"]), (301, new), old)
        target = urlsplit(new)
        self.assertEqual(get(target.path, target.hostname or host).status_code, 200, new)
