"""Bulk import of redirects (django-import-export resources and formats).

``service`` is the one place that imports; ``resources`` holds the columns that the
export (``wagtail_redirect_tools.exporting``) writes with too. The admin views, the
management commands and the jobs only call them.
"""
