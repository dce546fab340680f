"""Rule cases of the survey rules (shared format: ``rule``, ``cases`` of name/expect/subject/spec).

Each case's spec is deep-merged onto ``base.yaml``; CSV paths in it are relative to ``cases/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mlorg import assess, load_spec_text

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
SLUGS = ("survey-contradicts-spec", "survey-divergent-team")


def deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: deep_merge(base.get(k), v) if k in base else v for k, v in over.items()}}
    return over


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for slug in SLUGS:
        data = yaml.safe_load((CASES / f"{slug}.yaml").read_text())
        assert data["rule"] == slug
        out.extend((slug, case) for case in data["cases"])
    return out


@pytest.mark.parametrize(("slug", "case"), load_cases(), ids=lambda v: v if isinstance(v, str) else v["name"])
def test_rule_case(slug: str, case: dict[str, Any]) -> None:
    spec_data = deep_merge(yaml.safe_load((HERE / "base.yaml").read_text()), case["spec"])
    spec = load_spec_text(yaml.safe_dump(spec_data), f"{slug}.yaml", base_dir=CASES)
    hits = [f for f in assess(spec).findings if f.rule == slug]
    if case["expect"] == "fail":
        assert hits, f"{slug} should fire: {case['name']}"
        if "subject" in case:
            assert case["subject"] in {f.subject for f in hits}
    else:
        assert not hits, f"{slug} should not fire: {case['name']}: {[f.message for f in hits]}"


def test_every_survey_rule_has_a_passing_and_a_failing_case() -> None:
    seen = {(slug, case["expect"]) for slug, case in load_cases()}
    assert seen == {(slug, expect) for slug in SLUGS for expect in ("pass", "fail")}
