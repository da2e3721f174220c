"""nginx: ``map`` blocks (``http`` context) and a fixed ``server`` snippet that returns them.

nginx's ``map`` compares strings ignoring case (https://nginx.org/r/map), and Django's
paths are case-sensitive. So the first map finds an entry by the request's ``$uri`` and
query string (``$is_args$uri$is_args$args``: a leading ``?`` marks a query string, as a
decoded path may hold ``?`` itself), and its value repeats the key exactly; the maps by
status then answer only when the request is spelled exactly like the key (a regular
expression with a back-reference). ``$uri`` is the decoded path, so keys are written
decoded, quoted, with ``\\`` and ``"`` escaped; one that decodes to a control character or
``$`` is left out. ``return`` needs a literal code, hence one map and one ``if``
per status (``if`` with ``return`` is safe in a ``server`` block). A request with any other
query string than a key's matches nothing here and goes on to Django, which applies its
own fallbacks.

Pattern redirects (:mod:`.patterns`) are a second map on ``$is_args$uri``: one
case-sensitive regular expression each, most specific first (nginx tries a map's regular
expressions in order), answered by the snippet's lines after the exact ones, so an exact
path always wins. Each expression is built by :func:`pattern_regex`: every literal
escaped, the paths the edge leaves to Django excluded ahead of it, and only requests with
no query string (``$is_args`` is empty).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from urllib.parse import unquote

from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from .. import patterns
from .base import Output, has_control, header_lines, left_out, source_problem
from .entries import EdgeMap, Entry, Omission
from .patterns import PatternEntry, filled_problem, rendered_patterns, substitute

STATUS_VARIABLES = {
    301: "$wrt_redirect_301",
    302: "$wrt_redirect_302",
    307: "$wrt_redirect_307",
    308: "$wrt_redirect_308",
    410: "$wrt_gone",
}
PATTERN_VARIABLES = {
    301: "$wrt_pattern_301",
    302: "$wrt_pattern_302",
    307: "$wrt_pattern_307",
    308: "$wrt_pattern_308",
    410: "$wrt_pattern_gone",
}
# Between the fields of an entry's value, written as a tab inside the quotes; no key or
# location holds one (the package refuses control characters in paths and targets, and
# any that has one is left out).
SEPARATOR = "\t"

#: What a ``server`` block includes (or pastes) to answer with the maps.
SERVER_SNIPPET = "\n".join(
    [
        "# Answer the redirects of wrt-redirects.conf (in the http block) from here.",
        "# Locations stay relative, as Django sends them.",
        "absolute_redirect off;",
        *(
            f"if ({variable}) {{ return {code} {variable}; }}"
            for code, variable in STATUS_VARIABLES.items()
            if code != 410
        ),
        "if ($wrt_gone) { return 410; }",
        *(
            f"if ({variable}) {{ return {code} {variable}; }}"
            for code, variable in PATTERN_VARIABLES.items()
            if code != 410
        ),
        "if ($wrt_pattern_gone) { return 410; }",
        "",
    ]
)


def quoted(value: str) -> str:
    """``value`` as an nginx double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def request_key(entry: Entry) -> str:
    """What ``$is_args$uri$is_args$args`` is for this entry's request: the decoded path,
    and for a query string, ``?`` before the path and the query string as a browser sends
    it after it. (``$uri`` is decoded and may hold a ``?`` itself: the leading one keeps
    ``/a%3Fb=1`` apart from ``/a?b=1``.)"""
    key = unquote(entry.bare_path)
    return f"?{key}?{iri_to_uri(entry.query)}" if entry.query else key


def regex_literal(value: str) -> str:
    """``value`` matched literally by PCRE: each other character than a letter, digit,
    ``_/-~%`` escaped, and an ASCII control character written as ``\\xHH`` (a file
    cannot hold it as it is)."""
    return re.sub(r"[^\w/\-~%]", _pcre_escape, value)


def _pcre_escape(match: re.Match[str]) -> str:
    character = match.group()
    if has_control(character):
        return f"\\x{ord(character):02x}"
    return "\\" + character


# What a value a placeholder matched may hold for the edge to put it in the target as it
# is: the characters Django's fill leaves as they are (RFC 3986's unreserved ones, and "/"
# in the rest of the path). A request with any other goes on to Django.
NAMED_VALUE = "[A-Za-z0-9_.~-]+"
REST_VALUE = "[A-Za-z0-9_.~/-]*"
# Longer expressions are left out: PCRE refuses a compiled pattern over 64 KB.
MAX_PATTERN_REGEX = 16_000


def pattern_regex(entry: PatternEntry, written: set[str]) -> tuple[str, list[str]]:
    """The anchored PCRE matching the decoded paths ``entry`` answers at the edge, and the
    placeholders its groups capture, in order. Negative lookaheads first leave out what
    Django answers otherwise under the pattern: exact paths the format did not write
    (``written``) and live pages (each with or without its slash), and everything under
    a page that routes sub-paths. Each lookahead is a literal at a fixed place, so
    matching stays linear in the path's length."""
    used = set(entry.placeholders)
    names: list[str] = []
    body = ""
    for segment in entry.pattern.segments:
        name = segment[1:] if segment.startswith(":") else None
        if name is None:
            body += "/" + regex_literal(unquote(segment))  # decoded, as $uri is
        elif name in used:
            names.append(name)
            body += f"/({NAMED_VALUE})"
        else:
            body += "/[^/]+"
    if not entry.pattern.splat:
        body += "/?"
    elif patterns.SPLAT in used:
        names.append(patterns.SPLAT)
        body += f"(?:/({REST_VALUE}))?"
    else:
        body += "(?:/.*)?"
    head = ""
    unslashed = {path.rstrip("/") for path in entry.unwritten(written)} - set(entry.subtrees)
    paths = [regex_literal(path) for path in sorted(unslashed)]
    if paths:
        head += f"(?!(?:{'|'.join(paths)})/?$)"
    if entry.subtrees:
        head += f"(?!(?:{'|'.join(regex_literal(path) for path in entry.subtrees)})(?:/|$))"
    return f"^{head}{body}$", names


def pattern_target(entry: PatternEntry, names: list[str]) -> str:
    """``entry``'s target with each placeholder as the capture group it is (``$1``)."""
    return substitute(entry.target or "", {name: f"${i}" for i, name in enumerate(names, 1)})


def pattern_problem(entry: PatternEntry, regex: str, names: list[str]) -> str | None:
    """Why nginx and httpd cannot write ``entry`` as ``regex``, or None."""
    if len(regex) > MAX_PATTERN_REGEX:
        return gettext("too many paths under it are left to Django for one regular expression")
    if len(names) > 9:
        return gettext("more than nine placeholders")
    if entry.target is not None:
        return filled_problem(entry)
    return None


def _pattern_line(entry: PatternEntry, written: set[str]) -> tuple[str, str | None]:
    """The map line of a pattern redirect, or why there is none."""
    regex, names = pattern_regex(entry, written)
    target = pattern_target(entry, names)
    problem = pattern_problem(entry, regex, names)
    if problem is None and "$" in substitute(entry.target or "", dict.fromkeys(names, "")):
        problem = gettext("nginx reads '$' as a variable")
    if problem is None and has_control(target):
        problem = gettext("a control character cannot be matched")
    if problem is not None:
        return "", problem
    value = SEPARATOR.join((str(entry.status_code), target))
    return f"    {quoted('~' + regex)} {quoted(value)};", None


def _pattern_map(edge_map: EdgeMap, written: set[str]) -> tuple[list[str], list[Omission]]:
    """The lines of the map of pattern redirects, and what it leaves out."""
    lines = ['map "$is_args$uri" $wrt_pattern {', '    default "";']
    pattern_lines, omitted = rendered_patterns(
        edge_map, lambda entry: _pattern_line(entry, written)
    )
    lines += pattern_lines
    lines.append("}")
    for code, variable in PATTERN_VARIABLES.items():
        answer = "1" if code == 410 else "$1"
        lines += [
            "",
            f"map $wrt_pattern {variable} {{",
            '    default "";',
            f'    "~^{code}\\t(.*)$" {answer};',
            "}",
        ]
    return lines, omitted


def bucket_size(keys: Iterable[str]) -> int:
    """A ``map_hash_bucket_size`` that holds the longest key: nginx fails to start with
    "could not build map_hash" otherwise (a bucket holds a pointer, the key and its
    length aligned to a pointer, and an end marker)."""
    longest = max((len(key.encode()) for key in keys), default=0)
    needed = 8 + (longest + 2 + 7) // 8 * 8 + 8
    return max(64, _power_of_two(needed))


def _power_of_two(value: int) -> int:
    return 1 << max(0, value - 1).bit_length()


def render(edge_map: EdgeMap) -> Output:
    omitted = []
    # The first entry of each key (the entry itself: no value string kept per key).
    chosen: dict[str, Entry] = {}
    for entry in edge_map.entries:
        problem = source_problem(entry)
        if problem is not None:
            omitted.append(left_out(entry, problem))
            continue
        key = request_key(entry)
        location = entry.location or ""
        if "$" in key + location:
            omitted.append(left_out(entry, gettext("nginx reads '$' as a variable")))
            continue
        if has_control(key + location):
            omitted.append(left_out(entry, gettext("a control character cannot be matched")))
            continue
        chosen.setdefault(key, entry)
    # How many keys each lower-cased key stands for (counts, not lists: 200,000 keys).
    by_case = Counter(_lowered(key) for key in chosen)
    head = [f"# {line}" for line in header_lines(edge_map)]
    head += [
        "# Include this file in the http block, and in the server block:",
        *(f"#   {line}" for line in SERVER_SNIPPET.splitlines() if not line.startswith("#")),
        "# It sets the map hash sizes its keys need: set them nowhere else.",
        f"map_hash_bucket_size {bucket_size(chosen)};",
        f"map_hash_max_size {max(2048, _power_of_two(4 * len(chosen)))};",
        "",
        "map $is_args$uri$is_args$args $wrt_entry {",
        '    default "";',
    ]
    tail = ["}"]
    for code, variable in STATUS_VARIABLES.items():
        answer = "1" if code == 410 else "$2"
        tail += [
            "",
            f'map "$wrt_entry|$is_args$uri$is_args$args" {variable} {{',
            '    default "";',
            f'    "~^([^\\t]*)\\t{code}\\t([^\\t]*)\\|\\1$" {answer};',
            "}",
        ]
    written = {key for key in chosen if not key.startswith("?")}
    pattern_lines, pattern_omitted = _pattern_map(edge_map, written)
    tail += ["", *pattern_lines]

    def pieces() -> Iterator[str]:
        # The entries' lines are made as they are written: never all held at once.
        for line in head:
            yield line + "\n"
        for key, entry in chosen.items():
            yield _entry_line(key, entry, by_case)
        for line in tail:
            yield line + "\n"

    return Output(pieces=pieces, omitted=omitted + pattern_omitted)


def _entry_line(key: str, entry: Entry, by_case: Counter[str]) -> str:
    """The map line (with its newline) of ``entry``, the first at ``key``."""
    value = SEPARATOR.join((key, str(entry.status_code), entry.location or ""))
    # Keys that differ only by case would be one key to nginx: a case-sensitive regular
    # expression keeps them apart.
    source = key if by_case[_lowered(key)] == 1 else f"~^{regex_literal(key)}$"
    return f"    {quoted(source)} {quoted(value)};\n"


def _lowered(key: str) -> str:
    """``key`` lower-cased: the key itself when it is already (no second string kept)."""
    lowered = key.lower()
    return key if lowered == key else lowered
