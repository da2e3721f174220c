"""The admin's forms."""
