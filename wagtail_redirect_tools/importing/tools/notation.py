"""Other tools' ways of writing a redirect of many paths, read into our pattern notation
(:mod:`wagtail_redirect_tools.patterns`), or refused with the reason.

- A regular expression (Apache's ``RedirectMatch``, WordPress Redirection's and other
  plugins' regex rows) only when it is a literal prefix ending with ``/`` followed by
  ``(.*)``: ``^/old/(.*)$`` is ``/old/*``, and ``$1`` in its target is ``:splat``
  (``^old/(.*)`` too: Yoast SEO and Rank Math match the path without its first slash). Any
  other expression could match in ways segments cannot say (and matching it would cost
  what the expression costs), so it is refused.
- Vercel's ``source`` (path-to-regexp): ``:name`` segments, and ``:name*`` as the last
  segment, which is our final ``*`` (its name in the target becomes ``:splat``).
- Squarespace's URL mappings: ``[name]`` segments, in the source and the target.

Each reader returns ``(source, target)`` in our notation or raises
:class:`~wagtail_redirect_tools.patterns.PatternError`; the pattern itself is checked
by the planner with :func:`~wagtail_redirect_tools.patterns.parse`.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ...patterns import SPLAT, PatternError

# What a regular expression escapes to mean the character itself.
_ESCAPABLE = frozenset("./-_~!$&'()*+,;=:@%[]{}?^|\\")
_METACHARACTERS = frozenset(".^$*+?()[]{}|")
_GROUP = "(.*)"
_BACKREFERENCE = re.compile(r"\$(\d+)|\\(\d)")
_VERCEL_NAME = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)([*+?]?)")
_VERCEL_SEGMENT = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)(\*?)\Z")
_SQUARESPACE = re.compile(r"\[([^\]/]*)\]")


def from_regex(regex: str, target: str) -> tuple[str, str]:
    """``^/literal/(.*)$`` and its target, ``$1`` read as ``:splat``."""
    refused = _(
        "A regular expression other than a literal prefix followed by (.*) cannot be "
        "imported (^/old-section/(.*) is): %(reason)s"
    )
    body = regex.removeprefix("^")
    if body == regex:
        raise PatternError(refused % {"reason": _("it does not start with ^ (anchored).")})
    body = body.removesuffix("$")
    if not body.endswith(_GROUP):
        raise PatternError(refused % {"reason": _("it does not end with (.*).")})
    literal = _literal(body[: -len(_GROUP)])
    if literal is None:
        raise PatternError(
            refused % {"reason": _("its prefix holds more than literal characters.")}
        )
    if not literal.endswith("/"):
        raise PatternError(refused % {"reason": _("its prefix does not end with a slash (/).")})
    if any(segment.startswith(":") for segment in literal.split("/")):
        raise PatternError(
            refused % {"reason": _("a segment of its prefix starts with a colon (:).")}
        )
    for found in _BACKREFERENCE.finditer(target):
        if (found.group(1) or found.group(2)) != "1":
            raise PatternError(
                refused % {"reason": _("its target uses %(group)s.") % {"group": found.group(0)}}
            )
    # Yoast SEO and Rank Math match the path without its leading slash.
    source = literal if literal.startswith("/") else "/" + literal
    return source + "*", _BACKREFERENCE.sub(":" + SPLAT, target)


def _literal(text: str) -> str | None:
    """The characters ``text`` matches when it is a literal (escapes undone), else None."""
    found = []
    characters = iter(text)
    for character in characters:
        if character == "\\":
            escaped = next(characters, "")
            if escaped not in _ESCAPABLE:
                return None  # \d, \w, \s… or a trailing backslash
            found.append(escaped)
        elif character in _METACHARACTERS:
            return None
        else:
            found.append(character)
    return "".join(found)


def from_vercel(source: str, destination: str) -> tuple[str, str]:
    """Vercel's (and Next.js's) ``:name`` and final ``:name*`` in our notation."""
    segments = source.split("/")
    splat_name = None
    for position, segment in enumerate(segments):
        if not any(mark in segment for mark in ":*+?()"):
            continue
        found = _VERCEL_SEGMENT.match(segment)
        if found is None:
            raise PatternError(
                _(
                    "“%(segment)s” cannot be imported: only :name segments and a final "
                    ":name* are (no regular expressions, :name+ or :name?)."
                )
                % {"segment": segment[:80]}
            )
        if found.group(2):
            if position != len(segments) - 1:
                raise PatternError(
                    _("%(segment)s may only be the last segment.") % {"segment": segment}
                )
            splat_name = found.group(1)
            segments[position] = "*"

    def rename(match: re.Match[str]) -> str:
        if splat_name is not None and match.group(1) == splat_name:
            return ":" + SPLAT
        if match.group(2):
            raise PatternError(
                _("The destination uses %(name)s, which the source does not end with.")
                % {"name": match.group(0)}
            )
        return match.group(0)

    return "/".join(segments), _VERCEL_NAME.sub(rename, destination)


def from_squarespace(source: str, target: str) -> tuple[str, str]:
    """Squarespace's ``[name]`` segments as ``:name``."""
    for segment in source.split("/"):
        if "[" in segment and _SQUARESPACE.fullmatch(segment) is None:
            raise PatternError(
                _("“%(segment)s” cannot be imported: a [name] must be a whole segment.")
                % {"segment": segment[:80]}
            )
    return _SQUARESPACE.sub(r":\1", source), _SQUARESPACE.sub(r":\1", target)
