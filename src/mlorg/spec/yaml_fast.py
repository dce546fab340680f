"""A fast front end for large YAML specs in the layout ``mlorg generate`` and ``mlorg import`` write.

The located builder (:mod:`mlorg.spec.document`) spends most of a large load in libyaml's events
and its own Python step per value: about 4.4 s of CPU for the 100,000-person generated
organization, where rapidyaml parses the same text in about 0.55 s. Here rapidyaml reads the text
and writes it out as JSON (both in C++) a run of lines at a time, and the standard library's C
decoder builds the data, as for a JSON spec (:mod:`mlorg.spec.json_doc`); the lines come from the
layout. The whole front end takes about 1.1 s on that organization.

It reads only what it can read exactly and returns None for everything else, which the located
builder then reads, so no data, line or message changes (the tests read every file both ways, and
change generated files at random to find where the two parsers part):

- the layout (:func:`_layout`): comment lines first, then top-level keys at the start of their lines,
  each ``key: value`` on one line, or a bare ``key:`` followed by list items one per line
  (``- {...}``), or by bare sub-keys each followed by such items (``collaboration:``, ``  ties:``).
  Lines are counted against what was read (as many items in each run as it has lines), so an entry
  over several lines, a comment or blank line among the entries, a block mapping or a multi-line
  scalar leaves the file to the builder;
- the characters (:func:`_plain`): nothing that can start an anchor, alias, tag, complex key, block
  scalar, directive, comment or merge key, no tab, no line break besides ``\\n``, no character outside
  YAML's printable set and no ``:`` without a space after it (libyaml refuses the last two where
  rapidyaml reads them), anywhere after the heading comments, even inside a quoted text;
- the scalars (:func:`_checked`): rapidyaml writes a plain scalar it does not read as a JSON number,
  boolean or null as a string, so any string the YAML 1.2 core schema could read as something else
  (``~``, ``True``, ``012``, ``0x1f``, ``.inf``) may have been written plain and sends the file to the
  builder, as does a key that could be other than text. Duplicate keys and nesting depth are counted
  over the JSON's bytes (:func:`mlorg.spec.json_doc.written_counts`), as for a JSON spec.

rapidyaml is a dependency where it has a wheel; without it every file goes to the builder. It
reports its own errors on the process's standard error before raising them, so that stream points
at the null device while it runs, which is done only in a process with one thread or in a one-shot
command's main thread (:func:`_may_quiet`), never beside the web app's other threads.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from mlorg.spec.document import MAX_DEPTH, Document, plain_text
from mlorg.spec.json_doc import DECODER, FlatMap, JsonSourceMap, NotExact, RowsMap, tally, tally_list, written_counts
from mlorg.spec.source import SourceMap

#: Below this many characters the builder costs little, and keeps the fast path off every small spec.
MIN_CHARS = 1 << 16

# Characters that can start an anchor, alias, tag, complex key, block scalar, directive or reserved
# indicator, or where libyaml and rapidyaml part ways on a plain scalar (libyaml refuses a ``:`` that is
# not followed by a space inside a flow collection, or a character outside YAML's printable set; rapidyaml
# reads both): any of them anywhere after the heading comments, even inside a quoted text, sends the
# file to the builder, as do a comment after the heading ones (``#``), a merge key (``<``), a tab and
# YAML's line breaks besides ``\n`` (CR, NEL, line and paragraph separators). A document marker or
# directive fails the layout (:func:`_layout`).
_RARE = "&*!?|>%@`#<"
_ALLOWED_ASCII = bytes(c for c in b"\n" + bytes(range(0x20, 0x7F)) if chr(c) not in _RARE)
_NOT_ALLOWED = re.compile(
    f"[{re.escape(_RARE)}\u2028\u2029]|[^\\n\\x20-\\x7e\\xa0-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
)
_NOT_ASCII = bytes(range(0x80, 0x100))
_SLICE_CHARS = 1 << 24
_COLON = re.compile(r":[^ \n]")
# A JSON string that might be one the core schema reads as something other than text, had it been written
# plain (a number, ``~``, ``Null``, ``True``, ``FALSE``...; checked exactly by :func:`plain_text`).
_CANDIDATE = re.compile(r'"([-+.0-9~][-+.0-9a-zA-Z]*|N(?:ull|ULL)|T(?:rue|RUE)|F(?:alse|ALSE))"')
# A key that is null, a boolean or empty, as rapidyaml writes keys (every one a string, the colon right after).
_AMBIGUOUS_KEYS = ('"":', '"null":', '"true":', '"false":')
_BARE_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]*")  # ``section:`` with nothing after it
_KEY_START = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*: ")
_RUN_CHARS = 1 << 18  # item lines read by rapidyaml at a time, in characters
_KEY_LINE = re.compile(r"\n[^\s#-]")  # a line that starts a top-level key (after the first)


def parse_fast(text: str, label: str, min_chars: int | None = None) -> Document | None:
    """The parsed document, or None when only the located builder can read ``text`` exactly (or ``text`` is
    shorter than ``min_chars``, by default :data:`MIN_CHARS`)."""
    if len(text) < (MIN_CHARS if min_chars is None else min_chars) or not _may_quiet() or not _plain(text):
        return None
    try:
        import ryml
    except ImportError:  # no wheel for this platform: the builder reads every file
        return None
    end = len(text)
    while end and text[end - 1] == "\n":
        end -= 1
    layout = _layout(text, end)
    if layout is None:
        return None
    try:
        with _quiet_stderr():
            data = _read(ryml, text, layout)
    except NotExact:
        return None
    finally:
        _trim()
    return Document(data, _source(label, layout, data), ())


def _may_quiet() -> bool:
    """Whether standard error may point at the null device for a moment: this is the process's only thread,
    or a one-shot command's main thread (its other threads draw the progress spinner, which only freezes)."""
    if threading.active_count() == 1:
        return True
    from mlorg.gcpause import held

    return held() and threading.current_thread() is threading.main_thread()


def _trim() -> None:
    """Give the C library's freed heap back to the system (glibc keeps part of what rapidyaml's trees freed:
    about 10 MiB more at the peak of a 100,000-person assessment without this); nothing where there is no such call."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):  # not glibc (musl has no malloc_trim)
            ctypes.CDLL(None).malloc_trim(0)


class _Section(NamedTuple):
    """A top-level key's line, and where its value is: on that line (``items`` None), in the item lines
    ``body[start:end]`` (``items`` their count), or under bare sub-keys (``subs``)."""

    line: int
    name: str | None  # the key, when written bare (``teams:``); else read from the line
    start: int
    end: int
    items: int | None = None
    subs: tuple[_Section, ...] = ()


def _read(ryml: Any, body: str, layout: list[_Section]) -> dict[str, Any]:
    """The data of ``body``: each key line, and each run of item lines, read by rapidyaml on its own."""
    buffer = bytearray()  # rapidyaml writes each run's JSON here (see _written)
    data: dict[str, Any] = {}
    for section in layout:
        if section.name is None:
            found = _checked(_written(ryml, body[section.start : section.end], buffer), MAX_DEPTH)
            if type(found) is not dict or len(found) != 1:
                raise NotExact
            ((key, value),) = found.items()
        else:
            key = section.name
            value = None
            if section.items is not None:
                value = _items(ryml, body, section, buffer, MAX_DEPTH - 1)
            elif section.subs:
                value = {}
                for sub in section.subs:
                    if sub.name in value:
                        raise NotExact  # a sub-key twice
                    value[sub.name] = None if sub.items is None else _items(ryml, body, sub, buffer, MAX_DEPTH - 2)
        if key in data:
            raise NotExact  # a key twice: the builder says where
        data[key] = value
    return data


def _items(ryml: Any, body: str, section: _Section, buffer: bytearray, depth: int) -> list[Any]:
    """The items in ``section``'s lines, one per line, read a run of lines at a time (rapidyaml's tree takes
    about 250 bytes per value, so a whole section at once would set the command's peak)."""
    items: list[Any] = []
    start, end = section.start, section.end
    while start < end:
        stop = body.find("\n", min(start + _RUN_CHARS, end))
        stop = end if stop < 0 or stop > end else stop
        found = _checked(_written(ryml, body[start:stop], buffer), depth)
        if type(found) is not list or len(found) != body.count("\n", start, stop) + 1:
            raise NotExact  # an item over several lines
        items += found
        start = stop + 1
    if len(items) != section.items:
        raise NotExact
    return items


def _written(ryml: Any, yaml: str, buffer: bytearray) -> str:
    """``yaml`` read by rapidyaml and written as JSON (into ``buffer``, grown as needed, then decoded: its
    ``emit_json_malloc`` never frees what it writes into); :class:`NotExact` if it could not."""
    try:
        tree = ryml.parse_in_arena(yaml.encode("utf-8"))
        failed, size = ryml.emit_json_to_substr(tree, tree.root_id(), buffer)
        if failed:
            buffer.extend(bytes(size - len(buffer)))
            failed, size = ryml.emit_json_to_substr(tree, tree.root_id(), buffer)
        if failed:
            raise NotExact
        return str(memoryview(buffer)[:size], "utf-8")
    except Exception:  # rapidyaml's own exception types, raised for anything it cannot read or write
        raise NotExact from None


def _checked(written: str, depth: int) -> Any:
    """The JSON ``written`` decoded; :class:`NotExact` unless it is the data the builder would read (no
    string that may have been a plain non-text scalar, no duplicate key, no nesting past ``depth``)."""
    if any(key in written for key in _AMBIGUOUS_KEYS) or _ambiguous(written):
        raise NotExact
    counts = written_counts(written, depth)
    if counts is None:
        raise NotExact
    try:
        data = DECODER.decode(written)
    except (ValueError, RecursionError):
        raise NotExact from None
    tallied = tally_list(data, written.count("{")) if type(data) is list else tally(data)
    if tallied != counts:  # a duplicate key keeps one of its values
        raise NotExact
    return data


def _plain(text: str) -> bool:
    """False if ``text`` may hold anything but plain data (conservative: a match inside a quoted text counts).
    The comment lines heading the file are skipped (:func:`_layout` allows comments there only); the rest
    is checked a slice at a time, so no copy of the whole text is made."""
    start = 0
    while text.startswith("#", start):
        start = text.find("\n", start) + 1
        if not start:
            return False
    for at in range(start, len(text), _SLICE_CHARS):
        try:
            raw = text[at : at + _SLICE_CHARS].encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, in a str a library caller passed: left to the builder
            return False
        rest = raw.translate(None, _ALLOWED_ASCII)
        # what is left: rare ASCII bytes, and every character that is not ASCII
        if rest and (rest.translate(None, _NOT_ASCII) or _NOT_ALLOWED.search(rest.decode("utf-8"))):
            return False
    return _COLON.search(text, start) is None


def _ambiguous(written: str) -> bool:
    """Whether a string in the JSON ``written`` could have been a plain scalar that is not text."""
    return not all(map(plain_text, set(_CANDIDATE.findall(written))))


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at the null device for a while (rapidyaml writes its errors there);
    :class:`NotExact` if it cannot (no descriptor 2, no null device), so the builder reads the file."""
    try:
        saved = os.dup(2)
    except OSError:
        raise NotExact from None
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        os.close(saved)
        raise NotExact from None
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


_SUB_ITEMS = ("\n  - ", "\n    - ")  # a sub-key's items: as far in as the sub-key, or further (not at column 0)
_SUB_KEY = re.compile(r"\n  (?![\s#-])")  # a sub-key's line, two spaces in (as ``mlorg import`` writes it)


def _layout(body: str, length: int) -> list[_Section] | None:
    """Every top-level key of ``body[:length]`` and where its value is, or None unless every line is a key or
    an item."""
    starts = [m.start() + 1 for m in _KEY_LINE.finditer(body, 0, length)]
    if body[:1] not in " #-\n":
        starts.insert(0, 0)
    if not starts or any(not row.startswith("#") for row in body[: starts[0]].split("\n")[:-1]):
        return None  # something other than comments before the first key
    sections: list[_Section] = []
    line = body.count("\n", 0, starts[0]) + 1
    for start, end in zip(starts, [*starts[1:], length + 1], strict=True):
        eol = body.find("\n", start, end - 1)
        if eol < 0:
            name = _bare(body, start, end - 1)
            if name is None and _KEY_START.match(body, start) is None:
                return None  # a key line is ``key: value`` with a plain key (not ``{a: b}``, not ``]x: y``)
            sections.append(_Section(line, name, start, end - 1))
            line += 1
            continue
        name = _bare(body, start, eol)
        if name is None:
            return None  # lines under a key that holds a value on its own line
        found = _under(body, eol, end - 1, line, name)
        if found is None:
            return None
        sections.append(found)
        line += 1 + body.count("\n", eol, end - 1)
    return sections


def _bare(body: str, start: int, end: int) -> str | None:
    """The key of the line ``body[start:end]`` if it is a bare ``key:`` whose key is text."""
    found = _BARE_KEY.fullmatch(body, start, end)
    if found is None or not plain_text(found[1]):
        return None
    return found[1]


def _item_rows(body: str, start: int, end: int, prefixes: tuple[str, ...] = ("\n- ", "\n  - ", "\n    - ")) -> bool:
    """Whether every line in ``body[start:end]`` (each after a ``\\n``) is a list item, all with one of
    ``prefixes`` (the indentations a list may have there)."""
    rows = body.count("\n", start, end)
    return any(body.count(prefix, start, end) == rows for prefix in prefixes)


def _under(body: str, start: int, end: int, line: int, name: str) -> _Section | None:
    """The bare key ``name`` on ``line`` with the lines ``body[start:end]`` (each after a ``\\n``) under it:
    list items one per line, or bare sub-keys each followed by such items."""
    if _item_rows(body, start, end):
        return _Section(line, name, start + 1, end, items=body.count("\n", start, end))
    cuts = [m.start() for m in _SUB_KEY.finditer(body, start, end)]
    if not cuts or cuts[0] != start:
        return None
    subs: list[_Section] = []
    at = line + 1
    for cut, stop in zip(cuts, [*cuts[1:], end], strict=True):
        eol = body.find("\n", cut + 1, stop)
        sub = _bare(body, cut + 3, stop if eol < 0 else eol)
        if sub is None or (eol >= 0 and not _item_rows(body, eol, stop, _SUB_ITEMS)):
            return None
        if eol < 0:  # nothing under it: null
            subs.append(_Section(at, sub, stop, stop))
            at += 1
            continue
        count = body.count("\n", eol, stop)
        subs.append(_Section(at, sub, eol + 1, stop, items=count))
        at += 1 + count
    return _Section(line, name, start, end, subs=tuple(subs))


def _source(label: str, layout: list[_Section], data: dict[str, Any]) -> SourceMap:
    """The map of ``data``, whose keys and items ``layout`` placed one for one."""
    keys: dict[str, int] = {}
    sections: dict[str, SourceMap] = {}
    for section, (key, value) in zip(layout, data.items(), strict=True):
        keys[key] = section.line
        if section.items is not None:
            sections[key] = RowsMap(label, entries=range(section.line + 1, section.line + 1 + section.items))
        elif section.subs:
            sections[key] = JsonSourceMap(
                label,
                keys={sub.name: sub.line for sub in section.subs if sub.name is not None},
                sections={
                    sub.name: RowsMap(label, entries=range(sub.line + 1, sub.line + 1 + sub.items))
                    for sub in section.subs
                    if sub.name is not None and sub.items is not None
                },
            )
        elif type(value) is list:
            sections[key] = FlatMap(label, at=section.line, size=len(value))
        elif type(value) is dict:
            sections[key] = FlatMap(label, at=section.line, names=frozenset(value))
    return JsonSourceMap(label, keys=keys, sections=sections)
