"""Rewrite an older spec as the current version, as text edits that keep every comment and layout choice.

A leader's spec is a document they maintain by hand, so migration never re-serialises the YAML: it
locates the few tokens that change through the loader's line map and edits those lines only. Then it
proves the edit: the result is parsed again and must hold exactly the data the migration means
(same everything, ``version`` bumped, ``window_days: N`` read as ``window: Nd``) and must load as the
new version. Anything the edits cannot reach safely (a value on its own line, an alias, a merge key)
is refused with a located message rather than guessed at.

Version 1 to 2 changes two things in the text: the ``version`` line, and each feature's
``window_days: N``, which becomes ``window: Nd``. Everything else version 1 says means the same in
version 2 (a model without ``features`` was always meant as "not given").
"""

from __future__ import annotations

import copy
import re
from typing import Any

from mlorg.errors import Problem, SpecError
from mlorg.spec.loader import ParsedSpec, parse_spec, validate_spec
from mlorg.spec.models import SPEC_VERSION
from mlorg.spec.source import PathPart, format_path

#: Line breaks as YAML counts them (the line map's numbers follow these, not ``str.splitlines``).
_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")
#: A plain scalar value token after ``key:`` (stops at a comment, a flow separator or a line end).
_VALUE = r"(?P<value>[^\s,}\]#][^,}\]#\r\n]*?)(?=\s*(?:[,}\]]|\s#|$))"


def _key(name: str) -> str:
    """``name:`` as YAML may write it (plain, single- or double-quoted) with the value on the same line."""
    return rf"(?<![\w.\-\"'])(?P<key>(?P<q>[\"']?){name}(?P=q))(?P<colon>\s*:[ \t]*)" + _VALUE


_VERSION = re.compile(_key("version"))
_WINDOW_DAYS = re.compile(_key("window_days"))


def migrate_text(text: str, label: str) -> str:
    """The spec ``text`` rewritten as version :data:`SPEC_VERSION`; raises :class:`SpecError` if it cannot be.

    The input must be a valid spec of an older version: its own problems are reported first.
    """
    parsed = parse_spec(text, label)
    version = parsed.data.get("version")
    if version == SPEC_VERSION:
        raise SpecError.single(
            label,
            f"the spec is already at version {SPEC_VERSION}; nothing to migrate",
            line=parsed.source.line(("version",)),
            path="version",
        )
    validate_spec(parsed)  # an invalid spec is reported as it stands, before any rewrite
    edits: list[tuple[tuple[PathPart, ...], re.Pattern[str], str]] = [
        (("version",), _VERSION, str(SPEC_VERSION)),
    ]
    features = parsed.data.get("features")
    for i, item in enumerate(features if isinstance(features, list) else []):
        if isinstance(item, dict) and item.get("window_days") is not None:
            edits.append((("features", i, "window_days"), _WINDOW_DAYS, f"{item['window_days']}d"))
    migrated = _apply(text, parsed, edits, label)
    _verify(migrated, _expected(parsed.data), label)
    return migrated


def _apply(
    text: str, parsed: ParsedSpec, edits: list[tuple[tuple[PathPart, ...], re.Pattern[str], str]], label: str
) -> str:
    """Apply each edit to the line the line map gives for its path (several on one line: left to right)."""
    pieces = _BREAK.split(text)
    breaks = _BREAK.findall(text)
    done: dict[int, int] = {}  # line index -> end of the last edit on it
    for loc, pattern, value in edits:
        number = parsed.source.line(loc)
        index = number - 1
        line = pieces[index] if 0 <= index < len(pieces) else ""
        match = pattern.search(line, done.get(index, 0))
        if match is None or match["value"].startswith(("&", "*", "!")):  # anchors, aliases, tags: by hand
            raise _cannot(label, number, loc)
        new_key = "window" if loc[-1] == "window_days" else "version"
        replacement = f"{match['q']}{new_key}{match['q']}{match['colon']}{value}"
        pieces[index] = line[: match.start()] + replacement + line[match.end() :]
        done[index] = match.start() + len(replacement)
    out = [piece + sep for piece, sep in zip(pieces, [*breaks, ""], strict=True)]
    return "".join(out)


def _expected(data: dict[str, Any]) -> dict[str, Any]:
    """The data the migrated text must hold."""
    want = copy.deepcopy(data)
    want["version"] = SPEC_VERSION
    for item in want.get("features") or []:
        if isinstance(item, dict) and item.get("window_days") is not None:
            item["window"] = f"{item.pop('window_days')}d"
    return want


def _verify(migrated: str, want: dict[str, Any], label: str) -> None:
    """The rewrite must mean exactly what the migration says, and load as the new version."""
    try:
        again = parse_spec(migrated, label)
    except SpecError:
        again = None
    if again is None or again.data != want:
        raise SpecError.single(
            label,
            "cannot be migrated by editing its lines (it uses aliases, merge keys or values on lines of "
            f"their own where a change is needed); set `version: {SPEC_VERSION}` and rewrite each "
            "`window_days: N` as `window: Nd` by hand",
        )
    validate_spec(again)


def _cannot(label: str, line: int, loc: tuple[PathPart, ...]) -> SpecError:
    field = format_path(loc)
    how = (
        f"write `version: {SPEC_VERSION}`"
        if loc == ("version",)
        else "rewrite `window_days: N` as `window: Nd` by hand"
    )
    return SpecError([Problem(label, line, field, f"cannot be rewritten automatically here; {how}")])
