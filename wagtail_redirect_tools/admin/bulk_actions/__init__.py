"""Bulk actions of the admin's listings."""
