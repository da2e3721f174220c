"""A suggested target for a logged 404: the live page of the site whose slug or title is
most like the path's last segment. Only ever offered to an editor, never applied."""

from __future__ import annotations

import difflib

from django.db.models import Q, QuerySet
from wagtail.models import Page, Site

from .. import conf
from ..resolution.languages import language_root

#: Candidates compared (those whose slug or title shares a word with the segment).
CANDIDATES = 50
#: Below this likeness (0-1) nothing is suggested.
THRESHOLD = 0.6


def last_segment(path: str) -> str:
    segment = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return segment.rsplit(".", 1)[0].lower()  # "about-us.html" -> "about-us"


def pages_of_language(site: Site, path: str) -> QuerySet[Page]:
    """The live pages of the site; on a multilingual site, those of the path's language
    (``/fr/team`` is looked for among the French pages)."""
    pages = Page.objects.live()
    if not conf.i18n_enabled():
        return pages.descendant_of(site.root_page, inclusive=True)
    root = language_root(site.pk, path)
    if root is None:
        return pages.none()
    return pages.filter(url_path__startswith=root.root_path)


def suggest_target(site: Site, path: str) -> Page | None:
    """One query: live pages under the site's root (its language's, on a multilingual
    site) sharing a word with the last segment, ranked by how alike their slug (or
    title) is to it."""
    segment = last_segment(path)
    words = [word for word in segment.replace("_", "-").split("-") if len(word) > 2]
    if not words:
        return None
    shares_a_word = Q()
    for word in words:
        shares_a_word |= Q(slug__icontains=word) | Q(title__icontains=word)
    candidates = (
        pages_of_language(site, path)
        .filter(shares_a_word)
        .only("pk", "slug", "title", "draft_title", "url_path", "locale_id")[:CANDIDATES]
    )
    best, best_score = None, THRESHOLD
    for page in candidates:
        score = max(
            difflib.SequenceMatcher(None, segment, page.slug.lower()).ratio(),
            difflib.SequenceMatcher(None, segment.replace("-", " "), page.title.lower()).ratio(),
        )
        if score > best_score:
            best, best_score = page, score
    return best
