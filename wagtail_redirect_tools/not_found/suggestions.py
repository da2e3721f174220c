"""A suggested target for a logged 404: a live page of the site whose title (or slug) has
the words of the path's last segment. Only ever offered to an editor, never applied.

What an editor would accept (:func:`likeness`): the words of the segment and those of the
title match, every word of the shorter list is in the longer one, and at least half the
longer list's words are matched. Words are compared lowercased, ignoring words of one or
two letters, numbers and a few fillers ("and", "the"…); a plural or a typo of a long word
still matches. So ``/council-tax-bands`` may lead to "Council tax" (all its words, two of
the path's three) but never to "Council elections" (one word of three).

Pages come before news items, however alike: a news item is a page without children
whose parent lists :data:`LISTING_SIZE` pages or more (a news, blog or events index), or a
page with a year in its URL (``/news/2024/...``). Any page type can be either: the shape of
the tree decides, not the model.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .. import conf
from ..resolution.languages import language_root

#: Candidates compared (those whose slug or title shares a word with the segment), pages
#: before news items.
CANDIDATES = 100
#: A parent with this many children or more is a listing: its childless pages are news items.
LISTING_SIZE = 10
#: Words that say nothing about a page.
FILLERS = frozenset({"and", "the", "for", "with", "from", "your", "our", "into"})
#: Two words this alike (0-1), both this long or longer, are one word misspelt.
TYPO_LIKENESS = 0.85
TYPO_MIN_LENGTH = 5

YEAR_IN_PATH = r"/(19|20)[0-9]{2}/"


def words_of(text: str) -> list[str]:
    """The words that say what a title or path segment is about, in order, once each."""
    found = re.split(r"[^\w]+|_", text.lower())
    kept = [w for w in found if len(w) > 2 and not w.isdigit() and w not in FILLERS]
    return list(dict.fromkeys(kept))


def same_word(one: str, other: str) -> bool:
    if one == other:
        return True
    shorter, longer = sorted((one, other), key=len)
    if longer in (shorter + "s", shorter + "es"):
        return True
    return (
        len(shorter) >= TYPO_MIN_LENGTH
        and difflib.SequenceMatcher(None, one, other).ratio() >= TYPO_LIKENESS
    )


@dataclass(frozen=True, kw_only=True)
class Likeness:
    """The words a segment and a title share, and how much of each they are."""

    matched: tuple[str, ...]
    share: float  # of the longer list's words

    @property
    def rank(self) -> tuple[float, int]:
        return (self.share, len(self.matched))


def likeness(segment: str, title: str) -> Likeness | None:
    """How alike the path's last segment and a title (or slug) are, or None when an editor
    would not accept the one for the other (see the module's docstring)."""
    ours, theirs = words_of(segment.rsplit(".", 1)[0]), words_of(title)
    if not ours or not theirs:
        return None
    matched = tuple(word for word in ours if any(same_word(word, other) for other in theirs))
    shorter, longer = sorted((len(ours), len(theirs)))
    if len(matched) < shorter or len(matched) * 2 < longer:
        return None
    return Likeness(matched=matched, share=len(matched) / longer)


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """A page to offer, and why (a sentence for the editor)."""

    page: Page
    reason: str
    news_item: bool


def last_segment(path: str) -> str:
    """The path's last segment that has words: ``/news/2019/`` is about "news"."""
    segments = path.split("?", 1)[0].strip("/").split("/")
    for segment in reversed(segments):
        if words_of(segment.rsplit(".", 1)[0]):
            return segment
    return segments[-1] if segments else ""


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


def with_news_flag(pages: QuerySet[Page]) -> QuerySet[Page]:
    """``pages`` with ``is_news_item`` (see the module's docstring), in the same query."""
    parent_size = Subquery(
        Page.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
        ).values("numchild")[:1],
        output_field=IntegerField(),
    )
    return pages.alias(parent_size=parent_size).annotate(
        is_news_item=ExpressionWrapper(
            Case(
                When(Q(numchild=0) & Q(parent_size__gte=LISTING_SIZE), then=Value(True)),
                When(url_path__regex=YEAR_IN_PATH, then=Value(True)),
                default=Value(False),
            ),
            output_field=BooleanField(),
        ),
    )


def suggest_target(site: Site, path: str) -> Suggestion | None:
    """One query: live pages under the site's root (its language's, on a multilingual
    site) sharing a word with the path's last segment, pages before news items; the one
    whose title or slug is most like the segment, if an editor would accept it."""
    segment = last_segment(path)
    words = words_of(segment.rsplit(".", 1)[0])
    if not words:
        return None
    shares_a_word = Q()
    for word in words:
        stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
        shares_a_word |= Q(slug__icontains=stem) | Q(title__icontains=stem)
    candidates = (
        with_news_flag(pages_of_language(site, path))
        .filter(shares_a_word)
        .only("pk", "slug", "title", "draft_title", "url_path", "locale_id", "depth")
        .order_by("is_news_item", "depth", "pk")[:CANDIDATES]
    )
    best: tuple[tuple[bool, float, int], Suggestion] | None = None
    for page in candidates:
        by_title, by_slug = likeness(segment, page.title), likeness(segment, page.slug)
        found = max(
            (x for x in (by_title, by_slug) if x is not None), key=lambda x: x.rank, default=None
        )
        if found is None:
            continue
        words_listed = ", ".join(found.matched)
        if found is by_title:
            reason = _("Its title has the words %(words)s.") % {"words": words_listed}
        else:
            reason = _("Its URL ends in the same words (%(words)s).") % {"words": words_listed}
        if page.is_news_item:
            reason = f"{reason} {_('It is a news item: no page matches.')}"
        rank = (not page.is_news_item, *found.rank)
        if best is None or rank > best[0]:
            best = (rank, Suggestion(page=page, reason=reason, news_item=page.is_news_item))
    return best[1] if best is not None else None
