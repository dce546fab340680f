"""How people actually work together: the spec's ``collaboration`` ties read against its teams.

The graph and its measures live in :mod:`mlorg.network`; who is ML staff and which teams are ML
homes or product and business teams come from :mod:`mlorg.facts`. This module joins the two, judges
each declared forum against the observed ties, and publishes team-level figures only, under the
survey's privacy floor (no team below the floor, with the same secondary suppression).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.facts import facts_of, is_ml_person
from mlorg.results import Result
from mlorg.spec.models import Collaboration, Forum, ForumKind
from mlorg.survey.scoring import visible_groups

if TYPE_CHECKING:  # numpy and the network code load only when a spec has ties (start-up, issue 14)
    from mlorg.network import EdgeList, Measures, Partition


class TeamCollaboration(Result):
    """One team's ties, shown only when the team is at or above the privacy floor."""

    team: str
    people: int = Field(description="Members with at least one observed tie.")
    ties_inside: int
    ties_outside: int
    share_inside: float | None = Field(description="Share of the team's ties that stay inside it.")
    ei_index: float | None = Field(description="Krackhardt-Stern E-I index: -1 all inside, +1 all outside.")
    ml: bool = Field(description="An ML home (see `docs/analyses.md`).")
    business: bool = Field(description="A product or business team.")
    ml_business_ties: int | None = Field(
        None, description="Ties from the team's ML side to other product or business teams (teams with ML only)."
    )
    ml_peer_ties: int | None = Field(None, description="Ties from the team's ML staff to ML staff of other teams.")


class TeamLink(Result):
    """Ties between two shown teams, for the collaboration map."""

    a: str
    b: str
    ties: int


class Broker(Result):
    """A person through whom ML-to-business paths run; the person only with `network_individual`."""

    team: str | None = Field(description="The broker's team; null when the privacy floor hides it.")
    share: float = Field(description="Share of ML-to-business pairs of people whose shortest paths run through them.")
    person: str | None = Field(None, description="Person id (a pseudonym unless the import kept names).")


class ForumUse(Result):
    """Whether the observed ties show a declared forum's teams working together."""

    forum: str
    kind: ForumKind
    used: bool | None = Field(description="Null when the ties do not cover two of its teams.")
    ties: int = Field(description="Observed ties between the forum's teams that count for its kind.")
    note: str


class CollaborationResult(Result):
    """Team-level collaboration figures; null fields mean not enough data (or hidden by the privacy floor)."""

    period: str | None = None
    people: int = Field(description="People in the spec with at least one observed tie.")
    ties: int = Field(description="Distinct pairs of people seen working together.")
    unplaced_ties: int = Field(description="Ties with a person the spec does not place in a team (not used).")
    privacy_floor: int
    teams: tuple[TeamCollaboration, ...] = ()
    hidden_teams: int = Field(0, description="Teams with ties whose figures the privacy floor hides.")
    links: tuple[TeamLink, ...] = Field((), description="The strongest links between shown teams.")
    modularity: float | None = Field(None, description="Modularity of the formal team partition.")
    communities: int | None = Field(None, description="Communities the Leiden algorithm finds in the ties.")
    nmi: float | None = Field(None, description="Normalised mutual information of teams and communities.")
    ari: float | None = Field(None, description="Adjusted Rand index of teams and communities.")
    crossing_share: float | None = Field(
        None, description="Share of people whose community is mostly made of another team."
    )
    ml_business_ties: int = Field(0, description="Ties between ML people and other product or business teams.")
    broker_count: int | None = Field(
        None, description="People standing between at least `network_broker_share` of ML-to-business pairs."
    )
    brokers: tuple[Broker, ...] = ()
    broker_sources: int = Field(0, description="ML people the betweenness started from (a sample past a bound).")
    ml_people: int = Field(0, description="ML staff with at least one tie.")
    ml_without_peer: int = Field(0, description="Of them, with no tie to any other ML staff.")
    forums: tuple[ForumUse, ...] = ()
    review_changes: int = Field(
        0, description="Changes by people of one team to code another team owns in CODEOWNERS (`reviews`)."
    )
    unplaced_reviews: int = Field(0, description="`reviews` entries whose author or team the spec does not place.")
    review_links: tuple[TeamLink, ...] = Field(
        (),
        description="Teams that review each other's code: changes between two teams (either way), strongest first; "
        "only teams whose size in the spec is at or above the privacy floor.",
    )


@dataclass(frozen=True)
class ObservedVerdict:
    """What the observed ties say about one mitigation (an integration point, an ML community).

    Decided once here and read by the silo rules and the structure analysis alike: the mitigation
    is in place when at least ``network_min_link_ties`` ties join the teams concerned, or when a
    declared forum of its kind is not shown unused. A forum the ties show unused never counts.
    """

    in_place: bool
    ties: int
    what: str  # which ties were counted, for the evidence note
    forums: tuple[str, ...]  # declared forums of the kind that join the teams concerned
    unused: tuple[str, ...]  # of those, the ones the ties show nobody uses


@dataclass(frozen=True)
class CollaborationAnalysis:
    """The published result plus the unsuppressed measures the rules read (never rendered as is).

    ``integration`` and ``community`` are None when the ties cannot judge them: no product or
    business team (or no team doing ML) among the people tied in, or ML staff of fewer than two
    teams tied in. Then the declared forums decide, as without observed ties.
    """

    result: CollaborationResult
    measures: Measures
    partition: Partition
    team_index: dict[str, int]
    forums: dict[str, ForumUse]
    integration: ObservedVerdict | None = None
    community: ObservedVerdict | None = None
    review_pairs: dict[tuple[int, int], int] | None = None  # team pair (i < j): cross-team CODEOWNERS reviews
    review_teams: frozenset[int] = frozenset()  # teams in some pair of ``review_pairs``

    def covered(self, team: str) -> bool:
        """Does the observed data include this team (anyone of it tied in, or its code reviewed across teams)?"""
        i = self.team_index.get(team)
        if i is None:
            return False
        return bool(self.measures.team_people[i] > 0) or i in self.review_teams

    def _table(self, ml_only: bool) -> dict[tuple[int, int], int]:
        """Team pair -> ties: distinct pairs of people, plus (for all ties) CODEOWNERS reviews across the two."""
        if ml_only:
            return self.measures.pair_ml_ties
        if not self.review_pairs:
            return self.measures.pair_ties
        table = dict(self.measures.pair_ties)
        for pair, n in self.review_pairs.items():
            table[pair] = table.get(pair, 0) + n
        return table

    def ties_between(self, a: str, b: str, *, ml_only: bool = False) -> int:
        i, j = self.team_index.get(a), self.team_index.get(b)
        if i is None or j is None or i == j:
            return 0
        table = self.measures.pair_ml_ties if ml_only else self.measures.pair_ties
        found = table.get((min(i, j), max(i, j)), 0)
        if not ml_only and self.review_pairs:
            found += self.review_pairs.get((min(i, j), max(i, j)), 0)
        return found

    def ties_across(self, left: set[str], right: set[str]) -> int:
        """Ties between a team of ``left`` and another team of ``right``, as ``sum(ties_between(x, y))`` over
        ``x`` in left and ``y`` in right counts them (a pair of teams in both sets counts both ways).

        Linear in the team pairs that have ties, not in the product of the two sets.
        """
        names = self.partition.teams
        total = 0
        for (i, j), n in self._table(False).items():
            a, b = names[i], names[j]
            total += n * ((a in left and b in right) + (b in left and a in right))
        return total

    def ties_within(self, teams: set[str], *, ml_only: bool = False) -> int:
        """Ties between two different teams of ``teams`` (each pair of teams once)."""
        names = self.partition.teams
        table = self._table(ml_only)
        return sum(n for (i, j), n in table.items() if names[i] in teams and names[j] in teams)

    def team(self, team: str) -> tuple[int, int, int, int, int, int] | None:
        """(inside, outside, ml_business, ml_peer, ml_in_network, ml_without_peer) of a covered team."""
        i = self.team_index.get(team)
        if i is None or not self.measures.team_people[i]:
            return None
        m = self.measures
        return (
            int(m.inside[i]),
            int(m.outside[i]),
            int(m.ml_business[i]),
            int(m.ml_peer[i]),
            int(m.ml_in_network[i]),
            int(m.ml_without_peer[i]),
        )


def _r(x: float | None) -> float | None:
    import numpy as np

    return None if x is None or not np.isfinite(x) else round(float(x), 3)


def _partition(ctx: AnalysisContext) -> tuple[Partition, dict[str, int], dict[str, int]]:
    import numpy as np

    from mlorg.network import Partition

    spec = ctx.spec
    staff = facts_of(ctx.index).staff
    teams = tuple(t.id for t in spec.teams)
    team_index = {t: i for i, t in enumerate(teams)}
    person_index = {p.id: i for i, p in enumerate(spec.people)}
    team_of = np.fromiter((team_index[p.team] for p in spec.people), dtype=np.int64, count=len(spec.people))
    ml_person = np.fromiter(
        (is_ml_person(p) and staff.placement(p.team) != "leadership" for p in spec.people),
        dtype=np.bool_,
        count=len(spec.people),
    )
    homes, serves = set(staff.ml_homes), set(facts_of(ctx.index).business_teams)
    ml_team = np.fromiter((t in homes for t in teams), dtype=np.bool_, count=len(teams))
    business = np.fromiter((t in serves for t in teams), dtype=np.bool_, count=len(teams))
    return Partition(teams, team_of, ml_person, ml_team, business), team_index, person_index


class _Index(dict[str, int]):
    """Person id -> index, -1 for an id the spec does not place (looked up by C-level ``map``, no Python frame)."""

    def __missing__(self, key: str) -> int:
        return -1


def _edges(collab: Collaboration, person_index: dict[str, int]) -> tuple[EdgeList, int]:
    """The spec's ties as arrays, each read straight into numpy (no list or tuple per tie)."""
    import numpy as np

    from mlorg.network import collapse

    n = len(person_index)
    ties, find = collab.ties, _Index(person_index).__getitem__
    a = np.fromiter(map(find, map(attrgetter("a"), ties)), dtype=np.int64, count=len(ties))
    b = np.fromiter(map(find, map(attrgetter("b"), ties)), dtype=np.int64, count=len(ties))
    w = np.fromiter(map(attrgetter("weight"), ties), dtype=np.float64, count=len(ties))
    placed = (a >= 0) & (b >= 0)
    return collapse(n, a[placed], b[placed], w[placed]), int((~placed).sum())


UseRule = Literal["integration", "community", "any"]


def _forum_use(
    forum: Forum, an: CollaborationAnalysis, doing_ml: set[str], ml_staffed: set[str], integration: set[str]
) -> ForumUse:
    """Judge one forum by the pairs of its teams that should work together for its kind.

    A forum that serves as an integration point (``integration``, from the facts: a leadership review
    joining ML with the business is one) is judged as one, by its ML and business pairs.
    """
    listed = [t for t in dict.fromkeys(forum.teams) if an.covered(t)]
    pairs: list[tuple[str, str]] = []
    ml_only = False
    if forum.kind == "integration_point" or forum.id in integration:
        business = {t for t in listed if an.partition.business_team[an.team_index[t]]}
        pairs = [(m, b) for m in listed if m in doing_ml for b in business if b != m]
        what = "a team doing ML it lists and a product or business team it lists"
    elif forum.kind == "community_of_practice":
        ml_only = True
        staffed = [t for t in listed if t in ml_staffed]
        pairs = [(x, y) for i, x in enumerate(staffed) for y in staffed[i + 1 :]]
        what = "ML staff of two of the teams it lists"
    else:
        pairs = [(x, y) for i, x in enumerate(listed) for y in listed[i + 1 :]]
        what = "two of the teams it lists"
    if not pairs:
        return ForumUse(
            forum=forum.id,
            kind=forum.kind,
            used=None,
            ties=0,
            note=f"the observed ties do not cover {what}, so they cannot tell whether it is used",
        )
    ties = sum(an.ties_between(x, y, ml_only=ml_only) for x, y in pairs)
    if ties:
        return ForumUse(forum=forum.id, kind=forum.kind, used=True, ties=ties, note=f"{ties} ties join {what}")
    return ForumUse(
        forum=forum.id,
        kind=forum.kind,
        used=False,
        ties=0,
        note=f"the observed ties show no collaboration between {what}",
    )


def analyze(ctx: AnalysisContext) -> CollaborationAnalysis | None:
    """None when the spec has no ``collaboration`` section (nothing observed, nothing to say)."""
    collab = ctx.spec.collaboration
    if collab is None:
        return None
    from mlorg.network import measure

    th = ctx.thresholds
    part, team_index, person_index = _partition(ctx)
    edges, unplaced = _edges(collab, person_index)
    m = measure(edges, part, broker_share=th.network_broker_share, broker_sources=th.network_broker_sources)
    reviews, unplaced_reviews = _reviews(collab, part, team_index, person_index)
    reviewed = frozenset(i for pair in reviews for i in pair)
    an = CollaborationAnalysis(
        result=CollaborationResult(people=0, ties=0, unplaced_ties=0, privacy_floor=th.privacy_floor),
        measures=m,
        partition=part,
        team_index=team_index,
        forums={},
        review_pairs=reviews,
        review_teams=reviewed,
    )
    facts = facts_of(ctx.index)
    doing = set(facts.doing_ml)
    staffed = set(facts.community_teams)
    integration = set(facts.integration_forums)
    forums = {f.id: _forum_use(f, an, doing, staffed, integration) for f in ctx.spec.forums}
    result = _publish(ctx, collab, m, part, unplaced, tuple(forums.values()))
    result = result.model_copy(update=_published_reviews(ctx, part, reviews, unplaced_reviews))
    judged = CollaborationAnalysis(result, m, part, team_index, forums, review_pairs=reviews, review_teams=reviewed)
    return CollaborationAnalysis(
        result,
        m,
        part,
        team_index,
        forums,
        integration=_integration(ctx, judged, list(facts.doing_ml)),
        community=_community(ctx, judged, list(facts.community_teams)),
        review_pairs=reviews,
        review_teams=reviewed,
    )


def _reviews(
    collab: Collaboration, part: Partition, team_index: dict[str, int], person_index: dict[str, int]
) -> tuple[dict[tuple[int, int], int], int]:
    """Team pair (i < j) -> changes by people of one to code the other owns; and entries the spec cannot place.

    A change to the author's own team's code is no tie between teams and is left out.
    """
    pairs: dict[tuple[int, int], int] = {}
    unplaced = 0
    for r in collab.reviews:
        owner, author = team_index.get(r.team), person_index.get(r.author)
        if owner is None or author is None:
            unplaced += 1
            continue
        own = int(part.team_of[author])
        if own == owner:
            continue
        key = (min(own, owner), max(own, owner))
        pairs[key] = pairs.get(key, 0) + r.changes
    return pairs, unplaced


def _published_reviews(
    ctx: AnalysisContext, part: Partition, pairs: dict[tuple[int, int], int], unplaced: int
) -> dict[str, object]:
    """Review links between teams whose size in the spec clears the privacy floor (with secondary suppression)."""
    import numpy as np

    floor = ctx.thresholds.privacy_floor
    sizes = np.bincount(part.team_of, minlength=len(part.teams)).tolist()
    counts = {t: int(n) for t, n in zip(part.teams, sizes, strict=True) if n}
    index = {t: i for i, t in enumerate(part.teams)}
    shown = {index[t] for t in visible_groups(counts, sum(counts.values()), floor)}
    links = sorted(
        ((n, part.teams[i], part.teams[j]) for (i, j), n in pairs.items() if i in shown and j in shown),
        key=lambda x: (-x[0], x[1], x[2]),
    )[: ctx.thresholds.network_map_links]
    return {
        "review_changes": sum(pairs.values()),
        "unplaced_reviews": unplaced,
        "review_links": tuple(TeamLink(a=a, b=b, ties=n) for n, a, b in links),
    }


def _verdict(
    ctx: AnalysisContext, an: CollaborationAnalysis, ties: int, what: str, forums: list[Forum]
) -> ObservedVerdict:
    unused = tuple(f.id for f in forums if an.forums[f.id].used is False)
    in_place = ties >= ctx.thresholds.network_min_link_ties or len(unused) < len(forums)
    return ObservedVerdict(in_place, ties, what, tuple(f.id for f in forums), unused)


def _integration(ctx: AnalysisContext, an: CollaborationAnalysis, doing: list[str]) -> ObservedVerdict | None:
    """Teams doing ML and product or business teams: do the ties show them working together?"""
    business = list(facts_of(ctx.index).business_teams)
    if not any(an.covered(t) for t in business) or not any(an.covered(t) for t in doing):
        return None
    doing_set, business_set = set(doing), set(business)
    ties = an.ties_across(doing_set, business_set)
    points = [ctx.index.forums[f] for f in facts_of(ctx.index).integration_forums]
    return _verdict(ctx, an, ties, "observed ties between teams doing ML and product or business teams", points)


def _community(ctx: AnalysisContext, an: CollaborationAnalysis, staffed: list[str]) -> ObservedVerdict | None:
    """ML staff of different teams: do the ties show them working together?"""
    if sum(1 for t in staffed if (an.team(t) or (0,) * 6)[4]) < 2:
        return None
    ties = an.ties_within(set(staffed), ml_only=True)
    forums = [ctx.index.forums[f] for f in facts_of(ctx.index).community_forums]
    return _verdict(ctx, an, ties, "observed ties between ML staff of different teams", forums)


def _publish(
    ctx: AnalysisContext,
    collab: Collaboration,
    m: Measures,
    part: Partition,
    unplaced: int,
    forums: tuple[ForumUse, ...],
) -> CollaborationResult:
    th = ctx.thresholds
    floor = th.privacy_floor
    counts = {t: int(n) for t, n in zip(part.teams, m.team_people.tolist(), strict=True) if n}
    shown = visible_groups(counts, m.people, floor)
    ei = m.ei
    teams: list[TeamCollaboration] = []
    for i, t in enumerate(part.teams):
        if t not in shown:
            continue
        total = int(m.inside[i] + m.outside[i])
        has_ml = bool(part.ml_team[i]) or bool(m.ml_in_network[i])
        teams.append(
            TeamCollaboration(
                team=t,
                people=int(m.team_people[i]),
                ties_inside=int(m.inside[i]),
                ties_outside=int(m.outside[i]),
                share_inside=_r(m.inside[i] / total) if total else None,
                ei_index=_r(float(ei[i])) if total else None,
                ml=bool(part.ml_team[i]),
                business=bool(part.business_team[i]),
                ml_business_ties=int(m.ml_business[i]) if has_ml else None,
                ml_peer_ties=int(m.ml_peer[i]) if has_ml else None,
            )
        )
    index = {t: i for i, t in enumerate(part.teams)}
    shown_idx = {index[t] for t in shown}
    names = part.teams
    # the strongest few of possibly millions of team pairs: a bounded heap, not a full sort
    strongest = heapq.nsmallest(
        th.network_map_links,
        ((-n, names[i], names[j]) for (i, j), n in m.pair_ties.items() if i in shown_idx and j in shown_idx),
    )
    links = [(-n, a, b) for n, a, b in strongest]
    org_ok = m.people >= floor
    brokers: list[Broker] = []
    if org_ok and m.brokers.shape[0]:
        for p, score in zip(m.brokers.tolist(), m.broker_scores.tolist(), strict=True):
            team = part.teams[int(part.team_of[p])]
            brokers.append(
                Broker(
                    team=team if team in shown else None,
                    share=_r(score) or 0.0,
                    person=ctx.spec.people[p].id if th.network_individual else None,
                )
            )
    return CollaborationResult(
        period=collab.period,
        people=m.people,
        ties=m.ties,
        unplaced_ties=unplaced,
        privacy_floor=floor,
        teams=tuple(teams),
        hidden_teams=len(counts) - len(shown),
        links=tuple(TeamLink(a=a, b=b, ties=n) for n, a, b in links),
        modularity=_r(m.modularity) if org_ok else None,
        communities=m.communities if org_ok else None,
        nmi=_r(m.nmi) if org_ok else None,
        ari=_r(m.ari) if org_ok else None,
        crossing_share=_r(m.crossing_share) if org_ok else None,
        ml_business_ties=m.ml_business_total,
        broker_count=int(m.brokers.shape[0]) if org_ok and m.broker_sources else None,
        brokers=tuple(brokers),
        broker_sources=m.broker_sources,
        ml_people=int(m.ml_in_network.sum()),
        ml_without_peer=int(m.ml_without_peer.sum()),
        forums=forums,
    )
