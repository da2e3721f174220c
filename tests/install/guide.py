"""The installation guide's steps, read from ``docs/installation.md`` itself, so that what CI
applies to a ``wagtail start`` project is what the guide shows.

A step is a fenced block right after an HTML comment ``<!-- install: TARGET -->``:
``TARGET`` ``pip`` marks the install command; any other TARGET is a file of the project and
the block a ``diff``: lines starting with a space are context (found in the file, in order),
``-`` lines are removed and ``+`` lines added where they stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent.parent / "docs" / "installation.md"

STEP = re.compile(r"<!-- install: (?P<target>\S+) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)


@dataclass(frozen=True)
class Step:
    target: str
    lang: str
    body: str


def steps(text: str | None = None) -> list[Step]:
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    found = [Step(m["target"], m["lang"], m["body"]) for m in STEP.finditer(text)]
    marked = text.count("<!-- install:")
    if len(found) != marked:
        raise ValueError(f"{marked} install markers but {len(found)} fenced blocks right after one")
    return found


def pip_arguments(text: str | None = None) -> list[str]:
    """The arguments of the guide's ``pip install`` line, quotes removed."""
    (step,) = [s for s in steps(text) if s.target == "pip"]
    words = step.body.replace('"', "").split()
    if words[:2] != ["pip", "install"]:
        raise ValueError(f"not a pip install line: {step.body!r}")
    return words[2:]


def apply_diff(source: str, diff: str) -> str:
    """``source`` with ``diff`` applied; context lines must be found in order."""
    lines = source.split("\n")
    at = 0  # where the next context line is looked for, and + lines go
    for raw in diff.split("\n"):
        mark, line = (raw[:1] or " "), raw[1:]
        if mark == " ":
            at = _find(lines, line, at, raw) + 1
        elif mark == "-":
            found = _find(lines, line, at, raw)
            if found != at:
                raise ValueError(f"removed line is not next after the context: {raw!r}")
            del lines[found]
        elif mark == "+":
            lines.insert(at, line)
            at += 1
        else:
            raise ValueError(f"not a diff line: {raw!r}")
    return "\n".join(lines)


def _find(lines: list[str], line: str, start: int, raw: str) -> int:
    for index in range(start, len(lines)):
        if lines[index].rstrip() == line.rstrip():
            return index
    raise ValueError(f"context line not found (has the project layout changed?): {raw!r}")


def apply_to_project(project: Path, text: str | None = None) -> list[str]:
    """Apply every file step of the guide under ``project``; the files changed."""
    changed = []
    for step in steps(text):
        if step.target == "pip":
            continue
        if step.lang != "diff":
            raise ValueError(f"{step.target}: a file step must be a diff, not {step.lang}")
        path = project / step.target
        path.write_text(apply_diff(path.read_text(encoding="utf-8"), step.body), encoding="utf-8")
        changed.append(step.target)
    return changed
