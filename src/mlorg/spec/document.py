"""YAML text -> plain Python data plus the node tree, in one guarded pass.

libyaml (PyYAML's C parser) composes the node tree; this module then builds dicts, lists and
scalars from it itself instead of using PyYAML's generic constructor, because one walk can do
everything a spec loader must check on the way: nesting depth, alias-expansion bombs, recursive
aliases, duplicate keys (PyYAML silently keeps the last) and keys that YAML reads as something
other than text (``on:``, ``1:``). Scalars are converted by PyYAML's own safe constructors, so
values mean exactly what they mean to ``yaml.safe_load``. The walk is also faster than PyYAML's
constructor, which keeps loading a 100,000-person spec close to the cost of parsing it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from mlorg.errors import Problem, SpecError
from mlorg.spec.messages import shown
from mlorg.spec.source import PathPart, format_path

try:  # the C parser is several times faster; fall back for platforms without libyaml
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 40
MAX_NODES_FACTOR = 4  # values an expanded document may hold per value written in the file
MAX_NODES_FLOOR = 100_000

_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ, MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"
_SCALARS = {
    tag: fn
    for tag, fn in SafeConstructor.yaml_constructors.items()
    if tag and tag.startswith(_TAG) and tag[len(_TAG) :] in {"null", "bool", "int", "float", "timestamp", "binary"}
}
_KINDS = {_TAG + "null": "null", _TAG + "bool": "a boolean", _TAG + "int": "a number", _TAG + "float": "a number"}


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, its node tree (for line numbers) and problems found on the way."""

    data: Any
    root: yaml.Node
    problems: tuple[Problem, ...]


MEMO_MAX = 1 << 16


class SpecLoader(BaseLoader):
    """libyaml's parser with a memo on implicit tag resolution.

    The parser asks Python to resolve the tag of every plain scalar (is ``42`` a number, is
    ``yes`` a boolean?) by trying regular expressions; specs repeat the same keys and values
    thousands of times, so remembering the answers cuts a large share of the parse time.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.memo: dict[str, str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> Any:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        tag = self.memo.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(self.memo) < MEMO_MAX:
                self.memo[value] = tag
        return tag


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic trees.

    Loading creates millions of small objects and no cycles; with the collector running, each
    generation-2 pass walks every one of them, which made parsing a 100,000-person spec about
    twice as slow and worse than linear. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compose(text: str, label: str) -> yaml.Node:
    """Parse YAML into a node tree, turning syntax errors into located problems."""
    try:
        loader = SpecLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise SpecError.single(label, f"YAML syntax error: {what}{context}", line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError.single(label, f"YAML error: {exc}") from None
    if node is None:
        raise SpecError.single(label, "file is empty; a spec needs at least `version` and `organization`")
    return node


def parse(text: str, label: str) -> Document:
    """Compose and build ``text``; fatal shape problems raise :class:`SpecError` at once."""
    with gc_paused():
        root = compose(text, label)
        return _Builder(label, root).run()


class _Builder:
    """Builds data from nodes, sharing what aliases share, and counting what they expand to."""

    def __init__(self, label: str, root: yaml.Node) -> None:
        self.label = label
        self.root = root
        self.memo: dict[int, tuple[Any, int]] = {}  # container node id -> (value, expanded size)
        self.active: set[int] = set()
        self.written = 0
        self.bad: list[tuple[yaml.Node, str]] = []  # (node, message) for non-fatal problems
        self.constructor = SafeConstructor()

    def run(self) -> Document:
        data, expanded = self.node(self.root, 1)
        limit = max(MAX_NODES_FLOOR, MAX_NODES_FACTOR * self.written)
        if expanded > limit:
            raise SpecError.single(
                self.label,
                f"YAML aliases expand to {expanded:,} values from {self.written:,} written; "
                "refusing what looks like an alias bomb",
                line=1,
            )
        problems = tuple(self.problem(node, message) for node, message in self.bad)
        return Document(data, self.root, problems)

    def fatal(self, node: yaml.Node, message: str) -> SpecError:
        return SpecError.single(self.label, message, line=node.start_mark.line + 1)

    def problem(self, node: yaml.Node, message: str) -> Problem:
        path = _path_to(self.root, node)
        return Problem(self.label, node.start_mark.line + 1, format_path(path or ()), message)

    def node(self, node: yaml.Node, depth: int) -> tuple[Any, int]:
        """The value of ``node`` and how many values it expands to (aliases counted each time)."""
        if type(node) is yaml.ScalarNode:
            self.written += 1
            return self.scalar(node), 1
        key = id(node)
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        if key in self.active:
            raise self.fatal(node, "recursive YAML alias: a value contains itself")
        if depth > MAX_DEPTH:
            raise self.fatal(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.active.add(key)
        result: tuple[Any, int]
        if type(node) is yaml.MappingNode and node.tag == MAP:
            result = self.mapping(node, depth)
        elif type(node) is yaml.SequenceNode and node.tag == SEQ:
            result = self.sequence(node, depth)
        else:
            raise self.fatal(node, f"unsupported YAML tag {_tag(node)}; a spec holds plain mappings and lists")
        self.active.discard(key)
        self.memo[key] = result
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == STR:
            return node.value
        fn = _SCALARS.get(node.tag)
        if fn is None:
            raise self.fatal(node, f"unsupported YAML tag {_tag(node)}")
        try:
            return fn(self.constructor, node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            raise self.fatal(node, f"cannot read {node.value!r} as {node.tag.removeprefix(_TAG)}") from None

    def sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        size = 1
        self.written += 1
        for child in node.value:
            if type(child) is yaml.ScalarNode:
                self.written += 1
                out.append(child.value if child.tag == STR else self.scalar(child))
                size += 1
            else:
                value, n = self.node(child, depth + 1)
                out.append(value)
                size += n
        return out, size

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] | None = None
        merges: list[yaml.Node] = []
        size = 1
        self.written += 1
        for knode, vnode in node.value:
            self.written += 1
            if type(knode) is not yaml.ScalarNode or knode.tag != STR:
                if knode.tag == MERGE:
                    merges.append(vnode)
                    continue
                self.bad.append((knode, _key_message(knode)))
                continue
            key = knode.value
            if type(vnode) is yaml.ScalarNode:
                self.written += 1
                value: Any = vnode.value if vnode.tag == STR else self.scalar(vnode)
                size += 1
            else:
                value, n = self.node(vnode, depth + 1)
                size += n
            if key in out:
                if first is None:
                    first = {}
                    for k, _ in node.value:
                        first.setdefault(k.value, k)
                self.bad.append(
                    (knode, f"duplicate key {key!r} (first on line {first[key].start_mark.line + 1}); keep one")
                )
                continue
            out[key] = value
        for merged in merges:
            size += self.merge(out, merged, depth)
        return out, size

    def merge(self, out: dict[str, Any], node: yaml.Node, depth: int) -> int:
        """Apply a ``<<:`` merge key: explicit keys win, earlier merged mappings win over later ones."""
        sources = node.value if type(node) is yaml.SequenceNode else [node]
        size = 0
        for source in sources:
            value, n = self.node(source, depth + 1)
            if not isinstance(value, dict):
                self.bad.append((source, "a merge key (<<) takes a mapping or a list of mappings"))
                continue
            size += n
            for k, v in value.items():
                out.setdefault(k, v)
        return size


def _tag(node: yaml.Node) -> str:
    return shown(node.tag.replace(_TAG, "!!"))


def _key_message(knode: yaml.Node) -> str:
    if type(knode) is not yaml.ScalarNode:
        return "a key must be plain text, not a list or mapping"
    kind = _KINDS.get(knode.tag, f"a {knode.tag.removeprefix(_TAG)}")
    return f"key {knode.value!r} is read as {kind}; put it in quotes if you mean the text"


def _path_to(root: yaml.Node, target: yaml.Node) -> tuple[PathPart, ...] | None:
    """Breadcrumb of ``target`` (a node or a mapping key node); only called when reporting."""
    stack: list[tuple[yaml.Node, tuple[PathPart, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                if k is target:
                    return (*path, name)
                stack.append((v, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*path, i)) for i, child in enumerate(node.value))
    return None
