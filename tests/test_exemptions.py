"""Exemptions (``settings.ignore`` with a reason and an ``until`` date) and stable SARIF alerts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mlorg
from conftest import EXAMPLE, CliResult
from mlorg.assessment import Assessment

Runner = Callable[..., CliResult]
BASE = EXAMPLE.read_text(encoding="utf-8")
RULE, SUBJECT = "quasi-identifier-combination", "model:underperformer-boost"
IGNORE = f"""settings:
  ignore:
    - rule: {RULE}
      subject: "{SUBJECT}"
      reason: legal reviewed these inputs in March
      until: 2026-06-30
"""


def assess(text: str, today: dt.date, label: str = "org.yaml") -> Assessment:
    return mlorg.assess(mlorg.load_spec_text(text, label), today=today)


def sarif(assessment: Assessment) -> list[dict[str, Any]]:
    log = json.loads(mlorg.render(assessment, "sarif"))
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def test_the_example_has_the_finding_we_exempt() -> None:
    assert (RULE, SUBJECT) in {(f.rule, f.subject) for f in assess(BASE, dt.date(2026, 1, 1)).findings}


def test_an_exemption_in_force_moves_the_finding_aside_with_its_reason() -> None:
    result = assess(BASE + IGNORE, dt.date(2026, 6, 30))  # the last day it holds
    assert (RULE, SUBJECT) not in {(f.rule, f.subject) for f in result.findings}
    assert "expired-exemption" not in {f.rule for f in result.findings}
    (exempted,) = result.exempted
    assert (exempted.finding.rule, exempted.finding.subject) == (RULE, SUBJECT)
    assert exempted.reason == "legal reviewed these inputs in March"
    assert exempted.until == dt.date(2026, 6, 30) and exempted.in_spec
    data = json.loads(mlorg.render(result, "json"))
    assert data["exempted"][0]["finding"]["rule"] == RULE and data["exempted"][0]["until"] == "2026-06-30"


def test_sarif_carries_the_exempted_result_as_a_suppression_with_its_justification() -> None:
    results = sarif(assess(BASE + IGNORE, dt.date(2026, 3, 1)))
    suppressed = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["properties"]["subject"]) for r in suppressed] == [(RULE, SUBJECT)]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "legal reviewed these inputs in March (until 2026-06-30)",
        }
    ]
    assert suppressed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 1


def test_an_expired_exemption_brings_the_finding_back_and_says_so() -> None:
    result = assess(BASE + IGNORE, dt.date(2026, 7, 1))
    assert (RULE, SUBJECT) in {(f.rule, f.subject) for f in result.findings}
    assert result.exempted == ()
    (expired,) = [f for f in result.findings if f.rule == "expired-exemption"]
    assert expired.subject == SUBJECT and expired.severity == "low"
    assert f"'{RULE}' ran out on 2026-06-30 (reason given: legal reviewed these inputs in March)" in expired.message
    lines = (BASE + IGNORE).splitlines()
    assert expired.location is not None
    assert lines[expired.location.line - 1].strip() == f"- rule: {RULE}"  # points at the entry itself


def test_an_exemption_from_a_config_file_is_external(run_cli: Runner, tmp_path: Path) -> None:
    config = tmp_path / "mlorg.yaml"
    config.write_text(
        IGNORE.replace("settings:\n", "").replace("\n  ", "\n")[1:].replace("until: 2026-06-30", "until: 2999-01-01"),
        encoding="utf-8",
    )
    res = run_cli("lint", str(EXAMPLE), "--config", str(config), "-f", "sarif", "--fail-on", "critical")
    assert res.code == 0, res.stderr  # the one critical finding is exempted
    (suppressed,) = [r for r in json.loads(res.stdout)["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"][0]["kind"] == "external"


def test_an_exemption_without_a_reason_says_none_was_given() -> None:
    text = BASE + f"settings:\n  ignore:\n    - {RULE}\n"
    (suppressed,) = [r for r in sarif(assess(text, dt.date(2026, 1, 1))) if "suppressions" in r]
    assert suppressed["suppressions"][0]["justification"] == "exempted in settings.ignore; no reason given"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("until: soon", "settings.ignore[0].until: expected a date (YYYY-MM-DD), got 'soon'"),
        ("until: 2026-02-30", "settings.ignore[0].until: expected a date (YYYY-MM-DD), got '2026-02-30'"),
        ("reasn: typo", "settings.ignore[0].reasn: unknown key 'reasn'; did you mean 'reason'?"),
    ],
)
def test_a_bad_exemption_is_a_located_problem(run_cli: Runner, tmp_path: Path, entry: str, message: str) -> None:
    spec = tmp_path / "org.yaml"
    spec.write_text(BASE + f"settings:\n  ignore:\n    - rule: {RULE}\n      {entry}\n", encoding="utf-8")
    res = run_cli("lint", str(spec))
    assert res.code == 2
    line = len(BASE.splitlines()) + 4
    assert f"{spec}:{line}: {message}" in res.stderr, res.stderr


# ---- stable alerts --------------------------------------------------------------------------


def test_sarif_fingerprints_are_stable_across_runs_and_unique_within_one() -> None:
    first = sarif(assess(BASE, dt.date(2026, 1, 1)))
    # a second run on an edited spec: lines move, the alerts stay the same alerts
    second = sarif(assess("# a comment that moves every line\n\n" + BASE, dt.date(2026, 1, 2)))
    prints = [r["partialFingerprints"] for r in first]
    assert prints == [r["partialFingerprints"] for r in second]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in first if "locations" in r] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in second if "locations" in r
    ]
    values = [p["mlorg/v1"] for p in prints]
    assert len(values) == len(set(values)), "two results share a fingerprint"
    by_rule: dict[str, set[str]] = {}
    for r in first:
        by_rule.setdefault(r["ruleId"], set()).add(r["partialFingerprints"]["mlorg/v1"])
    assert any(len(v) > 1 for v in by_rule.values()), "the example should have a rule with several subjects"
