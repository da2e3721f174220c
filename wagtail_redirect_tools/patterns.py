"""Pattern redirects' notation: what a pattern source means, and how a target is filled.

A pattern redirect's source is stored in core's ``Redirect.old_path`` in the notation
Netlify, Next.js and Vercel users know, and its ``RedirectDetails.is_pattern`` says so:

- ``/old-section/*``: the path ``/old-section`` and everything under it. The rest of the
  path (``some/page/`` for ``/old-section/some/page/``) is the placeholder ``:splat``.
- ``/news/:year/:slug``: named segments, each matching exactly one path segment.
- Both: ``/shop/:category/*``.

A target may use the source's placeholders in its path and query (``/new-section/:splat``,
``https://example.com/blog/:slug``); never in a scheme or host name.

Matching is segment by segment, with no regular expressions: its cost is linear in the
length of the path whatever the editors store. Segments compare exactly (case matters,
as for exact redirects); a trailing slash is optional, as core's exact matching treats it.

Pure functions and values: nothing here reads the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext_lazy as _

__all__ = [
    "SPLAT",
    "Pattern",
    "PatternError",
    "check_target",
    "examples",
    "fill",
    "is_pattern_source",
    "parse",
    "placeholders_in",
]

#: The placeholder for the rest of the path matched by a final ``*``.
SPLAT = "splat"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# A placeholder in a target: ``:name`` not followed by more of a name.
_PLACEHOLDER = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")


class PatternError(ValueError):
    """A source or target that is not valid pattern notation; ``str()`` says why."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed pattern source.

    ``segments`` are the segments before any final ``*``: a literal segment is its text,
    a named one is ``":name"``. ``splat`` says the source ends with ``*``.
    """

    source: str
    segments: tuple[str, ...]
    splat: bool

    @property
    def canonical(self) -> str:
        """The source as stored, whoever wrote it (the form, the import): no trailing
        slash, ``/*`` last, so one pattern is one stored path."""
        path = "/" + "/".join(self.segments)
        return path.rstrip("/") + "/*" if self.splat else path

    @property
    def names(self) -> tuple[str, ...]:
        """The placeholders the source defines, in order (``splat`` last)."""
        named = tuple(segment[1:] for segment in self.segments if segment.startswith(":"))
        return named + ((SPLAT,) if self.splat else ())

    @property
    def literal_segments(self) -> tuple[str, ...]:
        """The literal segments before the first placeholder (the literal prefix)."""
        literal: list[str] = []
        for segment in self.segments:
            if segment.startswith(":"):
                break
            literal.append(segment)
        return tuple(literal)

    @property
    def literal_prefix(self) -> str:
        """The path every matched path starts with: ``/old-section`` for ``/old-section/*``."""
        return "/" + "/".join(self.literal_segments)

    @property
    def is_prefix(self) -> bool:
        """Whether this is "a path and everything under it" (only literals, then ``*``)."""
        return self.splat and len(self.literal_segments) == len(self.segments)

    def match(self, path: str) -> dict[str, str] | None:
        """The placeholders' values when ``path`` (starting with ``/``, no query string)
        matches, else None."""
        if not path.startswith("/"):
            return None
        parts = path[1:].split("/")
        trailing_slash = len(parts) > 1 and parts[-1] == ""
        captured: dict[str, str] = {}
        count = len(self.segments)
        for position, segment in enumerate(self.segments):
            if position >= len(parts) or (trailing_slash and position == len(parts) - 1):
                return None
            value = parts[position]
            if segment.startswith(":"):
                if not value:
                    return None
                captured[segment[1:]] = value
            elif value != segment:
                return None
        rest = parts[count:]
        if self.splat:
            captured[SPLAT] = "/".join(rest)
            return captured
        if not rest or rest == [""]:
            return captured
        return None


def is_pattern_source(source: str) -> bool:
    """Whether ``source`` uses pattern notation (a final ``*`` or a ``:name`` segment)."""
    path = source.split("?", 1)[0]
    segments = path.split("/")
    return segments[-1] == "*" or any(
        segment.startswith(":") and _NAME.match(segment[1:]) for segment in segments
    )


def parse(source: str) -> Pattern:
    """The pattern ``source`` means; :class:`PatternError` when it is not valid notation."""
    if not source.startswith("/"):
        raise PatternError(_("A pattern must start with a slash (/)."))
    if "?" in source or "#" in source:
        raise PatternError(
            _(
                "A pattern matches paths only: leave out the query string (?…) and the "
                "fragment (#…)."
            )
        )
    parts = source[1:].split("/")
    splat = parts[-1] == "*"
    # A final "*", or the optional trailing slash of "/news/:slug/" (only one: "/old//*"
    # keeps its empty segment, and is refused).
    if splat or parts[-1] == "":
        parts = parts[:-1]
    names: set[str] = set()
    for segment in parts:
        if segment == "":
            raise PatternError(_("A pattern cannot contain an empty segment (//)."))
        if "*" in segment:
            raise PatternError(_("A * may only be the last segment of a pattern (/old-section/*)."))
        if segment.startswith(":"):
            name = segment[1:]
            if not _NAME.match(name):
                raise PatternError(
                    _(
                        "“%(segment)s” is not a placeholder: a name is letters, digits and "
                        "underscores, not starting with a digit (:slug)."
                    )
                    % {"segment": segment}
                )
            if name == SPLAT:
                raise PatternError(_(":splat is the rest of the path matched by a final *."))
            if name in names:
                raise PatternError(_("The placeholder :%(name)s appears twice.") % {"name": name})
            names.add(name)
    if not splat and not names:
        raise PatternError(
            _("This pattern has no placeholder and no final *: it is an exact path.")
        )
    return Pattern(source=source, segments=tuple(parts), splat=splat)


def placeholders_in(target: str) -> list[str]:
    """The placeholders a target uses, in order."""
    return _PLACEHOLDER.findall(_fillable_part(target)[1])


def check_target(pattern: Pattern, target: str) -> None:
    """:class:`PatternError` when ``target`` is neither a path (``/…``) nor a full URL
    (``https://host/…``), uses a placeholder in its host name (also of a protocol-relative
    ``//host`` target: a visitor's path must never choose the host they are sent to), one
    ``pattern`` does not define, or leads under the pattern itself, to ever longer URLs."""
    parts = urlsplit(target)
    if not (parts.netloc or target.startswith("/")):
        # ":splat" alone could become "https:/evil.com", which browsers follow off-site.
        raise PatternError(
            _("A pattern's target must be a path (/new-section/:splat) or a full URL.")
        )
    if _PLACEHOLDER.search(parts.netloc):
        raise PatternError(
            _("A placeholder may only be used in the target's path, not in its host name.")
        )
    unknown = [
        name
        for name in _PLACEHOLDER.findall(_fillable_part(target)[1])
        if name not in pattern.names
    ]
    if unknown:
        raise PatternError(
            _("The target uses :%(name)s, which the source does not define.") % {"name": unknown[0]}
        )
    if not parts.netloc and _grows(pattern, target):
        raise PatternError(
            _(
                "The target lies under the pattern itself: each redirect would lead to a "
                "longer URL that the pattern redirects again."
            )
        )


def _grows(pattern: Pattern, target: str) -> bool:
    """Whether a path ``pattern`` matches leads to a longer path it matches again (an
    endless chain: ``/old/*`` to ``/old/new/:splat``). The same length is not refused:
    that path is a live page, or the loop is caught when it is requested. Nor is a fixed
    target (no placeholder): it is one path, which a page or an exact redirect may answer
    first (the import checks that)."""
    if not placeholders_in(target):
        return False
    for example in examples(pattern):
        captured = pattern.match(example)
        if captured is None:
            continue
        filled = fill(target, captured).split("?", 1)[0].split("#", 1)[0]
        if len(filled.rstrip("/")) > len(example.rstrip("/")) and pattern.match(filled):
            return True
    return False


def fill(target: str, captured: dict[str, str]) -> str:
    """``target`` with its placeholders replaced by the matched values, each encoded for a
    URL (a splat keeps its slashes). A relative target never becomes protocol-relative
    (``//host``): repeated slashes in the path are folded into one."""
    head, tail = _fillable_part(target)

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in captured:
            return match.group(0)
        # The values are parts of a requested path, percent-encoded already (``%20``,
        # ``%3F``): "%" stays, so nothing is encoded twice; what a URL cannot hold as is
        # (text in other scripts, from the decoded form) is encoded.
        return quote(captured[name], safe="/%" if name == SPLAT else "%")

    filled = _PLACEHOLDER.sub(value, tail)
    cut = min((i for i in (filled.find("?"), filled.find("#")) if i >= 0), default=len(filled))
    # An empty splat leaves "/new//"; a relative target must not become "//host".
    return head + re.sub(r"/{2,}", "/", filled[:cut]) + filled[cut:]


def _fillable_part(target: str) -> tuple[str, str]:
    """``target`` split into what is never filled (the scheme and host of an absolute or
    protocol-relative URL) and the rest (its path, query and fragment)."""
    parts = urlsplit(target)
    if parts.netloc:
        end = len(parts.scheme) + len(":" if parts.scheme else "") + 2 + len(parts.netloc)
        return target[:end], target[end:]
    return "", target


def examples(pattern: Pattern, count: int = 3) -> list[str]:
    """``count`` example paths ``pattern`` matches, for the admin form."""
    words = ["example", "2019", "another-page", "hello-world"]
    rests = ["", "some/page/", "a/b/c"]
    found = []
    for sample in range(count):
        parts = []
        for position, segment in enumerate(pattern.segments):
            named = segment.startswith(":")
            parts.append(words[(sample + position) % len(words)] if named else segment)
        path = "/" + "/".join(parts)
        rest = rests[sample % len(rests)]
        if pattern.splat and rest:
            path = path.rstrip("/") + "/" + rest
        found.append(path)
    return found
