"""What an editor sees when a page moves in Wagtail's admin."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, TestCase, override_settings
from django_tasks import default_task_backend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

from tests.testapp.models import BrokenRoutesPage
from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.autoredirects import ACTION_UNDONE
from wagtail_redirect_tools.autoredirects.tasks import redirect_old_urls_task


class MoveTestCase(TestCase):
    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.news = add_page(self.home, "news")
        add_page(self.news, "story")
        self.about = add_page(self.home, "about")
        self.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(self.user)

    def move_news(self) -> str:
        """Move News under About in the admin; the page the editor lands on."""
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/move/{self.about.pk}/confirm/", follow=True
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


class TestMoveInTheAdmin(MoveTestCase):
    def test_editor_is_told_how_many_redirects_were_created(self) -> None:
        html = self.move_news()
        self.assertIn("2 redirects were created from the old URLs of &#x27;News&#x27;.", html)
        self.assertEqual(Redirect.objects.count(), 2)

    def test_see_redirects_lists_exactly_the_moves_redirects(self) -> None:
        """Not core's listing searched for the old URL (which found every redirect that
        mentions it): ours, filtered to the redirects this move created."""
        Redirect.add_redirect("/news-archive", "/news/")  # mentions /news, not the move's
        Redirect.add_redirect("/old-news", self.news)  # to the page, made earlier
        html = self.move_news()
        entry = PageLogEntry.objects.get(action="wagtail_redirect_tools.auto_redirects")
        link = f"/admin/redirect-tools/redirects/?move={entry.pk}"
        self.assertIn(link, html)
        response = self.client.get(link)
        listed = sorted(redirect.old_path for redirect in response.context["object_list"])
        self.assertEqual(listed, ["/news", "/news/story"])
        self.assertContains(response, "There are 2 matches")

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


class TestUndo(MoveTestCase):
    def undo_link(self, html: str) -> str:
        match = re.search(r'href="(/admin/redirect-tools/moves/\d+/undo/\?next=[^"]*)"', html)
        assert match, "no Undo button"
        return match.group(1).replace("&amp;", "&")

    def test_undo_removes_exactly_the_redirects_of_that_move(self) -> None:
        other = Redirect.objects.create(
            old_path="/elsewhere",
            site=self.site,
            redirect_page=self.about,
            automatically_created=True,
        )
        url = self.undo_link(self.move_news())
        response = self.client.get(url)
        self.assertContains(response, "Remove the 2 redirects that were created when")
        response = self.client.post(url, follow=True)
        self.assertContains(response, "2 redirects created by the move were removed.")
        self.assertEqual(list(Redirect.objects.all()), [other])
        self.assertTrue(PageLogEntry.objects.filter(page=self.news, action=ACTION_UNDONE).exists())
        # A second undo finds nothing left to remove.
        self.client.post(url)
        self.assertEqual(Redirect.objects.count(), 1)

    def test_undo_needs_permission_to_delete_redirects_and_a_csrf_token(self) -> None:
        url = self.undo_link(self.move_news())
        editor = get_user_model().objects.create_user("editor", password="pw")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client = Client()
        client.force_login(editor)
        self.assertRedirects(client.post(url), "/admin/")
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.user)
        self.assertEqual(strict.post(url).status_code, 403)
        self.assertEqual(Redirect.objects.count(), 2)


class TestMoveConfirmation(MoveTestCase):
    def confirm_url(self) -> str:
        return f"/admin/pages/{self.news.pk}/move/{self.about.pk}/confirm/"

    def test_confirmation_says_how_many_old_urls_and_offers_the_choice(self) -> None:
        response = self.client.get(self.confirm_url())
        self.assertContains(response, 'data-old-url-count="2"')
        self.assertContains(response, "2 old URLs can keep working through permanent redirects")
        self.assertContains(
            response, '<input type="checkbox" name="create_redirects" value="1" checked>', html=True
        )

    def test_unticking_the_box_moves_without_redirects(self) -> None:
        response = self.client.post(self.confirm_url(), {"redirect_choice": "1"})
        self.assertEqual(response.status_code, 302)
        self.news.refresh_from_db()
        self.assertEqual(self.news.url_path, "/home-localhost/about/news/")
        self.assertFalse(Redirect.objects.exists())
        # The choice was for that move only.
        self.client.post(f"/admin/pages/{self.news.pk}/move/{self.home.pk}/confirm/")
        self.assertEqual(Redirect.objects.count(), 2)

    def test_ticked_box_creates_them(self) -> None:
        self.client.post(self.confirm_url(), {"redirect_choice": "1", "create_redirects": "1"})
        self.assertEqual(Redirect.objects.count(), 2)

    @override_settings(WAGTAIL_I18N_ENABLED=True)
    def test_languages_on_and_no_translation_moving_along_our_screen_is_shown(self) -> None:
        # Where translations move along, Wagtail's own screen lists them: see
        # tests/test_i18n_autoredirects.py::TestMoveConfirmation.
        response = self.client.get(self.confirm_url())
        self.assertContains(response, "Create redirects from the old URLs (recommended)")


@override_settings(WAGTAIL_REDIRECT_TOOLS_BACKGROUND_MOVE_PAGES=1)
class TestLargeMovesInTheBackground(MoveTestCase):
    def test_a_large_move_queues_a_job_that_writes_the_redirects(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # the suite's immediate backend
            html = self.move_news()
            self.assertFalse(Redirect.objects.exists())  # not during the move
        self.assertIn("its 1 page are being created in the background", html)
        self.assertEqual(Redirect.objects.count(), 2)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_the_job_carries_what_it_needs(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]
        with self.captureOnCommitCallbacks(execute=True):
            self.move_news()
        [queued] = [
            result
            for result in default_task_backend.results  # type: ignore[attr-defined]
            if result.task.name == redirect_old_urls_task.name
        ]
        self.assertEqual(queued.args, [self.news.pk, "/home-localhost/news/"])
        self.assertFalse(Redirect.objects.exists())
        self.assertEqual(redirect_old_urls_task.call(*queued.args), {"created": 2, "conflicts": 0})
        self.assertEqual(Redirect.objects.count(), 2)
