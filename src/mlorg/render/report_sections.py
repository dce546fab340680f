"""Section builders for the organization itself: maturity, archetype, structure, culture, Star Model, roles.

One builder per analysis; each is the only code that reads its analysis' result fields.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from mlorg.render import charts, team_map, team_map_chart
from mlorg.render.report_blocks import (
    STAGES,
    Block,
    Bullets,
    Context,
    Facts,
    Figure,
    Note,
    Section,
    Table,
    evidence_items,
    fmt_score,
    hire_verb,
    in_place,
)
from mlorg.render.words import count, human, joined, number
from mlorg.spec.index import SpecIndex

if TYPE_CHECKING:
    from mlorg.analyses.collaboration import CollaborationResult

# --- one builder per analysis -------------------------------------------------------------------


def maturity(ctx: Context) -> Section:
    m = ctx.a.maturity
    blocks: list[Block] = [
        Facts(
            (
                ("Stage", human(m.stage)),
                ("Next stage", human(m.next_stage) if m.next_stage else "none: top of the ladder"),
                ("Confidence", f"{round(m.confidence * 100)}%"),
            )
        ),
        Figure(
            charts.maturity_ladder(STAGES, m.stage, m.next_stage, m.missing),
            "The five stages; the filled step is where the organization stands, the dashed one the next.",
        ),
    ]
    if m.rationale:
        blocks.append(Bullets("Why this stage", m.rationale))
    if m.next_stage and m.missing:
        blocks.append(Bullets(f"Checklist for {human(m.next_stage)}", m.missing, checklist=True))
    if m.checks:
        blocks.append(
            Table(
                "Every check, in ladder order",
                ("Stage", "Check", "Status", "Evidence"),
                tuple(
                    (
                        human(c.stage),
                        c.text,
                        c.status,
                        "; ".join(evidence_items(c.evidence))
                        or (f"not stated: `{c.unknown_path}`" if c.unknown_path else ""),
                    )
                    for c in m.checks
                ),
            )
        )
    elif m.evidence:
        blocks.append(Bullets("What places the organization here", evidence_items(m.evidence)))
    if m.staff_view:
        blocks.append(
            Note(
                "Staff survey agreement with each stage's evidence: "
                + "; ".join(f"{human(st)} {round(v.agreement * 100)}%" for st, v in m.staff_view.items())
                + "."
            )
        )
    return Section("maturity", "Maturity stage", ("georgian-maturity",), tuple(blocks), ctx.findings("maturity"))


def archetype(ctx: Context) -> Section:
    ar = ctx.a.archetype
    blocks: list[Block] = [
        Facts((("Archetype", ar.name or human(ar.id)), ("Confidence", f"{round(ar.confidence * 100)}%"))),
    ]
    if ar.rationale:
        blocks.append(Bullets("Why", ar.rationale))
    if ar.dimensions:
        blocks.append(
            Table(
                "Design dimensions (0 to 1)",
                ("Dimension", "Score", "Reading", "Evidence"),
                tuple(
                    (d.name or human(k), fmt_score(d.score), d.label, "; ".join(evidence_items(d.evidence)))
                    for k, d in ar.dimensions.items()
                ),
            )
        )
    if ar.strengths:
        blocks.append(Bullets("What this archetype does well", ar.strengths))
    if ar.challenges:
        blocks.append(Bullets("What it struggles with", ar.challenges))
    if ar.evidence:
        blocks.append(Bullets("Evidence", evidence_items(ar.evidence)))
    return Section("archetype", "Archetype", ("fsdl-teams",), tuple(blocks), ctx.findings("archetype"))


def structure(ctx: Context) -> Section:
    st = ctx.a.structure
    blocks: list[Block] = [
        Facts(
            (
                ("Today", human(st.current)),
                ("Recommended", human(st.recommended)),
                ("Size", f"{st.size_band} ({ctx.a.organization.headcount} people)"),
                ("ML focus", human(st.focus) + (" (assumed: not stated)" if st.focus_assumed else "")),
            )
        )
    ]
    if st.rationale:
        blocks.append(Bullets("Why this structure", st.rationale))
    mitigations = {mi.id: mi for mi in st.mitigations}
    if st.weak_points:
        blocks.append(
            Table(
                f"Known weak points of a {human(st.recommended)} structure",
                ("Weak point", "Mitigated by", "Source"),
                tuple(
                    (
                        w.text,
                        "; ".join(
                            f"{human(m)} ({MITIGATION_STATE[mitigations[m].in_place if m in mitigations else None]})"
                            for m in w.mitigations
                        )
                        or "nothing known",
                        w.source,
                    )
                    for w in st.weak_points
                ),
            )
        )
    if st.mitigations:
        blocks.append(
            Table(
                "Mitigations",
                ("Mitigation", "In place", "Weak points it addresses", "Evidence", "Source"),
                tuple(
                    (
                        f"{mi.text} ({human(mi.id)})",
                        in_place(mi.in_place),
                        ", ".join(human(w) for w in mi.addresses),
                        "; ".join(evidence_items(mi.evidence)),
                        mi.source,
                    )
                    for mi in st.mitigations
                ),
            )
        )
    if st.evidence:
        blocks.append(Bullets("Evidence", evidence_items(st.evidence)))
    if ctx.index is not None and ctx.index.teams:
        blocks.append(team_map_figure(ctx.index, ctx.a.collaboration))
    elif ctx.index is None:
        blocks.append(Note("The team map needs the spec; it is drawn by `mlorg report` and `assess --format html`."))
    return Section(
        "structure",
        "Structure",
        ("hasty-structures", "tecton-embedded", "georgian-maturity", "rml-ch13"),
        tuple(blocks),
        ctx.findings("structure"),
    )


MITIGATION_STATE = {True: "in place", False: "missing", None: "unknown"}


def team_map_figure(index: SpecIndex, observed: CollaborationResult | None = None) -> Figure:
    m = team_map.build(index, observed=observed)
    unit = "unit" if m.folded else "team"
    seen: dict[str, int] = {}
    for link in m.observed:
        seen[link.a] = seen.get(link.a, 0) + link.ties
        seen[link.b] = seen.get(link.b, 0) + link.ties
    linked = "Linked" if m.has_observed else "Shares a forum"
    rows = tuple(
        (
            n.name,
            str(n.headcount),
            str(n.ml),
            str(n.teams),
            "none: ML silo" if n.ml_silo else ("none" if n.siloed else "yes"),
            *((f"{seen.get(n.key, 0):,}",) if m.has_observed else ()),
        )
        for n in m.nodes
    )
    note = f"{count(m.total_teams, 'team')} and {count(m.total_forums, 'forum')} in the spec."
    if m.folded_at_depth is not None:
        note += f" Teams below level {m.folded_at_depth} are folded into their ancestor."
    if m.hidden_forums:
        note += f" {count(m.hidden_forums, 'forum')} linking fewer units not drawn."
    caption = (
        f"Each circle is a {unit}, sized by headcount; orange is the share of ML staff; lines meet at the forums "
        "teams share. Dashed outlines share no forum with anyone: a red one holds ML staff cut off from the rest."
    )
    if m.has_observed:
        note += (
            f" Observed ties: the {count(len(m.observed), 'strongest link')} between teams at or above the privacy "
            "floor (people's ties and CODEOWNERS reviews), folded into the map's units"
            + (f"; {m.hidden_observed:,} weaker not drawn." if m.hidden_observed else ".")
        )
        caption = (
            f"Each circle is a {unit}, sized by headcount; orange is the share of ML staff; lines meet at the "
            "forums teams share (dotted: the observed ties show nobody uses it); teal chords are observed "
            "collaboration, wider for more ties. Dashed outlines have neither a used forum nor an observed tie to "
            "another unit: a red one holds ML staff cut off from the rest."
        )
    return Figure(
        team_map_chart.team_map(m),
        caption,
        Table(
            "Data behind the team map",
            (
                unit.capitalize(),
                "People",
                "ML staff",
                "Teams",
                linked,
                *(("Observed ties drawn",) if m.has_observed else ()),
            ),
            rows,
            note,
        ),
    )


def culture(ctx: Context) -> Section:
    cu = ctx.a.culture
    floor = ctx.thresholds.privacy_floor
    blocks: list[Block] = []
    if cu.typology is None:
        blocks.append(Note("No culture data: add `culture.westrum` or run the staff survey."))
    else:
        blocks.append(
            Facts(
                (
                    ("Typology", human(cu.typology)),
                    ("Westrum mean (1-7)", fmt_score(cu.mean)),
                    ("Respondents", str(cu.respondents) if cu.respondents is not None else "unknown"),
                )
            )
        )
        blocks.append(
            Note(
                f"Bands are this tool's assumption: below {ctx.thresholds.culture_power_below:g} power-oriented, "
                f"from {ctx.thresholds.culture_performance_from:g} performance-oriented, rule-oriented between."
            )
        )
        if cu.source == "survey" and cu.spec_mean is not None:
            blocks.append(Note(f"The spec states {number(cu.spec_mean)}; the staff survey says {number(cu.mean)}."))
        quality = []
        if cu.coverage is not None:
            quality.append(f"coverage {cu.coverage}")
        if cu.alpha is not None:
            quality.append(f"Cronbach's alpha {number(cu.alpha)}")
        if quality:
            blocks.append(Note("Survey quality: " + ", ".join(quality) + "."))
    if cu.teams:
        blocks.append(
            Table(
                "Culture by team",
                ("Team", "Mean (1-7)", "Respondents", "Reading"),
                tuple(
                    (
                        ctx.name("team", t.team),
                        number(t.mean),
                        str(t.respondents) if t.respondents is not None else "unknown",
                        human(t.typology) + ("; members disagree widely" if t.divergent else ""),
                    )
                    for t in cu.teams
                ),
            )
        )
    rows = team_culture(ctx)
    visible = charts.above_privacy_floor(rows, floor)
    if visible:
        blocks.append(
            Figure(
                charts.culture_by_team(rows, floor),
                f"Team means, lowest first: red power-oriented, amber rule-oriented, green performance-oriented. "
                f"Teams with fewer than {floor} respondents are never shown.",
            )
        )
    if cu.hidden_teams:
        blocks.append(Note(f"{count(cu.hidden_teams, 'team')} with too few respondents not shown (privacy floor)."))
    if cu.evidence:
        blocks.append(Bullets("Evidence", evidence_items(cu.evidence)))
    return Section("culture", "Culture", ("rml-ch13",), tuple(blocks), ctx.findings("culture"))


def team_culture(ctx: Context) -> list[charts.TeamCulture]:
    """Per-team Westrum results as the analysis decided them, so the chart agrees with the table beside it:
    the staff survey's teams when there are answers (privacy floor and secondary suppression applied),
    else the spec's own figures (teams under the floor left out)."""
    return [
        charts.TeamCulture(ctx.name("team", t.team), t.mean, t.respondents or 0, t.typology)
        for t in ctx.a.culture.teams
    ]


def star_model(ctx: Context) -> Section:
    sm = ctx.a.star_model
    points = {p: getattr(sm, p) for p in charts.STAR_POINTS}
    # A point the spec answers nothing about has no score: drawing the analysis' default would read as a
    # middling result the evidence never gave.
    known = {p: (s.score if s.confidence > 0 else None) for p, s in points.items()}
    unknown = [p for p, v in known.items() if v is None]
    blocks: list[Block] = [
        Facts((("ML ambition scored against", human(sm.ambition) if sm.ambition else "not stated"),)),
        Figure(
            charts.star_radar([("score", known)]),
            "How well each point of the Star Model supports the stated ML ambition (5 = fully)."
            + (f" No evidence for {joined(unknown)}: shown as unknown, not scored." if unknown else ""),
        ),
        Table(
            "Scores",
            ("Point", "Score (1-5)", "Spec answers", "Notes"),
            tuple(
                (
                    p.capitalize(),
                    (str(known[p]) if known[p] is not None else "unknown")
                    + (f" (staff: {number(s.staff_score)})" if s.staff_score is not None else ""),
                    f"{round(s.confidence * 100)}%",
                    "; ".join(s.notes),
                )
                for p, s in points.items()
            ),
        ),
    ]
    if sm.misalignments:
        blocks.append(
            Bullets(
                "Misalignments between points",
                tuple(f"{' vs '.join(m.points)} (gap {m.gap}): {m.message}" for m in sm.misalignments),
            )
        )
    if sm.rationale:
        blocks.append(Bullets("How the scores were reached", sm.rationale))
    return Section("star_model", "Star Model alignment", ("rml-ch13",), tuple(blocks), ctx.findings("star_model"))


def roles(ctx: Context) -> Section:
    ro = ctx.a.roles
    stage = ctx.a.maturity.stage
    blocks: list[Block] = []
    part = ro.partition
    if part is not None:
        blocks.append(
            Facts(
                (
                    (
                        "Experienced ML practitioners",
                        experienced_text(part.experienced, part.needed_experienced, part.gap),
                    ),
                    ("Learning on the job", str(part.learning)),
                    ("ML experience not stated", str(part.unknown)),
                )
            )
        )
    if ro.rationale:
        blocks.append(Bullets("How the roles were read", ro.rationale))
    hire_for = planned_hires(ctx)
    if ro.coverage:
        bars = [charts.RoleBar(c.name or human(fn), c.count, c.status) for fn, c in ro.coverage.items()]
        blocks.append(
            Figure(
                charts.role_coverage(bars, stage),
                "People in each function an ML effort needs: green covered, amber only partly (no ML experience, "
                "or held as a second role), red missing, grey unknown.",
            )
        )
        blocks.append(
            Table(
                "Role coverage",
                ("Function", "People", "Status", "Note", "Planned hire"),
                tuple(
                    (
                        c.name or human(fn),
                        str(c.count),
                        human(c.status),
                        c.note or "",
                        ", ".join(hire_for.get(fn, ())) or "none",
                    )
                    for fn, c in ro.coverage.items()
                ),
            )
        )
    else:
        blocks.append(Note("Role coverage is not available for this assessment."))
    if ctx.a.hiring_plan:
        blocks.append(
            Table(
                "Hiring plan, in order",
                ("#", "Role", "When", "Why", "Experienced hire?", "Sourcing"),
                tuple(
                    (
                        str(i),
                        human(h.role) + (" (confirm first)" if hire_verb(h) == "Confirm" else ""),
                        hire_when(h.stage, stage),
                        h.reason,
                        "yes" if h.experienced else "can learn on the job",
                        "; ".join(h.sourcing),
                    )
                    for i, h in enumerate(ctx.a.hiring_plan, 1)
                ),
            )
        )
    else:
        blocks.append(Note("No hire due before the next stage."))
    if part is not None and part.note:
        blocks.append(Note(part.note))
    return Section("roles", "Roles and hiring", ("rml-ch13", "georgian-maturity"), tuple(blocks), ctx.findings("roles"))


def experienced_text(have: int, needed: int, gap: int) -> str:
    """``1 of 2 needed (1 still to find)``; never ``6 of the 2 needed``."""
    if have >= needed:
        return f"{have} ({needed} needed: enough)"
    return f"{have} of {needed} needed" + (f" ({gap} still to find)" if gap else "")


def hire_when(hire_stage: str, stage: str) -> str:
    """When a hire is due: now (the current stage's hires), or for the stage it belongs to."""
    if not hire_stage or hire_stage == "any":
        return "any time"
    return "now" if hire_stage == stage else f"for {human(hire_stage)}"


def planned_hires(ctx: Context) -> dict[str, list[str]]:
    """Which planned hires fill which function (a hire whose role the function counts)."""
    function_of: dict[str, str] = {}
    for fn, c in ctx.a.roles.coverage.items():
        for r in c.roles:
            function_of.setdefault(r, fn)
    out: dict[str, list[str]] = defaultdict(list)
    for h in ctx.a.hiring_plan:
        if h.role in function_of:
            out[function_of[h.role]].append(f"{human(h.role)} ({hire_when(h.stage, ctx.a.maturity.stage)})")
    return out
