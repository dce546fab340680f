"""The library API and CLI run end to end on the bundled example."""

from __future__ import annotations

import json

import mlorg
from conftest import EXAMPLE, ROOT


def test_library_api_assesses_example() -> None:
    result = mlorg.assess(mlorg.load_spec(EXAMPLE))
    assert result.organization.name == "YarnIt"
    assert result.schema_version == mlorg.SCHEMA_VERSION


def test_bundled_example_matches_repository_copy() -> None:
    bundled = ROOT / "src" / "mlorg" / "examples" / "yarnit.yaml"
    assert bundled.read_bytes() == EXAMPLE.read_bytes()


def test_assess_without_spec_uses_bundled_example(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("assess", "--format", "json")
    assert res.code == 0
    assert "bundled YarnIt example" in res.stderr
    assert json.loads(res.stdout)["organization"]["name"] == "YarnIt"


def test_spec_index_is_built_once_and_never_stale() -> None:
    from mlorg.spec.index import SpecIndex

    spec = mlorg.load_spec(EXAMPLE)
    assert SpecIndex.of(spec) is SpecIndex.of(spec)
    copy = spec.model_copy(update={"teams": spec.teams[:1]})
    assert set(SpecIndex.of(copy).teams) == {spec.teams[0].id}
