"""Which site a request is for, without a query once its host has been seen."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple, TypeVar

from django.db.models import Model
from django.http import HttpRequest
from wagtail.models import Page, Site, SiteRootPath

from .. import conf
from . import stamps
from .remembered import NOT_REMEMBERED, host_sites, root_paths, served_sites

M = TypeVar("M", bound=Model)


def request_site_id(request: HttpRequest) -> int | None:
    """The id of the request's site (None: no site), as ``Site.find_for_request`` finds it.

    A site set on the request already (by Wagtail, by the caller, or by
    :func:`preset_site`) is used as is. Otherwise the site Wagtail finds for the host name
    and port is remembered in this process until any site changes (the ``redirects``
    stamp); Wagtail's lookup sets it on the request too, so that its own serving does not
    look it up again.
    """
    if hasattr(request, "_wagtail_site"):
        site = request._wagtail_site
        return site.pk if site is not None else None
    host = _host(request)
    shared = stamps.current()
    found = host_sites.recall(host, shared)
    if found is NOT_REMEMBERED:
        site = Site.find_for_request(request)
        found = site.pk if site is not None else None
        host_sites.remember(host, found, shared)
    return found


class SiteLookup(NamedTuple):
    """What :func:`preset_site` noted before the view, for :func:`learn_site` after it."""

    host: tuple[str, str]
    shared: stamps.Stamps


def preset_site(request: HttpRequest) -> SiteLookup | None:
    """Set the request's site, with its root page, as Wagtail's ``Site.find_for_request``
    would find them (one query, the site joined with its root page), from this process's
    memory: Wagtail's routing then does not ask, for every page and 404 it serves.

    For a host not seen since a site or a page last changed (the ``redirects`` and
    ``pages`` stamps) nothing is set, and the lookup to learn from Wagtail's own is
    returned (:func:`learn_site`). Each request gets copies of its own, holding the site's
    and the root page's fields alone: what one request loads or caches on them (the root
    page's specific page, its parent) is never another's."""
    if hasattr(request, "_wagtail_site"):
        return None
    host = _host(request)
    shared = stamps.current()
    found = served_sites.recall(host, shared)
    if found is NOT_REMEMBERED:
        return SiteLookup(host, shared)
    request._wagtail_site = _fresh(found)  # type: ignore[attr-defined]
    return None


def learn_site(request: HttpRequest, lookup: SiteLookup) -> None:
    """Remember the site Wagtail found for the request's host, if it looked it up: no
    query of our own. Skipped when a site or page changed meanwhile."""
    if hasattr(request, "_wagtail_site"):
        served_sites.remember(lookup.host, _fields_only(request._wagtail_site), lookup.shared)


def _host(request: HttpRequest) -> tuple[str, str]:
    return request.get_host(), request.get_port()


def _fields_only(site: Site | None) -> Site | None:
    """A new ``Site`` with ``site``'s fields, and its root page's (when loaded) as a new
    ``Page`` with that page's fields: nothing a request cached on them."""
    if site is None:
        return None
    kept = _copy_fields(site)
    root = site._state.fields_cache.get("root_page")
    if root is not None and type(root) is Page:
        kept._state.fields_cache["root_page"] = _copy_fields(root)
    return kept


def _fresh(site: Site | None) -> Site | None:
    """A request's own copy of a site kept by :func:`_fields_only` (and of its root page)."""
    if site is None:
        return None
    fresh = _copy_fields(site)
    root = site._state.fields_cache.get("root_page")
    if root is not None:
        fresh._state.fields_cache["root_page"] = _copy_fields(root)
    return fresh


def _copy_fields(instance: M) -> M:
    """A new instance of ``instance``'s model with its loaded fields, made as the ORM makes
    one from a row (``from_db``: its ``__init__`` and signals run as for a query's)."""
    names = [
        field.attname
        for field in type(instance)._meta.concrete_fields
        if field.attname in instance.__dict__
    ]
    values = [instance.__dict__[name] for name in names]
    return type(instance).from_db(instance._state.db, names, values)


def remember_request_site(request: HttpRequest, shared: stamps.Stamps) -> None:
    """Remember the site Wagtail found for the request's host (set on the request by its
    routing), as :func:`request_site_id` would have found it, read under ``shared``. Only
    for a request on which the caller set no site before the middleware ran."""
    site = getattr(request, "_wagtail_site", None)
    host = (request.get_host(), request.get_port())
    host_sites.remember(host, site.pk if site is not None else None, shared)


def site_root_paths() -> list[Any]:
    """Wagtail's ``Site.get_site_root_paths()``, kept in this process until a site or a page
    changes (the ``redirects`` and ``pages`` stamps), instead of a cache read per request."""
    shared = stamps.current()
    found = root_paths.recall("all", shared)
    if found is NOT_REMEMBERED:
        found = _read_root_paths()
        root_paths.remember("all", found, shared)
    return list(found)


logger = logging.getLogger(__name__)


def _read_root_paths() -> list[Any]:
    """Wagtail's root paths: from its cache, or from the database while the cache fails
    (a Redis that is down must cost a query, never the request)."""
    try:
        return list(Site.get_site_root_paths())
    except Exception:  # the cache backend's own errors: redis, pymemcache, OSError...
        logger.warning("Cache unavailable: the sites' root paths are read from the database")
        return _root_paths_from_database()


def _root_paths_from_database() -> list[Any]:
    """The same list as ``Site.get_site_root_paths()`` builds, without its cache: the most
    specific root first, and with languages on, one entry per translation of each root."""
    found: list[Any] = []
    sites = Site.objects.select_related("root_page", "root_page__locale").order_by(
        "-root_page__url_path", "-is_default_site", "hostname"
    )
    for site in sites:
        roots = (
            site.root_page.get_translations(inclusive=True).select_related("locale")
            if conf.i18n_enabled()
            else [site.root_page]
        )
        found.extend(
            SiteRootPath(site.id, root.url_path, site.root_url, root.locale.language_code)
            for root in roots
        )
    return found
