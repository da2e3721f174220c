"""Purging URLs from Wagtail's front-end cache, where that app is installed and configured.

The one place the capabilities call when their URLs change; a CDN outage is logged and
never stops the write that caused the purge.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.apps import apps

from .. import conf

logger = logging.getLogger(__name__)


def configured() -> bool:
    return apps.is_installed("wagtail.contrib.frontend_cache") and bool(
        conf.frontend_cache_backends()
    )


def purge(urls: Sequence[str], *, what: str) -> None:
    """Purge ``urls``; ``what`` names them in the log if the purge fails."""
    if not urls or not configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache(list(urls))
    except Exception:
        logger.exception("Could not purge %s from the front-end cache", what)
