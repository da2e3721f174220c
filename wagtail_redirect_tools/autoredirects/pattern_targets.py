"""Pattern redirects whose target lies under a moved page follow it.

``/old-news/*`` → ``/news/:splat`` fills its target under News: when News moves to
``/about/news/`` (or its slug changes), every URL it sent visitors to moved too, and each
has an automatic redirect from where it was. Sent there, a visitor would take two hops;
the target is re-written under the page's new URL instead (``/about/news/:splat``), as
:func:`.writing.repoint_chains` points exact redirects to the old URL at the page itself.

Only a target with placeholders under the page's old path is re-written (one without is
an exact URL, which :func:`.writing.repoint_chains` handles), only a relative one (a full
URL names a host the move does not change), and only where the page's URLs follow its
place in the tree (its class keeps Wagtail's ``get_url_parts``). A redirect for every site
follows only when the page moved alike on every site. A new target the pattern would
match again (an endless chain, :func:`wagtail_redirect_tools.rules.pattern_error`) is not
written: the redirect is kept as it was and named in the move's conflicts. A move with
nothing linking into its section (:class:`.nearby.Nearby`) does not ask.
"""

from __future__ import annotations

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from ..database.arrays import save_fields
from ..patterns import placeholders_in
from ..resolution.stamps import redirects_changed
from ..rules import pattern_error
from .page_urls import SiteRoot, overrides_url_parts
from .report import AutoRedirectReport


def repoint_pattern_targets(
    page: Page,
    roots: list[SiteRoot],
    url_path_before: str,
    report: AutoRedirectReport,
) -> None:
    """Re-write the targets of pattern redirects under ``page``'s old path on the sites of
    ``roots`` (one query for the candidates, one UPDATE for those that follow)."""
    if overrides_url_parts(page.specific_class):
        return
    moved: dict[int, tuple[str, str]] = {}
    for root in roots:
        old, new = root.relative(url_path_before), root.relative(page.url_path)
        if old is not None and new is not None and old != new:
            moved[root.site_id] = (old, new)
    if not moved:
        return
    every_site = {site_id for site_id, *_rest in Site.get_site_root_paths()}
    alike = set(moved.values())
    everywhere = moved.keys() == every_site and len(alike) == 1
    candidates = Redirect.objects.filter(
        details__is_pattern=True,
        redirect_page__isnull=True,
        redirect_link__startswith="/",
        redirect_link__contains=":",
    ).only("pk", "site_id", "old_path", "redirect_link")
    changed = []
    for redirect in candidates:
        if redirect.site_id is None:
            prefixes = next(iter(alike)) if everywhere else None
        else:
            prefixes = moved.get(redirect.site_id)
        link = redirect.redirect_link
        if prefixes is None or not link.startswith(prefixes[0]):
            continue
        if not placeholders_in(link):
            continue
        new_link = prefixes[1] + link[len(prefixes[0]) :]
        if pattern_error(redirect.old_path, new_link) is not None:
            report.conflicts.append(
                f"{redirect.old_path} (pattern) would lead under itself at {new_link}; "
                "its target was kept"
            )
            continue
        redirect.redirect_link = new_link
        changed.append(redirect)
    if changed:
        save_fields(changed, ("redirect_link",))
        report.repointed += len(changed)
        redirects_changed()  # save_fields sends no signal
