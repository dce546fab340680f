"""The fast YAML front end (issue 14) gives the located builder's data and lines, or steps aside.

Every file is read both ways: whatever :func:`parse_fast` returns must equal the builder's data
(types included) and answer every path with the builder's line; whatever it cannot read exactly it
must leave to the builder (``None``), so every located message stays the builder's.
"""

from __future__ import annotations

import math
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mlorg
from mlorg.errors import SpecError
from mlorg.spec.document import parse, plain_text
from mlorg.spec.yaml_fast import parse_fast
from mlorg.synth import generate
from mlorg.yaml_text import flow
from network import synthetic

pytest.importorskip("ryml", reason="rapidyaml has no wheel for this platform; the builder reads every file")


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types throughout (``1``, ``1.0`` and ``True`` are not the same value here)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``value``, and one past each end (a key or position that is not there)."""
    yield prefix
    if type(value) is dict:
        yield (*prefix, "not-a-key")
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif type(value) is list:
        yield (*prefix, len(value))
        for i, v in enumerate(value):
            yield from paths(v, (*prefix, i))
    else:
        yield (*prefix, "below")


def fast_or_none(text: str) -> bool:
    """Read ``text`` both ways; True if the fast path read it (then exactly as the builder did)."""
    fast = parse_fast(text, "org.yaml", min_chars=0)
    if fast is None:
        return False
    slow = parse(text, "org.yaml")
    assert not slow.problems
    assert same(fast.data, slow.data)
    for p in paths(slow.data):
        assert fast.source.line(p) == slow.source.line(p), p
    return True


def import_style(data: dict[str, Any]) -> str:
    """``data`` written as ``mlorg import`` writes a fragment (mlorg.sources.fragment.render)."""
    lines = ["# Written by `mlorg import`.", "# note: a test"]
    for key, value in data.items():
        if type(value) is list and value:
            lines.append(f"{key}:")
            lines += [f"- {flow(item)}" for item in value]
        elif key == "collaboration":
            lines.append("collaboration:")
            for sub in ("ties", "reviews"):
                if value.get(sub):
                    lines.append(f"  {sub}:")
                    lines += [f"  - {flow(entry)}" for entry in value[sub]]
        else:
            lines.append(f"{key}: {flow(value)}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("people", [40, 300, 3000])
def test_a_generated_organization_is_read_fast_and_exactly(people: int) -> None:
    assert fast_or_none(generate(people, seed=people))


def test_an_imported_fragment_with_collaboration_ties_is_read_fast_and_exactly() -> None:
    data = synthetic.spec(silo=False, bridge=True)
    del data["collaboration"]["period"]  # the importers write ties and reviews only
    text = import_style(data)
    assert "\n  ties:\n  - {" in text
    assert fast_or_none(text)


def test_items_in_runs_across_the_run_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mlorg.spec.yaml_fast._RUN_CHARS", 300)  # many runs, each ending mid-way
    assert fast_or_none(generate(500, seed=2))


BASE = "# header\nversion: 1\norganization: {name: Acme, headcount: 10}\nteams:\n- {id: a, kind: ml}\n- {id: b}\n"

# Each text either is read exactly or left to the builder; the ones marked False must be left to it.
EDGES: dict[str, tuple[str, bool | None]] = {
    "plain": (BASE, True),
    "indented items": (BASE.replace("\n- ", "\n  - "), True),
    "quoted numbers stay text": (BASE + 'people:\n- {id: "012", team: a, level: "3"}\n', False),
    "tilde is null": (BASE + "people:\n- {id: p, team: ~}\n", False),
    "capitalised booleans": (BASE + "people:\n- {id: p, team: a, manager: True}\n", False),
    "octal and hex": (BASE + "people:\n- {id: p, team: a, years: 0o17, x: 0x1f}\n", False),
    "infinity": (BASE + "people:\n- {id: p, team: a, years: .inf}\n", False),
    "leading zeros": (BASE + "people:\n- {id: p, team: a, years: 007}\n", False),
    "a number key": (BASE + "people:\n- {1: p}\n", False),
    "a null key": (BASE + "people:\n- {null: p}\n", False),
    "a boolean top-level key": (BASE + "true:\n- a\n", False),
    "a duplicate key in an item": (BASE + "people:\n- {id: p, id: q}\n", False),
    "a duplicate top-level key": (BASE + "teams: []\n", False),
    "anchor and alias": (BASE + "models:\n- &m {id: m}\n- *m\n", False),
    "a tag": (BASE + "models:\n- !!map {id: m}\n", False),
    "a merge key": (BASE + "models:\n- {<<: {id: m}}\n", False),
    "an item over two lines": (BASE + "models:\n- {id: m,\n  name: n}\n", False),
    "an item over two lines, both dashed": (BASE + 'models:\n- {id: "m\n- n"}\n', False),
    "a comment among items": (BASE + "models:\n- {id: m}\n# note\n- {id: n}\n", False),
    "a blank line among items": (BASE + "models:\n- {id: m}\n\n- {id: n}\n", False),
    "a block mapping": (BASE + "strategy:\n  written: true\n", False),
    "a multi-line quoted value": (BASE + 'notes: "one\n  two"\n', False),
    "a value continued at column 0": (BASE + 'notes: "one\nmore: two"\n', False),
    "a block scalar": (BASE + "notes: |\n  text\n", False),
    "CRLF": (BASE.replace("\n", "\r\n"), False),
    "a tab": (BASE + "notes:\t x\n", False),
    "two documents": (BASE + "---\nversion: 1\n", False),
    "a directive": ("%YAML 1.2\n---\n" + BASE, False),
    "deep nesting": (BASE + "notes: " + "[" * 60 + "]" * 60 + "\n", False),
    "nesting at the limit in an item": (BASE + "models:\n- " + "[" * 38 + "]" * 38 + "\n", None),
    "a flow mapping as a top-level line": (BASE + "{a: b}\n", False),
    "a stray bracket before a key": (BASE + "]notes: x\n", False),
    "a syntax error": (BASE + "models:\n- {id: m\n", False),
    "unicode and escapes": (BASE + 'notes: "caf\\u00e9 \\x41 \\N"\nmodels:\n- {id: "\\u00fcber", name: naïve}\n', True),
    "NEL in a value": (BASE + "notes: a\x85b\n", False),
    "a line separator in a value": (BASE + "notes: a\u2028b\n", False),
    "a paragraph separator in an item": (BASE + "models:\n- {id: a\u2029b}\n", False),
    "characters YAML cannot hold": (BASE + "notes: a\x7fb\x80c\ufffe\n", False),
    "a lone surrogate": (BASE + "notes: a\ud800b\n", False),
    "a control character": (BASE + "notes: a\x01b\n", False),
    "a null section": (BASE + "models:\n", True),
    "empty lists and mappings": (BASE + "models: []\nforums: {}\n", True),
    "items that are lists": (BASE + "lists:\n- [a, b]\n- - c\n", True),
    "sub-keys, one with nothing under it": (BASE + "collaboration:\n  ties:\n  reviews:\n  - {a: x, b: y}\n", True),
    "sub-keys with items further in": (BASE + "collaboration:\n  ties:\n    - {a: x, b: y}\n", True),
    "a sub-key's items at column 0": (BASE + "collaboration:\n  ties:\n- {a: x, b: y}\n", False),
    "a sub-key with a value": (BASE + "collaboration:\n  period: 2026-Q3\n  ties:\n  - {a: x}\n", False),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_cases_are_read_exactly_or_left_to_the_builder(name: str) -> None:
    text, expected = EDGES[name]
    read = fast_or_none(text)
    if expected is not None:
        assert read is expected


@pytest.mark.parametrize("depth", range(35, 43))
def test_nesting_around_the_limit_is_read_or_refused_as_the_builder_does(depth: int) -> None:
    text = BASE + "models:\n- " + "[" * depth + "]" * depth + "\n"
    try:
        parse(text, "org.yaml")
    except SpecError:
        assert parse_fast(text, "org.yaml", min_chars=0) is None
    else:
        assert fast_or_none(text)


def test_random_changes_to_a_generated_file_are_read_exactly_or_left_to_the_builder() -> None:
    lines = generate(60, seed=5).split("\n")
    pieces = [
        "~", "True", "0x1f", "012", "&a", "*a", "!!str", "<<: {a: 1}", '"', "'", "#", ": x", "- ", "  ", "{", "}",
        "[", "]", ",", "\t", "null", '"1"', "1: x", "? ", "|", ">", "\\", "\n", "\n- ", "\n  ", "é", ":", " #", "-",
        ".", "'x'", '"a\\"', "''", "x:", " -", "[a", "b]", "{a: b}", "\\n", "\\u00e9", "\\x", "\n#", "\nx: ", "\nx:",
        "\n  y:", "\n  - ", "Null", "1.", ".5", "+1", "1e3", "'a''b'", '"\\t"',
    ]  # fmt: skip
    rng = random.Random(14)
    read = 0
    for _ in range(600):
        changed = list(lines)
        for _ in range(rng.randint(1, 3)):
            row = rng.randrange(len(changed))
            at = rng.randint(0, len(changed[row]))
            changed[row] = changed[row][:at] + rng.choice(pieces) + changed[row][at:]
        text = "\n".join(changed)
        try:
            parse(text, "org.yaml")
        except SpecError:
            assert parse_fast(text, "org.yaml", min_chars=0) is None  # the builder's message decides
            continue
        read += fast_or_none(text)
    assert read > 60  # a change inside a value often keeps the layout


def test_only_in_a_single_threaded_process() -> None:
    text = generate(40, seed=1)
    assert parse_fast(text, "org.yaml", min_chars=0) is not None
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parse_fast(text, "org.yaml", min_chars=0) is None  # its errors go to the process's stderr
    finally:
        stop.set()
        other.join()


def test_a_one_shot_commands_main_thread_may_have_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mlorg.gcpause._held", [True])  # as after hold_collector(): the progress spinner's thread
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parse_fast(generate(40, seed=1), "org.yaml", min_chars=0) is not None
    finally:
        stop.set()
        other.join()


def test_rapidyaml_errors_never_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    assert parse_fast(BASE + "models:\n- {id: m\n", "org.yaml", min_chars=0) is None
    assert parse_fast(BASE + "models:\n- " + "[" * 300 + "]" * 300 + "\n", "org.yaml", min_chars=0) is None
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_without_a_null_device_the_builder_reads_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mlorg.spec.yaml_fast.os.devnull", "/nonexistent/null")
    assert parse_fast(generate(40, seed=1), "org.yaml", min_chars=0) is None


@pytest.mark.parametrize("error", [TypeError, OSError, AttributeError])
def test_no_malloc_trim_is_no_matter(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    def no_library(name: object) -> object:
        raise error("no C library here")  # Windows: TypeError; no libc: OSError; not glibc: AttributeError

    monkeypatch.setattr("mlorg.spec.yaml_fast.ctypes.CDLL", no_library)
    assert parse_fast(generate(40, seed=1), "org.yaml", min_chars=0) is not None


def test_without_rapidyaml_the_builder_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ryml", None)  # import ryml now raises ImportError
    assert parse_fast(generate(40, seed=1), "org.yaml", min_chars=0) is None


def test_small_files_go_to_the_builder() -> None:
    assert parse_fast(BASE, "org.yaml") is None


def test_a_large_spec_assesses_identically_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = generate(600, seed=4)
    assert len(text) > 65536
    assert parse_fast(text, "org.yaml") is not None
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    fast = mlorg.assess(mlorg.load_spec(path, "org.yaml"))
    monkeypatch.setattr("mlorg.spec.yaml_fast.MIN_CHARS", 1 << 40)
    slow = mlorg.assess(mlorg.load_spec(path, "org.yaml"))
    assert fast.findings and any(f.location and f.location.line > 10 for f in fast.findings)
    assert fast.model_dump() == slow.model_dump()


def test_the_character_check_reads_the_text_a_slice_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mlorg.spec.yaml_fast._SLICE_CHARS", 5)
    text = generate(40, seed=1).replace("Olu", "Olú")
    assert parse_fast(text, "org.yaml", min_chars=0) is not None
    assert parse_fast(text + "notes: a&b\n", "org.yaml", min_chars=0) is None
    assert parse_fast(text + "notes: a\u2028\n", "org.yaml", min_chars=0) is None


_WORDS = ["a", "b c", "x-y", "1", "2.5", "-3", "true", "null", "d e f", "q.r"]
_TRICKY = [
    "~",
    "True",
    "012",
    "0x1f",
    ".inf",
    "'q'",
    '"d"',
    '""',
    "''",
    '"1"',
    "yes",
    "é",
    "-",
    "1e3",
    "'it''s'",
    "a  b",
]
_NAMES = ["teams", "people", "models", "ties", "reviews", "notes", "x", "true", "1", "on", "a-b", "_z", "null"]


def _flow(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth < 3 and roll < 0.25:
        return "[" + ", ".join(_flow(rng, depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    if depth < 3 and roll < 0.5:
        keys = [*_NAMES[:7], "k", "k2"]
        return "{" + ", ".join(f"{rng.choice(keys)}: {_flow(rng, depth + 1)}" for _ in range(rng.randint(0, 3))) + "}"
    return rng.choice(_TRICKY) if rng.random() < 0.2 else rng.choice(_WORDS)


def _document(rng: random.Random) -> str:
    """A document near the layout: value lines, items at various indentations, sub-keys, stray lines."""
    lines = [f"# c{i}" for i in range(rng.randint(0, 2))]
    for _ in range(rng.randint(1, 6)):
        name = rng.choice(_NAMES)
        kind = rng.random()
        if kind < 0.35:
            lines.append(f"{name}: {_flow(rng)}")
        elif kind < 0.7:
            lines.append(f"{name}:")
            prefix = rng.choice(["- ", "  - ", "    - ", " - ", "   - "])
            for _ in range(rng.randint(0, 4)):
                lines.append((prefix if rng.random() < 0.9 else rng.choice(["- ", "  - ", " "])) + _flow(rng))
        else:
            lines.append(f"{name}:")
            indent = rng.choice(["  ", " ", "    "])
            for _ in range(rng.randint(0, 3)):
                lines.append(f"{indent}{rng.choice(_NAMES)}:" + ("" if rng.random() < 0.9 else " " + _flow(rng)))
                prefix = rng.choice([indent + "- ", indent + "  - ", "- ", indent + " - "])
                lines += [prefix + _flow(rng) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "# c", "  # c", "---"]))
    return "\n".join(lines) + "\n" * rng.randint(0, 2)


def test_documents_near_the_layout_are_read_exactly_or_left_to_the_builder() -> None:
    # This found a sub-key's items at column 0 read fast where libyaml refuses them.
    rng = random.Random(3)
    read = 0
    for _ in range(1500):
        text = _document(rng)
        try:
            parse(text, "org.yaml")
        except SpecError:
            assert parse_fast(text, "org.yaml", min_chars=0) is None, text
            continue
        read += fast_or_none(text)
    assert read > 100


_PLAIN_SCALARS = [
    s for s in [*_WORDS, *_TRICKY] if not s.startswith(("'", '"')) and s != "-"
]  # quoted ones are text whatever they hold; "-" after a key is a sequence entry, not a scalar


@pytest.mark.parametrize(
    "scalar",
    [
        *_PLAIN_SCALARS,
        "Null",
        "NULL",
        "FALSE",
        "-.inf",
        "+.INF",
        ".NaN",
        "0o17",
        "1_000",
        "1:30",
        "+1",
        "-0",
        "1.",
        "e3",
    ],
)
def test_plain_text_says_what_the_builder_reads(scalar: str) -> None:
    value = parse(f"a: {scalar}\n", "t.yaml").data["a"]
    assert plain_text(scalar) is (type(value) is str)


def test_lines_after_fragments_are_merged_in_are_the_builders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlorg.spec.loader import edited, parse_spec
    from mlorg.spec.merge import apply

    rows = generate(400, seed=7).split("\n")
    at = next(i for i, row in enumerate(rows) if row.startswith("organization:"))
    text = "\n".join([*rows[: at + 1], "imports: [frag.yaml]", *rows[at + 1 :]])
    (tmp_path / "frag.yaml").write_text(
        "version: 1\norganization: {name: Frag}\nteams:\n- {id: extra-team, name: Extra team, kind: product}\n",
        encoding="utf-8",
    )

    def merged() -> Any:
        parsed = parse_spec(text, "org.yaml")
        apply(parsed, tmp_path, "org.yaml", [], None)
        return edited(parsed)

    fast = merged()
    monkeypatch.setattr("mlorg.spec.yaml_fast.MIN_CHARS", 1 << 40)
    slow = merged()
    assert type(fast.source) is not type(slow.source)  # the fast path's map, then the builder's
    assert same(fast.data, slow.data)
    assert any(item.get("id") == "extra-team" for item in fast.data["teams"])
    for p in paths(slow.data):
        assert fast.source.line(p) == slow.source.line(p), p
