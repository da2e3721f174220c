"""The test settings for the app servers of the multi-process test: hits are handed to
the worker after every request, so the test need not wait for a flush interval."""

from tests.settings import *  # noqa: F403

WAGTAIL_REDIRECT_TOOLS_HITS_FLUSH_SECONDS = 0
