"""Line numbers are kept compactly and apart from the data (issue 14).

The YAML builder's line map (:class:`mlorg.spec.source.LineTree`) holds no reference to the parsed
dicts and lists, so they are freed once the spec is validated; it must still answer every path exactly
as the map it replaced, which walked the data and looked each container up by ``id()`` (kept here as
:func:`reference_lines`, fed from PyYAML's own node tree, to compare with).
"""

from __future__ import annotations

import gc
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

from conftest import EXAMPLE
from mlorg.spec.document import parse
from mlorg.spec.loader import edited, load_spec, load_spec_text, parse_spec, validate_spec
from mlorg.spec.source import EMPTY, LineNode, LineTree, PathPart, SourceMap
from mlorg.synth import generate

TEXT = """\
version: 1
organization: {name: Acme, headcount: 40}
teams:
  - {id: a, name: A, kind: ml}
  - id: b
    name: B
    kind: product
  - {id: c,
     name: C,
     kind: platform}
tags: [x, y,
  z]
empty: {}
"""


def test_lines_are_compact_and_answer_as_before() -> None:
    doc = parse(TEXT, "s.yaml")
    source = doc.source
    assert isinstance(source, LineTree)
    root = source.root
    assert root is not None and root.keys is not None and root.kids is not None
    kids = dict(zip(root.keys, root.kids, strict=True))
    # A flow mapping on the line of its own key needs no node: the walk holds that line when it gets there.
    assert kids["organization"] is None
    teams = kids["teams"]
    assert teams is not None and teams.kids is not None
    assert teams.kids[0] is None  # `- {id: a, ...}`: all on the line of its entry
    block = teams.kids[1]
    assert block is not None and isinstance(block.lines, array)  # block style: an unboxed array
    spread = teams.kids[2]
    assert spread is not None and list(spread.lines) == [8, 9, 10]  # type: ignore[arg-type]
    assert kids["empty"] is EMPTY
    assert source.line("organization.headcount") == 2
    assert source.line("teams[0].kind") == 4
    assert source.line("teams[1].kind") == 7
    assert source.line("teams[2].id") == 8
    assert source.line("teams[2].kind") == 10  # a flow mapping over several lines keeps each entry's line
    assert source.line("tags[2]") == 12
    assert source.line("teams[1].missing") == 5  # the deepest entry that exists
    assert source.line("teams[9]") == 3
    assert source.line("empty.x") == 13
    assert source.line("nowhere") == 1
    assert source.line("") == 1


def test_a_generated_organization_keeps_almost_no_nodes() -> None:
    doc = parse(generate(2000, seed=3), "g.yaml")
    nodes = sum(1 for _ in _nodes(doc.source.root))  # type: ignore[attr-defined]
    containers = sum(1 for _ in _containers(doc.data))
    assert containers > 5000
    # the root, its lists, and the few items holding an empty list: not one node per item
    assert nodes < containers / 50, (nodes, containers)


def _nodes(node: LineNode | None) -> Iterator[LineNode]:
    if node is None or node is EMPTY:
        return
    yield node
    for kid in node.kids or ():
        yield from _nodes(kid)


def _containers(value: Any) -> Iterator[Any]:
    if isinstance(value, dict | list):
        yield value
        for child in value.values() if isinstance(value, dict) else value:
            yield from _containers(child)


# ---- the same answers as the map by id() --------------------------------------------------------------


def reference_lines(text: str, label: str) -> SourceMap:
    """The map by ``id()`` of each container, with the lines PyYAML's composer gives each entry.

    For text without aliases, merge keys or duplicate keys the builder's data has one container per
    node, so the two trees can be walked side by side.
    """
    data = parse(text, label).data
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[int, int | list[int]] = {}

    def compact(entries: list[int]) -> int | list[int]:  # as the builder kept them: one int if all are equal
        first = entries[0] if entries else 0
        return first if entries.count(first) == len(entries) else entries

    def walk(value: Any, at: Any) -> None:
        if isinstance(value, dict):
            lines[id(value)] = compact([k.start_mark.line + 1 for k, _ in at.value])
            for (_, v), child in zip(at.value, value.values(), strict=True):
                walk(child, v)
        elif isinstance(value, list):
            lines[id(value)] = compact([item.start_mark.line + 1 for item in at.value])
            for item, child in zip(at.value, value, strict=True):
                walk(child, item)

    walk(data, node)
    return SourceMap(label, data, lines)  # type: ignore[arg-type]


def probes(value: Any, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    """Every path to a value, and paths just past what exists: a missing key, an index out of range."""
    yield prefix
    yield (*prefix, "missing")
    yield (*prefix, 0)
    yield (*prefix, 10_000)
    if isinstance(value, dict):
        for key, child in value.items():
            yield from probes(child, (*prefix, key))
    elif isinstance(value, list):
        for at, child in enumerate(value):
            yield from probes(child, (*prefix, at))


MIXED = """\
version: 2
organization:
  name: Mixed
  industry: {sector: retail,
    region: eu}
teams:
  - id: a
    tags: []
    tools: {experiment_tracking: true}
  - {id: b, parent: a, tags: [x,
      y]}
  -
    id: c
    nested:
      - [1, 2]
      - {deep: {deeper: [3]}}
lists: {people: [], other: {}}
"""


@pytest.mark.parametrize(
    "text",
    [TEXT, MIXED, EXAMPLE.read_text(encoding="utf-8"), generate(300, seed=2)],
    ids=["small", "mixed", "yarnit", "generated"],
)
def test_every_path_answers_as_the_map_by_id(text: str) -> None:
    tree = parse(text, "x.yaml").source
    reference = reference_lines(text, "x.yaml")
    for path in probes(reference.data):
        assert tree.line(path) == reference.line(path), path


def test_aliases_and_merge_keys_answer_as_written() -> None:
    text = """\
base: &b
  x: {p: 1, q: [1, 2]}
  y:
    - a
    - {z: 1}
use:
  <<: *b
  own: 1
again: *b
both:
  - *b
  - {<<: *b, w: 2}
"""
    source = parse(text, "a.yaml").source
    assert source.line("use.own") == 8
    assert source.line("use.x") == 7  # merged: at the merge key
    assert source.line("use.x.p") == 2  # inside what was merged: where it was written
    assert source.line("use.y[1].z") == 5
    assert source.line("again") == 9
    assert source.line("again.y[1]") == 5  # an alias: the lines of its anchor
    assert source.line("both[0].x.q[1]") == 2
    assert source.line("both[1].w") == 12
    assert source.line("both[1].y") == 12
    assert source.line("both[1].y[0]") == 4


def test_a_null_document_has_no_lines() -> None:
    assert parse("~\n", "n.yaml").source.line("a") == 0
    assert parse("just text\n", "t.yaml").source.line("a") == 1


# ---- data edited after parsing ------------------------------------------------------------------------


def test_lines_after_an_edit_answer_as_the_map_by_id() -> None:
    """Merging fragments adds keys and entries in place; the web app drops `imports:` from stored rounds."""
    text = MIXED + "imports: [a.yaml]\nlast: {k: 1}\ncollaboration: {ties: []}\n"
    reference = reference_lines(text, "x.yaml")
    data = reference.data
    parsed = parse_spec(text, "x.yaml")
    for target in (data, parsed.data):
        target.pop("imports")
        target["organization"]["headcount"] = 5
        target["teams"][0]["added"] = {"from": "fragment"}
        target["teams"].append({"id": "z", "tags": ["t"]})
        target["lists"]["people"].append("p")
        target["lists"]["other"]["k"] = [1]
        target["collaboration"]["ties"].append({"a": "x", "b": "y"})
        target["new"] = {"n": [1]}
    tree = edited(parsed).source
    for path in probes(data):
        assert tree.line(path) == reference.line(path), path


def test_a_spec_with_imports_locates_problems_in_the_spec(tmp_path: Path) -> None:
    (tmp_path / "hr.yaml").write_text(
        "version: 2\norganization: {name: HR}\nteams:\n  - {id: hr, name: HR, kind: product}\n"
        "people:\n  - {id: ann, team: hr}\n",
        encoding="utf-8",
    )
    (tmp_path / "spec.yaml").write_text(
        "version: 2\norganization:\n  name: Acme\nimports: [hr.yaml]\nteams:\n  - {id: core, name: Core, kind: ml}\n"
        "people:\n  - id: bob\n    name: Bob\n    team: nowhere\n",
        encoding="utf-8",
    )
    from mlorg.errors import SpecError

    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "spec.yaml", "spec.yaml")
    # the spec's own person, at its own line, though the fragment's team and person were merged in
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [("spec.yaml", 10, "people[0].team")]


# ---- the parsed data is not kept ----------------------------------------------------------------------


def _reachable(root: object) -> set[int]:
    seen: set[int] = set()
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        todo.extend(gc.get_referents(obj))
    return seen


def test_the_validated_spec_keeps_no_parsed_container() -> None:
    parsed = parse_spec(generate(200, seed=4), "g.yaml")
    containers = list(_containers(parsed.data))  # kept alive here, so their ids stay theirs
    spec = validate_spec(parsed)
    reachable = _reachable(spec)
    assert not [c for c in containers if id(c) in reachable]
    assert isinstance(spec._source, LineTree)  # type: ignore[attr-defined]
    assert spec._source.line("people[3].team") == parsed.source.line("people[3].team") > 1  # type: ignore[attr-defined]


def test_the_parsed_data_is_freed_once_the_spec_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_file = tmp_path / "org.yaml"
    spec_file.write_text(generate(200, seed=5), encoding="utf-8")
    held: list[dict[str, Any]] = []
    real = parse_spec

    def spy(text: str, label: str, *, as_json: bool = False) -> Any:
        parsed = real(text, label, as_json=as_json)
        held.append(parsed.data)
        return parsed

    import mlorg.spec.loader as loader

    monkeypatch.setattr(loader, "parse_spec", spy)
    spec = load_spec(spec_file, "org.yaml")
    data = held.pop()
    # Only this test refers to the parsed data now (``data`` and getrefcount's argument), the spec being alive:
    # it goes the moment loading returns, by reference counting, with the collector off as the CLI runs.
    assert sys.getrefcount(data) == 2
    people = data["people"]
    assert [r for r in gc.get_referrers(people) if r is not data and not isinstance(r, FrameType)] == []
    assert spec._source.line("people[0]") > 1  # type: ignore[attr-defined]


def test_the_example_locates_as_before() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    source = load_spec_text(text, "yarnit.yaml")._source  # type: ignore[attr-defined]
    reference = reference_lines(text, "yarnit.yaml")
    for path in probes(reference.data):
        assert source.line(path) == reference.line(path), path
