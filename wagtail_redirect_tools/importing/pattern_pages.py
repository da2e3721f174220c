"""The planner's warning for a pattern row with live pages under it: those pages keep
answering their URLs (a redirect, pattern or not, answers only what nothing else does),
so the editor is told how many, with one for example. The row is imported all the same.
From what the context holds: no query."""

from __future__ import annotations

import bisect

from django.utils.translation import ngettext

from ..patterns import PatternError, parse
from .context import ImportContext
from .plan import Action, PlannedRow


def warn_live_pages_under_patterns(rows: list[PlannedRow], context: ImportContext) -> None:
    writing = [row for row in rows if row.is_pattern and row.action in (Action.NEW, Action.UPDATE)]
    if not writing:
        return  # (most imports)
    urls = _SortedUrls(context)
    for row in writing:
        try:
            pattern = parse(row.old_path)
        except PatternError:  # pragma: no cover (a row with such a source has failed)
            continue
        prefix = pattern.literal_prefix
        found = [url for url in urls.starting(row.site_id, prefix) if pattern.match(url)]
        if found:
            row.warn(
                ngettext(
                    "%(count)s live page is under this pattern (%(example)s): it keeps "
                    "answering its URL, and the pattern answers the other paths.",
                    "%(count)s live pages are under this pattern (%(example)s, …): they keep "
                    "answering their URLs, and the pattern answers the other paths.",
                    len(found),
                )
                % {"count": len(found), "example": found[0]}
            )


class _SortedUrls:
    """The live pages' URLs of each site (of every site, for a row of all sites), sorted
    once, so the URLs under a literal prefix are found by bisection."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.sorted: dict[int | None, list[str]] = {}

    def starting(self, site_id: int | None, prefix: str) -> list[str]:
        if site_id not in self.sorted:
            if site_id is None:
                every = {url for urls in self.context.page_urls.values() for url in urls}
                self.sorted[None] = sorted(every)
            else:
                self.sorted[site_id] = sorted(self.context.page_urls.get(site_id, {}))
        urls = self.sorted[site_id]
        found = []
        for index in range(bisect.bisect_left(urls, prefix), len(urls)):
            if not urls[index].startswith(prefix):
                break
            found.append(urls[index])
        return found
