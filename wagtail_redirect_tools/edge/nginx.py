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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import unquote

from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from .base import Output, has_control, header_lines, left_out, source_problem
from .entries import EdgeMap, Entry

STATUS_VARIABLES = {
    301: "$wrt_redirect_301",
    302: "$wrt_redirect_302",
    307: "$wrt_redirect_307",
    308: "$wrt_redirect_308",
    410: "$wrt_gone",
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
    values: dict[str, str] = {}
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
        values.setdefault(key, SEPARATOR.join((key, str(entry.status_code), location)))
    # How many keys each lower-cased key stands for (counts, not lists: 200,000 keys).
    by_case = Counter(key.lower() for key in values)
    lines = [f"# {line}" for line in header_lines(edge_map)]
    lines += [
        "# Include this file in the http block, and in the server block:",
        *(f"#   {line}" for line in SERVER_SNIPPET.splitlines() if not line.startswith("#")),
        "# It sets the map hash sizes its keys need: set them nowhere else.",
        f"map_hash_bucket_size {bucket_size(values)};",
        f"map_hash_max_size {max(2048, _power_of_two(4 * len(values)))};",
        "",
        "map $is_args$uri$is_args$args $wrt_entry {",
        '    default "";',
    ]
    for key, value in values.items():
        # Keys that differ only by case would be one key to nginx: a case-sensitive
        # regular expression keeps them apart.
        source = key if by_case[key.lower()] == 1 else f"~^{regex_literal(key)}$"
        lines.append(f"    {quoted(source)} {quoted(value)};")
    lines.append("}")
    for code, variable in STATUS_VARIABLES.items():
        answer = "1" if code == 410 else "$2"
        lines += [
            "",
            f'map "$wrt_entry|$is_args$uri$is_args$args" {variable} {{',
            '    default "";',
            f'    "~^([^\\t]*)\\t{code}\\t([^\\t]*)\\|\\1$" {answer};',
            "}",
        ]
    return Output(content="\n".join(lines) + "\n", omitted=omitted)
