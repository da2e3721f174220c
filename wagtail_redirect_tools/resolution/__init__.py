"""Request-time lookup of redirects. The middleware and the serve hook only call what is here."""

from .core_redirects import RedirectMatch, find_core_redirect
from .responses import window_response
from .scheduled import find_page_window, find_path_window

__all__ = [
    "RedirectMatch",
    "find_core_redirect",
    "find_page_window",
    "find_path_window",
    "window_response",
]
