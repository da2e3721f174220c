"""Bulk import of redirects: files are read by ``reading`` (``csv``, ``json``, openpyxl),
their cells cleaned by django-import-export resources and widgets.

``service`` is the one place that imports; ``resources`` holds the columns that the
export (``wagtail_redirect_tools.importing.exporting``) writes with too. The admin views, the
management commands and the jobs only call them.
"""
