"""``mlorg generate``: synthetic organizations of any size that load, assess, and repeat per seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import mlorg
from conftest import CliResult
from mlorg.synth import generate
from mlorg.yaml_text import flow, scalar

Runner = Callable[..., CliResult]


@pytest.mark.parametrize("people", [1, 2, 9, 37, 250, 3000])
def test_generated_spec_loads_and_assesses(people: int) -> None:
    spec = mlorg.load_spec_text(generate(people, seed=7), "generated.yaml")
    assert len(spec.people) == people
    assert spec.organization.headcount == people
    assert len(spec.features) == round(people * 0.5)
    assert len(spec.models) == round(people * 0.05)
    assert len(spec.teams) == max(1, round(people / 10))
    result = mlorg.assess(spec)
    assert result.organization.headcount == people


def test_generated_organization_is_realistic() -> None:
    spec = mlorg.load_spec_text(generate(2000, seed=3))
    kinds = {t.kind for t in spec.teams}
    assert {"leadership", "department", "product", "ml", "data", "platform"} <= kinds
    people = {p.id: p for p in spec.people}
    bosses = [p for p in spec.people if p.reports_to is None]
    assert len(bosses) == 1 and bosses[0].team == "leadership"  # one CEO, everyone else reports to someone
    assert all(p.name for p in spec.people)
    assert {r for p in spec.people for r in p.roles} >= {"ml_engineer", "data_scientist", "product_manager", "sre_ml"}
    assert {p.ml_experience for p in spec.people if p.ml_experience} == {"experienced", "learning", "none"}
    assert all(m.owner is None or m.owner in people for m in spec.models)
    assert {f.kind for f in spec.forums} >= {"integration_point", "community_of_practice"}
    assert spec.initiatives and spec.culture.westrum is not None


def test_same_seed_same_bytes_and_other_seed_differs() -> None:
    assert generate(500, seed=11) == generate(500, seed=11)
    assert generate(500, seed=11) != generate(500, seed=12)


def test_cli_writes_the_file(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    res = run_cli("generate", "--people", "300", "--seed", "5", "-o", str(out))
    assert res.code == 0, res.stderr
    assert out.read_text(encoding="utf-8") == generate(300, seed=5)
    assert run_cli("assess", str(out), "-f", "json").code == 0


def test_cli_refuses_a_bad_size(run_cli: Runner) -> None:
    res = run_cli("generate", "--people", "0")
    assert res.code == 2
    assert res.stderr == "mlorg: --people must be between 1 and 2,000,000, got 0\n"


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "yes",
        "No",
        "null",
        "~",
        "",
        "1984",
        "0x1F",
        "1e3",
        ".inf",
        "a: b",
        "#x",
        "a #b",
        "O'Neil",
        "x,y",
        "[a]",
        "{a}",
        " lead",
        "trail ",
        "- a",
        "caf\u00e9",
        "\x1b[2J",
        "line\nbreak",
        "tab\there",
        '"q"',
        "!tag",
        "&a",
        "*a",
        "%x",
        "@x",
        "`x`",
        "2020-01-01",
        True,
        False,
        None,
        0,
        -3,
        2.5,
    ],
)
def test_scalars_read_back_as_written(value: str | int | float | bool | None) -> None:
    text = f"k: {scalar(value)}\nl: [{scalar(value)}]\nm: {flow({'v': value, 'w': [value]})}\n"
    data = yaml.safe_load(text)
    assert data["k"] == value and data["l"] == [value]
    assert data["m"] == ({"w": [value]} if value is None else {"v": value, "w": [value]})
