"""Request-time lookup of redirects. The middleware only calls what is exported here."""

from .core_redirects import RedirectMatch, find_core_redirect

__all__ = ["RedirectMatch", "find_core_redirect"]
