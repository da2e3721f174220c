"""What the Redirects form shows beside a prefix or pattern: three example paths and where
each would go, and the live pages the source covers (they keep answering).

The form renders it for a bound or saved redirect, and the preview endpoint
(``views.pattern_preview``) renders the same template while the editor types, so the page
and the live update never differ."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from wagtail.models import Page, Site

from ... import patterns
from .matching import MATCH_EXACT, Example, example_rows, link_for, source_for
from .pages_under import CoveredPages, live_pages_under

TEMPLATE = "wagtail_redirect_tools/redirects/pattern_preview.html"


@dataclass(frozen=True)
class Preview:
    """The preview of one state of the form; ``error`` instead of rows when the source or
    target is not valid yet, and nothing at all for an exact redirect."""

    match: str
    source: str = ""
    rows: list[Example] = field(default_factory=list)
    error: str = ""
    covered: CoveredPages | None = None
    all_sites: bool = False
    gone: bool = False

    @property
    def shown(self) -> bool:
        return self.match != MATCH_EXACT

    def render(self) -> SafeString:
        return render_to_string(TEMPLATE, {"preview": self})

    def as_json(self) -> dict[str, object]:
        covered = self.covered or CoveredPages(0, [])
        return {
            "html": str(self.render()),
            "source": self.source,
            "error": self.error,
            "examples": [{"path": row.path, "target": row.target} for row in self.rows],
            "live_pages": covered.count,
        }


def preview(
    *,
    match: str,
    path: str,
    link: str,
    carry: bool,
    page: Page | None,
    site: Site | None,
    gone: bool = False,
) -> Preview:
    """The preview for the form's current values (as typed, before they are saved)."""
    if match == MATCH_EXACT or not path:
        return Preview(match=match)
    try:
        source = source_for(match, path)
        stored_link = "" if gone else link_for(match, source, link, carry, page is not None)
    except ValidationError as error:
        return Preview(match=match, error=" ".join(error.messages))
    page_url = None
    if page is not None and not gone:
        page_url = page.get_url() or page.url_path
    elif gone or not stored_link:
        page_url = ""
    return Preview(
        match=match,
        source=source,
        rows=example_rows(source, stored_link, page_url),
        covered=live_pages_under(patterns.parse(source), site),
        all_sites=site is None,
        gone=gone,
    )
