"""The report's collaboration section: team-level figures only, as the privacy floor lets them through.

Built from ``assessment.collaboration`` alone (already suppressed), so the HTML, Markdown and
terminal views can never show more than the JSON does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlorg.render import collab_charts
from mlorg.render.words import count

if TYPE_CHECKING:
    from mlorg.render.report_blocks import Block, Context, Section


def _fmt(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "not shown"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def _share(x: float | None) -> str:
    return "not shown" if x is None else f"{x:.0%}"


def collaboration(ctx: Context) -> Section | None:
    """None when the spec has no observed ties."""
    from mlorg.render.report_blocks import Facts, Figure, Note, Section, Table

    c = ctx.a.collaboration
    if c is None:
        return None
    th = ctx.thresholds
    blocks: list[Block] = []
    facts = [
        ("People with ties", f"{c.people:,}"),
        ("Ties (pairs of people)", f"{c.ties:,}"),
        ("Ties to people the spec does not place", f"{c.unplaced_ties:,}"),
        ("Modularity of the formal teams", _fmt(c.modularity)),
        ("Communities found (Leiden)", "not shown" if c.communities is None else f"{c.communities:,}"),
        ("Teams and communities agree (NMI)", _fmt(c.nmi)),
        ("People in a community mostly of another team", _share(c.crossing_share)),
        ("Ties between ML people and other product or business teams", f"{c.ml_business_ties:,}"),
        ("Brokers of ML-to-business work", "not shown" if c.broker_count is None else f"{c.broker_count:,}"),
        ("ML staff with ties / without an ML peer", f"{c.ml_people:,} / {c.ml_without_peer:,}"),
    ]
    if c.period:
        facts.insert(0, ("Period", c.period))
    blocks.append(Facts(tuple(facts)))
    if c.teams:
        rows = tuple(
            (
                t.team,
                "ML" if t.ml else ("product or business" if t.business else "other"),
                f"{t.people:,}",
                f"{t.ties_inside:,}",
                f"{t.ties_outside:,}",
                _share(t.share_inside),
                _fmt(t.ei_index, signed=True),
                "" if t.ml_business_ties is None else f"{t.ml_business_ties:,}",
                "" if t.ml_peer_ties is None else f"{t.ml_peer_ties:,}",
            )
            for t in c.teams[: ctx.limits.rows]
        )
        table = Table(
            "Data behind the collaboration map",
            (
                "Team",
                "Kind",
                "People",
                "Ties inside",
                "Ties out",
                "Share inside",
                "E-I",
                "ML-business ties",
                "ML peer ties",
            ),
            rows,
            f"{count(len(c.teams) - len(rows), 'more team')} not listed." if len(c.teams) > len(rows) else "",
        )
        blocks.append(
            Figure(
                collab_charts.collaboration_map(c.teams, c.links, th.network_insular_ei),
                "Each circle is a team, sized by its people with ties; lines join teams whose people work together, "
                "thicker for more ties. A dashed red circle is an ML team whose ties stay inside.",
                table,
            )
        )
        blocks.append(
            Figure(
                collab_charts.ei_bars(c.teams, th.network_insular_ei),
                f"E-I index per team (Krackhardt and Stern). ML teams below {th.network_insular_ei:+.2f} are insular.",
            )
        )
    if c.hidden_teams:
        blocks.append(
            Note(
                f"{count(c.hidden_teams, 'team')} with fewer than {c.privacy_floor} people in the network "
                "(or needed to keep one from being worked out by subtraction) not shown."
            )
        )
    if c.brokers:
        blocks.append(
            Table(
                "Brokers: people on the shortest paths of many ML-to-business pairs",
                ("Team", "Share of pairs", *(("Person",) if any(b.person for b in c.brokers) else ())),
                tuple(
                    (
                        b.team or "not shown",
                        f"{b.share:.0%}",
                        *((b.person or "",) if any(x.person for x in c.brokers) else ()),
                    )
                    for b in c.brokers[: ctx.limits.rows]
                ),
                f"From {count(c.broker_sources, 'ML person', 'ML people')} as path sources.",
            )
        )
    if c.review_changes or c.unplaced_reviews:
        shown_reviews = c.review_links[: ctx.limits.rows]
        note = (
            f"{count(c.review_changes, 'change')} to code another team owns in CODEOWNERS; links between teams with "
            f"fewer than {c.privacy_floor} people are not shown."
        )
        if c.unplaced_reviews:
            note += f" {count(c.unplaced_reviews, 'entry', 'entries')} name a person or team the spec does not place."
        blocks.append(
            Table(
                "Teams that review each other's code (CODEOWNERS)",
                ("Team", "Team", "Changes across"),
                tuple((r.a, r.b, f"{r.ties:,}") for r in shown_reviews),
                note,
            )
        )
    if c.forums:
        blocks.append(
            Table(
                "Declared forums against the observed ties",
                ("Forum", "Kind", "Used", "Why"),
                tuple(
                    (f.forum, f.kind.replace("_", " "), {True: "yes", False: "no", None: "unknown"}[f.used], f.note)
                    for f in c.forums[: ctx.limits.rows]
                ),
            )
        )
    return Section(
        "collaboration",
        "Collaboration as it is lived",
        ("rml-ch13", "hasty-structures"),
        tuple(blocks),
        ctx.findings("collaboration"),
    )
