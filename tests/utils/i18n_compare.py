"""Running one scenario on the multilingual test site with our automatic redirects, or
with Wagtail core's own (ours switched off, core's receivers connected), and what every
URL answers afterwards, redirects followed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import caches
from django.db import transaction
from django.test import Client, TestCase, override_settings
from wagtail.contrib.redirects import signal_handlers as core
from wagtail.models import Page, Site
from wagtail.signals import page_slug_changed, post_page_move

from tests.utils.i18n_site import I18nSite, build_site
from wagtail_redirect_tools.resolution import forget_process_state

#: (status after following redirects, final path, number of hops)
Answer = tuple[int, str, int]


@contextmanager
def core_handlers() -> Iterator[None]:
    """Wagtail core's automatic redirects in place of ours."""
    with override_settings(WAGTAIL_REDIRECT_TOOLS_AUTO_REDIRECTS=False):
        post_page_move.connect(core.autocreate_redirects_on_page_move)
        page_slug_changed.connect(core.autocreate_redirects_on_slug_change)
        try:
            yield
        finally:
            post_page_move.disconnect(core.autocreate_redirects_on_page_move)
            page_slug_changed.disconnect(core.autocreate_redirects_on_slug_change)


def answer(url: str, **headers: str) -> Answer:
    response = Client().get(url, follow=True, HTTP_HOST="localhost", **headers)
    return response.status_code, response.request["PATH_INFO"], len(response.redirect_chain)


def live_urls() -> list[str]:
    """Every live page's URL (its real one, with its language prefix)."""
    urls = []
    for page in Page.objects.filter(depth__gt=1, live=True).specific():
        url = page.get_url()
        if url:
            urls.append(url)
    return sorted(urls)


class _Rollback(Exception):
    pass


def forget() -> None:
    Site.clear_site_root_paths_cache()
    for cache in caches.all():
        cache.clear()
    forget_process_state()


def outcome(
    test: TestCase,
    scenario: Callable[[I18nSite], None],
    *,
    core_redirects: bool,
    build: Callable[[], I18nSite] = build_site,
    extra_urls: tuple[str, ...] = (),
) -> dict[str, Answer]:
    """What every URL live before ``scenario`` (and ``extra_urls``) answers after it, with
    core's redirects or ours; the database is left as it was."""
    answers: dict[str, Answer] = {}
    handlers = core_handlers() if core_redirects else _nothing()
    try:
        with handlers, transaction.atomic():
            forget()
            site = build()
            before = live_urls()
            with test.captureOnCommitCallbacks(execute=True):
                scenario(site)
            forget()
            for url in [*before, *extra_urls]:
                answers[url] = answer(url)
            raise _Rollback
    except _Rollback:
        pass
    forget()
    return answers


@contextmanager
def _nothing() -> Iterator[None]:
    yield
