"""The organization analyses end to end: stable JSON keys, deterministic output, safe Markdown."""

from __future__ import annotations

import json

from org_builder import person, spec_of

import mlorg
from conftest import EXAMPLE


def test_yarnit_json_carries_the_stable_keys_of_these_analyses() -> None:
    data = json.loads(mlorg.render(mlorg.assess(mlorg.load_spec(EXAMPLE)), "json"))
    m = data["maturity"]
    assert m["stage"] == "exploring" and m["next_stage"] == "building" and m["evidence"] and m["missing"]
    assert data["archetype"]["id"] == "nascent_ad_hoc"
    assert set(data["archetype"]["dimensions"]) == {"engineering_vs_research", "data_ownership", "model_ownership"}
    s = data["structure"]
    assert (s["current"], s["recommended"]) == ("centralized", "decentralized")
    assert s["rationale"] and s["mitigations"]
    assert {m["in_place"] for m in s["mitigations"]} == {True, False, None}
    for point in ("strategy", "structure", "processes", "rewards", "people"):
        assert 1 <= data["star_model"][point]["score"] <= 5
    assert len(data["roles"]["coverage"]) == 6
    assert [h["role"] for h in data["hiring_plan"]][:2] == ["product_manager", "data_scientist"]
    assert all(h["reason"] for h in data["hiring_plan"])


def test_yarnit_structure_mismatch_is_a_finding() -> None:
    findings = mlorg.assess(mlorg.load_spec(EXAMPLE)).findings
    hit = next(f for f in findings if f.rule == "strategy-structure-mismatch")
    assert hit.subject == "org" and hit.source == "hasty-structures"
    assert "decentralized" in hit.message


def test_two_runs_are_identical() -> None:
    spec = mlorg.load_spec(EXAMPLE)
    for fmt in ("json", "markdown"):
        assert mlorg.render(mlorg.assess(spec), fmt) == mlorg.render(mlorg.assess(spec), fmt)


def test_hostile_strings_are_escaped_in_these_sections() -> None:
    hostile = "<script>alert(1)</script>"
    spec = spec_of(
        teams=[
            {"id": "ml", "kind": "ml", "tools": {hostile: "mlflow"}},
            {"id": "shop", "kind": "product", "tools": {hostile: "`x` | y"}},
        ],
        people=[person("a", "ml", "ml_engineer"), person("b", "shop", "data_scientist")],
    )
    out = mlorg.render(mlorg.assess(spec), "markdown")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out  # shown, but inert
