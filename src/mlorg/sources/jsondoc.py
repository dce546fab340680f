"""JSON inputs of the importers (an MLflow search answer, a Feast registry dump, a Slack export, OpenLineage
events), read with located problems.

The data is parsed with the standard :mod:`json` module (fast on large files); only when a problem
is found is the text parsed again for line numbers (JSON is YAML, and the spec's YAML reader
records the line of every entry), so a bad record is named as ``file:line: path.to.field``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlorg.errors import Problem, SpecError
from mlorg.spec.messages import shown
from mlorg.spec.source import PathPart, format_path

#: Deepest nesting a JSON input may have; deeper is hostile (a registry dump nests about 10 levels).
MAX_DEPTH = 64
#: Problems reported per input before the rest are dropped.
MAX_PROBLEMS = 50


def loads(text: str, label: str) -> Any:
    """Parse JSON text; a syntax error or hostile nesting is one located problem."""
    if not _shallow(text) and _depth(text) > MAX_DEPTH:
        raise SpecError.single(label, f"nests deeper than {MAX_DEPTH} levels, deeper than any export mlorg reads")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError.single(label, syntax_message(exc), exc.lineno) from None
    except RecursionError:  # pragma: no cover - _depth bounds it first
        raise SpecError.single(label, "nests too deep to read") from None


def answer(url: str, body: bytes, server: str) -> Any:
    """A server's answer read as JSON; anything else (HTML, a login page, hostile nesting) is one message
    naming the URL and asking whether it is the ``server`` the importer expects (``a Marquez server``)."""
    try:
        return loads(body.decode("utf-8"), url)
    except (UnicodeDecodeError, SpecError):
        raise SpecError.single(url, f"the answer is not JSON; is this {server}?") from None


#: The standard decoder's messages, in words that say what to look for.
_SAID = {
    "Expecting value": "expected a value",
    "Expecting ',' delimiter": "expected a comma between entries",
    "Expecting ':' delimiter": "expected a colon after the key",
    "Expecting property name enclosed in double quotes": "expected a key in double quotes",
    "Extra data": "more text after the JSON value ends",
    "Invalid control character at": "a control character (a tab, a line break) inside a text; write it as an escape",
    "Unterminated string starting at": "a text with no closing quote",
    "Invalid \\escape": "an escape JSON does not have",
    "Invalid \\uXXXX escape": "an escape JSON does not have",
}


def syntax_message(exc: json.JSONDecodeError) -> str:
    """What the decoder found wrong, with its column (the line goes in the problem's own place)."""
    return f"not valid JSON: {_SAID.get(exc.msg, exc.msg)} (column {exc.colno})"


def _shallow(text: str) -> bool:
    """Whether ``text`` surely nests at most :data:`MAX_DEPTH` deep, proved with byte operations (the spec's
    JSON reader's count); False leaves it to the exact walk, which is slow on a large file."""
    from mlorg.spec.json_doc import written_counts

    try:
        return written_counts(text, MAX_DEPTH) is not None
    except ValueError:  # a lone surrogate
        return False


def _depth(text: str) -> int:
    """Deepest bracket nesting outside strings, measured without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


@dataclass
class Checker:
    """Collects problems with the record path they concern; :meth:`done` raises them, located.

    ``label`` names the input (a file or a URL); ``text`` is the file's text when there is one, so
    that problems get line numbers; ``prefix`` is prepended to each path (``page 2`` for a URL).
    """

    label: str
    text: str | None = None
    prefix: str = ""
    found: list[tuple[tuple[PathPart, ...], str]] = field(default_factory=list)

    def problem(self, path: Sequence[PathPart], message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append((tuple(path), message))

    def expect(self, value: Any, kind: type | tuple[type, ...], path: Sequence[PathPart], what: str) -> bool:
        """True if ``value`` is of ``kind``; otherwise record "expected WHAT, got VALUE" and return False."""
        if isinstance(value, kind) and not (isinstance(value, bool) and kind in (int, (int, float))):
            return True
        self.problem(path, f"expected {what}, got {shown(value)}")
        return False

    def done(self) -> None:
        if not self.found:
            return
        source = None
        if self.text is not None:
            from mlorg.spec.document import parse

            try:
                source = parse(self.text, self.label).source
            except SpecError:
                source = None
        problems = []
        for path, message in self.found:
            line = source.line(path) if source is not None else 0
            where = format_path(path)
            if self.prefix:
                where = f"{self.prefix}: {where}" if where else self.prefix
            problems.append(Problem(self.label, line, where, message))
        raise SpecError(problems)
