"""Silo measures over a collaboration graph and a formal team partition.

- **Inside share and E-I index** per team (Krackhardt and Stern): with ``I`` ties inside the team
  and ``E`` ties to other teams, ``E-I = (E - I) / (E + I)``, from -1 (every tie stays inside) to
  +1 (every tie goes out). Ties are counted once per pair of people, whatever their weight.
- **ML-to-business ties** and **ML peer ties** per team: ties from the team's ML side (every member
  of an ML team, the ML staff of any other team) to people of *other* product or business teams,
  and from its ML staff to ML staff of other teams.
- **Modularity** of the formal partition, and Leiden communities (modularity objective, the
  successor of Louvain that guarantees connected communities, at half Louvain's working memory
  in igraph) compared with it: normalised
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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mlorg.network.graph import EdgeList

#: Leiden's random choices come from this seed, so the same ties give the same communities.
SEED = 20240611
#: Leiden passes over the graph (igraph's default); each keeps every community connected.
LEIDEN_ITERATIONS = 2


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


def _pair_keys(ta: NDArray[np.int64], tb: NDArray[np.int64], k: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Team pairs (as ``lo * k + hi`` keys) of the cross-team edges given, and how many edges each has."""
    lo = np.minimum(ta, tb)
    hi = np.maximum(ta, tb)
    cross = lo != hi
    keys, counts = np.unique(lo[cross] * np.int64(k) + hi[cross], return_counts=True)
    return keys.astype(np.int64), counts.astype(np.int64)


def _pair_table(keys: list[NDArray[np.int64]], counts: list[NDArray[np.int64]], k: int) -> dict[tuple[int, int], int]:
    """Team pair (i < j) -> edges between them, summed over the slices."""
    if not keys:
        return {}
    uniq, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=np.concatenate(counts), minlength=uniq.shape[0]).astype(np.int64)
    return {(int(key // k), int(key % k)): int(c) for key, c in zip(uniq.tolist(), total.tolist(), strict=True)}


def measure(edges: EdgeList, part: Partition, *, broker_share: float, broker_sources: int) -> Measures:
    """Every measure of the module docstring, from the collapsed edge list and the partition.

    The per-team counts come first, in a function of their own, so their per-edge temporaries are
    freed before igraph's graph and Leiden's working copies are allocated (peak memory at scale).
    """
    counts = _counts(edges, part)
    active = counts.pop("active")
    ml_side = counts.pop("ml_side")
    business = counts.pop("business")
    modularity = communities = nmi = ari = crossing = None
    scores = np.zeros(0, dtype=np.float64)
    brokers = np.zeros(0, dtype=np.int64)
    sources = np.zeros(0, dtype=np.int64)
    ml_people_active = np.flatnonzero(ml_side & active)
    if edges.m:
        g = edges.igraph()
        modularity, communities, nmi, ari, crossing = _communities(g, edges, part.team_of, active)
        business_active = np.flatnonzero(business & active)
        scores, brokers, sources = _brokers(g, ml_people_active, business_active, broker_share, broker_sources)
        del g
    return Measures(
        people=int(active.sum()),
        ties=edges.m,
        modularity=modularity,
        communities=communities,
        nmi=nmi,
        ari=ari,
        crossing_share=crossing,
        broker_scores=scores,
        brokers=brokers,
        broker_sources=int(sources.shape[0]),
        broker_sources_total=int(ml_people_active.shape[0]),
        **counts,
    )


#: Edges per slice of the per-team counts: their temporaries stay a few megabytes at any size.
SLICE = 1 << 18


def _counts(edges: EdgeList, part: Partition) -> dict[str, Any]:
    """Per-team tie counts and per-person flags, by whole-array operations over slices of the edges."""
    k = len(part.teams)
    team_of = part.team_of
    zeros = np.zeros(k, dtype=np.int64)
    inside, outside, ml_business, ml_peer = zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy()
    ml_business_total = 0
    degree = np.zeros(edges.n, dtype=np.int64)
    has_peer = np.zeros(edges.n, dtype=np.bool_)
    ml_side = part.ml_person | part.ml_team[team_of]
    business = part.business_team[team_of] & ~ml_side
    pair_keys: list[NDArray[np.int64]] = []
    pair_counts: list[NDArray[np.int64]] = []
    ml_keys: list[NDArray[np.int64]] = []
    ml_counts: list[NDArray[np.int64]] = []
    for at in range(0, edges.m, SLICE):
        a, b = edges.a[at : at + SLICE], edges.b[at : at + SLICE]
        degree += np.bincount(a, minlength=edges.n) + np.bincount(b, minlength=edges.n)
        ta, tb = team_of[a], team_of[b]
        same = ta == tb
        inside += _team_counts(ta[same], k)
        outside += _team_counts(ta[~same], k) + _team_counts(tb[~same], k)
        a_to_b = ml_side[a] & business[b] & ~same
        b_to_a = ml_side[b] & business[a] & ~same
        ml_business += _team_counts(ta[a_to_b], k) + _team_counts(tb[b_to_a], k)
        ml_business_total += int(a_to_b.sum() + b_to_a.sum())
        both_ml = part.ml_person[a] & part.ml_person[b]
        peer_cross = both_ml & ~same
        ml_peer += _team_counts(ta[peer_cross], k) + _team_counts(tb[peer_cross], k)
        has_peer[a[both_ml]] = True
        has_peer[b[both_ml]] = True
        for keys, counts, x, y in ((pair_keys, pair_counts, ta, tb), (ml_keys, ml_counts, ta[both_ml], tb[both_ml])):
            key, count = _pair_keys(x, y, k)
            keys.append(key)
            counts.append(count)
    active = degree > 0
    ml_active = part.ml_person & active
    return {
        "active": active,
        "ml_side": ml_side,
        "business": business,
        "team_people": _team_counts(team_of[active], k),
        "inside": inside,
        "outside": outside,
        "ml_business": ml_business,
        "ml_business_total": ml_business_total,
        "ml_peer": ml_peer,
        "ml_in_network": _team_counts(team_of[ml_active], k),
        "ml_without_peer": _team_counts(team_of[ml_active & ~has_peer], k),
        "pair_ties": _pair_table(pair_keys, pair_counts, k),
        "pair_ml_ties": _pair_table(ml_keys, ml_counts, k),
    }


def _communities(
    g: object, edges: EdgeList, team_of: NDArray[np.int64], active: NDArray[np.bool_]
) -> tuple[float, int, float, float, float]:
    """Modularity of the teams, and how Leiden's communities (people with ties only) compare with them."""
    import igraph

    assert isinstance(g, igraph.Graph)
    weights = edges.w  # igraph reads a float64 array without a Python list
    formal = team_of.tolist()
    modularity = float(g.modularity(formal, weights=weights))
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        found = g.community_leiden(objective_function="modularity", weights=weights, n_iterations=LEIDEN_ITERATIONS)
    finally:
        igraph.set_random_number_generator(random)
    detected = np.asarray(found.membership, dtype=np.int64)
    who = np.flatnonzero(active)
    lived = detected[who]
    teams = team_of[who]
    # labels renumbered 0..k-1 (both measures ignore naming): older igraph refuses a label >= the vertex count
    a = np.unique(teams, return_inverse=True)[1].tolist()
    b = np.unique(lived, return_inverse=True)[1].tolist()
    nmi = float(igraph.compare_communities(a, b, method="nmi"))
    ari = float(igraph.compare_communities(a, b, method="adjusted_rand"))
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
