"""One edge export, as the command and the admin make it: which sites, the file, and what
it leaves out."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wagtail.models import Site

from ..importing.widgets import SiteWidget
from . import EDGE_FORMATS, MULTI_SITE_FORMATS, Omission, build_map, next_change_text


@dataclass(frozen=True, kw_only=True)
class EdgeExport:
    """A rendered map: the file's text (made as it is read) and name, the paths written
    and those left out, and when the map changes next."""

    pieces: Callable[[], Iterable[str]]  # the file's text a piece at a time (Output.pieces)
    filename: str
    content_type: str
    written: int
    omitted: list[Omission]
    next_change: str  # the sentence the file and the command say, in English
    changes_at: datetime.datetime | None  # when the map changes next (the admin says it)

    @property
    def content(self) -> str:
        return "".join(self.pieces())


def sites_for(site: str | Site | None, file_format: str) -> list[Site]:
    """The sites an export covers: the one named (hostname[:port], display name or id, as
    the import accepts), else every site, which only formats that name the host in each
    line can hold. ``ValueError`` says what to choose."""
    sites = list(Site.objects.order_by("hostname", "port"))
    if isinstance(site, Site):
        return [site]
    if site:
        found = SiteWidget(sites).clean(site)
        if found is None:
            raise ValueError("Give a site's hostname[:port].")
        return [found]
    if len(sites) > 1 and file_format not in MULTI_SITE_FORMATS:
        names = ", ".join(f"{each.hostname}:{each.port}" for each in sites)
        raise ValueError(f"There are several sites ({names}): choose one.")
    return sites


def export_map(file_format: str, sites: list[Site]) -> EdgeExport:
    """What ``sites`` answer now, in ``file_format`` (a key of ``EDGE_FORMATS``)."""
    edge_format = EDGE_FORMATS[file_format]
    edge_map = build_map(sites)
    output = edge_format.render(edge_map)
    return EdgeExport(
        pieces=output.pieces,
        filename=edge_format.filename,
        content_type=edge_format.content_type,
        written=len(edge_map.entries) + len(edge_map.patterns) - len(output.omitted),
        omitted=[*edge_map.omitted, *output.omitted],
        next_change=next_change_text(edge_map),
        changes_at=edge_map.next_change,
    )
