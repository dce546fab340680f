"""The structure analysis judges its forum mitigations by the observed ties, as the silo rules do.

Observed cross-team ties count as an integration point (where the ties include product or business
teams) and as an ML community; a declared forum the ties show nobody uses does not count; ties that
do not reach the business leave the declared forums to decide.
"""

from __future__ import annotations

from typing import Any

import yaml
from synthetic import BUSINESS, ML_TEAMS, spec

import mlorg
from mlorg.analyses.structure import Mitigation
from mlorg.assessment import Assessment


def assess(data: dict[str, Any]) -> Assessment:
    return mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(data), "synthetic.yaml"))


def mitigation(result: Assessment, mid: str) -> Mitigation:
    return next(m for m in result.structure.mitigations if m.id == mid)


def team_of(person: str) -> str:
    return person.rsplit("-", 1)[0]


def without(data: dict[str, Any], keep: Any) -> dict[str, Any]:
    """The spec with only the ties ``keep(team_a, team_b)`` accepts."""
    ties = data["collaboration"]["ties"]
    data["collaboration"]["ties"] = [t for t in ties if keep(team_of(t["a"]), team_of(t["b"]))]
    return data


def test_observed_cross_team_ties_count_where_no_forum_was_declared() -> None:
    seen = assess(spec(silo=False, bridge=False, forums=[]))
    integration = mitigation(seen, "integration_point")
    assert integration.in_place is True
    assert [(e.path, e.value) for e in integration.evidence] == [("collaboration.ties", 48)]
    community = mitigation(seen, "ml_community")
    assert community.in_place is True
    assert [(e.path, e.value) for e in community.evidence] == [("collaboration.ties", 8)]

    declared_only = spec(silo=False, bridge=False, forums=[])
    declared_only.pop("collaboration")
    unseen = assess(declared_only)
    assert mitigation(unseen, "integration_point").in_place is False
    assert mitigation(unseen, "ml_community").in_place is False


def test_a_forum_nobody_uses_is_no_mitigation_and_the_evidence_says_why() -> None:
    forum = {"id": "ml-shop-review", "kind": "integration_point", "teams": ["ml", "vision", "shop"]}
    planted = without(
        spec(silo=True, bridge=True, forums=[forum]),
        lambda a, b: not ({a, b} & set(ML_TEAMS) and {a, b} & set(BUSINESS)),
    )
    result = assess(planted)
    integration = mitigation(result, "integration_point")
    assert integration.in_place is False
    assert integration.evidence[0].path == "collaboration.ties" and integration.evidence[0].value == 0
    unused = integration.evidence[1]
    assert (unused.path, unused.value) == ("forums[0].teams", ["ml", "vision", "shop"])
    assert unused.note == "declared, but the observed ties show nobody uses it; it does not count as a mitigation"
    rule = next(f for f in result.findings if f.rule == "no-integration-point")
    assert rule.message.startswith("The integration-point forum(s) declared are not used"), "rule and analysis agree"

    planted.pop("collaboration")
    assert mitigation(assess(planted), "integration_point").in_place is True, "declared, and nothing contradicts it"


def test_a_used_forum_still_counts_with_few_ties() -> None:
    forum = {"id": "ml-shop-review", "kind": "integration_point", "teams": ["ml", "shop"]}
    few = without(
        spec(silo=True, bridge=True, forums=[forum]),
        lambda a, b: not ({a, b} & set(ML_TEAMS) and {a, b} & set(BUSINESS)) or {a, b} == {"ml", "shop"},
    )
    ties = [t for t in few["collaboration"]["ties"] if {team_of(t["a"]), team_of(t["b"])} == {"ml", "shop"}]
    few["collaboration"]["ties"] = [t for t in few["collaboration"]["ties"] if t not in ties[1:]]
    result = assess(few)
    integration = mitigation(result, "integration_point")
    assert integration.in_place is True
    assert integration.evidence[0].path == "forums[0].kind"
    assert integration.evidence[0].note == "declared, and the observed ties do not show it unused"
    assert not [f for f in result.findings if f.rule == "no-integration-point"]


def test_ties_that_miss_the_business_leave_the_declared_forums_to_decide() -> None:
    forum = {"id": "ml-shop-review", "kind": "integration_point", "teams": ["ml", "shop"]}
    inside_ml = without(spec(silo=False, bridge=False, forums=[forum]), lambda a, b: a in ML_TEAMS and b in ML_TEAMS)
    integration = mitigation(assess(inside_ml), "integration_point")
    assert integration.in_place is True
    assert [(e.path, e.value) for e in integration.evidence] == [("forums[0].kind", "integration_point")]
