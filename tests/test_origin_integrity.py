"""Where a redirect came from never changes when its hits are recorded (issue: automatic
redirects showed "Manual" once the hit flush had given them a details row)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client, TestCase, override_settings
from django_tasks import default_task_backend
from wagtail.contrib.redirects.models import Redirect

from tests.utils.pages import add_page, fresh_site_tree
from wagtail_redirect_tools.models import Origin, RedirectDetails
from wagtail_redirect_tools.resolution.tasks import flush_hits_task

LISTING = "/admin/redirect-tools/redirects/"


@override_settings(
    WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS=0,
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
class TestHitsKeepTheOrigin(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.about = add_page(cls.home, "about")
        cls.jobs = add_page(cls.about, "jobs")
        cls.team = add_page(cls.about, "team")
        cls.news = add_page(cls.home, "news")
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def flush_queued_hits(self) -> None:
        """What a worker does with the counts the middleware queued."""
        jobs = [r for r in default_task_backend.results if r.task.name == flush_hits_task.name]  # type: ignore[attr-defined]
        for job in jobs:
            flush_hits_task.call(*job.args)

    def automatic_in_listing(self) -> set[str]:
        client = Client()
        client.force_login(self.admin)
        response = client.get(LISTING, {"origin": "automatic"})
        return {redirect.old_path for redirect in response.context["object_list"]}

    def test_automatic_redirects_stay_automatic_after_hits(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]
        self.about.move(self.news, pos="last-child")  # about, jobs, team get redirects
        moved = {"/about", "/about/jobs", "/about/team"}
        self.assertEqual(self.automatic_in_listing(), moved)

        for path in ("/about/jobs/", "/about/team/"):
            self.assertEqual(Client().get(path, HTTP_HOST="localhost").status_code, 301)
        self.flush_queued_hits()

        hit = RedirectDetails.objects.filter(redirect__old_path__in=["/about/jobs", "/about/team"])
        self.assertEqual([details.hits for details in hit], [1, 1])
        self.assertEqual({details.origin for details in hit}, {Origin.AUTOMATIC})
        self.assertEqual(self.automatic_in_listing(), moved)

    def test_manual_redirects_stay_manual_after_hits(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]
        redirect = Redirect.add_redirect("/old", "/about/")
        Client().get("/old", HTTP_HOST="localhost")
        self.flush_queued_hits()
        self.assertEqual(RedirectDetails.objects.get(redirect=redirect).origin, Origin.MANUAL)
