"""Baseline against target: pure comparison logic, its four renderings and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.diff import AssessmentDiff, diff, side_from_json
from mlorg.render import diff_render
from mlorg.storage import snapshots
from report_fixtures import rich_assessment


@pytest.fixture(scope="module")
def change() -> AssessmentDiff:
    spec = mlorg.load_spec(EXAMPLE)
    base = mlorg.assess(spec)
    return diff(
        side_from_json(base.model_dump(mode="json"), "today.yaml"),
        side_from_json(rich_assessment(base).model_dump(mode="json"), "target.yaml"),
    )


def test_diff_compares_stage_archetype_structure(change: AssessmentDiff) -> None:
    changed = {v.field: (v.before, v.after) for v in change.values if v.changed}
    assert changed["maturity stage"] == ("exploring", "building")
    assert changed["archetype"] == ("nascent_ad_hoc", "product_embedded")
    assert changed["structure"] == ("centralized", "decentralized")
    assert "organization" not in changed


def test_diff_matches_findings_by_rule_and_subject(change: AssessmentDiff) -> None:
    introduced = [(f.rule, f.subject) for f in change.findings_introduced]
    assert introduced == [  # most severe first
        ("handoff-to-it", "model:stock-forecast"),
        ("isolated-ml-hire", "team:recs"),
        ("some-future-rule", "org"),
    ]
    resolved = {(f.rule, f.subject) for f in change.findings_resolved}
    assert ("uncoordinated-upstream-data", "feature:geo_location") in resolved  # same rule, other subject
    assert ("uncoordinated-upstream-data", "feature:user_agent") not in resolved  # kept
    assert len(resolved) == 15 and change.findings_kept == 5
    assert change.severity_after["high"] == 2 and change.severity_before["high"] == 7


def test_diff_star_scores_and_roles(change: AssessmentDiff) -> None:
    star = {s.point: (s.before, s.after, s.delta) for s in change.star}
    assert star["strategy"] == (4, 5, 1) and star["rewards"] == (3, 1, -2) and star["people"] == (3, 3, 0)
    assert [r.role for r in change.roles] == ["ml_engineer", "sre_ml"]  # only the functions that changed
    assert (change.roles[-1].before, change.roles[-1].after) == (0, 1)
    assert (change.roles[-1].before_status, change.roles[-1].after_status) == ("partial", "covered")


def test_same_assessment_is_unchanged() -> None:
    data = mlorg.assess(mlorg.load_spec(EXAMPLE)).model_dump(mode="json")
    d = diff(side_from_json(data, "a"), side_from_json(data, "b"))
    assert d.unchanged and d.findings_kept == len(data["findings"])


def test_old_or_partial_snapshot_json_still_compares() -> None:
    d = diff(side_from_json({}, "empty"), side_from_json({"maturity": {"stage": "building"}, "findings": [1, {}]}, "x"))
    assert {v.field: v.after for v in d.values}["maturity stage"] == "building"
    assert d.findings_introduced == () and d.teams is None


def test_team_structure_is_compared_between_spec_files() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    target_text = text.replace(
        "  - {id: search, name: Site search, kind: product, parent: engineering, headcount: 6}\n", ""
    ).replace("parent: leadership, headcount: 3}", "parent: engineering, headcount: 3}")
    target_text = target_text.replace(
        "  - {id: finance,",
        "  - {id: ml-platform, name: ML platform, kind: platform, parent: engineering}\n  - {id: finance,",
    )
    target_text = target_text.replace(
        "teams: [leadership, storefront, search, recs]", "teams: [leadership, storefront, recs]"
    )
    target_text = target_text.replace("team: search\n", "team: storefront\n").replace(
        "[search, storefront]", "[storefront]"
    )
    base_spec, target_spec = mlorg.load_spec_text(text), mlorg.load_spec_text(target_text)
    d = diff(
        side_from_json(mlorg.assess(base_spec).model_dump(mode="json"), "a", base_spec),
        side_from_json(mlorg.assess(target_spec).model_dump(mode="json"), "b", target_spec),
    )
    assert d.teams is not None
    assert [(t.change, t.id) for t in d.teams] == [("added", "ml-platform"), ("moved", "data"), ("removed", "search")]
    assert d.teams[1].before_parent == "leadership" and d.teams[1].after_parent == "engineering"


def test_every_format_renders(change: AssessmentDiff) -> None:
    text = diff_render.render(change, "text")
    assert text.startswith("mlorg diff: today.yaml → target.yaml")
    assert "maturity stage: exploring → building" in text and "rewards: 3 → 1 (-2)" in text
    markdown = diff_render.render(change, "markdown")
    assert markdown.startswith("# Comparison: today\\.yaml → target\\.yaml")
    assert "## Findings introduced \\(3\\)" in markdown and "## Findings resolved \\(15\\)" in markdown
    assert json.loads(diff_render.render(change, "json"))["findings_kept"] == 5
    page = diff_render.render(change, "html")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert 'id="diff"' in page and 'id="chart-diff-star"' in page and "<script" not in page
    assert diff_render.render(change, "html") == page


def test_diff_cli_between_spec_files_and_snapshots(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("diff", str(EXAMPLE), str(EXAMPLE), "--format", "json")
    assert res.code == 0
    data = json.loads(res.stdout)
    assert data["teams"] == [] and data["findings_resolved"] == [] and data["baseline"] == str(EXAMPLE)

    db = f"sqlite:///{tmp_path / 'd.db'}"
    engine = snapshots.open_database(db)
    base = mlorg.assess(mlorg.load_spec(EXAMPLE))
    snapshots.store(engine, base, "h", "q1")
    snapshots.store(engine, rich_assessment(base), "h", "q2")
    res = run_cli("diff", "snapshot:q1", "snapshot:2", "--database-url", db, "-f", "markdown")
    assert res.code == 0
    assert "# Comparison: snapshot \\#1 \\(q1\\) → snapshot \\#2 \\(q2\\)" in res.stdout
    assert "Team structure" not in res.stdout  # snapshots store no spec; text says so only in HTML
    out = tmp_path / "diff.html"
    assert run_cli("diff", "snapshot:1", str(EXAMPLE), "--database-url", db, "-f", "html", "-o", str(out)).code == 0
    assert "Team structure is compared only between two spec files" in out.read_text(encoding="utf-8")

    missing = run_cli("diff", "snapshot:9", str(EXAMPLE), "--database-url", db)
    assert missing.code == 2 and "no snapshot '9'" in missing.stderr
    bad = run_cli("diff", str(tmp_path / "nope.yaml"), str(EXAMPLE))
    assert bad.code == 2


@pytest.mark.parametrize("stored", ["not json", "[" * 100_000, "[1, 2]"])
def test_a_snapshot_row_changed_outside_mlorg_is_named_not_compared(run_cli, tmp_path: Path, stored: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    db = f"sqlite:///{tmp_path / 'd.db'}"
    engine = snapshots.open_database(db)
    snapshots.store(engine, mlorg.assess(mlorg.load_spec(EXAMPLE)), "h", "q1")
    with Session(engine) as session, session.begin():
        session.execute(update(snapshots.Snapshot).values(assessment=stored))
    assert [s.readable for s in snapshots.list_snapshots(engine)] == [False]
    res = run_cli("diff", "snapshot:q1", str(EXAMPLE), "--database-url", db)
    assert res.code == 2
    assert res.stderr.strip() == (
        "mlorg: snapshot #1 (q1) holds no readable assessment (its row was changed outside mlorg); take a new snapshot"
    )
    listed = run_cli("history", "--database-url", db)
    assert listed.code == 0 and "q1" in listed.stdout
