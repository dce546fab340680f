"""Charts: accessible, script-free, deterministic SVG; privacy floor; the team map folds big organizations."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.render import charts, history, team_map, team_map_chart
from mlorg.render.report_blocks import STAGES
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization
from orggen import generate_spec

HOSTILE = "<script>alert('x')</script> R&D \"q\" \x1b[31m"


def all_charts(name: str = "Team") -> list[charts.Chart]:
    spec = mlorg.load_spec(EXAMPLE)
    points = [
        history.HistoryPoint("#1", "exploring", {"high": 2}, {"strategy": 3}),
        history.HistoryPoint("#2", "building", {"high": 1}, {"strategy": 4}),
    ]
    return [
        charts.maturity_ladder(STAGES, "exploring", "building", [f"hire {name}"]),
        charts.star_radar([(name, {"strategy": 3, "structure": 2, "processes": 4, "rewards": 1, "people": None})]),
        charts.value_cost_matrix([charts.MatrixPoint("a", name, 3, 2, True), charts.MatrixPoint("b", "b", 3, 2)]),
        charts.role_coverage([charts.RoleBar(name, 2, "covered"), charts.RoleBar("sre_ml", 0, "missing")], "exploring"),
        charts.culture_by_team([charts.TeamCulture(name, 4.5, 9, "rule_oriented")], 5),
        charts.change_timeline([charts.TimelineStep(1, "strategy", f"announce {name}")]),
        team_map_chart.team_map(team_map.build(SpecIndex(spec))),
        history.history_stage(points, STAGES),
        history.history_findings(points),
        history.history_star(points),
    ]


def test_every_chart_is_accessible_and_script_free() -> None:
    made = all_charts()
    assert len({c.id for c in made}) == len(made)
    for c in made:
        root = ET.fromstring(c.svg)
        assert root.get("id") == c.id and c.id.startswith("chart-")
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{c.id}-title {c.id}-desc"
        title, desc = root[0], root[1]
        assert title.tag.endswith("title") and title.text == c.title
        assert desc.tag.endswith("desc") and desc.text
        assert not any(el.tag.endswith("script") for el in root.iter())
        assert not any(k.startswith("on") for el in root.iter() for k in el.attrib)
        assert "pygal" not in c.svg.lower() or "chart-" in c.svg  # no credit comments
        assert "<!--" not in c.svg
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", c.svg), f"{c.id}: random id"


def test_no_hover_label_is_a_raw_number() -> None:
    """pygal's guides carry titles such as ``0.08333333333`` (a position) or radians: none may reach a reader."""
    for c in all_charts():
        hover = [el.text or "" for el in ET.fromstring(c.svg).iter() if el.tag.endswith("title")][1:]
        assert not [t for t in hover if re.fullmatch(r"-?[0-9.e+-]+", t.strip())], c.id


def test_charts_are_deterministic() -> None:
    assert [c.svg for c in all_charts()] == [c.svg for c in all_charts()]


def test_pygal_css_is_scoped_to_the_fixed_chart_id() -> None:
    radar = charts.star_radar([("now", {"strategy": 3})])
    assert "#chart-star " in radar.svg or "#chart-star{" in radar.svg


def test_hostile_labels_are_escaped_in_every_chart() -> None:
    for c in all_charts(HOSTILE):
        assert "<script" not in c.svg
        assert "\x1b" not in c.svg
        ET.fromstring(c.svg)  # still well-formed XML


def test_privacy_floor_is_never_crossed() -> None:
    rows = [charts.TeamCulture("big", 4.0, 5, "rule_oriented"), charts.TeamCulture("small", 2.0, 4, "power_oriented")]
    assert [r.name for r in charts.above_privacy_floor(rows, 5)] == ["big"]
    svg = charts.culture_by_team(rows, 5).svg
    assert ">big<" in svg and "small" not in svg


def test_maturity_ladder_marks_current_and_lists_what_next_needs() -> None:
    c = charts.maturity_ladder(STAGES, "building", "scaling", [f"item {i}" for i in range(12)])
    assert "you are here" in c.svg and "Still needed to reach scaling:" in c.svg
    assert "item 7" in c.svg and "item 8" not in c.svg and "and 4 more" in c.svg


def test_value_cost_matrix_labels_quadrants_and_marks_first_project() -> None:
    c = charts.value_cost_matrix([charts.MatrixPoint("a", "Cart", 3, 2, True), charts.MatrixPoint("b", "Search", 5, 3)])
    for q in ("Quick wins", "Big bets", "Fill-ins", "Money pits", "★ Cart"):
        assert q in c.svg
    assert charts.quadrant_of(5, 1) == "Quick wins" and charts.quadrant_of(2, 5) == "Money pits"
    assert charts.quadrant_of(3, 3) == "Big bets"  # "high" starts at the threshold, as in the portfolio analysis
    assert charts.quadrant_of(3, 2, value_from=4) == "Fill-ins"
    unnamed = charts.value_cost_matrix([charts.MatrixPoint("b", "Search", 5, 3, quadrant="big bet")])
    assert "Search: value 5, cost 3 (big bet)" in unnamed.svg


def test_change_timeline_draws_a_bar_per_step_on_a_shared_week_scale() -> None:
    steps = [
        charts.TimelineStep(1, "announce", "Say it", "week 1", 0, 1),
        charts.TimelineStep(2, "strategy", "Write it", "weeks 2–7", 1, 6),
    ]
    c = charts.change_timeline(steps, total_weeks=7)
    bars = [el for el in ET.fromstring(c.svg).iter() if el.get("class") == "weeks"]
    assert [float(b.get("width") or 0) for b in bars] == pytest.approx([564 / 7, 564 * 6 / 7], abs=0.1)
    assert "step 2: strategy (weeks 2–7): Write it" in c.svg and "7 weeks in all." in c.svg
    assert 'class="weeks"' not in charts.change_timeline([charts.TimelineStep(1, "strategy", "x")]).svg


# --- team map -------------------------------------------------------------------------------------


def yarnit_map() -> team_map.TeamMap:
    return team_map.build(SpecIndex(mlorg.load_spec(EXAMPLE)))


def test_small_org_map_shows_every_team_and_its_silos() -> None:
    m = yarnit_map()
    assert not m.folded and len(m.nodes) == 10 and m.total_forums == 1
    by_key = {n.key: n for n in m.nodes}
    assert by_key["recs"].linked and by_key["recs"].ml == 2
    assert by_key["data"].siloed and not by_key["data"].ml_silo  # no ML role there, but cut off
    assert by_key["storefront"].headcount == 14


def spec_of(data: dict[str, object]) -> Organization:
    return Organization.model_validate({"version": 1, "organization": {"name": "T"}, **data})


def test_ml_team_in_no_forum_is_drawn_as_an_ml_silo() -> None:
    spec = spec_of(
        {
            "teams": [{"id": "a", "kind": "product"}, {"id": "ml", "kind": "ml"}, {"id": "b", "kind": "product"}],
            "people": [{"id": "p", "team": "ml", "roles": ["ml_engineer"]}],
            "forums": [{"id": "f", "kind": "integration_point", "teams": ["a", "b"]}],
        }
    )
    m = team_map.build(SpecIndex(spec))
    silos = [n.key for n in m.nodes if n.ml_silo]
    assert silos == ["ml"]
    svg = team_map_chart.team_map(m).svg
    assert "ML silos: ml." in svg and 'stroke="#D55E00"' in svg


def test_big_org_folds_into_departments_and_keeps_totals() -> None:
    spec = generate_spec(5000)  # 500 teams under 10 departments of 12 groups
    index = SpecIndex(spec)
    m = team_map.build(index)
    assert m.folded and m.folded_at_depth == 1
    assert len(m.nodes) <= team_map.MAX_NODES
    assert sum(n.headcount for n in m.nodes) == sum(team_map.own_headcount(index, t.id) for t in spec.teams)
    assert sum(n.ml for n in m.nodes) == sum(index.ml_count_by_team.values())
    # independently: a forum is drawable when its teams sit in two departments or more
    department = {t.id: (index.team_ancestors(t.id)[-2:-1] or [t.id])[0] for t in spec.teams}
    drawable = sum(1 for f in spec.forums if len({department[t] for t in f.teams}) > 1)
    assert len(m.forums) == min(drawable, team_map.MAX_FORUMS)
    assert m.hidden_forums == drawable - len(m.forums)
    svg = team_map_chart.team_map(m).svg
    assert svg.count('class="team"') == len(m.nodes)


def test_flat_org_too_wide_at_the_top_keeps_the_biggest_and_folds_the_rest() -> None:
    spec = spec_of({"teams": [{"id": f"t{i}", "kind": "product", "headcount": i} for i in range(100)]})
    m = team_map.build(SpecIndex(spec))
    assert len(m.nodes) == team_map.MAX_NODES
    assert m.nodes[-1].key == team_map.OTHER and m.nodes[-1].teams == 100 - (team_map.MAX_NODES - 1)
    assert {n.key for n in m.nodes[:-1]} == {f"t{i}" for i in range(100 - (team_map.MAX_NODES - 1), 100)}
    assert sum(n.headcount for n in m.nodes) == sum(range(100))


@pytest.mark.parametrize("max_forums", [1, 3])
def test_forums_beyond_the_cap_are_counted_not_drawn(max_forums: int) -> None:
    spec = spec_of(
        {
            "teams": [{"id": f"t{i}", "kind": "product"} for i in range(6)],
            "forums": [
                {"id": f"f{i}", "kind": "community_of_practice", "teams": [f"t{i}", f"t{i + 1}"]} for i in range(5)
            ],
        }
    )
    m = team_map.build(SpecIndex(spec), max_forums=max_forums)
    assert len(m.forums) == max_forums and m.hidden_forums == 5 - max_forums
    assert all(n.linked for n in m.nodes)  # silo detection uses every forum, drawn or not
