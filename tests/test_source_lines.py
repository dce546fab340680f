"""Line numbers are kept compactly (issue 14): one int per flow-style container, an array otherwise."""

from __future__ import annotations

from array import array

from mlorg.spec.document import parse

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
    data, source = doc.data, doc.source
    stored = {id(c): source.lines[id(c)] for c in (data["organization"], data["teams"][0], data["teams"][1])}
    assert stored[id(data["organization"])] == 2  # flow style: one int for the whole mapping
    assert stored[id(data["teams"][0])] == 4
    assert isinstance(stored[id(data["teams"][1])], array)  # block style: an unboxed array
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
