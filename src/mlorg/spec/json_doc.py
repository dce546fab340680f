"""A fast front end for JSON specs: the standard library's C decoder, with the lines findings need.

Issue 14 asks that a spec written as JSON be read at the speed of a JSON decoder rather than
through the YAML event builder. The C decoder builds the data; this module adds what the builder
would have recorded, the line of every entry, by decoding the top-level sections one entry at a
time and counting newlines between them. That is exact when each entry of a top-level list sits on
one line (``json.dumps`` without indentation, JSON Lines-like exports, ``mlorg generate``'s shape);
the few top-level sections that are not lists (``organization``, ``strategy``, ``settings``) are
small and go through the located builder. A file this path cannot read exactly -- a list entry
spread over several lines, a syntax error, a duplicate key, nesting past the limit, ``NaN`` --
returns ``None`` and is read by the located builder, whose messages name file, line and field,
so the fast path never changes a message and never loses a line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlorg.spec.document import MAX_DEPTH, Document, parse
from mlorg.spec.source import PathPart, SourceMap, parse_path

_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # an escaped lone surrogate: the builder decides


class _NotExact(Exception):
    """This file needs the located builder."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _NotExact  # a duplicate key: the builder names it with its line
    return out


def _constant(name: str) -> Any:
    raise _NotExact  # NaN and Infinity are not JSON


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def parse_json(text: str, label: str) -> Document | None:
    """The parsed document, or None when only the located builder can read ``text`` exactly."""
    if _SURROGATE.search(text):
        return None
    try:
        return _Reader(text, label).run()
    except (_NotExact, ValueError, RecursionError):
        return None


def _depth(value: Any, limit: int) -> bool:
    """Whether ``value`` nests no deeper than ``limit`` containers (only containers are walked)."""
    if limit < 0:
        return False
    if type(value) is dict:
        return all(_depth(v, limit - 1) for v in value.values() if type(v) is dict or type(v) is list)
    return all(_depth(v, limit - 1) for v in value if type(v) is dict or type(v) is list)


class _Reader:
    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label
        self.line = 1
        self.at = 0

    def skip(self, pos: int) -> int:
        end = _SPACE.match(self.text, pos).end()  # type: ignore[union-attr]
        return end

    def line_at(self, pos: int) -> int:
        """The line of ``pos``; positions only move forward, so newlines are counted once."""
        self.line += self.text.count("\n", self.at, pos)
        self.at = pos
        return self.line

    def run(self) -> Document:
        data, pos, source = self.mapping(self.skip(0), 1)
        if self.skip(pos) != len(self.text):
            raise _NotExact
        return Document(data, source, ())

    def mapping(self, pos: int, level: int) -> tuple[dict[str, Any], int, JsonSourceMap]:
        """A mapping at nesting ``level`` (the document is 1) read key by key: its lists entry by entry,
        the document's own mappings (``collaboration`` and its long lists) the same way, anything else
        through the located builder."""
        text = self.text
        if not text.startswith("{", pos):
            raise _NotExact
        data: dict[str, Any] = {}
        keys: dict[str, int] = {}
        lists: dict[str, int | tuple[int, ...]] = {}
        sections: dict[str, SourceMap] = {}
        pos = self.skip(pos + 1)
        if text.startswith("}", pos):
            return data, pos + 1, JsonSourceMap(self.label, keys=keys)
        while True:
            if not text.startswith('"', pos):
                raise _NotExact
            keys_line = self.line_at(pos)
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = self.skip(pos)
            if not text.startswith(":", pos) or key in data:
                raise _NotExact
            pos = self.skip(pos + 1)
            if text.startswith("[", pos):
                data[key], pos, lists[key] = self.list_of_lines(pos, level + 1)
            else:
                value, pos, where = self.section(pos, level + 1)
                data[key] = value
                if where is not None:
                    sections[key] = where
            keys[key] = keys_line
            pos = self.skip(pos)
            if text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if text.startswith("}", pos):
                return data, pos + 1, JsonSourceMap(self.label, keys=keys, lists=lists, sections=sections)
            raise _NotExact

    def list_of_lines(self, pos: int, level: int) -> tuple[list[Any], int, int | tuple[int, ...]]:
        """A list at ``level`` decoded entry by entry; each entry must sit on one line."""
        text = self.text
        start_line = self.line_at(pos)
        items: list[Any] = []
        item_lines: list[int] = []
        pos = self.skip(pos + 1)
        if text.startswith("]", pos):
            return items, pos + 1, start_line
        raw_decode = _DECODER.raw_decode
        budget = MAX_DEPTH - level - 1  # levels left below an entry
        while True:
            line = self.line_at(pos)
            item, end = raw_decode(text, pos)
            container = type(item) is dict or type(item) is list
            if container and (text.count("\n", pos, end) or not _depth(item, budget)):
                raise _NotExact
            items.append(item)
            item_lines.append(line)
            pos = self.skip(end)
            if text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if text.startswith("]", pos):
                break
            raise _NotExact
        last = self.line_at(pos)
        return items, pos + 1, (start_line if last == start_line else tuple(item_lines))

    def section(self, pos: int, level: int) -> tuple[Any, int, SourceMap | None]:
        """Any other value at ``level``. A mapping of the document is read like the document (a
        ``collaboration`` section holds long lists) unless its entries spread over lines; the rest
        is small, so the located builder reads it, at its own lines."""
        line = self.line_at(pos)
        value, end = _DECODER.raw_decode(self.text, pos)  # finds the end and checks the syntax
        if type(value) is not dict and type(value) is not list:
            return value, end, None
        if type(value) is dict and level == 2:
            state = (self.line, self.at)
            try:
                data, after, source = self.mapping(pos, level)
                return data, after, source
            except _NotExact:  # read it whole below, from where it starts
                self.line, self.at = state
        doc = parse("\n" * (line - 1) + self.text[pos:end], self.label)
        if doc.problems or not _depth(doc.data, MAX_DEPTH - level):
            raise _NotExact
        return doc.data, end, doc.source


@dataclass(frozen=True)
class JsonSourceMap(SourceMap):
    """Lines of a spec the fast path read, by path alone: it keeps no reference to the parsed data.

    Every entry of a top-level list sits on one line, so a path into one is that entry's line; the
    other sections keep the builder's own map (they are small). Holding no data lets the parsed
    dicts go as soon as the spec is validated, which lowers the peak of a large assessment.
    """

    keys: dict[str, int] = field(default_factory=dict)
    lists: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    sections: dict[str, SourceMap] = field(default_factory=dict)

    def line(self, path: Sequence[PathPart] | str) -> int:
        parts = parse_path(path) if isinstance(path, str) else path
        if not parts:
            return 1
        head = parts[0]
        at = self.keys.get(head) if type(head) is str else None
        if at is None:
            return 1
        if len(parts) == 1:
            return at
        section = self.sections.get(head)  # type: ignore[arg-type]
        if section is not None:
            return max(at, section.line(parts[1:]))
        entries = self.lists.get(head)  # type: ignore[arg-type]
        index = parts[1]
        if entries is None or type(index) is not int or index < 0:
            return at
        if type(entries) is int:
            return entries
        return entries[index] if index < len(entries) else at  # type: ignore[index,arg-type]
