"""The stored forms a request's path may match, in core's order, and the one form the
404 log keeps for a path."""

from __future__ import annotations

from urllib.parse import urlparse

from django.http import HttpRequest
from django.utils.encoding import escape_uri_path, uri_to_iri
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


def matched_path(path: str) -> str:
    """The stored form that answers a request for ``path`` (a request's decoded
    ``path``, without its query string): the first of :func:`candidate_paths` for it.

    As the visitor sent it, not as Django decoded it: ``/a%23b/`` is ``/a%23b``, not
    ``/a#b`` (whose ``#b`` core would drop as a fragment); control characters, ``%``,
    ``?`` and ``;`` the visitor encoded stay encoded (``%0A``, ``%25``, ``%3F``); text
    in other scripts is decoded as core stores it (``/caf%C3%A9`` is ``/café``).
    """
    return uri_to_iri(Redirect.normalise_path(escape_uri_path(path), decode_unicode=False))
