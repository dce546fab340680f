"""Where each part of a loaded spec came from, so errors and findings can name a line.

Lines are looked up lazily by walking the composed YAML node tree: nothing is recorded per
field at load time, which keeps loading a 100,000-person spec as cheap as parsing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

PathPart = str | int
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


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
    return tuple(int(idx) if idx else name for name, idx in _PART.findall(path))


@dataclass(frozen=True)
class SourceMap:
    """The file a spec came from and its YAML node tree."""

    file: str
    root: yaml.Node | None

    def line(self, path: Sequence[PathPart] | str) -> int:
        """1-based line of the deepest node on ``path`` that exists (0 if nothing is known)."""
        parts = parse_path(path) if isinstance(path, str) else path
        node = self.root
        if node is None:
            return 0
        best = node.start_mark.line + 1
        for part in parts:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == part:
                        best = key.start_mark.line + 1
                        nxt = value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt = node.value[part]
            if nxt is None:
                return best
            node = nxt
            if not isinstance(node, yaml.MappingNode | yaml.SequenceNode) or node.value:
                best = node.start_mark.line + 1
        return best
