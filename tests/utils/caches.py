"""Cache settings for tests of what happens when the cache is unavailable."""

from __future__ import annotations

from typing import Any

# With WAGTAIL_REDIRECT_TOOLS_CACHE_ALIAS="redirects": our cache is a Redis nobody answers.
CACHES_WITH_DEAD_REDIS: dict[str, Any] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "redirects": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails, as when Redis is down.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    },
}
