"""YAML text -> plain Python data plus a line map, in one guarded pass over libyaml's events.

PyYAML's C parser (libyaml) turns the text into events; this module builds dicts, lists and
scalars from them with an explicit stack instead of using PyYAML's composer and constructor:

- libyaml's composer recurses in C once per nesting level, so a file of 50,000 ``[`` crashes
  the process (segmentation fault) before any Python check can run. Here depth is counted as
  events arrive and refused past :data:`MAX_DEPTH`.
- one walk checks everything a spec loader must on the way: alias-expansion bombs, recursive
  aliases, duplicate keys (PyYAML silently keeps the last) and keys YAML reads as something
  other than text (``on:``, ``1:``).
- no node objects are kept: each mapping and list records only the line of each entry, which is
  all error messages and findings need, in a tree apart from the data (:class:`LineTree`) that
  keeps a node only for the containers whose lines are not known from where they sit, so the
  data can be freed once validated while every line stays known.

Scalars are read by one strict rule, the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules:
only ``true``/``false`` are booleans (``yes``, ``on``, ``y`` are text), ``1:30`` is text rather
than 5,400 in base 60, ``1_000`` and dates are text. Explicit tags are honoured only for the
core types (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!map``, ``!!seq``);
a value that does not fit its tag, or any other tag, is a located problem.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from mlorg.errors import Problem, SpecError
from mlorg.gcpause import gc_paused
from mlorg.spec.messages import shown
from mlorg.spec.source import EMPTY, LineNode, LineTree, PathPart, SourceMap, format_path, mapping_shape

try:  # the C parser is several times faster; fall back for platforms without libyaml
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 40
MAX_NODES_FACTOR = 4  # values an expanded document may hold per value written in the file
MAX_NODES_FLOOR = 100_000
MEMO_MAX = 1 << 18
STRINGS_MAX = 1 << 20  # distinct texts kept to be shared, at most (checked as each mapping or list ends)

_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ, MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"
NULL, BOOL, INT, FLOAT = _TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"
# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), nothing more.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = {f"{sign}.{word}": value for word in ("inf", "Inf", "INF") for sign, value in (("", 1), ("+", 1), ("-", -1))}
_SPECIAL_FLOATS = {k: float("inf") * v for k, v in _INF.items()} | {k: float("nan") for k in (".nan", ".NaN", ".NAN")}
# A plain scalar can only be something other than text if it starts with one of these.
_FIRST_CHARS = frozenset("0123456789-+.~nNtTfF<")
_TAG_NAMES = {NULL: "null", BOOL: "true or false", INT: "a whole number", FLOAT: "a number"}
_MERGE = object()  # a ``<<`` key
_UNSEEN = object()


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, where each part came from, and problems found on the way."""

    data: Any
    source: SourceMap
    problems: tuple[Problem, ...]


#: What a file parsed here should hold, for the messages: a spec unless the caller says otherwise.
SPEC = ("a spec", "a spec needs at least `version` and `organization`")


def parse(text: str, label: str, what: tuple[str, str] = SPEC) -> Document:
    """Parse ``text``; problems that make the rest pointless raise :class:`SpecError` at once.

    ``what`` names the kind of file (``a config file``) and what an empty one lacks, for the messages
    (a config file or an aliases file is read here too, and is not a spec).
    """
    with gc_paused():
        return _Builder(text, label, what).run()


#: What is known of a value's lines: None for a scalar; for a mapping or list, the one line all of it sits on
#: (every entry on it, no entry needing a node of its own) or its node (see :class:`LineTree`).
_Info = int | LineNode | None


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = (
        "anchor",
        "bad_key",
        "container",
        "is_map",
        "key",
        "key_line",
        "kids",
        "line",
        "lines",
        "merges",
        "size",
    )

    def __init__(self, container: dict[str, Any] | list[Any], line: int, anchor: str | None) -> None:
        self.container: Any = container
        self.is_map = isinstance(container, dict)
        self.line = line
        self.anchor = anchor
        self.lines: list[int] = []  # line of each entry, in the container's order
        self.size = 1
        self.key: Any = None  # pending mapping key (None: the next value is a key)
        self.key_line = 0
        self.bad_key: str | None = None
        self.merges: list[tuple[Any, int, int, _Info]] = []  # (value, line, expanded size, its lines)
        self.kids: list[tuple[int, LineNode]] | None = None  # (position, node) of the entries that need one


class _Builder:
    """Builds one document's data from libyaml's events, checking as it goes."""

    def __init__(self, text: str, label: str, what: tuple[str, str] = SPEC) -> None:
        self.text = text
        self.label = label
        self.what = what
        try:
            self.loader = BaseLoader(text)
        except UnicodeEncodeError as exc:  # a lone surrogate: a str a library caller built, never a file's text
            raise self.surrogate_error(exc) from None
        self.plain: dict[str, Any] = {}  # plain scalar text -> its value (memoised: specs repeat values)
        # Each text once: the same key or value (a team's id, `roles`) in many mappings is one object, in
        # the data and in the models validated from it, instead of one per occurrence.
        self.strings: dict[str, str] = {}
        self.shapes: dict[tuple[str, ...], dict[str, int]] = {}  # a mapping's keys -> their positions, shared
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, _Info]] = {}
        self.open_anchors: set[str] = set()
        self.problems: list[Problem] = []
        self.written = 0
        self.copied = 0  # entries copied by merge keys, the one YAML feature that copies rather than shares

    # ---- driving the parser -----------------------------------------------------------------
    def run(self) -> Document:
        try:
            data, expanded, info = self.document()
        except yaml.MarkedYAMLError as exc:
            # libyaml scans ahead of the events and (since PyYAML 6.0.4) refuses deep nesting with
            # its own words before the depth check in ``open`` can speak: measure it ourselves.
            deep = too_deep(self.text, MAX_DEPTH)
            if deep is not None:
                raise SpecError.single(self.label, f"nesting deeper than {MAX_DEPTH} levels", line=deep) from None
            raise self.syntax_error(exc) from None
        except yaml.reader.ReaderError as exc:
            raise self.reader_error(exc) from None
        except yaml.YAMLError as exc:
            raise SpecError.single(self.label, f"YAML error: {exc}") from None
        finally:
            self.loader.dispose()
        limit = max(MAX_NODES_FLOOR, MAX_NODES_FACTOR * self.written)
        if expanded > limit:
            raise SpecError.single(
                self.label,
                f"YAML aliases expand to {expanded:,} values from {self.written:,} written; "
                "refusing what looks like an alias bomb",
                line=1,
            )
        return Document(data, self.line_tree(data, info), tuple(self.problems))

    def line_tree(self, data: Any, info: _Info) -> LineTree:
        if info is None:
            return LineTree(self.label, root=None, known=data is not None)
        return LineTree(self.label, root=self.node(data, info) if type(info) is int else info)  # type: ignore[arg-type]

    def document(self) -> tuple[Any, int, _Info]:
        get: Callable[[], Any] = self.loader.get_event
        get()  # stream start
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            raise SpecError.single(self.label, f"file is empty; {self.what[1]}")
        data, size, info = self.build(get)
        get()  # document end
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise SpecError.single(
                self.label,
                f"{self.what[0]} is one YAML document; remove the second `---`",
                line=_line(event.start_mark),
            )
        return data, size, info

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> SpecError:
        """libyaml's own words, at the line it stopped (the last line if it ran off the end)."""
        last = max(1, self.text.count("\n") + (0 if self.text.endswith("\n") else 1))
        line = min(_line(exc.problem_mark or exc.context_mark), last)
        tab = _tab_column(self.text, exc.problem_mark)
        if tab is not None:
            return SpecError.single(
                self.label,
                f"a tab character indents this line (column {tab}); YAML indents with spaces only: "
                "replace the tab with spaces",
                line=line,
            )
        what = exc.problem or exc.context or "invalid YAML"
        context = ""
        if exc.context and exc.problem:
            started = _line(exc.context_mark)
            context = f" ({exc.context}" + (f" started on line {started})" if started and started != line else ")")
        return SpecError.single(self.label, f"YAML syntax error: {what}{context}", line=line)

    def surrogate_error(self, exc: UnicodeEncodeError) -> SpecError:
        char = ord(self.text[exc.start])
        return SpecError.single(
            self.label,
            f"character U+{char:04X} is a lone surrogate, which no UTF-8 text can hold; "
            "remove it or write the character it was meant to be",
            line=self.text.count("\n", 0, exc.start) + 1,
        )

    def reader_error(self, exc: yaml.reader.ReaderError) -> SpecError:
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        # libyaml reads the text as UTF-8, so the position is a byte offset
        line = self.text.encode("utf-8", "surrogatepass")[: max(0, exc.position)].count(b"\n") + 1
        return SpecError.single(
            self.label,
            f"character {shown(chr(char))} (U+{char:04X}) is not allowed in YAML; "
            f'write it as an escape inside double quotes ("{_escape(char)}")',
            line=line,
        )

    def build(self, get: Callable[[], Any]) -> tuple[Any, int, _Info]:
        """Consume the events of one node (the document root) and return its value, size and lines.

        The common cases (a plain or quoted text scalar, a text key, a new key) are handled
        inline: this loop runs once per value in the file.
        """
        stack = self.stack
        first_chars = _FIRST_CHARS  # names and ids mostly start elsewhere and skip the lookup
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        strings = self.strings
        shared = strings.setdefault
        info: _Info
        while True:
            event: Any = get()
            cls = event.__class__
            if cls is scalar_event:
                self.written += 1
                size = 1
                info = None
                text = event.value
                if event.tag is None and (not event.implicit[0] or (text and text[0] not in first_chars)):
                    value = shared(text, text)  # quoted, or plain text that cannot be anything else: its one copy
                else:
                    value = self.scalar(event)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1, None)
                line = event.start_mark.line + 1
            elif cls is alias_event:
                value, size, info = self.alias(event)
                line = event.start_mark.line + 1
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                self.open(event)
                continue
            else:  # the end of a mapping or list
                frame = stack[-1]
                value, info = self.close(frame)
                size = frame.size
                stack.pop()
                if len(strings) > STRINGS_MAX:  # bounded: later texts share among themselves
                    strings.clear()
                line = frame.line  # a mapping or list is located where it starts
            if not stack:
                return value, size, info
            top = stack[-1]
            if not top.is_map:
                top.container.append(value)
                top.lines.append(line)
                top.size += size
                if info is not None:
                    self.adopt(top, value, info, line)
            elif top.key is None:
                if type(value) is str:
                    top.key, top.key_line, top.bad_key = value, line, None
                else:
                    self.take_key(top, value, event, line)
            elif top.bad_key is None and type(top.key) is str and top.key not in top.container and value is not _MERGE:
                top.container[top.key] = value
                top.lines.append(top.key_line)
                top.size += size
                top.key = None
                if info is not None:
                    self.adopt(top, value, info, top.key_line)
            else:
                self.put(top, value, size, info)

    # ---- events --------------------------------------------------------------------------------
    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag is None:
            if not event.implicit[0]:
                return text  # quoted: always text
            found = self.plain.get(text, _UNSEEN)
            if found is _UNSEEN:
                found = self.convert(event, None, text)
                if len(self.plain) < MEMO_MAX:
                    self.plain[text] = found
            return found
        if tag in ("!", STR):  # "!" is YAML's non-specific tag: text
            return text
        if tag == MERGE and text == "<<":
            return _MERGE
        if tag not in _TAG_NAMES:
            raise self.fatal(event, f"unsupported YAML tag {_tag(tag)}; a spec holds text, numbers, true/false, null")
        value = self.convert(event, tag, text)
        if value is _UNSEEN:
            raise self.fatal(event, f"{shown(text)} is not {_TAG_NAMES[tag]}, as its tag {_tag(tag)} requires")
        return value

    def convert(self, event: yaml.ScalarEvent, tag: str | None, text: str) -> Any:
        """The core-schema value of ``text``: for a plain scalar (``tag`` None) whatever it reads as,
        else the value of that tag's type, or ``_UNSEEN`` if the text is not one."""
        if tag is None and text == "<<":
            return _MERGE
        if tag in (None, NULL) and text in _NULLS:
            return None
        if tag in (None, BOOL) and text in _BOOLS:
            return _BOOLS[text]
        if tag in (None, INT, FLOAT) and _INT.fullmatch(text):
            try:
                number = _integer(text)
            except ValueError:  # Python refuses to convert integers of more than 4,300 digits
                raise self.fatal(event, f"number {shown(text)} is too long") from None
            return float(number) if tag == FLOAT else number
        if tag in (None, FLOAT):
            if _FLOAT.fullmatch(text):
                return float(text)
            if text in _SPECIAL_FLOATS:
                return _SPECIAL_FLOATS[text]
        return text if tag is None else _UNSEEN

    def alias(self, event: yaml.AliasEvent) -> tuple[Any, int, _Info]:
        name = event.anchor
        if name in self.open_anchors:
            raise self.fatal(event, f"recursive YAML alias *{name}: a value contains itself")
        found = self.anchors.get(name)  # type: ignore[arg-type]
        if found is None:
            raise self.fatal(event, f"alias *{name} refers to no anchor (&{name}) defined before it")
        return found

    def open(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (None, "!", MAP if is_map else SEQ):
            raise self.fatal(event, f"unsupported YAML tag {_tag(event.tag)}; a spec holds plain mappings and lists")
        if len(self.stack) >= MAX_DEPTH:
            raise self.fatal(event, f"nesting deeper than {MAX_DEPTH} levels", located=False)
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self.written += 1
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, _line(event.start_mark), event.anchor))

    def close(self, frame: _Frame) -> tuple[Any, _Info]:
        """Finish a mapping or list: merge keys applied; return it and what is known of its lines.

        A container whose entries all sit on one line and hold no node themselves is known by that
        line alone; its parent keeps no node for it when that is also the line it sits on there
        (:meth:`adopt`). Any other container gets its node: its entries' lines, one int when they are
        all on one line (flow style) or else an unboxed array, and its children's nodes by position.
        """
        container = frame.container
        for merged, line, size, info in frame.merges:
            self.merge(frame, merged, line, info)
            frame.size += size
        lines = frame.lines
        found: _Info
        if not lines:
            found = EMPTY
        else:
            first = lines[0]
            # Compact: one int when every entry sits on one line (flow style, as `mlorg generate` writes),
            # else an unboxed array; a list of boxed ints per container was a tenth of peak memory.
            compact: int | array[int] = first if lines.count(first) == len(lines) else array("I", lines)
            kids: tuple[LineNode | None, ...] | None = None
            if frame.kids is not None:
                placed: list[LineNode | None] = [None] * len(lines)
                for pos, node in frame.kids:
                    placed[pos] = node
                kids = tuple(placed)
            found = compact if kids is None and type(compact) is int else self.node(container, compact, kids)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (container, frame.size, found)
        return container, found

    def adopt(self, frame: _Frame, value: Any, info: int | LineNode, line: int) -> None:
        """A mapping or list just became the last entry of ``frame``, on ``line``: keep its node if it needs one.

        One all on that very line needs none: a walk that reaches it already holds that line, and every
        path into it answers the same.
        """
        if type(info) is int:
            if info == line:
                return
            info = self.node(value, info)
        if frame.kids is None:
            frame.kids = []
        frame.kids.append((len(frame.lines) - 1, info))  # type: ignore[arg-type]

    def node(
        self,
        container: dict[str, Any] | list[Any],
        lines: int | array[int],
        kids: tuple[LineNode | None, ...] | None = None,
    ) -> LineNode:
        if type(container) is not dict:
            return LineNode(None, len(container), lines, kids)
        return LineNode(mapping_shape(container, self.shapes), len(container), lines, kids)

    def take_key(self, top: _Frame, value: Any, event: yaml.Event, line: int) -> None:
        top.key_line = line
        top.bad_key = None
        if type(value) is str or value is _MERGE:
            top.key = value
            return
        top.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
        if isinstance(value, dict | list):
            top.bad_key = "a key must be plain text, not a list or mapping"
        elif isinstance(event, yaml.ScalarEvent):
            kind = "null" if value is None else "a boolean" if isinstance(value, bool) else "a number"
            top.bad_key = f"key {shown(event.value)} is read as {kind}; put it in quotes if you mean the text"
        else:
            top.bad_key = "a key must be plain text"

    def put(self, top: _Frame, value: Any, size: int, info: _Info) -> None:
        key, top.key = top.key, None
        mapping: dict[str, Any] = top.container
        if value is _MERGE:
            value = "<<"
        if key is _MERGE:
            top.merges.append((value, top.key_line, size, info))
        elif top.bad_key is not None:
            self.problem(top.key_line, str(key), top.bad_key)
        elif key in mapping:
            first = top.lines[list(mapping).index(key)]
            self.problem(top.key_line, key, f"duplicate key {shown(key)} (first on line {first}); keep one")
        else:
            mapping[key] = value
            top.lines.append(top.key_line)
            top.size += size
            if info is not None:
                self.adopt(top, value, info, top.key_line)

    def merge(self, frame: _Frame, merged: Any, line: int, info: _Info) -> None:
        """Apply a ``<<:`` merge key: explicit keys win, earlier merged mappings over later ones.

        Merging copies entries, so many merges of one big mapping could fill memory from a small
        file; copies are counted and refused past the same budget as alias expansion.
        """
        mapping: dict[str, Any] = frame.container
        sources = merged if isinstance(merged, list) else [merged]
        for at, source in enumerate(sources):
            if not isinstance(source, dict):
                self.problem(line, "<<", "a merge key (<<) takes a mapping or a list of mappings")
                continue
            lines = _entry(info, at) if sources is merged else info
            self.copied += len(source)
            if self.copied > MAX_NODES_FLOOR + MAX_NODES_FACTOR * self.written:
                raise SpecError.single(
                    self.label,
                    f"merge keys (<<) copy over {self.copied:,} entries from {self.written:,} written; "
                    "refusing what looks like a merge bomb",
                    line=line,
                )
            for pos, (k, v) in enumerate(source.items()):
                if k not in mapping:
                    mapping[k] = v
                    frame.lines.append(line)
                    if type(v) is dict or type(v) is list:
                        self.adopt(frame, v, _entry(lines, pos), line)  # type: ignore[arg-type]

    # ---- reporting -------------------------------------------------------------------------------
    def path(self, last: PathPart | None = None) -> tuple[PathPart, ...]:
        """Breadcrumb of the value being built (each open mapping's pending key, each list's index)."""
        parts: list[PathPart] = []
        for frame in self.stack[:-1]:
            if frame.is_map:
                parts.append("<<" if frame.key is _MERGE else str(frame.key))
            else:
                parts.append(len(frame.container))
        if last is not None:
            parts.append(last)
        return tuple(parts)

    def problem(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.label, line, format_path(self.path(key)), message))

    def fatal(self, event: yaml.Event, message: str, located: bool = True) -> SpecError:
        """A problem that stops parsing, at the field being read (``located``) or the line alone."""
        return SpecError.single(self.label, message, line=_line(event.start_mark), path=self.here() if located else "")

    def here(self) -> str:
        """Breadcrumb of the value whose event just arrived."""
        parts: list[PathPart] = []
        for frame in self.stack:
            if not frame.is_map:
                parts.append(len(frame.container))
            elif frame.key is not None:
                parts.append("<<" if frame.key is _MERGE else str(frame.key))
        return format_path(parts)


def _entry(info: _Info, pos: int) -> _Info:
    """What is known of the lines of entry ``pos`` of a mapping or list known by ``info``, if a mapping or list."""
    if info is None or type(info) is int:
        return info  # one all on one line holds only mappings and lists all on that line
    kids = info.kids  # type: ignore[union-attr]
    kid = kids[pos] if kids is not None else None
    if kid is not None:
        return kid
    lines = info.lines  # type: ignore[union-attr]
    return lines if type(lines) is int else lines[pos]  # type: ignore[index]


_FLOW = re.compile(r"""[\[\]{}]|#.*|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_ITEMS = re.compile(r"(?:-[ ]+)*")


def too_deep(text: str, limit: int) -> int | None:
    """The line at which nesting first goes past ``limit`` levels, or None.

    Our own measure, independent of any parser's limits: block levels come from each line's
    indentation (every leading ``- `` is one more), flow levels from brackets outside quotes and
    comments. It is consulted only once the parser has already failed, so its approximations
    (a quoted text spanning lines, say) can never reject a file the parser accepts.
    """
    indents: list[int] = []
    flow = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw.lstrip(" ")
        base = len(indents)
        if flow == 0 and body and not body.startswith("#"):
            indent = len(raw) - len(body)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            base = len(indents) + _ITEMS.match(body).group().count("-")  # type: ignore[union-attr]
        if base + flow > limit:
            return number
        for match in _FLOW.finditer(body):
            token = match.group()
            if token in ("[", "{"):
                flow += 1
                if base + flow > limit:
                    return number
            elif token in ("]", "}"):
                flow = max(0, flow - 1)
    return None


def plain_text(text: str) -> bool:
    """Whether ``text``, written as a plain scalar, reads as text under the core schema (what :meth:`_Builder.convert`
    makes of it): :mod:`mlorg.spec.yaml_fast` asks of every string that may have been written plain."""
    return not (
        text in _NULLS
        or text in _BOOLS
        or text in _SPECIAL_FLOATS
        or text == "<<"
        or _INT.fullmatch(text)
        or _FLOAT.fullmatch(text)
    )


def _integer(text: str) -> int:
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # YAML 1.2: a leading zero is still decimal


def _escape(char: int) -> str:
    return f"\\x{char:02x}" if char < 0x100 else f"\\u{char:04x}"


def _line(mark: Any) -> int:
    return int(mark.line) + 1 if mark is not None else 0


def _tag(tag: str | None) -> str:
    return shown((tag or "").replace(_TAG, "!!"))


def _tab_column(text: str, mark: Any) -> int | None:
    """The 1-based column of the tab in the indentation of the line libyaml stopped at, if any.

    libyaml calls a tab in the indentation "a character that cannot start any token" or "a tab
    character that violates indentation"; either way the fix is the same, so say it once, plainly.
    """
    if mark is None:
        return None
    lines = text.split("\n")
    line: int = mark.line
    column: int = mark.column
    if not 0 <= line < len(lines):
        return None
    row = lines[line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    if "\t" not in indent or column > len(indent):
        return None
    return indent.index("\t") + 1
