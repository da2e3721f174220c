"""Page types for tests: a plain page and a routable one (route paths matter to redirects)."""

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
