"""Where a redirect's link leads: the (site, path) on one of our sites, if it does.

The row reader asks it whether a target leads back to its own source, and the chains
whether a target is redirected in turn; a URL's answer is remembered for the import.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .. import rules
from .context import ImportContext, Key

DEFAULT_PORT_OF_SCHEME = {"http": 80, "https": 443}


class LinkKeys:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.known: dict[tuple[int | None, str], Key | None] = {}

    def __call__(self, site_id: int | None, link: str) -> Key | None:
        """The (site, path) on one of our sites that ``link`` leads to, if it does."""
        if link.startswith("/"):  # a path: quicker to work out than to remember
            return (site_id, rules.normalise_path(link))
        cache_key = (site_id, link)
        if cache_key not in self.known:
            self.known[cache_key] = self._find(site_id, link)
        return self.known[cache_key]

    def _find(self, site_id: int | None, link: str) -> Key | None:
        try:
            parts = urlsplit(link)
        except ValueError:  # a malformed link stored before: it leads nowhere we know
            return None
        try:
            port = parts.port or DEFAULT_PORT_OF_SCHEME.get(parts.scheme.lower())
        except ValueError:  # a port that is not a number
            return None
        site_id = self.context.site_for_host(parts.hostname, port)
        if site_id is None:
            return None
        return (site_id, rules.normalise_path(parts.path or "/"))
