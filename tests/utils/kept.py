"""Read what each process keeps of the redirects, outside a test's counted queries."""

from __future__ import annotations

from wagtail_redirect_tools.resolution import membership, pattern_index


def read_kept_redirects() -> None:
    """Make this process's set of stored old paths and its pattern index, as the first
    lookup after a change of the redirects does (a query each), so that a test counts only
    what a lookup costs once they are known."""
    membership.current()
    pattern_index.current()
