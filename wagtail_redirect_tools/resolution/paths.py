"""The stored forms a request's path may match, in core's order."""

from __future__ import annotations

from urllib.parse import urlparse

from django.http import HttpRequest
from django.utils.encoding import uri_to_iri
from wagtail.contrib.redirects.models import Redirect


def candidate_paths(request: HttpRequest) -> tuple[list[str], int, str]:
    """The stored forms the request's path may match, best first; how many of them are
    forms of the full path (the rest are the bare path); and the query string.

    Same order as core: the full path (as an IRI, then as sent), then the bare path.
    """
    full_path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    parts = urlparse(full_path)
    candidates: list[str] = []
    full_forms = 0
    for path in (full_path, parts.path):
        for form in (uri_to_iri(path), path):
            # A NUL cannot be stored in PostgreSQL text (and would crash the query).
            if form not in candidates and "\0" not in form:
                candidates.append(form)
        full_forms = full_forms or len(candidates)
    return candidates, full_forms, parts.query
