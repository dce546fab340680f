"""The fast JSON front end (issue 14) gives the located builder's data and lines, or steps aside.

Every claim is checked against the located builder reading the same text: the same data, the
same line for every path, the same findings with the same locations. Whatever the fast path
cannot read exactly must come back as ``None`` so the builder (and its located messages) decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.errors import SpecError
from mlorg.spec.document import parse
from mlorg.spec.json_doc import JsonSourceMap, parse_json
from mlorg.spec.source import PathPart
from mlorg.synth import generate
from network import synthetic

CASES = sorted((Path(__file__).parent / "cases" / "orgs").glob("*.yaml"))


def one_entry_per_line(data: dict[str, Any], nested: bool = False, pad: str = "  ") -> str:
    """Top-level lists one entry per line; other sections pretty-printed over several lines, or with
    ``nested`` their own lists one entry per line too (how a ``collaboration`` section is best written)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            body = ",\n".join(pad + "  " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"{pad}{json.dumps(key)}: [\n{body}\n{pad}]")
        elif nested and isinstance(value, dict) and value:
            parts.append(f"{pad}{json.dumps(key)}: " + one_entry_per_line(value, False, pad + "  ").rstrip("\n"))
        else:
            dumped = json.dumps(value, indent=2, ensure_ascii=False)
            parts.append(f"{pad}{json.dumps(key)}: " + dumped.replace("\n", "\n" + pad))
    return "{\n" + ",\n".join(parts) + "\n" + pad[:-2] + "}\n"


def paths(value: Any, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*prefix, i))


def data_of(path: Path) -> dict[str, Any]:
    data = parse(path.read_text(encoding="utf-8"), path.name).data
    assert isinstance(data, dict)
    return data


ORGS = [EXAMPLE, *CASES[:8]]
SHAPES = {
    "one-entry-per-line": one_entry_per_line,
    "nested-one-entry-per-line": lambda data: one_entry_per_line(data, nested=True),
    "one-line": json.dumps,
    "one-entry-per-line-crlf": lambda data: one_entry_per_line(data).replace("\n", "\r\n"),
    "one-line-after-blank-lines": lambda data: "\n\n" + json.dumps(data) + "\n",
    "indented": lambda data: json.dumps(data, indent=2),
    "indented-tabs-crlf": lambda data: json.dumps(data, indent="\t").replace("\n", "\r\n"),
    "indented-0-unicode": lambda data: "\n " + json.dumps(data, indent=0, ensure_ascii=False) + "\n\n",
}


@pytest.mark.parametrize("org", ORGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_same_data_and_the_same_line_for_every_path(org: Path, shape: str) -> None:
    assert_same_as_the_builder(SHAPES[shape](data_of(org)))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_collaboration_section_reads_the_same(shape: str) -> None:
    data = synthetic.spec(silo=True, bridge=True)
    assert len(data["collaboration"]["ties"]) > 50
    text = SHAPES[shape](data)
    assert_same_as_the_builder(text)
    fast = parse_json(text, "org.json")
    assert fast is not None and isinstance(fast.source, JsonSourceMap)
    # on one line: all of it there; its lists one entry per row: read by entry; pretty-printed: the lines
    # of its lists from their structure
    section = fast.source.sections["collaboration"]
    if shape.startswith("one-line"):
        assert type(section).__name__ == "FlatMap"
    else:
        assert isinstance(section, JsonSourceMap)
        ties = "RowsMap" if shape.startswith("nested") else "_Indented"
        assert type(section.sections["ties"]).__name__ == ties


def assert_same_as_the_builder(text: str) -> None:
    fast = parse_json(text, "org.json")
    assert fast is not None, "the fast path stepped aside on a file it can read exactly"
    slow = parse(text, "org.json")
    assert fast.data == slow.data
    checked = 0
    for p in paths(slow.data):
        assert fast.source.line(p) == slow.source.line(p), p
        checked += 1
    assert checked > 20


def test_a_generated_organization_assesses_identically_locations_included(tmp_path: Path) -> None:
    data = parse(generate(300, seed=3), "org.yaml").data
    text = one_entry_per_line(data)
    path = tmp_path / "org.json"
    path.write_text(text, encoding="utf-8")
    assert parse_json(text, "org.json") is not None
    fast = mlorg.assess(mlorg.load_spec(path, "org.json"))
    slow = mlorg.assess(mlorg.load_spec_text(text, "org.json"))  # the located builder
    assert fast.findings and any(f.location and f.location.line > 1 for f in fast.findings)
    assert fast.model_dump() == slow.model_dump()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{\n  "people": [\n    {"id": "a",\n     "name": "A"}\n  ]\n}\n', "an entry over two lines"),
        ('{"people": [{"id": "a", "id": "b"}]}', "a duplicate key in an entry"),
        ('{"version": 2, "version": 2}', "a duplicate top-level key"),
        ('{"people": [{"id": NaN}]}', "NaN"),
        ('{"people": [{"id": "\\ud800"}]}', "a lone surrogate"),
        ('{"people": []} x', "text after the document"),
        ('[{"id": "a"}]', "a list at the top"),
        ('{"people": [{"id": "a"},]}', "a trailing comma"),
        ('{"people": [' + "[" * 39 + "]" * 39 + "]}", "nesting past 40 levels"),
        ('{"x": {"y": {"z": {"a": 1, "a": 2}}}}', "a duplicate key in a section on one line"),
        ('{"teams": [{"id": "a", "tools": {"x": "1", "x": "2"}}]}', "a duplicate key inside an entry"),
        ('{"people": [\n  {"id": "a"},\n  {"id": "b", "id": "c"}\n]}', "a duplicate key, one entry per row"),
        ('{"people": [{"id": "\\udfff"}]}', "an escaped low surrogate"),
        ('{"people": [{"id": "\udfff"}]}', "a raw surrogate"),
        ('{"people": [{"id": "a\x85b"}]}', "NEL, a line break to YAML"),
        ('{"people": [],\r"teams": []}', "a lone carriage return"),
        ('{"a": Infinity}', "Infinity"),
    ],
)
def test_what_it_cannot_read_exactly_goes_to_the_builder(text: str, why: str) -> None:
    assert parse_json(text, "org.json") is None, why


def test_nesting_at_the_limit_is_read_and_past_it_named_by_the_builder(tmp_path: Path) -> None:
    at_limit = '{"x": [' + "[" * 38 + "]" * 38 + "]}"  # 40 levels: the document, the list and 38
    fast = parse_json(at_limit, "org.json")
    assert fast is not None and fast.data == parse(at_limit, "org.json").data
    deep = tmp_path / "deep.json"
    deep.write_text('{"version": 2, "organization": {"name": "A"}, "x": [' + "[" * 39 + "]" * 39 + "]}")
    with pytest.raises(SpecError, match=r"^deep\.json:1: nesting deeper than 40 levels"):
        mlorg.load_spec(deep, "deep.json")


def test_a_bad_value_in_a_json_spec_is_named_with_its_line(tmp_path: Path) -> None:
    data = data_of(EXAMPLE)
    data["teams"][2]["kind"] = "mll"
    text = one_entry_per_line(data)
    assert parse_json(text, "org.json") is not None
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"mll"' in row)
    path = tmp_path / "org.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec(path, "org.json")
    assert str(exc.value).startswith(f"org.json:{line}: teams[2].kind: 'mll' is not one of:")


def assert_exact_or_builder(text: str) -> None:
    """The fast path may step aside, but what it reads must be the builder's data and lines."""
    fast = parse_json(text, "org.json")
    if fast is None:
        return
    slow = parse(text, "org.json")
    assert not slow.problems and fast.data == slow.data
    for p in paths(slow.data):
        assert fast.source.line(p) == slow.source.line(p), p
    for extra in [("people", 99), ("people", -1), ("people", "x"), ("people", 0, "nope", 3), ("nope",), ()]:
        assert fast.source.line(extra) == slow.source.line(extra), extra


@pytest.mark.parametrize(
    "text",
    [
        # an entry split over two rows inside a nested list, and two entries on one row: as many
        # rows as entries, but not one entry per row
        '{"people": [\n  {"id": "a", "x": [{"k": 1},\n  {"k": 2}]},\n  {"id": "b"}, {"id": "c"}\n]}',
        '{"people": [\n  {"id": "a"}, {"id": "b"},\n  {"id": "c", "x": [1,\n  2]}\n]}',
        '{"people": [\n  {"id": "a"},\n\n  {"id": "b"}\n]}',  # a blank row between entries
        '{"people": [\n  {"id": "a"}\n  , {"id": "b"}\n]}',  # the comma starting the row
        '{"people": [\n  {"id": "a"},\n    {"id": "b"}\n]}',  # rows not indented alike
        '{"people": [{"id": "a"},\n  {"id": "b"}\n]}',  # the first entry on the row of the [
        '{"people":\n  [{"id": "a"}, {"id": "b"}]\n}',  # the list on the row below its key
        '{"people": [\n  {"id": "a"},\n  {"id": "b"}],\n "teams": [\n]}',
        '{"people": [\n  "a",\n  ["b", "c"],\n  3,\n  null,\n  {}\n  ]}',  # entries of every kind
        '{"x": {"y": 1},\n "z": {\n  "w": [1, 2]}}',
        '{"s": ["{[\\"]}", "a:b", "\\\\", "\\\\\\"", "]]]"], "t": {"{": "}", ":": "::"}}',
        # near misses of the indented layout: each moves a row somewhere the structure cannot tell
        '{\n  "people": [\n    {\n      "id":\n        "a"\n    }\n  ]\n}',  # a break after a colon
        '{\n  "people": [\n    {\n      "id": "a"\n    }\n\n  ]\n}',  # a blank row
        '{\n  "people": [\n    {\n      "x": [\n      ]\n    },\n    {\n      "id": "b"\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "id": "a"}\n  ]\n}',  # a closing brace on the last entry's row
        '{\n  "people": [\n    {\n      "id": "a"\n    }\n    , {\n      "id": "b"\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "id": "a", "n": 1\n    }\n  ]\n}',  # two keys on one row
        '{\n  "people": [\n    {\n      "id": "a:,[{"\n    },\n    {}\n  ],\n  "x": {}\n}',
        '{\n"people": [\n{\n"id": "a",\n"tags": [\n"x",\n[\n1\n]\n]\n}\n]\n}',  # indented by nothing
        '{\n  "people": [\n    {\n      "x": [1]\n    },\n    {\n      "y": 2\n    }\n  ]\n}',  # [1] looks like []
        '{\n  "people": [\n    {\n      "x": [ null ]\n    },\n    {\n      "y": 2\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "x": ["a"]\n    },\n    {\n      "y": 2\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "x": {"a": 1}\n    },\n    {\n      "y": 2\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "x": "[1] and [true]"\n    },\n    {\n      "y": 2\n    }\n  ]\n}',
        '{\n  "people": [\n    {\n      "x": [\n        1\n      ],\n      "y": {},\n      "z": []\n    }\n  ]\n}',
    ],
)
def test_what_it_reads_is_exact(text: str) -> None:
    assert_exact_or_builder(text)


def test_strings_holding_brackets_colons_and_escapes_are_not_mistaken_for_structure() -> None:
    text = json.dumps({"people": [{"id": "a", "name": 'x{"y": [1]}:\\"'}, {"id": "b", "tools": {"k:": "{"}}]})
    fast = parse_json(text, "org.json")
    assert fast is not None and fast.data == json.loads(text)


@pytest.mark.parametrize("seed", range(40))
def test_counts_and_depth_match_a_walk_of_the_data(seed: int) -> None:
    import random

    from mlorg.spec.json_doc import tally, written_counts

    rng = random.Random(seed)
    alphabet = ['"', "\\", "{", "}", "[", "]", ":", ",", "a", " ", "\u00e9", "\n"]

    def text_() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))

    def value(depth: int) -> Any:
        kind = rng.randrange(6 if depth < 12 else 3)
        if kind == 0:
            return text_()
        if kind == 1:
            return rng.choice([1, 2.5, True, None])
        if kind == 2:
            return ""
        if kind in (3, 4):
            return {text_(): value(depth + 1) for _ in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    data = {"doc": value(0)}
    text = json.dumps(data, ensure_ascii=bool(seed % 2))

    def depth(v: Any) -> int:
        if isinstance(v, dict):
            return 1 + max(map(depth, v.values()), default=0)
        if isinstance(v, list):
            return 1 + max(map(depth, v), default=0)
        return 0

    deepest = depth(data)
    for limit in (deepest - 1, deepest):
        got = written_counts(text, limit)
        assert got == (tally(data) if limit >= deepest else None)


def test_the_indented_layout_has_its_lines_from_the_structure_whatever_the_indentation() -> None:
    data = data_of(EXAMPLE)
    for indent in (2, 0, "\t", "   "):
        fast = parse_json(json.dumps(data, indent=indent), "org.json")
        assert fast is not None and isinstance(fast.source, JsonSourceMap), indent
        assert type(fast.source.sections["teams"]).__name__ == "_Indented", indent
    near = json.dumps(data, indent=2).replace('": [\n', '":\n[\n', 1)  # a list on the row below its key
    assert_exact_or_builder(near)


@pytest.mark.parametrize("seed", range(120))
def test_any_mix_of_layouts_is_read_exactly_or_left_to_the_builder(seed: int) -> None:
    import random
    import re

    rng = random.Random(seed)

    def value(depth: int) -> Any:
        kind = rng.randrange(7 if depth < 4 else 3)
        if kind == 0:
            return rng.choice(["a", "b c", "x:y", "[1]", "{", ""])
        if kind == 1:
            return rng.choice([0, 1, 2.5, True, False, None])
        if kind == 2:
            return rng.choice([[], {}])
        if kind in (3, 4):
            return {f"k{i}": value(depth + 1) for i in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    data = {
        "version": 2,
        "people": [{"id": f"p{i}", "x": value(2)} for i in range(rng.randrange(1, 6))],
        "teams": [value(2) for _ in range(rng.randrange(4))],
        "culture": {"westrum": value(2)},
    }
    indent = rng.choice([None, 0, 1, 2, "\t"])
    text = json.dumps(data, indent=indent)
    breaks = [m.start() for m in re.finditer(r"\n[ \t]*" if indent is not None else r", ", text)]
    for at in sorted(rng.sample(breaks, rng.randrange(len(breaks) + 1) // 3), reverse=True):
        if indent is None:
            text = text[:at] + ",\n " + text[at + 2 :]  # break a row after a comma
        else:
            end = re.compile(r"\n[ \t]*").match(text, at)
            assert end is not None
            text = text[:at] + " " + text[end.end() :]  # join two rows
    assert_exact_or_builder(text)
