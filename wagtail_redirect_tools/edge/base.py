"""What every edge format shares: its output, its header comment, and escaping."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from django.utils.translation import gettext, gettext_lazy

from .entries import EdgeMap, Entry, Omission, printable

# Characters left as they are in an encoded path: RFC 3986's path characters and "%"
# (a path stored with a percent-escape keeps it). Spaces, quotes, "#", "<>", "{}" and
# every non-ASCII character are percent-encoded (UTF-8).
PATH_SAFE = "/%!$&'()*+,;=:@~-._"
# Characters no line of a configuration file may hold as they are: ASCII control
# characters (a newline or CR ends the line; NUL ends the string for C code).
ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, kw_only=True)
class Output:
    """A rendered file, and what the format could not say (listed to the user).

    ``pieces()`` gives the file's text a piece at a time, anew at each call: a writer that
    streams (the command) never holds the whole text, hundreds of MB for a million
    redirects. ``content`` is the whole text."""

    pieces: Callable[[], Iterable[str]]
    omitted: list[Omission] = field(default_factory=list)

    @classmethod
    def of_text(cls, content: str, omitted: list[Omission]) -> Output:
        return cls(pieces=lambda: (content,), omitted=omitted)

    @property
    def content(self) -> str:
        return "".join(self.pieces())


@dataclass(frozen=True, kw_only=True)
class EdgeFormat:
    """One web server's or CDN's format: its name, a file name and media type for a
    download, and the function that writes an :class:`EdgeMap` in it."""

    name: str
    filename: str
    content_type: str
    render: Callable[[EdgeMap], Output]


#: About how many characters a writer of an output takes at once (:func:`joined_pieces`).
PIECE_SIZE = 1 << 16


def joined_pieces(pieces: Iterable[str], size: int = PIECE_SIZE) -> Iterator[str]:
    """``pieces`` joined into pieces of about ``size`` characters: a format gives a piece
    per line, which is too small a write for a response (each is a chunk on the wire)."""
    held: list[str] = []
    count = 0
    for piece in pieces:
        held.append(piece)
        count += len(piece)
        if count >= size:
            yield "".join(held)
            held, count = [], 0
    if held:
        yield "".join(held)


def file_lines(lines: list[str]) -> Callable[[], Iterator[str]]:
    """The pieces of a file of ``lines``: each line ended by a newline."""
    return lambda: (line + "\n" for line in lines)


def encoded_path(path: str) -> str:
    """``path`` (an IRI path, no query) percent-encoded as a browser sends it."""
    return quote(path, safe=PATH_SAFE)


def decoded_path(path: str) -> str | None:
    """``path`` percent-decoded as a server decodes a request's path (UTF-8), or None
    when the decoded bytes are not UTF-8 (a server compares bytes this text cannot say)."""
    try:
        return unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None


def has_control(text: str) -> bool:
    return ASCII_CONTROL.search(text) is not None


def normalised_by_servers(path: str) -> bool:
    """True when servers match ``path`` (decoded) as another path: they merge ``//`` and
    resolve ``.`` and ``..`` segments before matching, so no request reaches it as is."""
    segments = path.split("/")[1:]
    inner = segments[:-1]  # a trailing slash leaves one empty last segment
    return any(segment in ("", ".", "..") for segment in inner) or segments[-1:] in (
        ["."],
        [".."],
    )


def source_problem(entry: Entry) -> str | None:
    """Why no server can match ``entry``'s path exactly (the same for every format), or
    None."""
    decoded = decoded_path(entry.bare_path)
    if decoded is None:
        return gettext("its path is not UTF-8 once decoded")
    if normalised_by_servers(decoded):
        return gettext("servers merge '//' and resolve '.' and '..' before matching")
    return None


def query_string_paths(edge_map: EdgeMap) -> set[str]:
    """The paths some source with a query string answers too. A format that matches the
    path whatever the query string leaves their bare entry out: Django answers such a
    request by its query string first."""
    return {entry.bare_path for entry in edge_map.entries if entry.query}


QUERY_STRING_SOURCE = gettext_lazy(
    "a source with a query string shares this path, and this format cannot tell them apart"
)


def is_path_or_url(location: str) -> bool:
    """True for an absolute URL (scheme and host) or a path from the root (one ``/``):
    what every server reads as Django means it. A relative reference or ``//host/...``
    is read differently by each."""
    parts = urlsplit(location)
    if parts.scheme:
        return bool(parts.netloc)
    return location.startswith("/") and not location.startswith("//")


def next_change_text(edge_map: EdgeMap) -> str:
    """When the map changes next, for a deploy hook to regenerate it then."""
    if edge_map.next_change is None:
        return "Next change: none scheduled (regenerate when redirects change)."
    moment = edge_map.next_change.astimezone(datetime.UTC).isoformat()
    return f"Next change: {moment} (a scheduled redirect starts or ends; regenerate then)."


def header_lines(edge_map: EdgeMap) -> list[str]:
    """The lines a format with comments starts with (without its comment marker)."""
    # A site's hostname is not validated by Wagtail: kept on the comment's line.
    hosts = ", ".join(f"{printable(site.hostname)}:{site.port}" for site in edge_map.sites)
    generated = edge_map.now.astimezone(datetime.UTC).isoformat()
    return [
        f"Redirects of {hosts}, written by wagtail-redirect-tools' redirects_export "
        f"at {generated}.",
        next_change_text(edge_map),
    ]


def left_out(entry: Entry, reason: str) -> Omission:
    return Omission(site=entry.site, path=entry.path, reason=reason)
