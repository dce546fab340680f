"""Where each part of a loaded spec came from, so errors and findings can name a line.

The parser records, for every mapping and list, the line of each of its entries (nothing per
scalar, no node objects), and :meth:`SourceMap.line` walks the data along a path to find the
deepest entry that exists. That keeps loading a 100,000-person spec close to the cost of parsing it.
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
    entries, in order: one int when they all sit on that line, else a sequence (a compact ``array``
    from the parser); ``data`` is held so those ids stay valid.
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

    def _position(self, mapping: dict[str, Any], key: str) -> int:
        """Where ``key`` (known to be there) sits in ``mapping``."""
        if len(mapping) <= _SMALL:
            return list(mapping).index(key)
        table = self._positions.get(id(mapping))
        if table is None:
            table = {k: i for i, k in enumerate(mapping)}
            self._positions[id(mapping)] = table
        return table[key]
