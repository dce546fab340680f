"""The spec parser reads YAML by the 1.2 core schema, refuses other tags, and knows the line of every entry."""

from __future__ import annotations

import pytest
import yaml

from conftest import EXAMPLE
from mlorg.spec.document import parse
from mlorg.spec.loader import load_spec_text
from mlorg.synth import generate

SCALARS = """\
plain: text with spaces
names: [Ana, Yusuf, Olu, Noor, Tariq, Femi]
booleans: [true, True, TRUE, false, False, FALSE]
yaml_1_1_booleans: [yes, No, on, Off, y, n]
nulls: [~, null, Null, NULL, '']
empty:
numbers: [0, -3, +4, 0x1F, 0o17, 017, 3.5, -.5, 1e3, 1.0e+3, .inf, -.Inf, 7.]
not_numbers: ['1', "2.5", 1e400x, 12abc, v1.2, 1_000, 190:20:30, 0b101, 0X1F, 1:30]
dates: [2020-01-01, 2001-12-14t21:59:43.10-05:00]
quoted: ["yes", 'null', "tab\\there", 'it''s']
block: |
  line one
  line two [not a list]
folded: >
  one
  two
tagged: [!!str 123, !!int "42", !!float "1", !!bool "false", !!null "", ! 12, !!str true]
merge_base: &base {a: 1, b: 2}
merged: {<<: *base, b: 3}
merged_list: {<<: [{x: 1}, {x: 2, y: 2}], z: 0}
shared: [*base, *base]
unicode: "caf\\u00e9 \\U0001F600"
key with spaces: v
"quoted key": v
"""
CORE = {
    "plain": "text with spaces",
    "names": ["Ana", "Yusuf", "Olu", "Noor", "Tariq", "Femi"],
    "booleans": [True, True, True, False, False, False],
    "yaml_1_1_booleans": ["yes", "No", "on", "Off", "y", "n"],
    "nulls": [None, None, None, None, ""],
    "empty": None,
    "numbers": [0, -3, 4, 31, 15, 17, 3.5, -0.5, 1000.0, 1000.0, float("inf"), float("-inf"), 7.0],
    "not_numbers": ["1", "2.5", "1e400x", "12abc", "v1.2", "1_000", "190:20:30", "0b101", "0X1F", "1:30"],
    "dates": ["2020-01-01", "2001-12-14t21:59:43.10-05:00"],
    "quoted": ["yes", "null", "tab\there", "it's"],
    "block": "line one\nline two [not a list]\n",
    "folded": "one two\n",
    "tagged": ["123", 42, 1.0, False, None, "12", "true"],
    "merge_base": {"a": 1, "b": 2},
    "merged": {"b": 3, "a": 1},
    "merged_list": {"z": 0, "x": 1, "y": 2},
    "shared": [{"a": 1, "b": 2}, {"a": 1, "b": 2}],
    "unicode": "caf\u00e9 \U0001f600",
    "key with spaces": "v",
    "quoted key": "v",
}


def test_scalars_follow_the_yaml_1_2_core_schema() -> None:
    """One strict rule: YAML 1.1's yes/on/1_000/base-60/dates are text, not booleans, numbers or dates."""
    doc = parse(SCALARS, "x.yaml")
    assert doc.problems == ()
    assert doc.data == CORE
    for key, value in CORE.items():
        items = value if isinstance(value, list) else [value]
        got = doc.data[key] if isinstance(doc.data[key], list) else [doc.data[key]]
        assert [type(v) for v in got] == [type(v) for v in items], key


@pytest.mark.parametrize(
    "text", [EXAMPLE.read_text(encoding="utf-8"), generate(300, seed=2)], ids=["yarnit", "generated"]
)
def test_specs_mlorg_writes_read_as_yaml_safe_load_reads_them(text: str) -> None:
    doc = parse(text, "x.yaml")
    assert doc.problems == ()
    assert doc.data == yaml.safe_load(text)


def test_lines_of_entries() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    source = load_spec_text(text, "yarnit.yaml")._source  # type: ignore[attr-defined]
    lines = text.splitlines()

    def line_of(fragment: str, start: int = 0) -> int:
        return next(i for i, line in enumerate(lines[start:], start) if fragment in line) + 1

    assert source.line("version") == line_of("version: 2")
    assert source.line("teams[3]") == line_of("{id: search,")
    assert source.line("teams[3].parent") == line_of("{id: search,")
    teams_4 = line_of("- id: recs")
    assert source.line("teams[4]") == teams_4
    assert source.line("teams[4].function") == line_of("function: business_metrics")
    assert source.line("teams[4].tools.experiment_tracking") == line_of("tools: {experiment_tracking")
    assert source.line("models[0].features[2]") == line_of("features: [product_sales_velocity")
    # a path that goes past what the file holds stops at the deepest entry that exists
    assert source.line("teams[4].nothing.here") == teams_4
    assert source.line("teams[999]") == line_of("teams:")
    assert source.line("") == 1


def test_lines_in_a_large_mapping() -> None:
    body = "".join(f"k{i}: {i}\n" for i in range(100))
    doc = parse(body, "x.yaml")
    assert [doc.source.line(f"k{i}") for i in (0, 17, 99)] == [1, 18, 100]


def test_every_number_and_boolean_field_of_the_spec_is_strict() -> None:
    """A new field typed plain ``int``/``bool``/``float`` would let `true` read as 1 again."""
    import typing

    from pydantic import BaseModel
    from pydantic.types import Strict

    from mlorg.spec import models

    def loose(ann: object) -> list[object]:
        origin = typing.get_origin(ann)
        if ann in (int, bool, float):
            return [ann]
        if origin is typing.Annotated:
            base, *meta = typing.get_args(ann)
            if base in (int, bool, float):
                return [] if any(isinstance(m, Strict) and m.strict for m in meta) else [ann]
            return loose(base)
        return [bad for arg in typing.get_args(ann) for bad in loose(arg)]

    found = {
        f"{model.__name__}.{name}": bad
        for model in vars(models).values()
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == models.__name__
        for name, field in model.model_fields.items()
        if name != "thresholds"  # free-form here, checked strictly against mlorg.settings.Thresholds
        # pydantic moves a top-level Annotated's metadata onto the field
        for bad in loose(typing.Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation)
    }
    assert found == {}
