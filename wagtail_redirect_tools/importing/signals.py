"""What an import tells the rest of the package (bulk writes send no model signals)."""

from django.dispatch import Signal

# Sent after the transaction of an import commits, with ``windows``: the windows it created.
windows_imported = Signal()
