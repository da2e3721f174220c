"""Wagtail's redirects API answering through :func:`~wagtail_redirect_tools.resolve`, so a
headless front end sees windows, exact status codes and 410s, and can resolve a path in one
call. v2 (Django REST framework): :class:`.v2.RedirectsAPIViewSet` in place of core's, in the
site's API router. v3 (Wagtail 8): the app adds ``resolve/`` to core's router itself."""
