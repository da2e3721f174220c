"""What every edge format shares: its output, its header comment, and escaping."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from .entries import EdgeMap, Entry, Omission

# Characters left as they are in an encoded path: RFC 3986's path characters and "%"
# (a path stored with a percent-escape keeps it). Spaces, quotes, "#", "<>", "{}" and
# every non-ASCII character are percent-encoded (UTF-8).
PATH_SAFE = "/%!$&'()*+,;=:@~-._"


@dataclass(frozen=True, kw_only=True)
class Output:
    """A rendered file, and what the format could not say (listed to the user)."""

    content: str
    omitted: list[Omission] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class EdgeFormat:
    """One web server's or CDN's format: its name, a file name and media type for a
    download, and the function that writes an :class:`EdgeMap` in it."""

    name: str
    filename: str
    content_type: str
    render: Callable[[EdgeMap], Output]


def encoded_path(path: str) -> str:
    """``path`` (an IRI path, no query) percent-encoded as a browser sends it."""
    return quote(path, safe=PATH_SAFE)


def next_change_text(edge_map: EdgeMap) -> str:
    """When the map changes next, for a deploy hook to regenerate it then."""
    if edge_map.next_change is None:
        return "Next change: none scheduled (regenerate when redirects change)."
    moment = edge_map.next_change.astimezone(datetime.UTC).isoformat()
    return f"Next change: {moment} (a scheduled redirect starts or ends; regenerate then)."


def header_lines(edge_map: EdgeMap) -> list[str]:
    """The lines a format with comments starts with (without its comment marker)."""
    hosts = ", ".join(f"{site.hostname}:{site.port}" for site in edge_map.sites)
    generated = edge_map.now.astimezone(datetime.UTC).isoformat()
    return [
        f"Redirects of {hosts}, written by wagtail-redirect-tools' redirects_export "
        f"at {generated}.",
        next_change_text(edge_map),
    ]


def left_out(entry: Entry, reason: str) -> Omission:
    return Omission(site=entry.site, path=entry.path, reason=reason)
