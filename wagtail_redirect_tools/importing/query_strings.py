"""The query string of a source given in a column of its own.

Drupal's redirect module keeps a source's query apart from its path
(``redirect_source__path``, ``redirect_source__query``), the query as PHP serialises an
array: ``a:1:{s:4:"page";s:1:"2";}`` for ``?page=2``, ``a:0:{}`` or NULL for none. Other
files give it as text (``page=2``). Core's redirects match a path with its query first
(its ``normalise_path`` keeps and sorts it), so the query is added to the source; a value
that cannot be written as a query string is refused, never dropped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

# What a dump of Drupal's table, or a spreadsheet, writes for "no query".
NO_QUERY = ("", "n;", "null", "\\n", "a:0:{}")


class QueryError(ValueError):
    """A query column's value that is not a query string, nor one PHP serialised."""


def read_query(value: Any) -> str:
    """The query string ``value`` gives ("" for none), without its ``?``.

    Raises :class:`QueryError` for a value that is neither a query string nor a PHP
    serialised array of plain values (an array inside it has no one way to be written).
    """
    text = "" if value is None else str(value).strip()
    if text.lower() in NO_QUERY:
        return ""
    if text.startswith("a:"):
        pairs = _php_array(text.encode())
        return urlencode(pairs, quote_via=quote)
    text = text.removeprefix("?")
    for part in text.split("&"):
        name = part.partition("=")[0]
        if not name or any(character in part for character in "#? \t\r\n"):
            raise QueryError(text)
    return text


def _php_array(data: bytes) -> list[tuple[str, str]]:
    """The pairs of ``a:N:{key;value;…}``, each key and value a string or a number."""
    reader = _Reader(data)
    reader.expect(b"a:")
    count = reader.number(b":")
    reader.expect(b"{")
    pairs = [(reader.scalar(), reader.scalar()) for _ in range(count)]
    reader.expect(b"}")
    if reader.position != len(data):
        raise QueryError(data.decode(errors="replace"))
    return pairs


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def fail(self) -> QueryError:
        return QueryError(self.data.decode(errors="replace"))

    def expect(self, text: bytes) -> None:
        if not self.data.startswith(text, self.position):
            raise self.fail()
        self.position += len(text)

    def number(self, end: bytes) -> int:
        stop = self.data.find(end, self.position)
        digits = self.data[self.position : stop] if stop >= 0 else b""
        if not digits.isdigit():
            raise self.fail()
        self.position = stop + len(end)
        return int(digits)

    def scalar(self) -> str:
        kind = self.data[self.position : self.position + 2]
        self.position += 2
        if kind == b"s:":  # s:LENGTH:"BYTES";  (the length in bytes, as PHP counts)
            length = self.number(b':"')
            text = self.data[self.position : self.position + length]
            self.position += length
            self.expect(b'";')
            try:
                return text.decode()
            except UnicodeDecodeError as error:
                raise self.fail() from error
        if kind in (b"i:", b"d:", b"b:"):
            stop = self.data.find(b";", self.position)
            if stop < 0:
                raise self.fail()
            number = self.data[self.position : stop].decode(errors="replace")
            self.position = stop + 1
            return number
        raise self.fail()  # an array inside the array, an object, a NULL value
