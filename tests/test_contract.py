"""The JSON contract of DESIGN §6, determinism, SARIF shape and the CLI's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.assessment import assessment_json_schema

STABLE_KEYS = [
    "schema_version",
    "organization.name",
    "maturity.stage",
    "maturity.evidence",
    "maturity.next_stage",
    "maturity.missing",
    "archetype.id",
    "archetype.dimensions",
    "structure.current",
    "structure.recommended",
    "structure.rationale",
    "structure.mitigations",
    "culture.typology",
    "culture.mean",
    "culture.respondents",
    "star_model.strategy.score",
    "star_model.structure.score",
    "star_model.processes.score",
    "star_model.rewards.score",
    "star_model.people.score",
    "roles.coverage",
    "hiring_plan",
    "portfolio.first_project",
    "portfolio.ranking",
    "findings",
    "change_plan.steps",
]
FINDING_KEYS = {"rule", "severity", "subject", "message", "evidence", "remedy", "source"}
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@pytest.fixture(scope="module")
def example_json() -> dict[str, object]:
    return json.loads(mlorg.render(mlorg.assess(mlorg.load_spec(EXAMPLE)), "json"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("key", STABLE_KEYS)
def test_stable_key_present(example_json: dict[str, object], key: str) -> None:
    node: object = example_json
    for part in key.split("."):
        assert isinstance(node, dict) and part in node, f"missing stable key {key}"
        node = node[part]


def test_enumerated_values_are_from_the_contract(example_json: dict[str, object]) -> None:
    data: dict[str, dict[str, object]] = example_json  # type: ignore[assignment]
    assert data["maturity"]["stage"] in {"getting_started", "exploring", "building", "scaling", "advanced"}
    assert data["archetype"]["id"] in {
        "nascent_ad_hoc",
        "research_and_development",
        "product_embedded",
        "independent_ml_division",
        "ml_first",
    }
    assert data["structure"]["current"] in {"none", "centralized", "decentralized", "hybrid"}
    assert data["culture"]["typology"] in {"power_oriented", "rule_oriented", "performance_oriented", None}


def test_findings_have_contract_keys_and_order(example_json: dict[str, object]) -> None:
    findings: list[dict[str, object]] = example_json["findings"]  # type: ignore[assignment]
    assert findings, "the YarnIt example should produce findings"
    for f in findings:
        assert set(f) >= FINDING_KEYS
        subject = str(f["subject"])
        assert subject == "org" or subject.split(":", 1)[0] in {
            "model",
            "feature",
            "team",
            "initiative",
            "person",
            "forum",
        }
    keys = [(SEVERITY_RANK[str(f["severity"])], str(f["rule"]), str(f["subject"])) for f in findings]
    assert keys == sorted(keys)


@pytest.mark.parametrize("fmt", ["json", "markdown", "sarif", "text"])
def test_output_is_byte_identical_across_runs(fmt: str) -> None:
    first = mlorg.render(mlorg.assess(mlorg.load_spec(EXAMPLE)), fmt)
    second = mlorg.render(mlorg.assess(mlorg.load_spec(EXAMPLE)), fmt)
    assert first == second


def test_cli_json_runs_are_byte_identical(run_cli) -> None:  # type: ignore[no-untyped-def]
    a = run_cli("assess", str(EXAMPLE), "--format", "json")
    b = run_cli("assess", str(EXAMPLE), "--format", "json")
    assert a.code == b.code == 0
    assert a.stdout == b.stdout


def test_assessment_schema_validates_output(example_json: dict[str, object]) -> None:
    jsonschema.validate(example_json, assessment_json_schema())


def test_sarif_locates_findings_on_spec_lines(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("assess", str(EXAMPLE), "--format", "sarif")
    assert res.code == 0
    log = json.loads(res.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert run["results"], "expected findings as SARIF results"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        region = result["locations"][0]["physicalLocation"]["region"]
        assert 1 <= region["startLine"] <= len(lines)


def test_lint_fail_on_sets_exit_code(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("lint", str(EXAMPLE), "--fail-on", "info").code == 1
    res = run_cli("lint", str(EXAMPLE), "--fail-on", "critical")
    worst = min(SEVERITY_RANK[f.severity] for f in mlorg.assess(mlorg.load_spec(EXAMPLE)).findings)
    assert res.code == (1 if worst == 0 else 0)
    assert "finding" in res.stdout


def test_ignore_and_severity_overrides(tmp_path: Path) -> None:
    baseline = mlorg.assess(mlorg.load_spec(EXAMPLE))
    target = baseline.findings[0]
    text = EXAMPLE.read_text(encoding="utf-8")
    ignored = tmp_path / "ignored.yaml"
    ignored.write_text(
        text + f"\nsettings:\n  ignore:\n    - {{rule: {target.rule}, subject: '{target.subject}'}}\n",
        encoding="utf-8",
    )
    after = mlorg.assess(mlorg.load_spec(ignored))
    assert (target.rule, target.subject) not in {(f.rule, f.subject) for f in after.findings}
    regraded = tmp_path / "regraded.yaml"
    regraded.write_text(text + f"\nsettings:\n  severity:\n    {target.rule}: info\n", encoding="utf-8")
    graded = mlorg.assess(mlorg.load_spec(regraded))
    assert {f.severity for f in graded.findings if f.rule == target.rule} == {"info"}


def test_output_file_written_atomically(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "a.md"
    res = run_cli("assess", str(EXAMPLE), "-f", "markdown", "-o", str(out))
    assert res.code == 0 and res.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# ML organization assessment: YarnIt")
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_internal_error_exits_3_without_traceback(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import mlorg.engine

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(mlorg.engine, "assess", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out = tmp_path / "out.json"
    res = run_cli("assess", str(EXAMPLE), "-f", "json", "-o", str(out))
    assert res.code == 3
    assert "internal error (RuntimeError)" in res.stderr
    assert "Traceback" not in res.stderr and "simulated bug" not in res.stderr
    (log,) = (tmp_path / "state" / "mlorg").iterdir()
    assert f"details in {log}" in res.stderr
    assert "simulated bug" in log.read_text(encoding="utf-8")
    assert not out.exists()


def test_crash_log_is_private_new_and_never_written_through_a_link(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the log used to be a fixed name in the shared temporary directory, written through
    symbolic links; now each crash gets a new file, mode 0600, in the user's own state directory."""
    import stat
    import tempfile

    import mlorg.engine

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(mlorg.engine, "assess", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (shared / "mlorg-crash.log").symlink_to(victim)  # what another user could plant in /tmp
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    for _ in range(2):
        assert run_cli("assess", str(EXAMPLE), "-f", "json").code == 3
    assert victim.read_text() == "keep me\n"
    folder = tmp_path / "state" / "mlorg"
    logs = sorted(folder.iterdir())
    assert len(logs) == 2, "each crash gets its own file"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(log.stat().st_mode) for log in logs} == {0o600}


def test_text_output_shows_markup_and_control_characters_inert() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: YarnIt", 'name: "[bold red]Evil[/] \\e[31m Co"')
    out = mlorg.render(mlorg.assess(mlorg.load_spec_text(text, "evil.yaml")), "text")
    assert "[bold red]Evil[/]" in out  # shown literally, not interpreted as rich markup
    assert "\x1b" not in out and "\\x1b" in out  # the escape character is made visible, never emitted
