"""Rules read from observed collaboration (the spec's ``collaboration`` ties, measured by :mod:`mlorg.network`).

Without a ``collaboration`` section these rules say nothing: the ties are evidence a leader adds by
importing git history, chat or meeting exports, and their absence is not a question.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules._facts import business_covered, capped, facts, observed
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule


@rule(
    "insular-ml-team",
    severity="medium",
    source="rml-ch13",
    summary="Observed ties show an ML team working almost only with itself.",
    flags=(
        "An ML home (see `docs/analyses.md`) with at least `network_min_team_ties` (default 10) observed ties "
        "whose E-I index (Krackhardt and Stern: ties leaving the team minus ties inside, over all its ties) is "
        "below `network_insular_ei` (default -0.6). Needs a `collaboration` section."
    ),
    why=(
        "Forums on paper say little about whether people actually work together. An ML team whose everyday "
        "ties stay inside it keeps its know-how to itself and loses sight of what the rest of the organization "
        "needs, whatever meetings the org chart promises."
    ),
    example="""
teams:
  - {id: ml, kind: ml}
  - {id: shop, kind: product}
people:
  - {id: a, team: ml, roles: [ml_engineer]}
  - {id: b, team: ml, roles: [ml_engineer]}
  - {id: c, team: ml, roles: [data_scientist]}
  - {id: d, team: ml, roles: [data_scientist]}
  - {id: e, team: ml, roles: [ml_engineer]}
  - {id: s, team: shop, roles: [product_engineer]}
collaboration:
  ties:
    - {a: a, b: b}
    - {a: a, b: c}
    - {a: a, b: d}
    - {a: a, b: e}
    - {a: b, b: c}
    - {a: b, b: d}
    - {a: b, b: e}
    - {a: c, b: d}
    - {a: c, b: e}
    - {a: d, b: e}
    - {a: e, b: s}
""",
    remedy=(
        "Give the team's people standing work with the teams their models serve: pair ML and product engineers "
        "on a shared deliverable, rotate people between teams, or embed members with their main customers."
    ),
)
def insular_ml_team(ctx: RuleContext) -> Iterator[Hit | Question]:
    obs = observed(ctx)
    if obs is None:
        return
    th = ctx.thresholds
    for team_id in facts(ctx).staff.ml_homes:
        figures = obs.team(team_id)
        if figures is None:
            continue
        inside, outside = figures[0], figures[1]
        total = inside + outside
        if total < th.network_min_team_ties:
            continue
        ei = (outside - inside) / total
        if ei >= th.network_insular_ei:
            continue
        yield Hit(
            f"team:{team_id}",
            f"ML team '{team_id}' keeps {inside} of its {total} observed ties inside (E-I index {ei:.2f}, "
            f"below {th.network_insular_ei:g}).",
            (
                Evidence(path=ctx.index.path("teams", team_id), value=team_id, note="an ML home"),
                Evidence(path="collaboration.ties", value={"inside": inside, "outside": outside}, note="E-I index"),
            ),
        )


@rule(
    "fragile-ml-business-bridge",
    severity="medium",
    source="rml-ch13",
    summary="Work between ML people and the business runs through one or two people.",
    flags=(
        "In the observed ties, at least one person stands on the shortest paths of at least "
        "`network_broker_share` (default half) of the pairs (ML person, product or business person), measured "
        "by subset betweenness, with at least `network_broker_min_ml` (default 4) ML people tied in. Needs a "
        "`collaboration` section that includes product or business people."
    ),
    why=(
        "The integration point where ML and the business meet should be a standing arrangement, not a person. "
        "When one broker carries most of the contact, the ML side's view of the business is that one person's "
        "view, requests queue behind them, and the link breaks when they leave."
    ),
    example="""
teams:
  - {id: ml, kind: ml}
  - {id: shop, kind: product}
people:
  - {id: a, team: ml, roles: [ml_engineer]}
  - {id: b, team: ml, roles: [ml_engineer]}
  - {id: c, team: ml, roles: [data_scientist]}
  - {id: d, team: ml, roles: [data_scientist]}
  - {id: s, team: shop, roles: [product_engineer]}
  - {id: t, team: shop, roles: [product_manager]}
collaboration:
  ties:
    - {a: a, b: b}
    - {a: a, b: c}
    - {a: a, b: d}
    - {a: a, b: s}
    - {a: a, b: t}
    - {a: s, b: t}
""",
    remedy=(
        "Widen the bridge: bring more of the ML team into product reviews and planning, pair each ML person "
        "with a product counterpart, and make the integration point a forum rather than a person."
    ),
)
def fragile_ml_business_bridge(ctx: RuleContext) -> Iterator[Hit | Question]:
    obs = observed(ctx)
    if obs is None or not business_covered(ctx, obs):
        return
    m = obs.measures
    if not m.brokers.shape[0] or m.broker_sources_total < ctx.thresholds.network_broker_min_ml:
        return
    teams = sorted({obs.partition.teams[int(obs.partition.team_of[p])] for p in m.brokers.tolist()})
    n = int(m.brokers.shape[0])
    top = float(m.broker_scores[0])
    who = "person" if n == 1 else "people"
    yield Hit(
        "org",
        f"Work between ML and the business hangs on {n} {who} (in {', '.join(teams)}): the busiest stands "
        f"between {top:.0%} of the pairs of ML and business people.",
        capped(
            ctx,
            [
                Evidence(
                    path="collaboration.ties",
                    value={"brokers": n, "largest_share": round(top, 3), "ml_people": m.broker_sources_total},
                    note="people on the shortest paths of at least "
                    f"{ctx.thresholds.network_broker_share:.0%} of ML-to-business pairs",
                ),
                *(Evidence(path=ctx.index.path("teams", t), value=t, note="a broker's team") for t in teams),
            ],
        ),
    )


@rule(
    "communities-cross-teams",
    severity="low",
    source="hasty-structures",
    summary="The communities people actually work in cut across the formal teams.",
    flags=(
        "With at least `network_min_people` (default 20) people tied in, at least `network_crossing_share` "
        "(default 0.3) of them belong to a detected (Leiden) community made mostly of another team. Needs a "
        "`collaboration` section."
    ),
    why=(
        "When the org chart and the lived organization disagree, reporting lines, priorities and reviews follow "
        "one structure while the work follows another: people serve two masters, and the structure a leader "
        "plans around is not the one that delivers. It is a weak point of every structure that places people "
        "in one unit and has them work for another."
    ),
    example="""
teams:
  - {id: ml, kind: ml}
  - {id: shop, kind: product}
people:
  - {id: a, team: ml}
  - {id: b, team: ml}
  - {id: c, team: ml}
  - {id: d, team: ml}
  - {id: e, team: ml}
  - {id: f, team: shop}
  - {id: g, team: shop}
  - {id: h, team: shop}
  - {id: i, team: shop}
  - {id: j, team: shop}
settings: {thresholds: {network_min_people: 4}}
collaboration:
  ties:
    - {a: a, b: f}
    - {a: b, b: g}
    - {a: c, b: h}
    - {a: d, b: i}
    - {a: e, b: j}
""",
    remedy=(
        "Decide which structure is meant: redraw teams around the groups that really work together, or give "
        "the cross-team groups a named home (a pod, a virtual team) with its own priorities and reviews."
    ),
)
def communities_cross_teams(ctx: RuleContext) -> Iterator[Hit | Question]:
    obs = observed(ctx)
    if obs is None:
        return
    m = obs.measures
    th = ctx.thresholds
    if m.crossing_share is None or m.people < th.network_min_people or m.crossing_share < th.network_crossing_share:
        return
    yield Hit(
        "org",
        f"{m.crossing_share:.0%} of the {m.people} people tied in work in a community made mostly of another "
        f"team ({m.communities} communities found; modularity of the formal teams {m.modularity:.2f}).",
        (
            Evidence(
                path="collaboration.ties",
                value={
                    "crossing_share": round(m.crossing_share, 3),
                    "nmi": None if m.nmi is None else round(m.nmi, 3),
                    "modularity": None if m.modularity is None else round(m.modularity, 3),
                },
                note="Leiden communities compared with the formal teams",
            ),
        ),
    )
