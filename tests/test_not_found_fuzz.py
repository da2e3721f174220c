"""Property-based test (hypothesis) of the 404 log (issue 29): whatever path a visitor
requests (control characters, any script, broken or double encodings, too long), the
recorder counts it without an error, the real flush job writes it to the database (or
leaves it out when no redirect can have it), and *Mark gone* on what was logged answers
the very URL the visitor requested with 410. Each input within bounds of time and memory."""

from __future__ import annotations

import time
import tracemalloc
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.utils.pages import fresh_site_tree
from wagtail_redirect_tools import rules
from wagtail_redirect_tools.not_found import fixes, log
from wagtail_redirect_tools.not_found.models import NotFoundPath
from wagtail_redirect_tools.not_found.tasks import flush_not_found_task
from wagtail_redirect_tools.resolution import forget_process_state
from wagtail_redirect_tools.resolution.paths import matched_path

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
#: Per input: the request, the flush, Mark gone and the second request.
MAX_SECONDS = 3.0
MAX_PEAK_BYTES = 4 * 1024 * 1024

# Characters near what the log must keep apart: controls, separators, escapes, scripts.
SPECIAL = "\x00\x01\x07\t\n\r\x1b\x7f\x85\u2028\u202e\u200b\ufeff %#?;=&+/\\'\"<>$:{}()*"
text = st.text(
    alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8")), max_size=90
)


@st.composite
def requested_urls(draw: st.DrawFn) -> str:
    """A URL as a client sends it: text percent-encoded (keeping "%" raw, so its escapes
    survive: "%0A", "%250A", "%zz"), or raw bytes that need not be UTF-8."""
    if draw(st.booleans()):
        body = quote(draw(text), safe=draw(st.sampled_from(["", "/", "%", "/%;=&+$,"])))
    else:
        body = quote(draw(st.binary(max_size=90)), safe="/")
    return f"/fz-{body}/"


@pytest.mark.slow  # 60 inputs, half a minute
class TestRecorderFuzz(TestCase):
    #: (seconds, peak bytes) of each input, printed at the end.
    measured: list[tuple[float, int]] = []

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.measured:
            print(
                f"404 recorder fuzz: {len(cls.measured)} inputs, at most "
                f"{max(m[0] for m in cls.measured) * 1000:.0f} ms and "
                f"{max(m[1] for m in cls.measured) / 1024:.0f} KiB peak each"
            )
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.site, cls.home = fresh_site_tree("localhost")
        cls.editor = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    @FUZZ
    @given(url=requested_urls())
    def test_any_request_is_logged_as_matched_and_mark_gone_answers_it(self, url: str) -> None:
        # Each example's redirects are rolled back: forget what this process remembers.
        for cache in caches.all():
            cache.clear()
        forget_process_state()
        log.forget()
        tracemalloc.start()
        started = time.perf_counter()
        try:
            response = Client().get(url)
            self.assertEqual(response.status_code, 404, url)
            requested = response.wsgi_request.path
            counts = log.take_due(force=True)
            report = flush_not_found_task.call(counts.to_json()) if counts else {}
            entries = list(NotFoundPath.objects.all())
            if entries:
                (entry,) = entries
                self.assertEqual(entry.path, matched_path(requested))
                self.assertIsNone(rules.source_characters_error(entry.path))
                self.assertEqual(len(fixes.mark_gone(entries)), 1, entry.path)
                self.assertEqual(Client().get(url).status_code, 410, (url, entry.path))
            else:  # left out: a NUL, or too long for a redirect
                self.assertTrue(
                    "\x00" in requested or len(matched_path(requested)) > 255, (url, report)
                )
            seconds = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.measured.append((seconds, peak))
        self.assertLess(seconds, MAX_SECONDS, url)
        self.assertLess(peak, MAX_PEAK_BYTES, url)
