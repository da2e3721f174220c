"""What :func:`~wagtail_redirect_tools.resolution.resolve` reads from the database for each
path, read once for a whole edge export; and the plain paths answered from it directly.

Asked for one path at a time, ``resolve()`` costs a redirect query and Wagtail's routing
(a query per path component): about 1.6 ms a path, minutes for 100,000 redirects. An
export asks for every stored path, so :class:`BulkLookups` reads the redirects (with
their details and target pages), every page's ``url_path`` and the window index once.

Two speeds, one set of rules:

- :meth:`BulkLookups.answer` answers a *plain* path at once: one whose form is the stored
  path as it is (ASCII letters, digits, ``/``, ``-``, ``_``, ``.``, ``~``; no query
  string, already normalised) with a redirect stored at it, on a site without
  ``WAGTAIL_I18N_ENABLED``, with no window at the path, on the page served there or on
  the page at the path plus "/". For such a
  path core's candidate forms are the stored path alone, so the answer is the URLconf's
  (:mod:`.urlconf`), the page at the path (found in the pages read), core's choice among
  the rows stored at it
  (:func:`~wagtail_redirect_tools.resolution.core_redirects.match_exactly`) and
  :func:`~wagtail_redirect_tools.resolution.resolver.of_redirect`: the resolver's own
  functions, each asked as ``resolve()`` asks it.
- Any other path (a query string, non-ASCII or encoded characters, a window near it,
  ``WAGTAIL_I18N_ENABLED``, a page whose class routes itself) is asked of ``resolve()``
  itself, with :meth:`BulkLookups.route` and :meth:`BulkLookups.find_redirect` in place of
  its two database lookups. :meth:`BulkLookups.route` routes as Wagtail does, for that
  path only, where the pages read cannot say: with ``WAGTAIL_I18N_ENABLED`` (each
  language's root page), through a page whose class routes itself (``RoutablePageMixin``,
  any own ``route()``), and on MySQL and MariaDB where a path differs from a page's only
  by case or accents (their collations match slugs so).

``build_map(..., exact=True)`` asks every path of ``resolve()`` with its own queries, and
tests/test_edge_bulk.py checks that each format's file is the same byte for byte.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Model, Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.http import HttpRequest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .. import conf
from ..resolution import stamps
from ..resolution.core_redirects import (
    REDIRECT_FIELDS,
    RedirectMatch,
    Row,
    look_up,
    match_exactly,
    with_translation,
)
from ..resolution.resolver import ANOTHER_VIEW, of_redirect, request_for, served_page
from ..resolution.result import NOTHING, Resolution
from ..resolution.window_index import current_index
from .urlconf import UrlconfPaths


class Node(NamedTuple):
    """A page by its ``url_path``: enough to route through it and to serve it."""

    page_id: int
    live: bool
    routes_itself: bool
    url_path: str


class Unsure(Exception):
    """The pages read cannot say where Wagtail routes a path."""


# Redirect's columns, then our details' status code and every-language flag.
ROW_COLUMNS = (*REDIRECT_FIELDS, "details__status_code", "details__every_language")

# A request path that is its own only candidate form (see the module docstring).
PLAIN = re.compile(r"/[A-Za-z0-9_.~/-]*\Z")


class BulkLookups:
    """The redirects of ``sites`` (and those for all sites) by ``old_path``, their target
    pages, every page by ``url_path``, and the windows not expired at ``now``."""

    def __init__(self, sites: list[Site], now: datetime.datetime) -> None:
        applies = Q(site__in=sites) | Q(site__isnull=True)
        # Rows by old_path: a tuple of rows (mostly one), lighter than a list each.
        self._rows: dict[str, tuple[tuple[Any, ...], ...]] = {}
        # A pattern redirect's row never answers its own source (``/old/*``) as a path.
        exact = Redirect.objects.filter(applies).exclude(details__is_pattern=True)
        found = exact.order_by("pk").values_list(*ROW_COLUMNS)
        for values in found.iterator(chunk_size=10_000):
            self._rows[values[1]] = (*self._rows.get(values[1], ()), values)
        targets = Redirect.objects.filter(applies).values("redirect_page_id")
        self._pages = {page.pk: page for page in Page.objects.filter(pk__in=targets)}
        self._nodes = self._read_nodes()
        # MySQL's and MariaDB's default collations match a slug regardless of case and accents.
        self._folded = (
            {url.casefold() for url in self._nodes}
            if connections[Page.objects.db].vendor == "mysql"
            else None
        )
        self._database = Redirect.objects.db
        self._bare_init = Redirect.__init__ is Model.__init__ and not any(
            signal.has_listeners(Redirect) for signal in (pre_init, post_init)
        )
        index = current_index(now)
        self._window_paths = set(index.by_path)
        self._window_pages = set(index.by_page)
        # Each tail of the URLs of windows' pages ("b/" and "a/b/" of "/home/a/b/"): a path
        # whose "/"-ended form is one may have such a page's window (asked of resolve()).
        self._window_tails = {
            url_path[start + 1 :]
            for url_path in index.page_by_url_path
            for start in (match.start() for match in re.finditer("/", url_path))
        }
        self._plain = not conf.i18n_enabled()
        self._urls = UrlconfPaths()
        self._requests: dict[int, HttpRequest] = {}
        self._last: tuple[int, str, tuple[RedirectMatch | None] | None] | None = None
        self._redirect_answer: tuple[RedirectMatch, Resolution] | None = None

    @staticmethod
    def _read_nodes() -> dict[str, Node]:
        routes_itself: dict[int, bool] = {}

        def own_route(content_type_id: int) -> bool:
            if content_type_id not in routes_itself:
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                routes_itself[content_type_id] = model is None or (
                    getattr(model, "route", None) is not Page.route
                )
            return routes_itself[content_type_id]

        pages = Page.objects.values_list("url_path", "pk", "live", "content_type_id")
        return {
            url: Node(pk, live, own_route(content_type), url)
            for url, pk, live, content_type in pages.iterator(chunk_size=10_000)
        }

    # -- resolve()'s two database lookups, from memory ----------------------------------

    def rows(self, paths: list[str], site_id: int | None) -> list[Row]:
        """What ``core_redirects``' query returns for ``paths``: the redirects stored at
        one of them for ``site_id`` or all sites (any site when None), in id order."""
        found = [
            values
            for path in dict.fromkeys(paths)
            for values in self._rows.get(path, ())
            if site_id is None or values[2] in (site_id, None)
        ]
        rows: list[Row] = []
        for values in sorted(found, key=lambda values: values[0]):
            redirect = self._redirect(values)
            page_id = values[4]
            if page_id is not None and page_id in self._pages:
                redirect.redirect_page = self._pages[page_id]
            rows.append((redirect, values[-2], bool(values[-1])))
        return rows

    def _redirect(self, values: tuple[Any, ...]) -> Redirect:
        """``Redirect.from_db()`` of a row's first columns (``REDIRECT_FIELDS``). Where
        the model's ``__init__`` is Django's and no receiver listens to its signals, it
        only sets each column's attribute: set here directly (once a path, it was a
        fifth of the bulk lookups' time)."""
        if not self._bare_init:
            fields = list(values[: len(REDIRECT_FIELDS)])
            return Redirect.from_db(self._database, REDIRECT_FIELDS, fields)
        redirect = Redirect.__new__(Redirect)
        redirect._state = ModelState()
        redirect._state.adding = False
        redirect._state.db = self._database
        redirect.__dict__.update(zip(REDIRECT_FIELDS, values, strict=False))
        return redirect

    def find_redirect(self, request: HttpRequest) -> RedirectMatch | None:
        """``find_core_redirect(request)``, from the redirects read (nothing remembered:
        each path is asked once)."""
        match = look_up(request, self.rows)
        if match is not None and match.language is not None:
            match = with_translation(match, stamps.current())
        return match

    def route(self, request: HttpRequest, path: str) -> Any:
        """``Page.route_for_request(request, path)``, from the pages read: the live page
        at the path (as a route result), or None (Wagtail's 404); routed by Wagtail
        where the pages read cannot say."""
        try:
            return self._sure_route(request, path)
        except Unsure:
            return Page.route_for_request(request, path)

    def _sure_route(self, request: HttpRequest, path: str) -> Any:
        site = getattr(request, "_wagtail_site", None)
        if site is None or not self._plain:
            raise Unsure
        node = self._nodes.get(site.root_page.url_path)
        if node is None or node.routes_itself:
            raise Unsure
        url = node.url_path
        for component in path.split("/"):
            if not component:
                continue
            url += component + "/"
            found = self._nodes.get(url)
            if found is None:
                if self._folded is not None and url.casefold() in self._folded:
                    raise Unsure
                return None  # no child with that slug: Wagtail's Http404
            if found.routes_itself:
                raise Unsure
            node = found
        if not node.live:
            return None  # Wagtail's route() raises Http404 for a page not live
        page = Page.from_db(
            self._database, ["id", "live", "url_path"], [node.page_id, True, node.url_path]
        )
        return (page, [], {})

    # -- plain paths, answered at once ---------------------------------------------------

    def answer(self, site: Site, stored: str, form: str) -> Resolution | None:
        """What ``resolve(site, form)`` answers, for ``form`` (a request path that
        normalises to the ``stored`` path); None when ``form`` is not plain (see the
        module docstring): ``resolve()`` answers it."""
        if not self._plain or not PLAIN.match(form):
            return None
        stored_match = self._stored(site, stored)
        if stored_match is None:
            return None
        if not form.endswith("/") and form.lstrip("/") + "/" in self._window_tails:
            return None
        request = self._requests.get(site.pk)
        if request is None:
            request = self._requests[site.pk] = request_for(site, "/")
        request.path = request.path_info = form
        try:
            page = served_page(request, self._sure_route, self._urls.resolve)
        except Unsure:
            return None
        if page is ANOTHER_VIEW:
            return NOTHING
        if isinstance(page, Page):
            if page.pk in self._window_pages:
                return None
            return Resolution(kind="none", page=page)
        match = stored_match[0]
        if match is None:
            return None  # no exact redirect here: resolve() knows what else may answer
        # The redirect's answer is the same for both forms of the path: its location does
        # not depend on the request, and points_at_request() compares paths without their
        # final slash (and a plain form has no query string). So it is made once.
        if self._redirect_answer is None or self._redirect_answer[0] is not match:
            self._redirect_answer = (match, of_redirect(request, match) or NOTHING)
        return self._redirect_answer[1]

    def _stored(self, site: Site, stored: str) -> tuple[RedirectMatch | None] | None:
        """Core's match for ``stored`` on ``site`` (made once for both of its forms), or
        None when ``stored`` is not plain: not normalised, ``/``, or a window's path."""
        if self._last is None or self._last[:2] != (site.pk, stored):
            plain = (
                stored != "/"
                and stored not in self._window_paths
                # Normalised: for a plain path, Redirect.normalise_path() only drops a
                # final "/" (a leading "//" would be read as a host).
                and PLAIN.match(stored) is not None
                and not stored.endswith("/")
                and not stored.startswith("//")
            )
            found = (match_exactly(self.rows([stored], site.pk), site.pk),) if plain else None
            self._last = (site.pk, stored, found)
        return self._last[2]
