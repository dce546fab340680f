"""Where each part of a loaded spec came from, so errors and findings can name a line.

The parser records, for every mapping and list, the line of each of its entries (nothing per
scalar, no node objects), and :meth:`SourceMap.line` finds the deepest entry on a path that exists.
That keeps loading a 100,000-person spec close to the cost of parsing it.

The YAML builder's map (:class:`LineTree`) holds no reference to the parsed data, so the dicts and
lists can go as soon as the spec is validated: a tree of :class:`LineNode` mirrors only the containers
whose lines are not already known from where they sit (see :class:`LineTree`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PathPart = str | int
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_ITEM_FIELD = re.compile(r"([^.\[\]]+)\[(\d+)\]\.([^.\[\]]+)")  # `features[3].owner`, most evidence paths
_SMALL = 16  # mappings with more keys get a key -> position table on first lookup


def format_path(parts: Sequence[PathPart]) -> str:
    """Render ``("teams", 3, "parent")`` as ``teams[3].parent`` (pre-commit style breadcrumb)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_path(path: str) -> tuple[PathPart, ...]:
    """Inverse of :func:`format_path`."""
    item = _ITEM_FIELD.fullmatch(path)
    if item is not None:  # the common shape, without the general scan
        section, at, name = item.groups()
        return (section, int(at), name)
    return tuple(int(idx) if idx else name for name, idx in _PART.findall(path))


@dataclass(frozen=True)
class SourceMap:
    """The file a spec came from, its parsed data and the line of every mapping and list entry.

    ``lines`` maps ``id()`` of each dict or list in ``data`` to the 1-based line of each of its
    entries, in order: one int when they all sit on that line, else a sequence; ``data`` is held so
    those ids stay valid. The YAML builder's :class:`LineTree` answers as this map would without
    holding the data; the JSON front end has maps of its own (:mod:`mlorg.spec.json_doc`).
    """

    file: str
    data: Any = None
    lines: dict[int, int | Sequence[int]] = field(default_factory=dict, repr=False)
    _positions: dict[int, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)

    def line(self, path: Sequence[PathPart] | str) -> int:
        """1-based line of the deepest entry on ``path`` that exists (1 for the file, 0 if unknown)."""
        parts = parse_path(path) if isinstance(path, str) else path
        node = self.data
        if node is None:
            return 0
        lines = self.lines
        best = 1
        for part in parts:
            entries = lines.get(id(node))
            if entries is None:
                return best
            kind = type(node)
            if kind is dict and type(part) is str:
                if part not in node:
                    return best
                if type(entries) is int:  # flow style: every entry on one line, no position needed
                    best = entries
                else:
                    pos = self._position(node, part)
                    if pos < len(entries):  # type: ignore[arg-type]
                        best = entries[pos]  # type: ignore[index]
            elif kind is list and type(part) is int and 0 <= part < len(node):
                if type(entries) is int:
                    best = entries
                elif part < len(entries):  # type: ignore[arg-type]
                    best = entries[part]  # type: ignore[index]
            else:
                return best
            node = node[part]
        return best

    def refreshed(self, data: Any) -> SourceMap:
        """This map after ``data`` was edited in place (see :meth:`LineTree.refreshed`); this one, which
        walks the data itself, and the JSON front end's maps stay as they are."""
        return self

    def _position(self, mapping: dict[str, Any], key: str) -> int:
        """Where ``key`` (known to be there) sits in ``mapping``."""
        if len(mapping) <= _SMALL:
            return list(mapping).index(key)
        table = self._positions.get(id(mapping))
        if table is None:
            table = {k: i for i, k in enumerate(mapping)}
            self._positions[id(mapping)] = table
        return table[key]


class LineNode:
    """The lines of one mapping or list, without the mapping or list itself.

    ``keys`` maps each key of a mapping to its position (one dict shared by every mapping with the same
    keys in the same order), None for a list, whose length is ``size``. ``lines`` holds the line of each
    entry, in order: one int when they all sit on one line, else a compact ``array``. ``kids`` holds,
    by position, the node of each entry that needs one (None where the entry is a scalar, or a mapping
    or list that :class:`LineTree` need not keep), or is None when no entry needs one.
    """

    __slots__ = ("keys", "kids", "lines", "size")

    def __init__(
        self,
        keys: dict[str, int] | None,
        size: int,
        lines: int | Sequence[int],
        kids: tuple[LineNode | None, ...] | None = None,
    ) -> None:
        self.keys = keys
        self.size = size
        self.lines = lines
        self.kids = kids

    def __repr__(self) -> str:
        shape = f"keys={list(self.keys)}" if self.keys is not None else f"size={self.size}"
        return f"LineNode({shape}, lines={self.lines!r}, kids={self.kids!r})"


#: An empty mapping or list, as a child: no path goes into it, but it keeps its place (see :meth:`LineTree.refreshed`).
EMPTY = LineNode(None, 0, 0)


@dataclass(frozen=True)
class LineTree(SourceMap):
    """The lines of a YAML document in a tree of :class:`LineNode`, with no reference to its data.

    It answers every path exactly as the map by ``id()`` of the data (:class:`SourceMap`) would, but
    keeps a node only where one is needed. A mapping or list every entry of which sits on the line
    it is itself an entry of in its parent, and that holds no such node (``- {id: a, roles: [x]}``,
    as ``mlorg generate`` writes every item), answers any path into it with that line, which is what
    the walk already holds when it gets there: its place in the parent's ``kids`` is None. The
    root is always a node; an empty mapping or list is :data:`EMPTY`, so the parent of one always
    has a node (:meth:`refreshed` relies on that). ``known`` is False when the document is null (every
    path then answers 0, as for no data).
    """

    root: LineNode | None = None
    known: bool = True

    def line(self, path: Sequence[PathPart] | str) -> int:
        if not self.known:
            return 0
        parts = parse_path(path) if isinstance(path, str) else path
        node = self.root
        best = 1
        for part in parts:
            if node is None:
                return best
            keys = node.keys
            if keys is not None:
                if type(part) is not str:
                    return best
                pos = keys.get(part)
                if pos is None:
                    return best
            elif type(part) is int and 0 <= part < node.size:
                pos = part
            else:
                return best
            lines = node.lines
            if type(lines) is int:
                best = lines
            elif pos < len(lines):  # type: ignore[arg-type]
                best = lines[pos]  # type: ignore[index]
            kids = node.kids
            node = kids[pos] if kids is not None and pos < len(kids) else None
        return best

    def refreshed(self, data: Any) -> LineTree:
        """This map after ``data`` was edited in place (fragments merged in, a key popped).

        The id-keyed map followed the edited data itself: an entry added (a fragment's value) has no
        line of its own, and a mapping's lines stay by position. The tree is brought to the same
        answers: each mapping's keys become its current keys (lines kept by position, children by
        key), each list's size its current length, an empty container that gained entries a node
        whose lines are all 0 (as the id-keyed map held for it). Only nodes are visited: an entry whose
        place is None answers its line for any path into it, whatever was added there.
        """
        if self.root is None or not isinstance(data, dict | list):
            return self
        shapes: dict[tuple[str, ...], dict[str, int]] = {}
        done: dict[int, LineNode] = {}
        return LineTree(self.file, root=_refresh(self.root, data, shapes, done), known=self.known)


def mapping_shape(mapping: dict[str, Any], shapes: dict[tuple[str, ...], dict[str, int]]) -> dict[str, int]:
    """Key -> position of ``mapping``, one dict shared (through ``shapes``) by every mapping with the same keys."""
    keys = tuple(mapping)
    found = shapes.get(keys)
    if found is None:
        found = shapes[keys] = {k: i for i, k in enumerate(keys)}
    return found


def _refresh(
    node: LineNode, value: Any, shapes: dict[tuple[str, ...], dict[str, int]], done: dict[int, LineNode]
) -> LineNode:
    kind = type(value)
    if kind is not dict and kind is not list:
        return node
    if node is EMPTY:  # shared by every empty container: never one of ``done``
        return LineNode(mapping_shape(value, shapes) if kind is dict else None, len(value), 0) if value else EMPTY
    seen = done.get(id(node))
    if seen is not None:  # one container at two places (a YAML alias): one node
        return seen
    kids = node.kids
    lines = node.lines
    if kind is dict:
        keys = node.keys or {}
        values = list(value.values())
        if len(keys) != len(value) or list(keys) != list(value):
            moved: list[LineNode | None] = []
            for pos, (key, child) in enumerate(zip(value, values, strict=True)):
                old = keys.get(key)
                kid = kids[old] if kids is not None and old is not None and old < len(kids) else None
                if kid is None and old is not None and old != pos and type(child) in (dict, list) and child:
                    # All of it sits on the line of its old place, which the walk no longer passes through
                    # (a value added with no line of its own, past the lines, stays without a node).
                    at = lines if type(lines) is int else lines[old] if old < len(lines) else None  # type: ignore[arg-type,index]
                    if at is not None:
                        kid = LineNode(mapping_shape(child, shapes) if type(child) is dict else None, len(child), at)
                moved.append(kid)
            kids = tuple(moved) if any(kid is not None for kid in moved) else None
        new = LineNode(mapping_shape(value, shapes), len(value), lines, kids)
    else:
        values = value
        if kids is not None and len(kids) != len(value):
            kids = tuple(kids[i] if i < len(kids) else None for i in range(len(value)))
        new = LineNode(None, len(value), lines, kids)
    done[id(node)] = new
    if new.kids is not None:
        new.kids = tuple(
            None if kid is None else _refresh(kid, child, shapes, done)
            for kid, child in zip(new.kids, values, strict=True)
        )
    return new
