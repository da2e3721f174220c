"""The Redirects form's "Match" choice, turned into what is stored, and back.

An editor chooses "This path only" (an exact redirect, as before), "This path and everything
under it" (stored as ``<path>/*``, optionally carrying the rest of the path to the target as
``/:splat``) or "A pattern with named segments" (``/news/:year/:slug``, typed as such). The
stored form is :mod:`wagtail_redirect_tools.patterns`' notation in core's ``old_path`` and
``redirect_link``, with ``RedirectDetails.is_pattern``; the editor never has to type ``*``
or ``:splat``. Pure functions: nothing here reads the database, so the form, the live
preview's endpoint and the tests share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ... import patterns
from ...patterns import SPLAT, Pattern, PatternError

MATCH_EXACT, MATCH_PREFIX, MATCH_PATTERN = "exact", "prefix", "pattern"
MATCH_CHOICES = [
    (MATCH_EXACT, _("This path only")),
    (MATCH_PREFIX, _("This path and everything under it")),
    (MATCH_PATTERN, _("A pattern with named segments")),
]
#: How the listing names each kind of match.
KIND_LABELS = {
    MATCH_EXACT: _("Exact"),
    MATCH_PREFIX: _("Prefix"),
    MATCH_PATTERN: _("Pattern"),
}
_CARRIED = "/" + ":" + SPLAT


@dataclass(frozen=True)
class Shown:
    """A stored redirect as the form shows it: the choice, the path and target as the
    editor typed them, and whether the rest of the path is carried."""

    match: str
    path: str
    link: str
    carry: bool


def kind_of(old_path: str, is_pattern: bool) -> str:
    """``MATCH_EXACT``, ``MATCH_PREFIX`` or ``MATCH_PATTERN`` for a stored redirect."""
    if not is_pattern:
        return MATCH_EXACT
    try:
        pattern = patterns.parse(old_path)
    except PatternError:  # written by code that skipped the rules: show it as typed
        return MATCH_PATTERN
    return MATCH_PREFIX if pattern.is_prefix else MATCH_PATTERN


def shown(old_path: str, link: str, is_pattern: bool) -> Shown:
    """What the form shows for a stored redirect: a prefix without its ``/*`` and a target
    without the ``/:splat`` the checkbox adds."""
    match = kind_of(old_path, is_pattern)
    if match != MATCH_PREFIX:
        return Shown(match, old_path, link, carry=False)
    path = old_path[: -len("/*")] or "/"
    path_part, rest = _split_query(link)
    if path_part.endswith(_CARRIED):
        return Shown(match, path, (path_part[: -len(_CARRIED)] or "/") + rest, carry=True)
    return Shown(match, path, link, carry=False)


def source_for(match: str, path: str) -> str:
    """The stored source for the editor's ``path`` under the chosen ``match``;
    :class:`ValidationError` with the notation's own message when it cannot be one."""
    if match == MATCH_EXACT:
        if patterns.is_pattern_source(path):
            raise ValidationError(
                _(
                    "This path has a * or a :name segment, which “This path only” would "
                    "match literally. To match more than one path, choose “This path and "
                    "everything under it” or “A pattern with named segments”."
                ),
                code="pattern_as_exact",
            )
        return path
    if match == MATCH_PREFIX:
        base = path[:-2] if path.endswith("/*") else path
        pattern = _parse(base.rstrip("/") + "/*")
        if not pattern.is_prefix:
            raise ValidationError(
                _(
                    "This path has :name segments: choose “A pattern with named segments” "
                    "to match them."
                ),
                code="named_in_prefix",
            )
        return pattern.canonical
    return _parse(path).canonical


def link_for(match: str, source: str, link: str, carry: bool, has_page: bool) -> str:
    """The stored target: ``/:splat`` appended to a path or URL when the rest of the path
    is carried; :class:`ValidationError` when the target uses a placeholder the source does
    not define, or a page target is asked to carry (a page has one URL)."""
    if match == MATCH_EXACT:
        return link
    pattern = _parse(source)
    if match == MATCH_PREFIX and carry:
        if has_page or not link:
            raise ValidationError(
                _(
                    "A page target cannot carry the rest of the path: it has one URL. Enter "
                    "a path or URL as the target, e.g. /new-section/, or untick “Carry the "
                    "rest of the path to the target”."
                ),
                code="page_cannot_carry",
            )
        path_part, rest = _split_query(link)
        if SPLAT not in patterns.placeholders_in(link):
            link = path_part.rstrip("/") + _CARRIED + rest
    if not link:  # a page target, or none yet (the form asks for one)
        return link
    try:
        patterns.check_target(pattern, link)
    except PatternError as error:
        raise ValidationError(str(error), code="target_placeholder") from error
    return link


@dataclass(frozen=True)
class Example:
    """One example path the source matches and where it would go ("" for 410 Gone)."""

    path: str
    target: str


def example_rows(source: str, link: str, page_url: str | None) -> list[Example]:
    """Three paths the stored ``source`` matches and the target each would get: the filled
    ``link``, or the page's URL (a page target is the same for every path)."""
    pattern = _parse(source)
    rows = []
    for path in patterns.examples(pattern):
        captured = pattern.match(path) or {}
        target = page_url if page_url is not None else patterns.fill(link, captured)
        rows.append(Example(path, target))
    return rows


def _parse(source: str) -> Pattern:
    try:
        return patterns.parse(source)
    except PatternError as error:
        raise ValidationError(str(error), code="pattern") from error


def _split_query(link: str) -> tuple[str, str]:
    """``link`` split before its query string or fragment."""
    cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
    return link[:cut], link[cut:]
