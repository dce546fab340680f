"""Silo measures over a collaboration graph and a formal team partition.

- **Inside share and E-I index** per team (Krackhardt and Stern): with ``I`` ties inside the team
  and ``E`` ties to other teams, ``E-I = (E - I) / (E + I)``, from -1 (every tie stays inside) to
  +1 (every tie goes out). Ties are counted once per pair of people, whatever their weight.
- **ML-to-business ties** and **ML peer ties** per team: ties from the team's ML side (every member
  of an ML team, the ML staff of any other team) to people of *other* product or business teams,
  and from its ML staff to ML staff of other teams.
- **Modularity** of the formal partition, and Louvain communities compared with it: normalised
  mutual information, adjusted Rand index, and the share of people whose community is mostly
  made of another team (the org chart and the lived organization disagree about them).
- **Brokers**: betweenness counted only on shortest paths from ML people to business people
  (igraph's subset betweenness; sampled ML sources past a bound, evenly in id order so the answer
  is deterministic), as the share of those pairs each person stands between; a broker stands
  between at least a given share of them.
- **ML people without an ML peer**: ML staff with no tie to any other ML staff.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mlorg.network.graph import EdgeList

#: Louvain's random choices come from this seed, so the same ties give the same communities.
SEED = 20240611


@dataclass(frozen=True)
class Partition:
    """The formal organization over the graph's people (indices ``0..n-1``).

    ``team_of`` gives each person's team index; ``ml_person`` marks ML staff (outside leadership);
    ``ml_team`` and ``business_team`` mark teams by index. All decided in :mod:`mlorg.facts`.
    """

    teams: tuple[str, ...]
    team_of: NDArray[np.int64]
    ml_person: NDArray[np.bool_]
    ml_team: NDArray[np.bool_]
    business_team: NDArray[np.bool_]


@dataclass(frozen=True)
class Measures:
    """What the graph shows; arrays are per team (``t``) or per person (``p``) by index."""

    people: int  # people with at least one tie
    ties: int  # distinct pairs of people
    team_people: NDArray[np.int64]  # t: members with at least one tie
    inside: NDArray[np.int64]  # t
    outside: NDArray[np.int64]  # t
    ml_business: NDArray[np.int64]  # t: ties from the team's ML side to other product/business teams
    ml_peer: NDArray[np.int64]  # t: ties from the team's ML staff to ML staff of other teams
    ml_in_network: NDArray[np.int64]  # t: ML staff of the team with at least one tie
    ml_without_peer: NDArray[np.int64]  # t: of those, how many have no tie to any other ML staff
    pair_ties: dict[tuple[int, int], int]  # team pair (i < j): ties between them
    pair_ml_ties: dict[tuple[int, int], int]  # team pair (i < j): ties between their ML staff
    modularity: float | None
    communities: int | None
    nmi: float | None
    ari: float | None
    crossing_share: float | None
    ml_business_total: int
    broker_scores: NDArray[np.float64]  # share of ML-to-business pairs each broker stands between, descending
    brokers: NDArray[np.int64]  # p: people standing between at least ``broker_share`` of those pairs
    broker_sources: int  # ML people the betweenness started from
    broker_sources_total: int  # ML people with a tie

    @property
    def ei(self) -> NDArray[np.float64]:
        total = self.inside + self.outside
        with np.errstate(invalid="ignore", divide="ignore"):
            out: NDArray[np.float64] = (self.outside - self.inside) / total
        return out


def _team_counts(values: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    return np.bincount(values, minlength=size).astype(np.int64)


def _pairs(ta: NDArray[np.int64], tb: NDArray[np.int64], k: int) -> dict[tuple[int, int], int]:
    lo = np.minimum(ta, tb)
    hi = np.maximum(ta, tb)
    cross = lo != hi
    keys, counts = np.unique(lo[cross] * np.int64(k) + hi[cross], return_counts=True)
    return {(int(key // k), int(key % k)): int(c) for key, c in zip(keys.tolist(), counts.tolist(), strict=True)}


def measure(edges: EdgeList, part: Partition, *, broker_share: float, broker_sources: int) -> Measures:
    """Every measure of the module docstring, from the collapsed edge list and the partition."""
    k = len(part.teams)
    team_of = part.team_of
    ta = team_of[edges.a]
    tb = team_of[edges.b]
    same = ta == tb
    inside = _team_counts(ta[same], k)
    outside = _team_counts(ta[~same], k) + _team_counts(tb[~same], k)

    degree = np.bincount(edges.a, minlength=edges.n) + np.bincount(edges.b, minlength=edges.n)
    active = degree > 0
    team_people = _team_counts(team_of[active], k)

    ml_side = part.ml_person | part.ml_team[team_of]
    business = part.business_team[team_of] & ~ml_side
    mla, mlb = ml_side[edges.a], ml_side[edges.b]
    ba, bb = business[edges.a], business[edges.b]
    a_to_b = mla & bb & ~same
    b_to_a = mlb & ba & ~same
    ml_business = _team_counts(ta[a_to_b], k) + _team_counts(tb[b_to_a], k)

    pa, pb = part.ml_person[edges.a], part.ml_person[edges.b]
    both_ml = pa & pb
    peer_cross = both_ml & ~same
    ml_peer = _team_counts(ta[peer_cross], k) + _team_counts(tb[peer_cross], k)
    has_peer = np.zeros(edges.n, dtype=np.bool_)
    has_peer[edges.a[both_ml]] = True
    has_peer[edges.b[both_ml]] = True
    ml_active = part.ml_person & active
    ml_in_network = _team_counts(team_of[ml_active], k)
    ml_without_peer = _team_counts(team_of[ml_active & ~has_peer], k)

    modularity = communities = nmi = ari = crossing = None
    scores = np.zeros(0, dtype=np.float64)
    brokers = np.zeros(0, dtype=np.int64)
    sources = np.zeros(0, dtype=np.int64)
    ml_people_active = np.flatnonzero(ml_side & active)
    if edges.m:
        g = edges.igraph()
        modularity, communities, nmi, ari, crossing = _communities(g, edges, team_of, active)
        business_active = np.flatnonzero(business & active)
        scores, brokers, sources = _brokers(g, ml_people_active, business_active, broker_share, broker_sources)
    return Measures(
        people=int(active.sum()),
        ties=edges.m,
        team_people=team_people,
        inside=inside,
        outside=outside,
        ml_business=ml_business,
        ml_peer=ml_peer,
        ml_in_network=ml_in_network,
        ml_without_peer=ml_without_peer,
        pair_ties=_pairs(ta, tb, k),
        pair_ml_ties=_pairs(ta[both_ml], tb[both_ml], k),
        modularity=modularity,
        communities=communities,
        nmi=nmi,
        ari=ari,
        crossing_share=crossing,
        ml_business_total=int(a_to_b.sum() + b_to_a.sum()),
        broker_scores=scores,
        brokers=brokers,
        broker_sources=int(sources.shape[0]),
        broker_sources_total=int(ml_people_active.shape[0]),
    )


def _communities(
    g: object, edges: EdgeList, team_of: NDArray[np.int64], active: NDArray[np.bool_]
) -> tuple[float, int, float, float, float]:
    """Modularity of the teams, and how Louvain's communities (people with ties only) compare with them."""
    import igraph

    assert isinstance(g, igraph.Graph)
    weights = edges.w.tolist()
    formal = team_of.tolist()
    modularity = float(g.modularity(formal, weights=weights))
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        found = g.community_multilevel(weights=weights)
    finally:
        igraph.set_random_number_generator(random)
    detected = np.asarray(found.membership, dtype=np.int64)
    who = np.flatnonzero(active)
    lived = detected[who]
    teams = team_of[who]
    nmi = float(igraph.compare_communities(teams.tolist(), lived.tolist(), method="nmi"))
    ari = float(igraph.compare_communities(teams.tolist(), lived.tolist(), method="adjusted_rand"))
    # each community's main team: the team with the most members in it (lowest index on a tie)
    k = int(teams.max()) + 1
    pair = lived * np.int64(k) + teams
    keys, counts = np.unique(pair, return_counts=True)
    comm = keys // k
    order = np.lexsort((keys % k, -counts, comm))
    first = np.ones(order.shape[0], dtype=np.bool_)
    first[1:] = comm[order][1:] != comm[order][:-1]
    main = np.full(int(lived.max()) + 1, -1, dtype=np.int64)
    main[comm[order][first]] = (keys % k)[order][first]
    crossing = float(np.mean(main[lived] != teams))
    return modularity, int(np.unique(lived).shape[0]), nmi, ari, crossing


def _brokers(
    g: object,
    ml: NDArray[np.int64],
    business: NDArray[np.int64],
    share: float,
    limit: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Each person's share of ML-to-business pairs whose shortest paths run through them; the brokers.

    igraph's undirected subset betweenness gives each (source, target) pair a total of one half, so
    twice the betweenness over the number of pairs is the share of pairs (split among equal paths).
    """
    import igraph

    assert isinstance(g, igraph.Graph)
    none = (np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int64))
    if ml.shape[0] == 0 or business.shape[0] == 0:
        return (*none, np.zeros(0, dtype=np.int64))
    sources = ml
    if ml.shape[0] > limit:
        sources = ml[np.linspace(0, ml.shape[0] - 1, limit).round().astype(np.int64)]
    between = np.asarray(
        g.betweenness(directed=False, sources=sources.tolist(), targets=business.tolist()), dtype=np.float64
    )
    carried = 2.0 * between / float(sources.shape[0] * business.shape[0])
    chosen = np.flatnonzero(carried >= share - 1e-9)
    chosen = chosen[np.lexsort((chosen, -carried[chosen]))]
    return carried[chosen], chosen.astype(np.int64), sources
