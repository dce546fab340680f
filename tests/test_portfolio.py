"""Portfolio ranking, quadrants, mode and the judging of an already-chosen first project."""

from __future__ import annotations

from typing import Any

import mlorg
from mlorg.analyses import data_readiness, portfolio
from mlorg.analyses.context import AnalysisContext
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

HEAD = "version: 1\norganization: {name: P}\nteams: [{id: recs, kind: ml}, {id: shop, kind: product}]\n"


def run(body: str, **thresholds: Any) -> portfolio.PortfolioResult:
    spec = mlorg.load_spec_text(HEAD + body)
    ctx = AnalysisContext(spec, SpecIndex(spec), Thresholds(**thresholds))
    return portfolio.analyze(ctx, data_readiness.analyze(ctx))


def test_quadrants_follow_the_value_and_cost_thresholds() -> None:
    res = run("""
initiatives:
  - {id: qw, value: 4, cost: 1}
  - {id: bb, value: 5, cost: 5}
  - {id: fi, value: 1, cost: 1}
  - {id: mp, value: 2, cost: 4}
  - {id: un, value: 3}
""")
    quads = {r.initiative: r.quadrant for r in res.ranking}
    assert quads == {"qw": "quick_win", "bb": "big_bet", "fi": "fill_in", "mp": "money_pit", "un": "unplaced"}
    raised = run("initiatives: [{id: qw, value: 4, cost: 1}]", portfolio_high_value_from=5)
    assert raised.ranking[0].quadrant == "fill_in"


def test_points_are_transparent_and_unknown_counts_zero() -> None:
    res = run("initiatives: [{id: a, success_likelihood: high, weeks: 30, use_cases: 1}]")
    (r,) = res.ranking
    pts = {c.criterion: c.points for c in r.criteria}
    assert pts["success_likelihood"] == 2 and pts["one_use_case"] == 2 and pts["weeks_to_results"] == -1
    assert r.score == sum(pts.values()) == 3
    assert set(r.unknown) == {"useful_not_critical", "additive", "greenfield", "departments", "data_readiness"}
    assert all(not c.known and c.points == 0 for c in r.criteria if c.criterion in r.unknown)


def test_first_mode_ignores_value_but_next_mode_counts_it() -> None:
    body = """
initiatives:
  - {id: safe, value: 2, cost: 2, criticality: low, additive: true}
  - {id: rich, value: 5, cost: 1, criticality: low, additive: true}
"""
    first = run(body)
    assert first.mode == "first"
    assert first.first_project == "rich"  # tie on points, broken by id
    assert first.ranking[0].score == first.ranking[1].score
    live = run(body + "models: [{id: m, status: production}]\n")
    assert live.mode == "next" and "m" in live.mode_reason
    assert live.first_project == "rich" and live.ranking[0].score > live.ranking[1].score


def test_ties_prefer_fewer_unknowns() -> None:
    body = (
        "initiatives: [{id: a, additive: true},"
        " {id: b, greenfield: true, success_likelihood: medium, criticality: medium}]"
    )
    res = run(body)
    assert res.ranking[0].score == res.ranking[1].score == 2
    assert [r.initiative for r in res.ranking] == ["b", "a"]


def test_closed_initiatives_are_not_ranked() -> None:
    res = run("initiatives: [{id: done, status: shipped}, {id: gone, status: dropped}, {id: next}]")
    assert [r.initiative for r in res.ranking] == ["next"]
    assert res.not_ranked == ("done", "gone")
    assert res.mode == "next"  # something shipped


def test_departments_count_own_team_and_threshold() -> None:
    body = "initiatives: [{id: a, team: recs, departments: [shop]}]"
    assert run(body).ranking[0].criteria[6].points == 1
    assert run(body, first_project_max_departments=1).ranking[0].criteria[6].points == -2


def test_data_audit_overrides_a_claimed_ready() -> None:
    res = run("""
models: [{id: m, status: development, features: [f]}]
features: [{id: f, in_production: false}]
initiatives: [{id: a, data_ready: true, models: [m]}]
""")
    crit = {c.criterion: c for c in res.ranking[0].criteria}
    assert crit["data_readiness"].points == -1
    assert "m" in crit["data_readiness"].reason


def test_chosen_first_project_is_judged() -> None:
    res = run("""
initiatives:
  - {id: mine, first_project: true, criticality: critical, weeks: 40, additive: false, greenfield: false}
  - {id: better, criticality: low, weeks: 6, additive: true, greenfield: true, success_likelihood: high}
""")
    assert res.first_project == "better"
    (j,) = res.judged
    assert j.initiative == "mine" and j.fits is False
    assert set(j.failed) == {"useful_not_critical", "weeks_to_results", "additive", "greenfield"}
    assert j.rank == 2


def test_in_progress_counts_as_first_only_before_anything_ships() -> None:
    assert [j.initiative for j in run("initiatives: [{id: a, status: in_progress}]").judged] == ["a"]
    shipped = "initiatives: [{id: a, status: in_progress}, {id: old, status: shipped}]"
    assert run(shipped).judged == ()
    assert run("initiatives: [{id: a, status: in_progress, first_project: false}]").judged == ()


def test_no_initiatives() -> None:
    res = run("")
    assert res.first_project is None and res.ranking == () and res.runner_up is None
