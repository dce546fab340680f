"""One assessment, one set of facts: every section that mentions a shared fact gives the same answer.

The organization below is built to make the facts easy to get wrong: a central analytics team of kind
`data` full of data scientists, a head of data science and a CTO with an ML role in the executive team,
an ML team nested in a business unit, a lone embedded hire, a team that built a model but lists no
staff, and a list of models that a stated count says is partial.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import mlorg
from mlorg.assessment import Assessment
from mlorg.facts import facts_of
from mlorg.spec.index import SpecIndex

VARIED = """
version: 2
organization: {name: Varied Bank, headcount: 4200, ml_focus: implementation}
teams:
  - {id: exec, kind: leadership}
  - {id: analytics, kind: data, parent: exec, staffing: {data_scientist: 30, data_engineer: 4}, experienced_ml: 6}
  - {id: retail, kind: business, parent: exec}
  - {id: pricing, kind: ml, parent: retail, staffing: {data_scientist: 5, ml_engineer: 2}}
  - {id: cards, kind: product, parent: exec, headcount: 40}
  - {id: it, kind: it_ops, parent: exec}
  - {id: fraud, kind: product, parent: exec}
people:
  - {id: cto, team: exec, roles: [executive, ml_researcher], ml_experience: experienced}
  - {id: hods, team: exec, roles: [head_of_data_science], ml_experience: experienced}
  - {id: lone, team: cards, roles: [data_scientist], ml_experience: learning, reports_to: hods}
  - {id: ops1, team: it, roles: [sre]}
models:
  - {id: churn, status: production, built_by: analytics, operated_by: it, kpi: model}
  - {id: price, status: production, built_by: pricing, operated_by: pricing, kpi: business}
  - {id: fraud-score, status: development, built_by: fraud}
counts:
  models: {production: 14}
forums:
  - {id: guild, kind: community_of_practice, teams: [analytics, pricing]}
"""


def assess_text(text: str, tmp_path: Path) -> tuple[Assessment, SpecIndex]:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    spec = mlorg.load_spec(path)
    return mlorg.assess(spec), SpecIndex.of(spec)


def _ids(assessment: Assessment, rule: str) -> set[str]:
    return {f.subject for f in assessment.findings if f.rule == rule}


def check_consistency(a: Assessment, index: SpecIndex) -> None:
    facts = facts_of(index)
    staff = facts.staff
    checks = {c.id: c for c in a.maturity.checks}
    # today's structure is one answer, in the structure section and in the ladder's check
    if "org_model_chosen" in checks and checks["org_model_chosen"].evidence:
        assert checks["org_model_chosen"].evidence[0].value == a.structure.current
    # the lone-hire rule only ever names product-side teams, never an ML home or a leadership team
    for subject in _ids(a, "isolated-ml-hire"):
        team = subject.removeprefix("team:")
        assert staff.placement(team) == "embedded" and not staff.is_ml_home(team)
    # a siloed ML team is always a central ML home
    for subject in _ids(a, "siloed-ml-team"):
        assert subject.removeprefix("team:") in staff.central_homes
    # a role the plan says to hire is one the coverage table does not show as covered, and the
    # status matches what the facts know about the role: `confirm` where the role is only not listed,
    # or where the experience the hire would bring may already be there, unstated
    part = a.roles.partition
    for hire in a.hiring_plan:
        presence = facts.role(hire.role)
        if hire.status == "confirm":
            unstated = hire.id == "ml_scientist" and part is not None and 0 < part.gap <= part.unknown
            assert presence != "present" or hire.role not in index.role_counts or unstated
        elif presence == "unknown":
            assert index.role_counts.get(hire.role, 0) > 0  # a quality gap among people listed
    # the number of models in production is one number wherever the ladder or a finding uses it
    if "many_models" in checks and checks["many_models"].status != "unknown":
        assert checks["many_models"].evidence[0].value == facts.lists.production_models
    for f in a.findings:
        if f.rule in ("no-sre-for-ml", "rewards-ignore-reliability"):
            assert f.message.startswith(f"{facts.lists.production_models} model(s) run in production")
    # the structure's rationale speaks of the same ML staff the facts counted
    if a.structure.current in ("hybrid", "centralized") and staff.central_teams:
        assert f"{staff.central} ML staff" in a.structure.rationale[0]
    # where ML meets the business is one answer: the rule and the structure's mitigation agree
    point = next((m for m in a.structure.mitigations if m.id == "integration_point"), None)
    if point is not None and point.in_place:
        assert not _ids(a, "no-integration-point")
    if _ids(a, "no-integration-point") and point is not None:
        assert point.in_place is not True
    # whether ML people of different teams meet is one answer too
    community = next((m for m in a.structure.mitigations if m.id == "ml_community"), None)
    if community is not None and community.in_place:
        assert not _ids(a, "no-ml-community")
    # whether a platform team is due is one answer: the Star Model does not call it met beside the finding
    if _ids(a, "no-platform-team"):
        assert not any(n.startswith("met: A platform team") for n in a.star_model.structure.notes)
    # no leader counts as an ML pod, a lone hire or a central team
    for pid in staff.leaders:
        team = index.people[pid].team
        if index.teams[team].kind == "leadership":
            assert team not in staff.central_teams and team not in staff.embedded_teams
            assert f"team:{team}" not in _ids(a, "isolated-ml-hire")


def test_varied_organization_gives_one_answer_per_fact(tmp_path: Path) -> None:
    a, index = assess_text(VARIED, tmp_path)
    facts = facts_of(index)
    # the facts themselves, as a consultant reads this bank
    assert set(facts.staff.leaders) == {"cto", "hods"}
    assert facts.staff.central_homes == ("analytics",)
    assert facts.staff.placement("pricing") == "embedded"
    assert facts.staff.placement("exec") == "leadership"
    assert "fraud" in facts.doing_ml and facts.lists.production_models == 14
    assert facts.lists.models == "partial"
    # and every section agrees with them
    assert a.structure.current == "hybrid"
    assert a.structure.recommended == "hybrid"
    assert "team:exec" not in _ids(a, "isolated-ml-hire")
    assert _ids(a, "isolated-ml-hire") == {"team:cards"}
    assert _ids(a, "siloed-ml-team") == {"team:analytics"}
    check_consistency(a, index)


def test_every_bundled_and_case_organization_is_consistent(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    specs = [root / "examples" / "yarnit.yaml", *sorted((root / "tests" / "cases" / "orgs").glob("*.yaml"))]
    specs = [s for s in specs if not s.name.endswith(".expect.yaml")]
    assert specs
    for path in specs:
        spec = mlorg.load_spec(path)
        check_consistency(mlorg.assess(spec), SpecIndex.of(spec))


@pytest.mark.parametrize("reading", ["complete", "partial"])
def test_forum_absence_is_a_finding_only_on_a_complete_list(tmp_path: Path, reading: str) -> None:
    data = yaml.safe_load(VARIED)
    data["lists"] = {"forums": reading}
    a, _ = assess_text(yaml.safe_dump(data), tmp_path)
    if reading == "complete":
        assert _ids(a, "siloed-ml-team") == {"team:analytics"}
    else:
        assert not _ids(a, "siloed-ml-team")
        assert any(q.path == "lists.forums" and "siloed-ml-team" in q.settles for q in a.open_questions)


def test_where_ml_meets_the_business_is_decided_once(tmp_path: Path) -> None:
    """A forum of ML teams alone is no integration point for the rule nor for the structure's mitigation
    (the mitigation once counted any integration-point forum with an ML team); a leadership review both
    sides attend is one for both."""
    data = yaml.safe_load(VARIED)
    data["forums"].append({"id": "ml-review", "kind": "integration_point", "teams": ["analytics", "pricing"]})
    a, index = assess_text(yaml.safe_dump(data), tmp_path)
    point = {m.id: m for m in a.structure.mitigations}["integration_point"]
    assert _ids(a, "no-integration-point") == {"org"}
    assert point.in_place is False
    check_consistency(a, index)

    data["forums"].append({"id": "steering", "kind": "leadership_review", "teams": ["exec", "analytics", "retail"]})
    a, index = assess_text(yaml.safe_dump(data), tmp_path)
    point = {m.id: m for m in a.structure.mitigations}["integration_point"]
    assert not _ids(a, "no-integration-point")
    assert point.in_place is True
    assert point.evidence[0].path == "forums[2].kind" and point.evidence[0].value == "leadership_review"
    assert facts_of(index).integration_forums == ("steering",)


def test_whether_ml_people_of_different_teams_meet_is_decided_once(tmp_path: Path) -> None:
    """A community of practice that one ML team attends with product teams joins no two ML teams: no
    community for the rule nor for the structure's mitigation (which once counted any such forum)."""
    data = yaml.safe_load(VARIED)
    data["forums"] = [{"id": "guild", "kind": "community_of_practice", "teams": ["analytics", "it", "fraud"]}]
    a, index = assess_text(yaml.safe_dump(data), tmp_path)
    community = {m.id: m for m in a.structure.mitigations}["ml_community"]
    assert _ids(a, "no-ml-community") == {"org"}
    assert community.in_place is False
    check_consistency(a, index)

    data["forums"][0]["teams"].append("pricing")
    a, index = assess_text(yaml.safe_dump(data), tmp_path)
    community = {m.id: m for m in a.structure.mitigations}["ml_community"]
    assert not _ids(a, "no-ml-community") and community.in_place is True
    assert facts_of(index).community_forums == ("guild",)
    assert "exec" not in facts_of(index).community_teams  # ML leaders are no pod of practitioners


def test_which_teams_are_the_business_side_is_decided_once(tmp_path: Path) -> None:
    """The product and business teams ML must meet come from one fact; no rule or analysis keeps its own
    list of business kinds (the rules once kept a copy beside the facts')."""
    _, index = assess_text(VARIED, tmp_path)
    assert facts_of(index).business_teams == ("retail", "cards", "fraud")
    src = Path(mlorg.__file__).parent
    readers = sorted(
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "BUSINESS_KINDS" in p.read_text(encoding="utf-8") and p.parent.name != "facts"
    )
    assert readers == []


def test_whether_a_platform_team_is_due_is_decided_once(tmp_path: Path) -> None:
    """Two teams with ML staff and a product team running a model one of them built: three teams do ML, so
    the rule finds no platform team, and the Star Model (which once counted only teams with ML staff, and
    called the platform not yet due) agrees."""
    data = yaml.safe_load(VARIED)
    data["organization"]["ml_focus"] = "implementation"
    data["strategy"] = {"ml_ambition": "core"}
    data["teams"] = [t for t in data["teams"] if t["id"] in ("exec", "analytics", "retail", "cards")]
    data["teams"][1]["staffing"] = {"data_scientist": 3}
    data["people"] = [{"id": "lone", "team": "retail", "roles": ["data_scientist"], "ml_experience": "learning"}]
    data["models"] = [{"id": "churn", "status": "production", "built_by": "analytics", "operated_by": "cards"}]
    data["forums"] = []
    a, index = assess_text(yaml.safe_dump(data), tmp_path)
    assert list(facts_of(index).doing_ml) == ["analytics", "retail", "cards"]
    assert _ids(a, "no-platform-team") == {"org"}
    assert "missing: A platform team exists once enough teams do ML" in a.star_model.structure.notes
    check_consistency(a, index)
