"""Page types for tests: a plain page and a routable one (route paths matter to redirects)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


class SimplePage(Page):
    template = "testapp/page.html"


class EventIndexPage(RoutablePageMixin, Page):
    template = "testapp/page.html"

    def get_route_paths(self) -> list[str]:
        # The routes worth a redirect of their own when the page's URL changes.
        return ["/", "/past/"]

    @path("past/")
    def past_events(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"route": "past"})


class BrokenRoutesPage(Page):
    """A page type with a bug in its routes: redirect creation for it fails."""

    template = "testapp/page.html"

    def get_route_paths(self) -> list[str]:
        raise ValueError("this page type cannot list its routes")


class FlatUrlPage(Page):
    """A page type with its own URL scheme: served at ``/flat/<its path's slugs joined
    by '-'>/``, so its URLs are not under its parent's (a move still changes them)."""

    template = "testapp/page.html"

    def get_url_parts(self, request: HttpRequest | None = None) -> Any:
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        return site_id, root_url, "/flat/" + "-".join(filter(None, page_path.split("/"))) + "/"
