"""``mlorg rules`` and ``mlorg explain`` read the registry; unknown slugs get a did-you-mean."""

from __future__ import annotations

import json

import pytest

from mlorg.rules.registry import load_all

REGISTRY = load_all()


def test_rules_lists_every_slug(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("rules")
    assert res.code == 0
    listed = [line.split()[0] for line in res.stdout.splitlines() if line.strip()]
    assert listed == sorted(REGISTRY)
    for line in res.stdout.splitlines():
        slug = line.split()[0]
        assert REGISTRY[slug].severity in line.split() and REGISTRY[slug].source in line


def test_rules_json_parses_and_matches_the_registry(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("rules", "--format", "json")
    assert res.code == 0
    data = json.loads(res.stdout)
    assert [r["slug"] for r in data] == sorted(REGISTRY)
    for entry in data:
        rule = REGISTRY[entry["slug"]]
        assert (entry["severity"], entry["source"], entry["family"]) == (rule.severity, rule.source, rule.family)


def test_rules_rejects_unknown_format(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("rules", "--format", "yaml")
    assert res.code == 2
    assert "'yaml' is not one of 'text', 'json'" in res.stderr


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_explain_each_rule(run_cli, slug: str) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("explain", slug)
    assert res.code == 0
    rule = REGISTRY[slug]
    assert res.stdout.startswith(f"{slug} ({rule.severity}, source: {rule.source}")
    for heading in ("What it flags:", "Why it matters:", "Example that triggers it:", "Remedy:"):
        assert heading in res.stdout
    assert rule.remedy in res.stdout
    first_example_line = rule.example.splitlines()[0]
    assert f"  {first_example_line}" in res.stdout


def test_explain_unknown_slug_suggests_the_closest(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("explain", "no-writen-strategy")
    assert res.code == 2
    assert "unknown rule 'no-writen-strategy'" in res.stderr
    assert "did you mean 'no-written-strategy'?" in res.stderr
    assert "Traceback" not in res.stderr


def test_explain_hopeless_slug_points_to_the_list(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("explain", "zzzzzz")
    assert res.code == 2
    assert "mlorg rules" in res.stderr


# DESIGN §3: the minimum rule catalogue, by stable slug.
DESIGN_CATALOGUE = [
    "no-written-strategy",
    "ml-seen-as-magic",
    "no-ml-voice-in-leadership",
    "no-integration-point",
    "siloed-ml-team",
    "handoff-to-it",
    "model-without-owner",
    "no-drift-escalation",
    "model-kpi-misaligned",
    "feature-unavailable-in-production",
    "feature-too-stale",
    "unbounded-aggregate-feature",
    "quasi-identifier-combination",
    "uncoordinated-upstream-data",
    "missing-business-constraints",
    "rule-oriented-culture",
    "power-oriented-culture",
    "isolated-ml-hire",
    "no-ml-community",
    "no-platform-team",
    "tool-divergence",
    "unclear-team-function",
    "no-experimentation-budget",
    "no-prioritization-process",
    "no-idea-intake",
    "ml-pm-without-ml-experience",
    "no-experienced-ml",
    "experienced-only-hiring",
    "no-sre-for-ml",
    "first-project-too-critical",
    "first-project-too-ambitious",
    "brownfield-opposition",
    "no-data-audit",
    "rewards-ignore-reliability",
    "ml-learning-not-rewarded",
    "strategy-structure-mismatch",
    "single-dimension-change",
    "big-bang-communication",
    "research-without-production-path",
]


def test_rules_lists_the_whole_design_catalogue(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert len(DESIGN_CATALOGUE) == 39
    res = run_cli("rules", "--format", "json")
    listed = {r["slug"] for r in json.loads(res.stdout)}
    assert set(DESIGN_CATALOGUE) <= listed
    for slug in DESIGN_CATALOGUE:
        assert run_cli("explain", slug).code == 0
