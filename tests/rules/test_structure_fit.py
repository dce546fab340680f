"""The structure-fit rules: each documented example really triggers its rule."""

from __future__ import annotations

import pytest

import mlorg
from mlorg.rules.registry import get_rule


@pytest.mark.parametrize("slug", ["strategy-structure-mismatch", "research-without-production-path"])
def test_documented_example_triggers_the_rule(slug: str) -> None:
    rule = get_rule(slug)
    assert rule is not None and rule.family == "structure_fit"
    assessment = mlorg.assess(mlorg.load_spec_text("version: 1\n" + rule.example))
    hits = [f for f in assessment.findings if f.rule == slug]
    assert hits and hits[0].subject == "org" and hits[0].evidence
