"""Survey evidence flows into the assessment: culture per team, findings, open questions, CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from mlorg import assess, load_spec
from mlorg.survey.catalog import instrument, instruments

from .survey_helpers import EXAMPLE

WESTRUM = [i.id for i in instrument("westrum").items]  # type: ignore[union-attr]


def write_answers(path: Path, rows: list[tuple[str, int]], extra: dict[str, int] | None = None) -> None:
    extra = extra or {}
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["team", "role", *WESTRUM, *extra])
        for team, value in rows:
            w.writerow([team, "", *[value] * len(WESTRUM), *extra.values()])


def spec_with_survey(tmp_path: Path, rows: list[tuple[str, int]], **extra: int) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["culture"] = {"westrum": {"mean": 6.5, "respondents": 27}, "survey": "answers/staff.csv"}
    (tmp_path / "answers").mkdir()
    write_answers(tmp_path / "answers" / "staff.csv", rows, extra)
    spec = tmp_path / "org.yaml"
    spec.write_text(yaml.safe_dump(data))
    return spec


def test_instruments_are_complete() -> None:
    westrum = instrument("westrum")
    assert westrum is not None and len(westrum.items) == 7
    assert (westrum.scale.min, westrum.scale.max) == (1, 7)
    assert all(i.text.startswith("On my team") for i in westrum.items)
    ml = instrument("ml_org")
    assert ml is not None and 22 <= len(ml.items) <= 28
    measured = {m for item in ml.items for m in item.measures}
    stages = {"getting_started", "exploring", "building", "scaling", "advanced"}
    points = {"strategy", "structure", "processes", "rewards", "people"}
    assert {f"maturity.{s}" for s in stages} | {f"star.{p}" for p in points} <= measured
    assert len({i.id for inst in instruments() for i in inst.items}) == sum(len(i.items) for i in instruments())


def test_survey_items_command(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("survey", "items", "--instrument", "westrum", "--format", "json")
    assert res.code == 0
    items = json.loads(res.stdout)
    assert [i["id"] for i in items] == WESTRUM
    assert all({"id", "text", "scale", "measures"} <= set(i) for i in items)
    res = run_cli("survey", "items", "--format", "csv")
    assert res.code == 0 and res.stdout.splitlines()[0].startswith("instrument,id,text,scale_min,scale_max")
    assert len(res.stdout.splitlines()) == 1 + sum(len(i.items) for i in instruments())
    assert run_cli("survey", "items").stdout.startswith("ml_org (scale 1-5)")
    assert run_cli("survey", "items", "--instrument", "nope").code == 2


def test_spec_survey_path_is_relative_to_the_spec_and_decides_culture(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rows = [("recs", 3)] * 6 + [("storefront", 4)] * 5 + [("search", 7)] * 2
    spec_path = spec_with_survey(tmp_path, rows)
    monkeypatch.chdir("/")
    result = assess(load_spec(spec_path, "org.yaml"))
    c = result.culture
    assert (c.source, c.typology, c.respondents) == ("survey", "rule_oriented", 13)
    assert c.mean == round((6 * 3 + 5 * 4 + 2 * 7) / 13, 3) and c.spec_mean == 6.5
    # search (2) is below the floor; storefront is hidden too, or subtraction would reveal search.
    assert [t.team for t in c.teams] == ["recs"] and c.hidden_teams == 2
    assert c.coverage == "sufficient" and c.confidence == 1.0
    data = json.loads(result.model_dump_json())
    assert {"typology", "mean", "respondents"} <= set(data["culture"])
    assert "search" not in json.dumps(data["culture"])
    hits = [f for f in result.findings if f.rule == "survey-contradicts-spec"]
    assert [f.subject for f in hits] == ["org"]
    assert hits[0].message == "The spec gives a Westrum mean of 6.5; 13 staff answering the survey give 4.0."
    assert hits[0].evidence[1].path == "culture.survey"


def test_survey_option_overrides_the_spec_and_output_is_deterministic(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "a.csv"
    write_answers(answers, [("recs", 6)] * 5)
    first = run_cli("assess", str(EXAMPLE), "--survey", str(answers), "-f", "json")
    second = run_cli("assess", str(EXAMPLE), "--survey", str(answers), "-f", "json")
    assert first.code == 0 and first.stdout == second.stdout
    culture = json.loads(first.stdout)["culture"]
    assert culture["source"] == "survey" and culture["mean"] == 6.0 and culture["typology"] == "performance_oriented"


def test_self_assessment_contradicting_a_spec_fact_is_a_finding(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    data.setdefault("practices", {})["data_audit_done"] = True
    data["practices"]["tooling"] = ["model_monitoring"]
    data["culture"] = {"survey": "a.csv"}
    with (tmp_path / "a.csv").open("w") as fh:
        fh.write("team,ml_data_audited,ml_monitoring\n" + "recs,1,5\n" * 6)
    (tmp_path / "org.yaml").write_text(yaml.safe_dump(data))
    result = assess(load_spec(tmp_path / "org.yaml", "org.yaml"))
    hits = [f for f in result.findings if f.rule == "survey-contradicts-spec"]
    assert len(hits) == 1
    assert hits[0].message.startswith("The spec says practices.data_audit_done is true, but staff mostly disagree")
    assert hits[0].evidence[0].path == "practices.data_audit_done" and hits[0].location is not None


def test_without_a_survey_the_rule_asks_for_one() -> None:
    result = assess(load_spec(EXAMPLE))
    asked = {q.path: q for q in result.open_questions}
    assert "survey-contradicts-spec" in asked["culture.survey"].settles
    assert result.culture.source == "spec" and result.culture.typology == "rule_oriented"


def test_analysis_context_exposes_the_survey(tmp_path: Path) -> None:
    from mlorg.analyses.context import AnalysisContext
    from mlorg.settings import Thresholds
    from mlorg.spec.index import SpecIndex
    from mlorg.survey.evidence import survey_for

    spec = load_spec(spec_with_survey(tmp_path, [("recs", 5)] * 5, ml_idea_intake=4))
    index = SpecIndex(spec)
    survey = survey_for(spec, index, Thresholds(), None)
    ctx = AnalysisContext(spec, index, Thresholds(), survey=survey)
    assert ctx.survey is not None
    ml = ctx.survey.instrument("ml_org")
    assert ml is not None and {c.measure: c.normalized for c in ml.constructs} == {"star.processes": 0.75}
    assert AnalysisContext(spec, index, Thresholds()).survey is None
