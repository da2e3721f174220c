"""A page moved with its translations (a synced tree: simple_translation moves them too):
one move for the editor, however many pages Wagtail moved.

Each translation's move is written, logged and reported by itself, from its own URLs.
The admin then tells the editor about all of them in one message, and the page's log
entry names its translations' entries, so that "See redirects" and Undo cover every
language's redirects."""

from __future__ import annotations

import dataclasses

from wagtail.models import Page, PageLogEntry

from .. import conf
from .editor import Outcome, pop_outcome
from .report import AutoRedirectReport

#: The key of a move's log entry that names its translations' entries.
TRANSLATION_ENTRIES = "translation_entries"

_SUMMED = ("created", "replaced", "repointed", "removed")
_JOINED = ("conflicts", "kept_chains", "old_links", "too_long", "refused")


def pop_with_translations(page: Page) -> Outcome | None:
    """The outcome of ``page``'s move or new slug, with its translations' (moved with it in
    the same request) folded in; without i18n, the page's alone (no query)."""
    outcome = pop_outcome(page.pk)
    if not conf.i18n_enabled():
        return outcome
    ids = Page.objects.translation_of(page, inclusive=False).values_list("pk", flat=True)
    others = [other for pk in ids if (other := pop_outcome(pk)) is not None]
    if not others:
        return outcome
    if outcome is None:
        outcome, others = others[0], others[1:]
    reports = [other.report for other in others if other.report is not None]
    report = outcome.report
    if report is not None and reports:
        report = combined(report, reports)
    return Outcome(
        report=report,
        failed=outcome.failed or any(other.failed for other in others),
        queued_pages=outcome.queued_pages + sum(other.queued_pages for other in others),
    )


def combined(report: AutoRedirectReport, others: list[AutoRedirectReport]) -> AutoRedirectReport:
    """``report`` with the counts and lists of ``others`` added, its log entry naming
    theirs (one UPDATE)."""
    merged = dataclasses.replace(report)
    for name in _SUMMED:
        setattr(merged, name, sum(getattr(r, name) for r in [report, *others]))
    for name in _JOINED:
        setattr(merged, name, [item for r in [report, *others] for item in getattr(r, name)])
    entry_ids = [other.log_entry_id for other in others if other.log_entry_id]
    if report.log_entry_id and entry_ids:
        entry = PageLogEntry.objects.get(pk=report.log_entry_id)
        entry.data = {**(entry.data or {}), TRANSLATION_ENTRIES: entry_ids}
        entry.save(update_fields=["data"])
    return merged
