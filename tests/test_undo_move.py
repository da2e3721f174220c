"""Undo after a move, as the editor sees it (issue: the confirm screen and the result
disagreed on the count once the redirects had hits, both buttons led back to the move
screen, and the message and history named the page-tree path instead of the URL)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from django_tasks import default_task_backend
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution.tasks import flush_hits_task


@override_settings(
    WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS=0,
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
class TestUndoAfterAMove(TestCase):
    def setUp(self) -> None:
        self.site, self.home = fresh_site_tree("localhost")
        self.news = add_page(self.home, "news", title="News")
        add_page(self.news, "story")
        self.about = add_page(self.home, "about")
        self.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(self.admin)
        self.listing = f"/admin/pages/{self.about.pk}/"  # where News now is

    def move_and_hit(self) -> str:
        """Move News under About, visit both old URLs, let a worker write the hits."""
        default_task_backend.clear()  # type: ignore[attr-defined]
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/move/{self.about.pk}/confirm/", follow=True
        )
        for old in ("/news/", "/news/story/"):
            self.assertEqual(Client().get(old, HTTP_HOST="localhost").status_code, 301)
        for job in default_task_backend.results:  # type: ignore[attr-defined]
            if job.task.name == flush_hits_task.name:
                flush_hits_task.call(*job.args)
        self.assertEqual(RedirectDetails.objects.count(), 2)  # what made the count 4
        match = re.search(r'href="(/admin/redirect-tools/moves/\d+/undo/[^"]*)"', response.text)
        assert match, "no Undo button"
        return match.group(1).replace("&amp;", "&")

    def test_confirm_and_result_count_the_same_redirects_and_name_the_old_url(self) -> None:
        undo = self.move_and_hit()
        confirm = self.client.get(undo)
        self.assertContains(confirm, "Remove the 2 redirects that were created when")
        self.assertContains(confirm, "left /news?")
        self.assertNotContains(confirm, "/home-localhost/")

        done = self.client.post(undo, follow=True)
        self.assertEqual(done.redirect_chain[-1][0], self.listing)
        self.assertContains(done, "2 redirects created by the move were removed.")
        self.assertFalse(Redirect.objects.exists())

    def test_keeping_them_returns_to_the_listing_too(self) -> None:
        undo = self.move_and_hit()
        confirm = self.client.get(undo).content.decode()
        keep = re.search(r'<a href="([^"]+)"[^>]*>\s*No, keep them', confirm)
        assert keep, confirm
        self.assertEqual(keep.group(1), self.listing)
        self.assertEqual(Redirect.objects.count(), 2)

    def test_the_page_history_names_the_public_old_url(self) -> None:
        self.move_and_hit()
        history = self.client.get(f"/admin/pages/{self.news.pk}/history/")
        self.assertContains(history, "2 redirects created from the old URLs under /news\n")
        self.assertNotContains(history, "under /home-localhost/news/")


class TestUndoPutsBackWhatTheMoveReplaced(TestCase):
    """A URL left by one move, taken over by another page, then left by that page's move:
    Undo of the second move puts the first move's redirect back (issue 30, item 6)."""

    def test_the_first_moves_redirect_is_back(self) -> None:
        _site, home = fresh_site_tree("localhost")
        news, archive = add_page(home, "news", title="News"), add_page(home, "archive")
        blog = add_page(home, "blog")
        admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(admin)
        self.client.post(f"/admin/pages/{news.pk}/move/{archive.pk}/confirm/", follow=True)
        newer = add_page(home, "news", title="Newer news")  # /news/ is live again
        response = self.client.post(f"/admin/pages/{newer.pk}/move/{blog.pk}/confirm/", follow=True)
        self.assertEqual(Redirect.objects.get(old_path="/news").redirect_page_id, newer.pk)
        match = re.search(r'href="(/admin/redirect-tools/moves/\d+/undo/[^"]*)"', response.text)
        assert match, "no Undo button"
        done = self.client.post(match.group(1).replace("&amp;", "&"), follow=True)
        self.assertContains(done, "1 redirect it had replaced was put back.")
        self.assertEqual(Redirect.objects.get(old_path="/news").redirect_page_id, news.pk)
        response = Client().get("/news/", HTTP_HOST="localhost")
        self.assertEqual(response["Location"], "/archive/news/")


class TestEntriesFromBefore(TestCase):
    """A move logged before entries named the moment their redirects were written (no
    ``created_at``): its redirects cannot be told apart, so none are offered, without a 500."""

    def test_undo_and_see_redirects_say_none(self) -> None:
        from wagtail.log_actions import log

        from wagtail_redirect_tools.autoredirects.report import ACTION_CREATED

        _site, home = fresh_site_tree("localhost")
        news = add_page(home, "news")
        Redirect.add_redirect("/old-news", news)
        entry = log(news, ACTION_CREATED, data={"url_path_before": "/home/old-news/"})
        admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
        self.client.force_login(admin)
        undo = self.client.get(f"/admin/redirect-tools/moves/{entry.pk}/undo/")
        self.assertEqual(undo.status_code, 200)
        self.assertContains(undo, "Remove the 0 redirects")
        listing = self.client.get(f"/admin/redirect-tools/redirects/?move={entry.pk}")
        self.assertEqual(listing.status_code, 200)
        self.assertEqual(list(listing.context["object_list"]), [])
        self.client.post(f"/admin/redirect-tools/moves/{entry.pk}/undo/")
        self.assertTrue(Redirect.objects.filter(old_path="/old-news").exists())
