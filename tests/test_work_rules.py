"""Rule cases (tests/rules/cases/<slug>.yaml) for the work, data and change rules of issue 3.

Each case's partial spec is deep-merged onto tests/rules/base.yaml (mappings merge, lists replace),
assessed, and the rule must fire (on ``subject`` when given) or stay quiet. A pass case named
"... (a question, not a finding)" must also leave the rule an open question: unknown is not false.
This local runner is temporary until the shared parametrized runner lands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import mlorg
from mlorg.rules.registry import load_all

CASES = Path(__file__).parent / "rules" / "cases"
BASE = Path(__file__).parent / "rules" / "base.yaml"
WORK_RULES = (
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
    "first-project-too-critical",
    "first-project-too-ambitious",
    "brownfield-opposition",
    "no-data-audit",
    "single-dimension-change",
    "big-bang-communication",
)
QUESTION_MARK = "(a question, not a finding)"


def deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return over


def assess_partial(partial: dict[str, Any]) -> mlorg.Assessment:
    spec = deep_merge(yaml.safe_load(BASE.read_text()), partial)
    return mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(spec, sort_keys=False)))


def all_cases() -> list[Any]:
    out = []
    for slug in WORK_RULES:
        data = yaml.safe_load((CASES / f"{slug}.yaml").read_text())
        assert data["rule"] == slug
        for case in data["cases"]:
            out.append(pytest.param(slug, case, id=f"{slug}: {case['name']}"))
    return out


@pytest.mark.parametrize(("slug", "case"), all_cases())
def test_rule_case(slug: str, case: dict[str, Any]) -> None:
    result = assess_partial(case["spec"])
    subjects = [f.subject for f in result.findings if f.rule == slug]
    if case["expect"] == "fail":
        assert subjects, f"{slug} should fire"
        if "subject" in case:
            assert case["subject"] in subjects
    else:
        assert case["expect"] == "pass"
        assert not subjects, f"{slug} should stay quiet, fired on {subjects}"
        if QUESTION_MARK in case["name"]:
            assert any(slug in q.settles for q in result.open_questions), f"{slug} should ask a question"


@pytest.mark.parametrize("slug", WORK_RULES)
def test_every_work_rule_has_pass_and_fail_cases(slug: str) -> None:
    data = yaml.safe_load((CASES / f"{slug}.yaml").read_text())
    assert {c["expect"] for c in data["cases"]} == {"pass", "fail"}


@pytest.mark.parametrize("slug", WORK_RULES)
def test_documented_example_triggers_the_rule(slug: str) -> None:
    rule = load_all()[slug]
    assert rule.summary and rule.flags and rule.why and rule.remedy
    result = assess_partial(yaml.safe_load(rule.example))
    assert slug in {f.rule for f in result.findings}


def test_findings_carry_the_rule_source_and_evidence() -> None:
    result = assess_partial(yaml.safe_load(load_all()["uncoordinated-upstream-data"].example))
    finding = next(f for f in result.findings if f.rule == "uncoordinated-upstream-data")
    assert finding.source == "rml-ch13"
    assert finding.evidence[0].path == "features[0].owner"
