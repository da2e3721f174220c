"""Pattern redirects stored in bulk, as the admin stores them (the benchmarks' thousands)."""

from __future__ import annotations

from wagtail.contrib.redirects.models import Redirect

from wagtail_redirect_tools.models import RedirectDetails
from wagtail_redirect_tools.resolution.stamps import redirects_changed


def store_patterns(sources: list[tuple[str, str]]) -> None:
    """Pattern redirects for all sites from (source, target) pairs, each with its details
    row marked as a pattern; the resolver told once."""
    made = Redirect.objects.bulk_create(
        [Redirect(old_path=source, redirect_link=target) for source, target in sources],
        batch_size=5000,
    )
    details = []
    for redirect in made:
        row = RedirectDetails.implied_by_core(redirect)
        row.is_pattern = True
        details.append(row)
    RedirectDetails.objects.bulk_create(details, batch_size=5000)
    redirects_changed()
