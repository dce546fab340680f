"""A fast front end for JSON specs: the standard library's C decoder, with the lines findings need.

Issue 14 asks that a spec written as JSON be read at the speed of a JSON decoder rather than
through the YAML event builder. The C decoder builds the data, one call per top-level section;
this module adds what the builder would have recorded, the line of every entry, without a Python
step per entry, for the three layouts JSON is written in:

- a section written on one line (``json.dumps``' default shape, ``mlorg generate``'s) has every
  entry on that line, whatever its size;
- a list written one entry per row (JSON Lines-like exports) is decoded in one call after each row
  break between entries is replaced by a marker value, a lone surrogate no accepted file can
  hold: the decoded list must alternate entry, marker, entry, so every break was between two
  entries and entry ``i`` sits on the list's first row plus ``i``;
- a section in the layout of ``json.dumps(indent=...)`` (checked by counting, over its bytes, where
  its line breaks fall) has the line of every path from its structure (:class:`_Indented`).

The checks a builder makes on the way are kept and cheap: duplicate keys and nesting depth by
counting over the text's bytes (:func:`written_counts`), ``NaN`` by the decoder's constant hook.
Whatever this path cannot read exactly -- another layout, a syntax error, a duplicate key, nesting
past the limit, ``NaN``, a surrogate, a line break YAML reads differently -- returns ``None`` and is
read by the located builder, whose messages name file, line and field, so no message changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from mlorg.spec.document import MAX_DEPTH, Document, parse
from mlorg.spec.source import PathPart, SourceMap, parse_path

_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")  # an escaped surrogate: the builder decides
_MARK = "\udfff"  # what a row break between two entries becomes: no value read here can equal it
_MARKED = ',"\\udfff",'


class NotExact(Exception):
    """This file needs the located builder."""


def _constant(name: str) -> Any:
    raise NotExact  # NaN and Infinity are not JSON


# No pairs hook: the decoder builds mappings fastest itself; duplicate keys are found by counting.
DECODER = json.JSONDecoder(parse_constant=_constant)


def parse_json(text: str, label: str) -> Document | None:
    """The parsed document, or None when only the located builder can read ``text`` exactly."""
    if not text.isascii() and "\x85" in text:
        return None  # NEL: a line break to YAML, folded inside a quoted text
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR: a line break to YAML
    reader = _Reader(text, label)
    try:
        doc = reader.run()
        written = written_counts(text, MAX_DEPTH)  # a raw surrogate cannot be encoded: ValueError
    except (NotExact, ValueError, RecursionError):
        return None
    if written is None:
        return None
    # As many keys read as written (a duplicate keeps one), in as many mappings.
    return doc if written == (reader.mappings, reader.keys) else None


_NOT_SHAPE = bytes(c for c in range(256) if c not in b'"[]{},:\n')
_INLINE_SCALAR = re.compile(r"\[[ \t]*[-0-9tfn]")  # `[1]`: a list on one row, its entry gone from the shape


def indented_shape(text: str) -> bytes | None:
    """The structure of ``text`` outside strings (each string an ``s``, numbers and literals gone) if a
    line break follows every ``,``, every ``[`` or ``{`` that opens a non-empty list or mapping, and
    precedes the ``]`` or ``}`` closing one, and there is no other (no blank row, no empty list over two
    rows): the layout of ``json.dumps(indent=...)``, whatever the indentation. Else None.

    Every value then starts a row of its own, a mapping's key and value share it, and a non-empty
    list or mapping ends on a row of its own, so the structure alone gives every line. A list holding
    one number written on one row (``[1]``) looks empty in the shape: any ``[`` before a digit or
    literal on its row, even inside a string, leaves the file to the builder.
    """
    if _INLINE_SCALAR.search(text):
        return None
    raw = text.strip(" \t\r\n").encode("utf-8")
    if b"\\" in raw:
        if _SURROGATE.search(raw):
            return None
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # strings are never side by side (a colon or comma comes between), so each "" is one emptied string
    shape = raw.translate(None, _NOT_SHAPE).replace(b'""', b"s")
    if b'"' in shape:
        shape = _STRING.sub(b"s", shape)
    count = shape.count
    if count(b"\n\n") or count(b"[\n]") or count(b"{\n}"):
        return None
    after_comma = count(b",\n")
    after_open = count(b"[\n") + count(b"{\n")
    before_close = count(b"\n]") + count(b"\n}")
    empty = count(b"[]") + count(b"{}")
    if (
        count(b",") != after_comma
        or count(b"[") + count(b"{") != after_open + empty
        or count(b"]") + count(b"}") != before_close + empty
        or count(b"\n") != after_comma + after_open + before_close
    ):
        return None
    return shape


def _rows(value: Any) -> int:
    """Rows ``value`` takes in the layout of :func:`indented_from`."""
    kind = type(value)
    if kind is dict:
        children: Any = value.values()
    elif kind is list:
        children = value
    else:
        return 1
    if not children:
        return 1
    rows = 2
    for child in children:
        rows += _rows(child) if type(child) is dict or type(child) is list else 1
    return rows


# Every byte but quotes, brackets and colons goes.
_NOT_KEPT = bytes(c for c in range(256) if c not in b'"[]{}:')
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_STRING = re.compile(rb'"[^"]*"')


def written_counts(text: str, limit: int) -> tuple[int, int] | None:
    """The mappings and keys valid JSON ``text`` writes, or None if it nests deeper than ``limit`` or
    holds an escaped surrogate (the builder decides what to make of that).

    Outside strings a ``{`` opens a mapping and a ``:`` follows a key; with strings and every other
    byte removed, each pass of ``replace("[]", "")`` (braces made brackets) removes exactly the
    innermost level, so the text nests within ``limit`` when at most that many passes empty it.
    Byte operations only: a walk of the decoded data, or a hook per mapping, cost more than the decoder.
    """
    raw = text.encode("utf-8")
    if b"\\" in raw:
        if _SURROGATE.search(raw):
            return None
        # escaped backslashes first, then escaped quotes: the quotes left delimit strings
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = raw.translate(None, _NOT_KEPT)
    if b'"' in skeleton:
        # Quotes alternate open, close; removing two adjacent ones drops an empty string or joins two
        # strings with nothing between them, so the strings left (few: those holding these bytes) still pair.
        skeleton = skeleton.replace(b'""', b"")
        if b'"' in skeleton:
            skeleton = _STRING.sub(b"", skeleton)
    counts = skeleton.count(b"{"), skeleton.count(b":")
    skeleton = skeleton.translate(_BRACKETS, b":")
    for _ in range(limit):
        if not skeleton:
            return counts
        skeleton = skeleton.replace(b"[]", b"")
    return None if skeleton else counts


def tally(value: Any) -> tuple[int, int]:
    """The mappings in ``value`` and the keys they hold, by a walk."""
    mappings = keys = 0
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            mappings += 1
            keys += len(node)
            stack.extend(v for v in node.values() if type(v) is dict or type(v) is list)
        elif type(node) is list:
            stack.extend(v for v in node if type(v) is dict or type(v) is list)
    return mappings, keys


def tally_list(items: list[Any], braces: int) -> tuple[int, int]:
    """The mappings in the decoded list ``items`` and their keys, given the ``braces`` (``{``) its text holds:
    each entry's keys at once when its entries are all the mappings written (as many ``{`` as entries that
    are mappings: none inside them, none in a string), else by a walk."""
    entries = list(map(type, items)).count(dict)
    if braces != entries:
        return tally(items)
    return entries, sum(map(len, items) if entries == len(items) else (len(v) for v in items if type(v) is dict))


class _Reader:
    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label
        self.line = 1
        self.at = 0
        self.mappings = 0  # mappings read, and the keys they hold
        self.keys = 0

    def count(self, items: list[Any], pos: int, end: int) -> None:
        """Tally the mappings in the list ``text[pos:end]`` decoded as ``items`` and their keys."""
        mappings, keys = tally_list(items, self.text.count("{", pos, end))
        self.mappings += mappings
        self.keys += keys

    def tally(self, value: Any) -> None:
        mappings, keys = tally(value)
        self.mappings += mappings
        self.keys += keys

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
            raise NotExact
        return Document(data, source, ())

    def mapping(self, pos: int, level: int) -> tuple[dict[str, Any], int, JsonSourceMap]:
        """A mapping at nesting ``level`` (the document is 1) read key by key: each value with one call
        of the decoder, the document's own mappings (``collaboration`` and its long lists) like the document."""
        text = self.text
        if not text.startswith("{", pos):
            raise NotExact
        data: dict[str, Any] = {}
        keys: dict[str, int] = {}
        sections: dict[str, SourceMap] = {}
        pos = self.skip(pos + 1)
        if text.startswith("}", pos):
            self.mappings += 1
            return data, pos + 1, JsonSourceMap(self.label, keys=keys)
        while True:
            if not text.startswith('"', pos):
                raise NotExact
            keys_line = self.line_at(pos)
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = self.skip(pos)
            if not text.startswith(":", pos) or key in data:
                raise NotExact
            pos = self.skip(pos + 1)
            where: SourceMap | None
            if text.startswith("[", pos):
                value, pos, where = self.listing(pos)
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
                self.mappings += 1
                self.keys += len(data)
                return data, pos + 1, JsonSourceMap(self.label, keys=keys, sections=sections)
            raise NotExact

    def listing(self, pos: int) -> tuple[list[Any], int, SourceMap]:
        """A list: on one line, one entry per row (tried first when the list opens a row of its own), or
        in the layout of ``json.dumps(indent=...)``."""
        text = self.text
        line = self.line_at(pos)
        if text.count("\n", pos, self.skip(pos + 1)):
            found = self.rows(pos, line, None)
            if found is not None:
                return found
        items, end = DECODER.raw_decode(text, pos)
        self.count(items, pos, end)
        if not text.count("\n", pos, end):
            return items, end, FlatMap(self.label, at=line, size=len(items))
        found = self.rows(pos, line, end)
        if found is not None:
            return found
        if indented_shape(text[pos:end]) is None:
            raise NotExact
        return items, end, _Indented(self.label, items, first=line)

    def rows(self, pos: int, line: int, end: int | None) -> tuple[list[Any], int, SourceMap] | None:
        """The list at ``pos`` (on ``line``) if each of its entries sits on a row of its own, in one decoder call.

        Each row break between entries (a comma, a line break, the first entry's indentation) becomes
        a marker; the decoded list alternating entry and marker proves every marker fell between two
        entries, and as many markers as line breaks proves no entry spans rows. ``end`` (just past the
        list) unknown, the list is taken to close at the first ``]`` as indented as the row it opens.
        """
        text = self.text
        if end is None:
            start = text.rfind("\n", 0, pos) + 1
            row = text[start:pos]
            closing = "\n" + row[: len(row) - len(row.lstrip(" \t"))] + "]"
            close = text.find(closing, pos)
            if close < 0:
                return None
            close += len(closing) - 1
        else:
            close = end - 1
        lead = self.skip(pos + 1)
        if lead >= close:
            return [], close + 1, FlatMap(self.label, at=line)
        last = close
        while text[last - 1] in " \t\r\n":
            last -= 1
        first = line + text.count("\n", pos, lead)
        start = text.rfind("\n", pos, lead)
        if start < 0:
            return None  # the first entry on the row of the ``[``: not a layout read here
        newline = "\r\n" if text.startswith("\r", start - 1) else "\n"
        body = text[lead:last]
        between = "," + newline + text[start + 1 : lead]
        breaks = body.count(between)
        if body.count("\n") != breaks:
            return None  # an entry over several rows, or rows not broken alike
        parts = body.split(between)
        parts[0] = "[" + parts[0]
        parts[-1] += "]"
        try:
            decoded = DECODER.decode(_MARKED.join(parts))
        except ValueError:
            return None
        del parts
        if len(decoded) != 2 * breaks + 1 or decoded[1::2] != [_MARK] * breaks:
            return None
        items: list[Any] = decoded[::2]
        self.count(items, pos, close)
        return items, close + 1, RowsMap(self.label, entries=range(first, first + breaks + 1))

    def section(self, pos: int, level: int) -> tuple[Any, int, SourceMap | None]:
        """Any other value at ``level``. One written on one line is on that line throughout; a mapping of
        the document spread over rows is read like the document (a ``collaboration`` section holds long
        lists); one in the layout of ``json.dumps(indent=...)`` has its lines from its structure; the
        rest is small, so the located builder reads it, at its own lines."""
        line = self.line_at(pos)
        value, end = DECODER.raw_decode(self.text, pos)  # finds the end and checks the syntax
        if type(value) is not dict:
            return value, end, None
        if not self.text.count("\n", pos, end):
            self.tally(value)
            return value, end, FlatMap(self.label, at=line, names=frozenset(value))
        if level == 2:
            state = (self.line, self.at, self.mappings, self.keys)
            try:
                data, after, source = self.mapping(pos, level)
                return data, after, source
            except NotExact:  # read it whole below, from where it starts
                self.line, self.at, self.mappings, self.keys = state
        if indented_shape(self.text[pos:end]) is not None:
            self.tally(value)
            return value, end, _Indented(self.label, value, first=line)
        doc = parse("\n" * (line - 1) + self.text[pos:end], self.label)
        if doc.problems:
            raise NotExact
        self.tally(doc.data)
        return doc.data, end, doc.source


def _parts(path: Sequence[PathPart] | str) -> Sequence[PathPart]:
    return parse_path(path) if isinstance(path, str) else path


@dataclass(frozen=True)
class JsonSourceMap(SourceMap):
    """Lines of a spec the fast path read, by path alone: it keeps no reference to the parsed data.

    The line of each key, and for each section that is not a scalar a map of its own (1 when the path
    leaves it at once, as the builder's map says for a path that does not exist). Holding no data lets
    the parsed dicts go as soon as the spec is validated, which lowers the peak of a large assessment.
    """

    keys: dict[str, int] = field(default_factory=dict)
    sections: dict[str, SourceMap] = field(default_factory=dict)

    def line(self, path: Sequence[PathPart] | str) -> int:
        parts = _parts(path)
        if not parts:
            return 1
        head = parts[0]
        at = self.keys.get(head) if type(head) is str else None
        if at is None:
            return 1
        if len(parts) == 1:
            return at
        section = self.sections.get(head)  # type: ignore[arg-type]
        return at if section is None else max(at, section.line(parts[1:]))


@dataclass(frozen=True)
class FlatMap(SourceMap):
    """A list (``size`` entries) or mapping (keys ``names``) written on line ``at``: all of it is there."""

    at: int = 1
    size: int = 0
    names: frozenset[str] = frozenset()

    def line(self, path: Sequence[PathPart] | str) -> int:
        head = _parts(path)[0]
        if type(head) is int:
            return self.at if 0 <= head < self.size else 1
        return self.at if head in self.names else 1


@dataclass(frozen=True)
class RowsMap(SourceMap):
    """A list whose entry ``i`` is on row ``entries[i]``, each on that one row."""

    entries: Sequence[int] = ()

    def line(self, path: Sequence[PathPart] | str) -> int:
        head = _parts(path)[0]
        return self.entries[head] if type(head) is int and 0 <= head < len(self.entries) else 1


@dataclass(frozen=True)
class _Indented(SourceMap):
    """Lines of a document in the layout of :func:`indented_from`, from its structure.

    Entry ``i`` of a list or mapping starting on row ``r`` starts on row ``r + 1`` plus the rows of
    the entries before it, summed once per list or mapping, on the first path through it.
    """

    first: int = 1
    _offsets: dict[int, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def line(self, path: Sequence[PathPart] | str) -> int:
        node = self.data
        row = self.first
        best = 1
        for part in _parts(path):
            kind = type(node)
            if kind is dict and type(part) is str and part in node:
                index = self._position(node, part)
            elif kind is list and type(part) is int and 0 <= part < len(node):
                index = part
            else:
                return best
            row += 1 + self.before(node, index)
            best = row
            node = node[part]
        return best

    def before(self, node: dict[str, Any] | list[Any], index: int) -> int:
        """Rows the entries of ``node`` before entry ``index`` take (kept: an entry before may be long)."""
        offsets = self._offsets.get(id(node))
        if offsets is None:
            offsets = list(accumulate(map(_rows, node.values() if type(node) is dict else node), initial=0))
            self._offsets[id(node)] = offsets
        return offsets[index]
