"""Page types of the demo site: enough variety to exercise redirects (route paths included)."""

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    template = "demo/page.html"
    intro = RichTextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["demo.SectionPage", "demo.ArticleIndexPage", "demo.EventIndexPage"]


class SectionPage(Page):
    template = "demo/page.html"
    body = RichTextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("body")]
    subpage_types = ["demo.SectionPage"]


class ArticleIndexPage(Page):
    template = "demo/page.html"
    intro = RichTextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["demo.ArticlePage"]


class ArticlePage(Page):
    template = "demo/page.html"
    date = models.DateField(_("published on"))
    body = RichTextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("body")]
    parent_page_types = ["demo.ArticleIndexPage"]
    subpage_types = []


class EventIndexPage(RoutablePageMixin, Page):
    """Upcoming events at its URL; past events at the route ``past/``."""

    template = "demo/page.html"

    intro = RichTextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = []

    @path("")
    def upcoming(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"listing": _("Upcoming events")})

    @path("past/")
    def past(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides={"listing": _("Past events")})
