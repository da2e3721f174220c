"""Bulk import and export of redirects (django-import-export resources and formats).

``service`` is the one place that imports; ``exporting`` writes files; the admin
views, the management commands and the jobs only call them.
"""
