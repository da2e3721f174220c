"""The fixes of logged 404s: mark them gone (a 410), redirect them to one page or URL, or
ignore them. Each is audit-logged and takes the path out of the open log (a redirect
answers it now, or a rule ignores it). "Create redirect" for one path is the Redirects
add form, prefilled. A path the Redirects form and the import would refuse as a source
(``rules.source_error``: e.g. a control character an older version logged) gets no
redirect: :func:`refusals` says why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page

from .. import rules
from ..models import Origin, RedirectDetails
from .models import IgnoreMatch, NotFoundIgnoreRule, NotFoundPath

ACTION_GONE = "wagtail_redirect_tools.not_found.gone"
ACTION_IGNORED = "wagtail_redirect_tools.not_found.ignored"


def refusals(entries: Iterable[NotFoundPath], *, link: str = "") -> list[tuple[NotFoundPath, str]]:
    """The entries no redirect (to ``link``, when given) can be made for, each with the
    reason (as the Redirects form says it): a refused source, or a link back to the path
    itself (``rules.link_loops``, own-host URLs included)."""
    admin = rules.admin_root()
    refused = []
    for entry in entries:
        error = rules.source_error(entry.path, admin=admin)
        if error is not None:
            refused.append((entry, " ".join(error.messages)))
        elif rules.link_loops(Redirect.normalise_path(entry.path), link, entry.site):
            refused.append((entry, str(rules.LOOP_MESSAGE)))
    return refused


def _fixable(entries: Iterable[NotFoundPath], *, link: str = "") -> list[NotFoundPath]:
    entries = list(entries)
    refused = {entry.pk for entry, _reason in refusals(entries, link=link)}
    return [entry for entry in entries if entry.pk not in refused]


def mark_gone(entries: Iterable[NotFoundPath], *, user: Any = None) -> list[Redirect]:
    """A 410 Gone redirect for each entry's path on its site (an existing redirect of the
    same site and path is left as it is: it answers the path already). Entries of
    :func:`refusals` are left out."""
    made = []
    with transaction.atomic():
        for entry in _fixable(entries):
            redirect, created = Redirect.objects.get_or_create(
                site_id=entry.site_id,
                old_path=entry.path,
                defaults={"redirect_link": "", "is_permanent": True},
            )
            if not created:
                continue
            RedirectDetails.record(redirect, status_code=410, origin=Origin.MANUAL, user=user)
            log(
                instance=redirect,
                action=ACTION_GONE,
                user=user,
                data={"path": entry.path, "site": entry.site_id, "hits": entry.hits},
            )
            made.append(redirect)
    return made


def redirect_to(
    entries: Iterable[NotFoundPath],
    *,
    page: Page | None = None,
    link: str = "",
    user: Any = None,
) -> list[Redirect]:
    """A permanent (301) redirect for each entry's path on its site to ``page`` or ``link``
    (a validated path or URL; one of them). Paths that have a redirect already keep it;
    entries of :func:`refusals` (with ``link``) are left out."""
    if link:
        rules.validate_redirect_link(link)
    made = []
    with transaction.atomic():
        for entry in _fixable(entries, link="" if page else link):
            redirect, created = Redirect.objects.get_or_create(
                site_id=entry.site_id,
                old_path=entry.path,
                defaults={"redirect_page": page, "redirect_link": "" if page else link},
            )
            if not created:
                continue
            RedirectDetails.record(redirect, status_code=301, origin=Origin.MANUAL, user=user)
            log(instance=redirect, action="wagtail.create", user=user)
            made.append(redirect)
    return made


def ignore(entries: Iterable[NotFoundPath], *, user: Any = None) -> list[NotFoundIgnoreRule]:
    """An ignore rule for each entry's exact path (for every site)."""
    made = []
    with transaction.atomic():
        for entry in entries:
            rule, created = NotFoundIgnoreRule.objects.get_or_create(
                match=IgnoreMatch.EXACT,
                pattern=entry.path,
                defaults={"created_by": user if getattr(user, "pk", None) else None},
            )
            if not created:
                continue
            log(
                instance=rule,
                action=ACTION_IGNORED,
                user=user,
                data={"path": entry.path, "hits": entry.hits},
            )
            made.append(rule)
    return made
