"""Optional redirects from deleted and unpublished pages to their nearest live ancestor."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry

from tests.utils.autoredirects import AutoRedirectTestCase, get
from wagtail_redirect_tools.autoredirects import ACTION_CREATED

ON = {"WAGTAIL_REDIRECT_TOOLS_REDIRECT_ON_DELETE": True}


class RemovalTestCase(AutoRedirectTestCase):
    """The same tree as the move tests, with an administrator logged in."""

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(
            get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        )

    def delete_in_admin(self, page: Page) -> str:
        response = self.client.post(f"/admin/pages/{page.pk}/delete/", follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Page.objects.filter(pk=page.pk).exists())
        return response.content.decode()


class TestDelete(RemovalTestCase):
    def test_off_by_default(self) -> None:
        self.delete_in_admin(self.story)
        self.assertFalse(Redirect.objects.exists())
        self.assertEqual(get("/news/story/").status_code, 404)

    @override_settings(**ON)
    def test_urls_of_a_deleted_section_lead_to_its_nearest_live_ancestor(self) -> None:
        html = self.delete_in_admin(self.story)
        self.assertIn("2 URLs of the deleted pages now redirect to &#x27;News&#x27;.", html)
        self.assert_redirects_to("/news/story/", "/news/")
        self.assert_redirects_to("/news/story/deep/", "/news/")
        self.assertEqual(Redirect.objects.filter(redirect_page=self.news).count(), 2)
        entry = PageLogEntry.objects.get(page=self.news, action=ACTION_CREATED)
        self.assertEqual((entry.data["reason"], entry.data["created"]), ("deleted", 2))

    @override_settings(**ON)
    def test_links_to_a_deleted_page_are_repointed_not_lost(self) -> None:
        link = Redirect.objects.create(
            old_path="/scoop", site=self.site, redirect_link="/news/story/"
        )
        self.delete_in_admin(self.story)
        link.refresh_from_db()
        self.assertEqual((link.redirect_page_id, link.redirect_link), (self.news.pk, ""))

    @override_settings(**ON)
    def test_deleting_a_draft_redirects_nothing(self) -> None:
        self.delete_in_admin(self.draft)
        self.assertFalse(Redirect.objects.exists())


@override_settings(**ON)
class TestUnpublish(RemovalTestCase):
    def test_unpublished_page_redirects_until_published_again(self) -> None:
        self.story.specific.unpublish()
        self.assert_redirects_to("/news/story/", "/news/")
        self.story.specific.save_revision().publish()
        self.assertEqual(get("/news/story/").status_code, 200)
        self.assertFalse(Redirect.objects.filter(old_path="/news/story").exists())

    def test_redirects_that_led_to_the_page_follow_to_the_ancestor(self) -> None:
        automatic = Redirect.objects.create(
            old_path="/old-story",
            site=self.site,
            redirect_page=self.story,
            automatically_created=True,
        )
        self.story.specific.unpublish()
        automatic.refresh_from_db()
        self.assertEqual(automatic.redirect_page_id, self.news.pk)
        self.assert_redirects_to("/old-story", "/news/")

    def test_unpublishing_a_site_root_redirects_nothing(self) -> None:
        self.home.specific.unpublish()
        self.assertFalse(Redirect.objects.exists())
