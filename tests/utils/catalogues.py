"""Reading the package's translation catalogues (``.po`` files) and the text a rendered
admin screen shows, for the translation tests (issue 31)."""

from __future__ import annotations

import ast
import contextlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import wagtail_redirect_tools

LOCALE = Path(wagtail_redirect_tools.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sd]|%%")


@dataclass
class Message:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Message]:
    """The messages of a ``.po`` file (entries separated by blank lines, as gettext's
    tools write them), its header (empty msgid) first."""
    messages = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        message = Message(msgid="")
        target: tuple[str, int] = ("", 0)
        seen = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                message.obsolete = True
                line = line[2:].strip()
            elif line.startswith("#,"):
                message.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            elif line.startswith("#") or not line:
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
            else:
                keyword, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                target = ("msgstr", int(plural.group(1))) if plural else (keyword, 0)
                seen = True
            name, index = target
            if name == "msgstr":
                message.msgstr[index] = message.msgstr.get(index, "") + value
            elif name == "msgid":
                message.msgid += value
            elif name == "msgid_plural":
                message.msgid_plural = (message.msgid_plural or "") + value
            elif name == "msgctxt":
                message.msgctxt = (message.msgctxt or "") + value
        if seen:
            messages.append(message)
    return messages


def catalogue(language: str, domain: str = "django") -> list[Message]:
    """The live messages of the package's catalogue for ``language`` (no header, no
    obsolete ones)."""
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    return [m for m in read_po(path) if m.msgid and not m.obsolete]


class _VisibleText(HTMLParser):
    """The text nodes of a page a person reads, plus the attributes they read (titles,
    labels, placeholders) and the strings of JSON props (Wagtail's sidebar menu). Text in
    ``<code>`` is a literal value (a column name, a path), not a sentence."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template", "code"):
            self._skip += 1
            self._json = tag == "script" and (values.get("type") or "").endswith("json")
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.nodes.append(str(values[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data: str) -> None:
        if self._json:
            with contextlib.suppress(ValueError):
                self.nodes.extend(_strings(json.loads(data)))
            return
        if not self._skip and data.strip():
            self.nodes.append(data)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def visible_text(html: str) -> list[str]:
    """The page's readable strings, each with its whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    return [" ".join(node.split()) for node in parser.nodes if node.strip()]


def _needle(text: str) -> re.Pattern[str]:
    """A pattern finding ``text`` (a msgid) as rendered: its tags dropped, its
    placeholders matching anything short, its words whole."""
    plain = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    pieces = [re.escape(piece).replace(r"\ ", r"\s+") for piece in PLACEHOLDER.split(plain)]
    pattern = r"\S.{0,79}?".join(pieces)
    return re.compile(rf"(?<!\w){pattern}(?!\w)")


def _words(text: str) -> int:
    """How many words ``text`` has once its placeholders and tags are dropped."""
    return len(re.findall(r"[^\W\d_]{2,}", PLACEHOLDER.sub(" ", re.sub(r"<[^>]+>", " ", text))))


def untranslated(
    html: str, messages: list[Message], *, ignore: frozenset[str] = frozenset()
) -> set[str]:
    """The msgids of ``messages`` shown in English on the page: a message of one word
    (placeholders aside) only when it is a whole text node, a longer one anywhere in the
    page's text (outside its own translation, which may hold it, as "301 permanente" holds
    "301 permanent"). Messages translated as the same text (``Site``, ``JSON``) are not
    looked for."""
    nodes = visible_text(html)
    joined = " \n ".join(nodes)
    found = set()
    for message in messages:
        for english, index in ((message.msgid, 0), (message.msgid_plural, 1)):
            if english is None or english in ignore:
                continue
            translated = message.msgstr.get(index, "")
            if " ".join(translated.split()) == " ".join(english.split()):
                continue
            words = _words(english)
            if words == 0:  # "%(window)s: %(problem)s": nothing of ours to see
                continue
            needle = _needle(english)
            if words == 1:
                if any(needle.fullmatch(node) for node in nodes):
                    found.add(english)
                continue
            haystack = joined
            for text in message.msgstr.values():
                if english in text:
                    haystack = haystack.replace(" ".join(text.split()), " ")
            if needle.search(haystack):
                found.add(english)
    return found
