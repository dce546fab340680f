"""A spec may be written as JSON (issue 14): it is read by the same guarded loader, with located messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.errors import SpecError
from mlorg.spec.document import parse


def example_as_json(indent: int | str | None) -> str:
    return json.dumps(parse(EXAMPLE.read_text(encoding="utf-8"), "yarnit.yaml").data, indent=indent)


@pytest.mark.parametrize("indent", [None, 2, "\t"])
def test_a_json_spec_assesses_like_its_yaml(tmp_path: Path, indent: int | str | None) -> None:
    path = tmp_path / "yarnit.json"
    path.write_text(example_as_json(indent), encoding="utf-8")
    from_json = mlorg.assess(mlorg.load_spec(path, "yarnit.json"))
    from_yaml = mlorg.assess(mlorg.load_spec(EXAMPLE, "yarnit.json"))
    strip = {"findings": {"__all__": {"location"}}}
    assert from_json.model_dump(exclude=strip) == from_yaml.model_dump(exclude=strip)  # type: ignore[arg-type]


def test_a_json_spec_error_names_file_line_and_field() -> None:
    data = json.loads(example_as_json(None))
    data["teams"][2]["kind"] = "mll"
    text = json.dumps(data, indent=2)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"mll"' in row)
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(text, "org.json")
    assert str(exc.value).startswith(f"org.json:{line}: teams[2].kind: 'mll' is not one of:")


def test_json_duplicate_keys_and_deep_nesting_are_refused_as_in_yaml() -> None:
    with pytest.raises(SpecError, match=r"org.json:1: .*duplicate"):
        mlorg.load_spec_text('{"version": 1, "version": 1, "organization": {"name": "A"}}', "org.json")
    deep = '{"version": 1, "organization": {"name": "A"}, "x": ' + "[" * 60 + "]" * 60 + "}"
    with pytest.raises(SpecError, match=r"org\.json:1: nesting deeper than 40 levels"):
        mlorg.load_spec_text(deep, "org.json")
