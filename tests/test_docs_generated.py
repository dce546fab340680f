"""The committed docs are exactly what the generators print, and ``mlorg schema`` is valid JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import get_args

import jsonschema
import pytest
import yaml

import mlorg
from conftest import EXAMPLE, ROOT, CliResult
from mlorg.docs_spec import main, render_settings, render_spec
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization, SpecModel

Runner = Callable[..., CliResult]


@pytest.mark.parametrize(("page", "render"), [("spec", render_spec), ("settings", render_settings)])
def test_committed_docs_are_current(page: str, render: Callable[[], str]) -> None:
    committed = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
    assert committed == render(), (
        f"docs/{page}.md is out of date; regenerate it: python -m mlorg.docs_spec {page} > docs/{page}.md"
    )


def test_spec_doc_covers_every_section_and_field() -> None:
    text = render_spec()
    models = {Organization}
    pending = [Organization]
    while pending:
        for f in pending.pop().model_fields.values():
            for inner in _models(f.annotation):
                if inner not in models:
                    models.add(inner)
                    pending.append(inner)
    for model in models:
        assert f"## {model.__name__}\n" in text
        for name in model.model_fields:
            assert f"| `{name}` |" in text, f"{model.__name__}.{name} is missing from docs/spec.md"
    assert "one of: `leadership`, `department`, `product`, `ml`" in text
    assert "**Missing means unknown.**" in text


def _models(ann: object) -> list[type[SpecModel]]:
    if isinstance(ann, type) and issubclass(ann, SpecModel):
        return [ann]
    return [m for a in get_args(ann) for m in _models(a)]


def test_settings_doc_lists_every_threshold_with_its_default() -> None:
    text = render_settings()
    for name, f in Thresholds.model_fields.items():
        assert f"| `{name}` | `{f.default}` |" in text
    assert "`--config FILE`" in text and "Precedence" in text


def test_docs_module_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nope"]) == 2
    assert "usage: python -m mlorg.docs_spec spec|settings" in capsys.readouterr().err
    assert main(["settings"]) == 0
    assert capsys.readouterr().out == render_settings()


def test_schema_command_prints_a_valid_json_schema_of_the_spec(run_cli: Runner) -> None:
    res = run_cli("schema")
    assert res.code == 0
    schema = json.loads(res.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(example)) == []
    broken = {**example, "organization": {"name": "X", "industy": "typo"}}
    assert [e.validator for e in validator.iter_errors(broken)] == ["additionalProperties"]


def test_schema_assessment_describes_the_json_output(run_cli: Runner) -> None:
    res = run_cli("schema", "assessment")
    assert res.code == 0
    schema = json.loads(res.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    output = json.loads(mlorg.render(mlorg.assess(mlorg.load_spec(EXAMPLE)), "json"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(output)) == []
    assert {"schema_version", "organization", "findings"} <= set(schema["properties"])


def test_schema_rejects_an_unknown_name(run_cli: Runner) -> None:
    res = run_cli("schema", "assesment")
    assert res.code == 2
    # click names the argument 'which' or '[WHICH]:[spec|assessment]' depending on its release;
    # what the user must read is the value refused and the values allowed.
    assert "Invalid value for " in res.stderr
    assert "'assesment' is not one of 'spec', 'assessment'" in res.stderr
