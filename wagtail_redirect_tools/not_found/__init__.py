"""The 404 log: the URLs visitors hit that answered "not found", and their fixes.

``recording.record`` is the middleware's one call (memory only, see ``log``);
``flush_not_found_task`` writes the counts with ``writing.write_counts``; the report
lists ``queries.open_paths()``; ``fixes`` holds the one-click fixes.
Submodules are imported by name: this package's models load with the app's.
"""
