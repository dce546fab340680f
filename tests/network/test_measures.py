"""The measures find a planted silo and a planted bridge, and see neither where none was planted."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from synthetic import spec

import mlorg
from mlorg.analyses.collaboration import CollaborationResult
from mlorg.network import Partition, collapse, measure


def collaboration(**kw: object) -> CollaborationResult:
    result = mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(spec(**kw)), "synthetic.yaml")).collaboration  # type: ignore[arg-type]
    assert result is not None
    return result


def team(result: CollaborationResult, team_id: str) -> dict[str, object]:
    return next(t for t in result.teams if t.team == team_id).model_dump()


def test_planted_silo_and_bridge_are_found() -> None:
    c = collaboration(silo=True, bridge=True)
    vision = team(c, "vision")
    assert (vision["ties_inside"], vision["ties_outside"], vision["ei_index"]) == (28, 1, -0.931)
    assert vision["ml_business_ties"] == 0
    # ml-0 stands between nearly every ML person and every business person; ml-1 links the silo to it
    assert c.broker_count == 2
    assert [(b.team, b.share) for b in c.brokers] == [("ml", 0.938), ("ml", 0.5)]
    assert all(b.person is None for b in c.brokers), "individuals only with network_individual"


def test_without_plants_nothing_stands_out() -> None:
    c = collaboration(silo=False, bridge=False)
    assert team(c, "vision")["ei_index"] == 0.067
    assert team(c, "ml")["ml_business_ties"] == 24
    assert c.broker_count == 0 and c.brokers == ()
    assert (c.communities, c.nmi, c.crossing_share) == (5, 1.0, 0.0)


def test_same_ties_give_byte_identical_json() -> None:
    text = yaml.safe_dump(spec(silo=True, bridge=True))
    outs = {mlorg.assess(mlorg.load_spec_text(text, "s.yaml")).model_dump_json() for _ in range(3)}
    assert len(outs) == 1


def test_collapse_merges_repeated_pairs_and_drops_self_ties() -> None:
    e = collapse(4, np.array([0, 1, 2, 3, 2]), np.array([1, 0, 2, 1, 3]), np.array([1.0, 2.0, 5.0, 1.0, 1.0]))
    assert list(zip(e.a.tolist(), e.b.tolist(), e.w.tolist(), strict=True)) == [(0, 1, 3.0), (1, 3, 1.0), (2, 3, 1.0)]


def test_krackhardt_stern_index_on_a_hand_counted_graph() -> None:
    # team 0 = {0, 1, 2}, team 1 = {3}: ties 0-1, 1-2 inside; 2-3 outside -> E-I of team 0 = (1 - 2) / 3
    part = Partition(
        teams=("a", "b"),
        team_of=np.array([0, 0, 0, 1]),
        ml_person=np.array([True, True, False, False]),
        ml_team=np.array([True, False]),
        business_team=np.array([False, True]),
    )
    m = measure(
        collapse(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3)), part, broker_share=0.5, broker_sources=10
    )
    assert m.ei[0] == pytest.approx(-1 / 3) and m.ei[1] == pytest.approx(1.0)
    assert m.ml_business.tolist() == [1, 0]  # person 2 is in the ML team, so its tie to team b counts
    assert m.ml_without_peer.tolist() == [0, 0]
    # the ML side is 0, 1 (ML staff) and 2 (ML team); person 2 stands between 0 and 3 and between 1 and 3
    # (2 of 3 pairs), person 1 only between 0 and 3 (1 of 3): below the 0.5 share, not a broker
    assert m.brokers.tolist() == [2]
    assert m.broker_scores.tolist() == pytest.approx([2 / 3])
