"""Must-show: planted silo and bridge fire the rules with their evidence; the plain org stays quiet; a
declared forum the ties show unused stops counting, and the finding says why."""

from __future__ import annotations

from typing import Any

import yaml
from synthetic import spec

import mlorg
from mlorg.assessment import Assessment

NETWORK_RULES = {"insular-ml-team", "fragile-ml-business-bridge", "communities-cross-teams"}
SILO_RULES = {"siloed-ml-team", "no-integration-point", "isolated-ml-hire", "no-ml-community"}


def assess(**kw: Any) -> Assessment:
    return mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(spec(**kw)), "synthetic.yaml"))


def test_planted_silo_and_bridge_fire_with_their_evidence() -> None:
    found = {(f.rule, f.subject): f for f in assess(silo=True, bridge=True).findings}
    insular = found[("insular-ml-team", "team:vision")]
    assert "E-I index -0.93" in insular.message
    assert insular.evidence[1].value == {"inside": 28, "outside": 1}
    bridge = found[("fragile-ml-business-bridge", "org")]
    assert bridge.message.startswith("Work between ML and the business hangs on 2 people (in ml)")
    assert bridge.evidence[0].value == {"brokers": 2, "largest_share": 0.938, "ml_people": 16}
    silo = found[("siloed-ml-team", "team:vision")]
    assert "only 0 time(s) in the observed ties" in silo.message
    assert ("insular-ml-team", "team:ml") not in found, "the bridged team still works outside itself"


def test_the_same_org_without_plants_is_quiet() -> None:
    fired = {f.rule for f in assess(silo=False, bridge=False).findings}
    assert not fired & (NETWORK_RULES | SILO_RULES), sorted(fired)


def test_a_declared_forum_the_ties_show_unused_stops_counting_and_says_why() -> None:
    forum = {"id": "vision-review", "kind": "leadership_review", "teams": ["vision", "shop"]}
    result = assess(silo=True, bridge=True, forums=[forum])
    silo = next(f for f in result.findings if f.rule == "siloed-ml-team" and f.subject == "team:vision")
    assert "the forum(s) it shares with them (vision-review) show no such work" in silo.message
    note = next(e for e in silo.evidence if e.path == "forums[0].teams")
    assert note.value == ["vision", "shop"]
    assert note.note is not None and "does not count as a mitigation" in note.note
    use = next(u for u in result.collaboration.forums if u.forum == "vision-review")  # type: ignore[union-attr]
    assert use.used is False


def test_the_same_forum_counts_when_the_ties_show_it_used() -> None:
    forum = {"id": "vision-review", "kind": "leadership_review", "teams": ["vision", "shop"]}
    result = assess(silo=False, bridge=False, forums=[forum])
    assert not [f for f in result.findings if f.rule == "siloed-ml-team"]
    use = next(u for u in result.collaboration.forums if u.forum == "vision-review")  # type: ignore[union-attr]
    assert (use.used, use.ties) == (True, 8)
