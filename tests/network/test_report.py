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
