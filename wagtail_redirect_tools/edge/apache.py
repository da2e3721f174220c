"""Apache httpd: ``RedirectMatch`` lines of mod_alias, inside one ``<If>`` on an empty
query string.

mod_alias's ``Redirect /old /new`` matches every path that *begins* with ``/old`` and
carries the rest over (https://httpd.apache.org/docs/2.4/mod/mod_alias.html#redirect),
so an exact path needs ``RedirectMatch`` with an anchored regular expression, matched
against the decoded path, case-sensitively. 410 is ``RedirectMatch gone``; 307 and 308
are numeric statuses, which mod_alias accepts for any 3xx. mod_alias matches the path
only and passes the request's query string on, so the lines answer requests without one
(a query string is for Django's own rules) and a source with a query string is left out.
Inside double quotes httpd reads ``\\\\`` as ``\\`` and ``\\"`` as ``"``, and has no
escape for a newline or any other control character: a decoded newline would end the line
and start a directive of its own. So a source's control characters are written as PCRE
escapes (``\\x0a``), and a target whose decoded path holds one is left out. mod_alias
percent-encodes the target's path itself (``%`` becomes ``%25``), so the path is written
decoded, when encoding it again gives back the same URL; else the line is left out.

Pattern redirects (:mod:`.patterns`) follow the exact lines in the same ``<If>``, most
specific first (mod_alias applies the first ``RedirectMatch`` that matches): the regular
expression nginx's map uses (:func:`.nginx.pattern_regex`, every literal escaped), with
``$1``... in the target for the values matched.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.utils.translation import gettext

from .base import (
    Output,
    decoded_path,
    file_lines,
    has_control,
    header_lines,
    is_path_or_url,
    left_out,
    source_problem,
)
from .entries import EdgeMap, Entry
from .nginx import pattern_problem, pattern_regex, regex_literal
from .patterns import PatternEntry, rendered_patterns, substitute


def quoted(value: str) -> str:
    """``value`` as an httpd double-quoted argument."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# What httpd leaves as it is when it escapes a path (its T_OS_ESCAPE_PATH characters).
HTTPD_PATH_SAFE = "$-_.+!*'(),:;@&=/~"


def mod_alias_target(location: str) -> str | None:
    """``location`` written so that mod_alias, escaping its path, sends ``location`` (up
    to the case of percent-escapes); None when it cannot."""
    parts = urlsplit(location)
    decoded = unquote(parts.path)
    if "?" in decoded or "#" in decoded or urlunsplit(parts) != location:
        return None  # the last: an empty "?" or "#", which httpd does not send
    if quote(decoded, safe=HTTPD_PATH_SAFE).lower() != parts.path.lower():
        return None
    return urlunsplit(parts._replace(path=decoded))


def target_problem(location: str) -> str | None:
    """Why ``location`` cannot be a ``RedirectMatch`` target, or None."""
    if not is_path_or_url(location):
        return gettext("mod_alias reads only a URL or a path from '/' as a target")
    decoded = decoded_path(urlsplit(location).path)
    if decoded is None or has_control(decoded):
        return gettext(
            "the target's path decodes to a control character or to bytes that are not UTF-8"
        )
    return None


def source_pattern(entry: Entry) -> str | None:
    """The anchored regular expression of ``entry``'s decoded path, quoted, or None."""
    decoded = decoded_path(entry.bare_path)
    if decoded is None or "\0" in decoded:
        return None
    return quoted(f"^{regex_literal(decoded)}$")


# Lines inside <If> are applied after httpd maps the path to a file, which fails (403) for
# a segment longer than a file name may be (NAME_MAX) or a path longer than PATH_MAX.
NAME_MAX = 255
PATH_MAX = 4096 - 256  # with room for the DocumentRoot


def too_long_for_files(path: str) -> bool:
    decoded = (decoded_path(path) or "").encode()
    return len(decoded) > PATH_MAX or any(len(part) > NAME_MAX for part in decoded.split(b"/"))


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    lines = [f"# {line}" for line in header_lines(edge_map)]
    lines += [
        "# Include this file in the VirtualHost of the site (mod_alias, enabled by default).",
        "<If \"%{QUERY_STRING} == ''\">",
    ]
    for entry in edge_map.entries:
        if entry.query:
            omitted.append(left_out(entry, gettext("mod_alias cannot match a query string")))
            continue
        problem = source_problem(entry)
        if problem is not None:
            omitted.append(left_out(entry, problem))
            continue
        pattern = source_pattern(entry)
        if pattern is None:
            omitted.append(left_out(entry, gettext("httpd refuses a request for a path with %00")))
            continue
        if too_long_for_files(entry.bare_path):
            omitted.append(
                left_out(entry, gettext("httpd refuses a path with a name too long for a file"))
            )
            continue
        if entry.location is None:
            lines.append(f"    RedirectMatch gone {pattern}")
            continue
        problem = target_problem(entry.location)
        if problem is not None:
            omitted.append(left_out(entry, problem))
            continue
        target = mod_alias_target(entry.location)
        if target is None:
            omitted.append(
                left_out(entry, gettext("mod_alias would escape the target differently"))
            )
            continue
        if "$" in target or "\\" in target:
            omitted.append(
                left_out(entry, gettext("RedirectMatch reads '$' and '\\' in the target"))
            )
            continue
        lines.append(f"    RedirectMatch {entry.status_code} {pattern} {quoted(target)}")
    left = {omission.path for omission in omitted}
    written = {
        decoded_path(line_entry.bare_path) or ""
        for line_entry in edge_map.entries
        if not line_entry.query and line_entry.path not in left
    }
    pattern_lines, unwritten = rendered_patterns(
        edge_map, lambda pattern_entry: pattern_line(pattern_entry, written)
    )
    lines += [f"    {line}" for line in pattern_lines]
    omitted += unwritten
    lines.append("</If>")
    return Output(pieces=file_lines(lines), omitted=omitted)


# A placeholder while the target is checked: letters, which no escaping changes.
_STAND_IN = "wrtplaceholder"


def pattern_line(entry: PatternEntry, written: set[str]) -> tuple[str, str | None]:
    """The ``RedirectMatch`` of a pattern redirect, or why there is none."""
    regex, names = pattern_regex(entry, written)
    problem = pattern_problem(entry, regex, names)
    if problem is not None:
        return "", problem
    if entry.target is None:
        return f"RedirectMatch gone {quoted(regex)}", None
    tokens = {name: f"{_STAND_IN}{index}x" for index, name in enumerate(names, 1)}
    template = substitute(entry.target, tokens)
    problem = target_problem(template)
    if problem is not None:
        return "", problem
    target = mod_alias_target(template)
    if target is None:
        return "", gettext("mod_alias would escape the target differently")
    if "$" in target or "\\" in target:
        return "", gettext("RedirectMatch reads '$' and '\\' in the target")
    for index, _name in enumerate(names, 1):
        target = target.replace(f"{_STAND_IN}{index}x", f"${index}")
    return f"RedirectMatch {entry.status_code} {quoted(regex)} {quoted(target)}", None
