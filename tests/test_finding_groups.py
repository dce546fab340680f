"""Grouping findings for the reports: the fast paths give what the plain ones gave (issue 14)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mlorg
from conftest import EXAMPLE
from mlorg.render.finding_groups import _field, evidence_pattern, group_findings
from orggen import generate_spec

PATH = re.compile(r"\[\d+\]")


@pytest.mark.parametrize(
    "path", ["a", "a[1]", "a[12].b", "a[1].b[2].c", "a[x].b", "a[].b", "a[\u0661].b", "a[1", "a]1[", "x[3]y[z]", "[5]"]
)
def test_field_drops_indexes_like_the_regex(path: str) -> None:
    assert _field(path) == PATH.sub("[]", path)


@given(st.text(alphabet="ab.[]0123456789\u0661", max_size=20))
def test_field_drops_indexes_like_the_regex_on_any_path(path: str) -> None:
    assert _field(path) == PATH.sub("[]", path)


@pytest.fixture(scope="module")
def assessed() -> mlorg.Assessment:
    return mlorg.assess(generate_spec(2000))


def test_top_groups_are_the_first_of_all_groups(assessed: mlorg.Assessment) -> None:
    findings = assessed.findings
    every = group_findings(findings, range(len(findings)), str, 3)
    assert len(every) > 5
    assert group_findings(findings, range(len(findings)), str, 3, top=5) == every[:5]


def test_remembered_patterns_are_the_patterns(assessed: mlorg.Assessment) -> None:
    findings = assessed.findings
    memo: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] = {}
    first = group_findings(findings, range(len(findings)), str, 3, patterns=memo)
    assert len(memo) == len(first)
    again = group_findings(findings, range(len(findings)), str, 3, patterns=memo)
    assert again == first
    for g in first:
        idx = [i for i, f in enumerate(findings) if f.rule == g.rule]
        assert g.pattern == evidence_pattern([findings[i].evidence for i in idx])


def test_example_groups_sorted_by_severity_then_reach(assessed: mlorg.Assessment) -> None:
    a = mlorg.assess(mlorg.load_spec(EXAMPLE))
    groups = group_findings(a.findings, range(len(a.findings)), str, 3)
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    keys = [(order[g.severity], -g.count, g.rule) for g in groups]
    assert keys == sorted(keys)
    assert {g.rule for g in groups} == {f.rule for f in a.findings}
