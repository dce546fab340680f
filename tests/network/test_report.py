"""The collaboration section in every format: team level, under the privacy floor, people only on request."""

from __future__ import annotations

import json
from typing import Any

import yaml
from synthetic import spec

import mlorg
from mlorg.render import html, markdown, text
from mlorg.spec.models import Organization


def load(**kw: Any) -> Organization:
    thresholds = kw.pop("thresholds", None)
    data = spec(**kw)
    if thresholds:
        data["settings"] = {"thresholds": thresholds}
    return mlorg.load_spec_text(yaml.safe_dump(data), "synthetic.yaml")


def section(md: str) -> str:
    start = md.index("## Collaboration as it is lived")
    end = md.index("\n## ", start + 5)
    return md[start:end]


def test_markdown_shows_team_figures_brokers_and_unused_forums() -> None:
    forum = {"id": "vision-review", "kind": "leadership_review", "teams": ["vision", "shop"]}
    org = load(silo=True, bridge=True, forums=[forum])
    md = section(markdown.render(mlorg.assess(org), spec=org))
    assert "| vision | ML | 8 | 28 | 1 | 97% | -0.93 | 0 | 1 |" in md
    assert "**Brokers of ML-to-business work**: 2" in md
    assert "| ml | 94% |" in md
    assert "| vision-review | leadership review | no |" in md
    assert "insular-ml-team" in md and "fragile-ml-business-bridge" in md
    assert "ml-0" not in md, "no person is named without network_individual"


def test_individual_figures_only_with_the_flag() -> None:
    org = load(silo=True, bridge=True, thresholds={"network_individual": True})
    c = mlorg.assess(org).collaboration
    assert c is not None
    assert [b.person for b in c.brokers] == ["ml-0", "ml-1"]
    assert "| ml | 94% | ml-0 |" in section(markdown.render(mlorg.assess(org), spec=org))


def test_html_and_terminal_draw_the_section_deterministically() -> None:
    org = load(silo=True, bridge=True)
    a = mlorg.assess(org)
    page = html.render(a, spec=org)
    assert 'id="chart-collab-map"' in page and 'id="chart-collab-ei"' in page
    assert page == html.render(mlorg.assess(load(silo=True, bridge=True)), spec=org)
    verbose = text.render(a, verbose=True, width=100, spec=org)
    assert "Collaboration as it is lived" in verbose and "-0.93" in verbose
    assert "Collaboration as it is lived" not in text.render(a, verbose=False, width=100, spec=org)


def test_json_has_the_team_level_result() -> None:
    a = mlorg.assess(load(silo=False, bridge=False))
    data = json.loads(a.model_dump_json())
    assert {t["team"] for t in data["collaboration"]["teams"]} == {"ml", "vision", "shop", "search", "sales"}
    assert data["collaboration"]["broker_count"] == 0
    no_ties = mlorg.assess(mlorg.load_spec_text("version: 2\norganization: {name: X}\n", "x.yaml"))
    assert json.loads(no_ties.model_dump_json())["collaboration"] is None


def test_privacy_floor_hides_small_teams_with_secondary_suppression() -> None:
    data = spec(silo=False, bridge=False)
    data["teams"].append({"id": "ops", "kind": "it_ops"})
    data["people"] += [{"id": f"ops-{i}", "team": "ops"} for i in range(3)]
    data["collaboration"]["ties"] += [{"a": "ops-0", "b": "ops-1"}, {"a": "ops-1", "b": "ops-2"}]
    c = mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(data), "s.yaml")).collaboration
    assert c is not None
    # ops (3 people) is under the floor of 5; 3 alone could be worked out from the total, so the next
    # smallest team (8 people; among equals the first by id, ml) is hidden too
    shown = {t.team for t in c.teams}
    assert "ops" not in shown and len(shown) == 4 and c.hidden_teams == 2
    everyone_hidden = mlorg.assess(load(silo=False, bridge=False, thresholds={"privacy_floor": 9})).collaboration
    assert everyone_hidden is not None and everyone_hidden.teams == () and everyone_hidden.hidden_teams == 5
    assert everyone_hidden.links == ()


def _drop_ties_of(data: dict[str, Any], team: str) -> dict[str, Any]:
    """Cut every tie between ``team`` and the rest (its people keep working with each other)."""
    ties = data["collaboration"]["ties"]
    data["collaboration"]["ties"] = [
        t for t in ties if (t["a"].startswith(team + "-")) == (t["b"].startswith(team + "-"))
    ]
    return data


def test_team_map_draws_observed_links_and_drops_unused_forums() -> None:
    from mlorg.render import team_map
    from mlorg.render.team_map_chart import team_map as draw
    from mlorg.spec.index import SpecIndex

    forum = {"id": "vision-review", "kind": "leadership_review", "teams": ["vision", "shop"]}
    data = _drop_ties_of(spec(silo=True, bridge=True, forums=[forum]), "vision")
    org = mlorg.load_spec_text(yaml.safe_dump(data), "synthetic.yaml")
    result = mlorg.assess(org)
    assert result.collaboration is not None
    m = team_map.build(SpecIndex.of(org), observed=result.collaboration)
    assert m.has_observed
    assert [(f.key, f.used) for f in m.forums] == [("vision-review", False)]
    links = {(link.a, link.b): link.ties for link in m.observed}
    published = {(min(x.a, x.b), max(x.a, x.b)): x.ties for x in result.collaboration.links}
    assert links == published and links[("ml", "shop")] == 8, "one node per team here: the published links as they are"
    nodes = {n.key: n for n in m.nodes}
    assert nodes["vision"].ml_silo, "its only forum is unused and no observed tie leaves it"
    assert not nodes["ml"].siloed and not nodes["shop"].siloed
    svg = draw(m).svg
    assert svg.count('class="observed-link"') == len(links)
    assert "vision-review (leadership review): links 2 teams; the observed ties show nobody uses it" in svg
    assert "observed ties between units (wider: more)" in svg

    capped = team_map.build(SpecIndex.of(org), observed=result.collaboration, max_observed=2)
    assert len(capped.observed) == 2 and capped.hidden_observed == len(links) - 2
    assert [(x.a, x.b) for x in capped.observed] == sorted(links, key=lambda k: (-links[k], k))[:2]

    declared = dict(data)
    declared.pop("collaboration")
    plain = mlorg.load_spec_text(yaml.safe_dump(declared), "synthetic.yaml")
    m2 = team_map.build(SpecIndex.of(plain), observed=None)
    assert not m2.has_observed and not {n.key: n for n in m2.nodes}["vision"].siloed, "declared, nothing contradicts"


def test_team_map_with_observed_ties_is_byte_identical_across_runs() -> None:
    org = load(silo=True, bridge=True)
    first = html.render(mlorg.assess(org), spec=org)
    second = html.render(mlorg.assess(load(silo=True, bridge=True)), spec=load(silo=True, bridge=True))
    assert first == second
    assert 'class="observed-link"' in first
    md = markdown.render(mlorg.assess(org), spec=org)
    assert "| Team | People | ML staff | Teams | Linked | Observed ties drawn |" in md
