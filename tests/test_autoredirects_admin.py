"""What an editor sees when a page moves in Wagtail's admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect

from tests.testapp.models import BrokenRoutesPage
from tests.utils.pages import add_page, fresh_site_tree


class TestMoveInTheAdmin(TestCase):
    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.news = add_page(self.home, "news")
        add_page(self.news, "story")
        self.about = add_page(self.home, "about")
        user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(user)

    def move_news(self) -> str:
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/move/{self.about.pk}/confirm/", follow=True
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_editor_is_told_how_many_redirects_were_created(self) -> None:
        html = self.move_news()
        self.assertIn("2 redirects were created from the old URLs of &#x27;News&#x27;.", html)
        self.assertIn("/admin/redirects/?q=%2Fnews", html)
        self.assertEqual(Redirect.objects.count(), 2)
        self.assertEqual(self.client.get("/admin/redirects/?q=/news").status_code, 200)

    def test_kept_manual_redirects_are_mentioned(self) -> None:
        Redirect.objects.create(old_path="/news/story", site=self.site, redirect_link="/x/")
        html = self.move_news()
        self.assertIn("1 redirect was created", html)
        self.assertIn("1 old URL already had a redirect made by hand; it was kept.", html)

    def test_a_failure_does_not_stop_the_move_and_is_reported(self) -> None:
        # A page type with a bug in its routes makes the redirect step fail.
        broken = add_page(self.news, "broken", page_class=BrokenRoutesPage)
        with self.assertLogs("wagtail_redirect_tools", "ERROR") as logs:
            html = self.move_news()
        self.assertIn("this page type cannot list its routes", "\n".join(logs.output))
        broken.refresh_from_db()
        self.assertEqual(broken.url_path, "/home-localhost/about/news/broken/")
        self.assertIn("redirects for its old URLs could not be created", html)
        self.assertFalse(Redirect.objects.exists())
