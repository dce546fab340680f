"""Rule behaviour as data (sqlfluff style): every case file in ``cases/`` is run here.

Each ``cases/<slug>.yaml`` names one rule and lists cases; a case's ``spec`` is deep-merged onto
``base.yaml`` (mappings merge, lists replace), loaded through the public loader and assessed.
``expect: fail`` means the rule must fire (on ``subject`` if given); ``expect: pass`` means it
must stay quiet (about ``subject`` if given). ``asks`` lists spec paths the rule must turn into
open questions, which is how "unknown is not false" is tested.

The meta tests hold every registered rule, whoever wrote it, to the same bar: cases that fire
and cases that stay quiet, complete docs, a known source label and an example that really fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import mlorg
from mlorg.assessment import Assessment
from mlorg.rules.registry import SOURCES, Rule, load_all

HERE = Path(__file__).resolve().parent
BASE = yaml.safe_load((HERE / "base.yaml").read_text(encoding="utf-8"))
CASE_DIR = HERE / "cases"  # CSV paths in case specs (survey answers) are relative to it
CASE_FILES = sorted(CASE_DIR.glob("*.yaml"))
CASE_KEYS = {"name", "expect", "subject", "spec", "asks"}
REGISTRY = load_all()


@dataclass(frozen=True)
class Case:
    file: Path
    rule: str
    name: str
    expect: str
    subject: str | None
    spec: dict[str, Any]
    asks: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.rule}: {self.name}"


def deep_merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``patch`` onto ``base``: nested mappings merge, anything else (lists included) replaces."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def assess_patch(patch: Mapping[str, Any], label: str) -> Assessment:
    text = yaml.safe_dump(deep_merge(BASE, patch), sort_keys=False)
    return mlorg.assess(mlorg.load_spec_text(text, label, base_dir=CASE_DIR))


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and set(data) == {"rule", "cases"}, f"{path.name}: needs exactly rule and cases"
        for raw in data["cases"]:
            unknown = set(raw) - CASE_KEYS
            assert not unknown, f"{path.name}: case {raw.get('name')!r} has unknown keys {sorted(unknown)}"
            assert raw.get("expect") in ("fail", "pass"), f"{path.name}: {raw.get('name')!r}: expect fail or pass"
            cases.append(
                Case(
                    file=path,
                    rule=data["rule"],
                    name=raw["name"],
                    expect=raw["expect"],
                    subject=raw.get("subject"),
                    spec=raw.get("spec") or {},
                    asks=tuple(raw.get("asks") or ()),
                )
            )
    return cases


CASES = load_cases()


def test_case_files_exist() -> None:
    assert CASE_FILES, "no rule case files found under tests/rules/cases/"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case) -> None:
    result = assess_patch(case.spec, f"{case.file.name}#{case.name}")
    fired = [f for f in result.findings if f.rule == case.rule]
    subjects = sorted(f.subject for f in fired)
    if case.expect == "fail":
        assert fired, f"{case.rule} should fire but stayed quiet"
        if case.subject is not None:
            assert case.subject in subjects, f"{case.rule} fired on {subjects}, expected {case.subject}"
    elif case.subject is not None:
        assert case.subject not in subjects, f"{case.rule} should stay quiet about {case.subject}"
    else:
        assert not fired, f"{case.rule} should stay quiet but fired on {subjects}"
    asked = {q.path for q in result.open_questions if case.rule in q.settles}
    for path in case.asks:
        assert path in asked, f"{case.rule} should ask about {path}; it asked about {sorted(asked)}"


def test_every_case_file_names_a_registered_rule() -> None:
    for path in CASE_FILES:
        rule = yaml.safe_load(path.read_text(encoding="utf-8"))["rule"]
        assert rule in REGISTRY, f"{path.name}: rule {rule!r} is not registered"
        assert path.stem == rule, f"{path.name}: name the file after its rule ({rule}.yaml)"


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_every_rule_has_failing_and_passing_cases(slug: str) -> None:
    expects = {c.expect for c in CASES if c.rule == slug}
    assert expects == {"fail", "pass"}, (
        f"{slug}: add tests/rules/cases/{slug}.yaml with at least one `expect: fail` and one `expect: pass` case"
    )


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_rule_docs_are_complete(slug: str) -> None:
    rule: Rule = REGISTRY[slug]
    for field in ("summary", "flags", "why", "example", "remedy"):
        assert getattr(rule, field).strip(), f"{slug}: empty {field}"
    assert rule.source in SOURCES, f"{slug}: source {rule.source!r} is not one of {SOURCES}"
    assert rule.severity in ("info", "low", "medium", "high", "critical")


@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_rule_example_triggers_the_rule(slug: str) -> None:
    """The example in the docs, merged onto base.yaml, must make the rule fire: docs cannot lie."""
    example = yaml.safe_load(REGISTRY[slug].example)
    assert isinstance(example, dict), f"{slug}: example must be a YAML mapping of spec sections"
    result = assess_patch(example, f"{slug} example")
    assert any(f.rule == slug for f in result.findings), f"{slug}: its documented example does not trigger it"


def test_no_rule_fires_on_the_bare_base_spec() -> None:
    """Unknown is not false: a spec that says almost nothing gives questions, never findings."""
    result = assess_patch({}, "base.yaml")
    assert [f.rule for f in result.findings] == []
    assert result.open_questions, "a near-empty spec should leave open questions"
