"""Redirect management for Wagtail: scheduled, imported and automatic redirects."""

__version__ = "0.1.0.dev0"
