"""The team map's data: teams (or, for big organizations, whole departments) and the forums linking them.

A map of 10,000 teams is unreadable, so teams are folded into their ancestor at the deepest level
of the hierarchy that still fits ``max_nodes``. Forums are drawn as hubs linking the nodes they
touch; a node that shares no forum with any other node is a silo. Everything here is one pass
over teams, people and forum memberships: linear in the size of the spec.

With observed collaboration (the assessment's ``collaboration``, already through the privacy
floor), the strongest links between teams (ties between their people plus CODEOWNERS reviews)
are folded into the same nodes and drawn too, at most ``max_observed``; a node linked by observed
ties is no silo, and a forum the ties show unused links nobody (it is drawn dashed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlorg.spec.index import ML_TEAM_KINDS, SpecIndex

if TYPE_CHECKING:
    from mlorg.analyses.collaboration import CollaborationResult

MAX_NODES = 40
MAX_FORUMS = 12
MAX_OBSERVED = 30
OTHER = "~other"


@dataclass(frozen=True)
class MapNode:
    """One team, or a department with the teams beneath it folded in."""

    key: str
    name: str
    kind: str
    headcount: int
    ml: int
    teams: int
    linked: bool

    @property
    def siloed(self) -> bool:
        return not self.linked

    @property
    def ml_silo(self) -> bool:
        """ML staff (or an ML team) that shares no forum with any other part of the organization."""
        return self.siloed and (self.ml > 0 or self.kind in ML_TEAM_KINDS)


@dataclass(frozen=True)
class MapForum:
    key: str
    name: str
    kind: str
    nodes: tuple[str, ...]
    used: bool | None = None  # False: the observed ties show nobody uses it


@dataclass(frozen=True)
class MapLink:
    """Observed collaboration between two nodes: ties between their people plus reviews across them."""

    a: str
    b: str
    ties: int


@dataclass(frozen=True)
class TeamMap:
    nodes: tuple[MapNode, ...]
    forums: tuple[MapForum, ...]
    total_teams: int
    total_forums: int
    hidden_forums: int
    folded_at_depth: int | None  # None: every team is its own node
    observed: tuple[MapLink, ...] = ()
    hidden_observed: int = 0
    has_observed: bool = False  # the spec has observed ties (even when none is drawn)

    @property
    def folded(self) -> bool:
        return self.folded_at_depth is not None or any(n.key == OTHER for n in self.nodes)


def _depth_first(index: SpecIndex) -> list[tuple[str, int]]:
    """Every team with its depth, in depth-first order from the roots (spec order among siblings)."""
    teams = index.spec.teams
    roots = [t.id for t in teams if not t.parent or t.parent not in index.teams]
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    stack = [(tid, 0) for tid in reversed(roots)]
    while stack:
        tid, depth = stack.pop()
        if tid in seen:
            continue
        seen.add(tid)
        out.append((tid, depth))
        stack.extend((c.id, depth + 1) for c in reversed(index.children.get(tid, [])))
    # Teams on a parent cycle (the loader refuses these) would be unreachable; keep them as roots.
    out.extend((t.id, 0) for t in teams if t.id not in seen)
    return out


def _fold_depth(order: list[tuple[str, int]], max_nodes: int) -> int | None:
    """The deepest level whose teams (with everything shallower) fit; None when all teams fit."""
    if len(order) <= max_nodes:
        return None
    per_depth: dict[int, int] = defaultdict(int)
    for _, depth in order:
        per_depth[depth] += 1
    total, best = 0, 0
    for depth in sorted(per_depth):
        total += per_depth[depth]
        if total > max_nodes:
            break
        best = depth
    return best


def own_headcount(index: SpecIndex, team_id: str) -> int:
    """A team's own people: its declared headcount, else named people plus unlisted staffing."""
    team = index.teams[team_id]
    if team.headcount is not None:
        return team.headcount
    return len(index.people_by_team.get(team_id, ())) + sum((team.staffing or {}).values())


def build(
    index: SpecIndex,
    max_nodes: int = MAX_NODES,
    max_forums: int = MAX_FORUMS,
    observed: CollaborationResult | None = None,
    max_observed: int = MAX_OBSERVED,
) -> TeamMap:
    """Fold the hierarchy until it fits ``max_nodes`` and link the nodes through shared forums and observed ties."""
    order = _depth_first(index)
    cut = _fold_depth(order, max_nodes)
    unit: dict[str, str] = {}
    ancestor_at: dict[int, str] = {}
    for tid, depth in order:
        ancestor_at[depth] = tid
        unit[tid] = tid if cut is None or depth <= cut else ancestor_at[cut]
    keys = list(dict.fromkeys(unit[tid] for tid, _ in order))
    headcount: dict[str, int] = defaultdict(int)
    ml: dict[str, int] = defaultdict(int)
    folded: dict[str, int] = defaultdict(int)
    for tid, _ in order:
        u = unit[tid]
        headcount[u] += own_headcount(index, tid)
        ml[u] += index.ml_count_by_team.get(tid, 0)
        folded[u] += 1
    if len(keys) > max_nodes:  # even the top level is too wide: keep the biggest, fold the rest
        keep = set(sorted(keys, key=lambda k: (-headcount[k], k))[: max_nodes - 1])
        for tid in unit:
            if unit[tid] not in keep:
                unit[tid] = OTHER
        for k in [k for k in keys if k not in keep]:
            headcount[OTHER] += headcount.pop(k)
            ml[OTHER] += ml.pop(k)
            folded[OTHER] += folded.pop(k)
        keys = [k for k in keys if k in keep] + [OTHER]

    linked: set[str] = set()
    drawable: list[MapForum] = []
    use = {u.forum: u.used for u in observed.forums} if observed is not None else {}
    for forum in index.spec.forums:
        touched = tuple(dict.fromkeys(unit[t] for t in forum.teams if t in unit))
        if len(touched) < 2:
            continue
        used = use.get(forum.id)
        if used is not False:
            linked.update(touched)
        drawable.append(MapForum(forum.id, forum.name or forum.id, forum.kind, touched, used))
    drawable.sort(key=lambda f: (-len(f.nodes), f.key))
    links = _observed_links(observed, unit) if observed is not None else []
    for link in links:
        linked.update((link.a, link.b))
    nodes = tuple(
        MapNode(
            key=k,
            name=_node_name(index, k, folded[k]),
            kind=index.teams[k].kind if k in index.teams else "department",
            headcount=headcount[k],
            ml=ml[k],
            teams=folded[k],
            linked=k in linked,
        )
        for k in keys
    )
    return TeamMap(
        nodes=nodes,
        forums=tuple(drawable[:max_forums]),
        total_teams=len(order),
        total_forums=len(index.spec.forums),
        hidden_forums=max(len(drawable) - max_forums, 0),
        folded_at_depth=cut,
        observed=tuple(links[:max_observed]),
        hidden_observed=max(len(links) - max_observed, 0),
        has_observed=observed is not None,
    )


def _observed_links(observed: CollaborationResult, unit: dict[str, str]) -> list[MapLink]:
    """The published team links (people's ties and reviews) folded into the map's nodes, strongest first."""
    summed: dict[tuple[str, str], int] = defaultdict(int)
    for link in (*observed.links, *observed.review_links):
        a, b = unit.get(link.a), unit.get(link.b)
        if a is None or b is None or a == b:
            continue
        summed[(min(a, b), max(a, b))] += link.ties
    ordered = sorted(summed.items(), key=lambda kv: (-kv[1], kv[0]))
    return [MapLink(a, b, n) for (a, b), n in ordered]


def _node_name(index: SpecIndex, key: str, teams: int) -> str:
    if key == OTHER:
        return f"Other teams ({teams})"
    team = index.teams[key]
    return team.name or team.id
