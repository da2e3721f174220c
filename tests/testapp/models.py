"""Page types for tests: a plain page and a routable one (route paths matter to redirects)."""

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


class SimplePage(Page):
    template = "testapp/page.html"


class EventIndexPage(RoutablePageMixin, Page):
    template = "testapp/page.html"

    @path("past/")
    def past_events(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"route": "past"})
