"""What the HTML report shows, section by section, as plain view objects for the templates.

Each analysis section has exactly one builder function here, and it is the only code that reads
that analysis' result fields: when a result model grows or renames a field, only its builder
changes. A section with nothing to show still renders, with a short note saying so.
Long lists are capped (findings per rule, table rows, chart points) so that the report of a
100,000-person organization stays a readable, bounded file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TypeVar, get_args

from mlorg.analyses.culture import typology_of
from mlorg.analyses.data_readiness import FeatureReadiness, ModelReadiness
from mlorg.analyses.maturity import Stage
from mlorg.analyses.model_ops import ModelOps
from mlorg.analyses.portfolio import CriterionScore
from mlorg.assessment import Assessment
from mlorg.render import charts, team_map
from mlorg.render.charts import Chart
from mlorg.render.finding_groups import SOURCE_TITLES, FindingGroup, group_findings, top_risks
from mlorg.render.words import article, count, human, joined, number, value_text
from mlorg.settings import Thresholds
from mlorg.spec.index import SUBJECT_SECTION, SpecIndex
from mlorg.spec.models import Organization

STAGES: tuple[str, ...] = get_args(Stage)
SEVERITIES = ("critical", "high", "medium", "low", "info")
TOP_RISKS = 5
MATRIX_POINTS = 40
SUMMARY_REASONS = 4
CRITERIA_COLUMNS = 6
LIST_CAP = 20
T = TypeVar("T")


# Which report section each rule's findings appear in (DESIGN §3); unknown rules fall back on their
# family, then on "Other findings".
RULE_SECTION = {
    "no-data-audit": "maturity",
    "no-integration-point": "structure",
    "siloed-ml-team": "structure",
    "isolated-ml-hire": "structure",
    "no-ml-community": "structure",
    "no-platform-team": "structure",
    "tool-divergence": "structure",
    "unclear-team-function": "structure",
    "no-experimentation-budget": "structure",
    "no-prioritization-process": "structure",
    "no-idea-intake": "structure",
    "research-without-production-path": "structure",
    "rule-oriented-culture": "culture",
    "power-oriented-culture": "culture",
    "no-written-strategy": "star_model",
    "ml-seen-as-magic": "star_model",
    "no-ml-voice-in-leadership": "star_model",
    "strategy-structure-mismatch": "star_model",
    "rewards-ignore-reliability": "star_model",
    "ml-learning-not-rewarded": "star_model",
    "ml-pm-without-ml-experience": "roles",
    "no-experienced-ml": "roles",
    "experienced-only-hiring": "roles",
    "no-sre-for-ml": "roles",
    "first-project-too-critical": "portfolio",
    "first-project-too-ambitious": "portfolio",
    "brownfield-opposition": "portfolio",
    "feature-unavailable-in-production": "data_readiness",
    "feature-too-stale": "data_readiness",
    "unbounded-aggregate-feature": "data_readiness",
    "quasi-identifier-combination": "data_readiness",
    "uncoordinated-upstream-data": "data_readiness",
    "missing-business-constraints": "data_readiness",
    "handoff-to-it": "model_ops",
    "model-without-owner": "model_ops",
    "no-drift-escalation": "model_ops",
    "model-kpi-misaligned": "model_ops",
    "single-dimension-change": "change_plan",
    "big-bang-communication": "change_plan",
}
FAMILY_SECTION = {
    "maturity": "maturity",
    "archetype": "archetype",
    "structure": "structure",
    "teams": "structure",
    "culture": "culture",
    "strategy": "star_model",
    "leadership": "star_model",
    "rewards": "star_model",
    "roles": "roles",
    "hiring": "roles",
    "people": "roles",
    "portfolio": "portfolio",
    "work": "portfolio",
    "data": "data_readiness",
    "features": "data_readiness",
    "models": "model_ops",
    "ops": "model_ops",
    "model_ops": "model_ops",
    "change": "change_plan",
    "network": "collaboration",
}


# --- view objects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    rows: tuple[tuple[str, str], ...]
    kind: str = "facts"


@dataclass(frozen=True)
class Bullets:
    title: str
    items: tuple[str, ...]
    ordered: bool = False
    checklist: bool = False
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    chart: Chart
    caption: str
    data: Table | None = None
    kind: str = "figure"


@dataclass(frozen=True)
class Note:
    text: str
    kind: str = "note"


@dataclass(frozen=True)
class StepView:
    order: int
    point: str
    when: str
    change: str
    why: tuple[str, ...]
    actions: tuple[str, ...]
    done_when: tuple[str, ...]


@dataclass(frozen=True)
class Steps:
    items: tuple[StepView, ...]
    kind: str = "steps"


Block = Facts | Bullets | Table | Figure | Note | Steps


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    sources: tuple[str, ...]
    blocks: tuple[Block, ...]
    findings: tuple[FindingGroup, ...] = ()
    empty: str = ""

    @property
    def finding_count(self) -> int:
        return sum(g.total for g in self.findings)

    @property
    def major(self) -> bool:
        """Worth a page of its own when printed: it has a chart or findings."""
        return bool(self.findings) or any(isinstance(b, Figure) for b in self.blocks)


@dataclass(frozen=True)
class Summary:
    headline: tuple[tuple[str, str], ...]
    severity_counts: tuple[tuple[str, int], ...]
    risks: tuple[FindingGroup, ...]
    project_label: str
    project: str
    project_reasons: tuple[str, ...]
    project_note: str
    project_warnings: tuple[str, ...]
    hires: tuple[tuple[str, str, str], ...]  # (Hire or Confirm, role, why)
    hires_note: str
    first_change: str


@dataclass(frozen=True)
class Report:
    title: str
    organization: str
    summary: Summary
    sections: tuple[Section, ...]
    about: tuple[tuple[str, str], ...]
    sources: tuple[tuple[str, str], ...]
    extra: tuple[Section, ...] = field(default=())
    printed: bool = False  # lists of subjects go to the appendix, not beside each finding

    @property
    def appendix(self) -> tuple[FindingGroup, ...]:
        """Rule groups whose subjects a printed report lists at its end, in section order."""
        return tuple(g for s in self.sections for g in s.findings if g.count > 1)


# --- helpers ------------------------------------------------------------------------------------


def fmt_value(value: object, limit: int = 200) -> str:
    return value_text(value, limit)


def fmt_score(x: float | None) -> str:
    return number(x)


def in_place(flag: bool | None) -> str:
    return "unknown" if flag is None else ("yes" if flag else "no")


@dataclass(frozen=True)
class Limits:
    """How much a report lists before it counts the rest: a screen can scroll, a printed page cannot."""

    subjects: int = 500  # subjects listed per rule (the HTML puts them in a details element)
    rows: int = 200  # rows per table
    ranking: int = 100  # rows of the initiative ranking
    printed: bool = False  # lists beyond the summary go to an appendix


SCREEN = Limits()
PRINT = Limits(subjects=30, rows=40, ranking=30, printed=True)


class Context:
    """Everything a section builder may read: the assessment, and the spec when there is one."""

    def __init__(
        self, a: Assessment, spec: Organization | None, thresholds: Thresholds, limits: Limits = SCREEN
    ) -> None:
        self.a = a
        self.spec = spec
        self.thresholds = thresholds
        self.limits = limits
        self.index = SpecIndex.of(spec) if spec is not None else None
        self.titles = {r.initiative: r.title for r in a.portfolio.ranking if r.title}
        self.by_section: dict[str, list[int]] = defaultdict(list)
        for i, finding in enumerate(a.findings):
            self.by_section[section_of(finding.rule)].append(i)

    def name(self, kind: str, ident: str) -> str:
        """Display name of a spec item (its ``name``/``title``), or its id."""
        if self.index is None:
            return ident
        item = getattr(self.index, SUBJECT_SECTION.get(kind, ""), {}).get(ident)
        if item is None:
            return ident
        return str(getattr(item, "name", None) or getattr(item, "title", None) or ident)

    def subject_name(self, subject: str) -> str:
        kind, _, ident = subject.partition(":")
        if not ident:
            return self.a.organization.name if subject == "org" else subject
        return self.name(kind, ident)

    def findings(self, section: str) -> tuple[FindingGroup, ...]:
        """The section's findings, one group per rule, most severe first."""
        return group_findings(
            self.a.findings, self.by_section.get(section, ()), self.subject_name, self.limits.subjects
        )

    @cached_property
    def risks(self) -> tuple[FindingGroup, ...]:
        """The most serious distinct risks, one per rule (the executive summary's list)."""
        groups = group_findings(self.a.findings, range(len(self.a.findings)), self.subject_name, 0)
        return top_risks(groups, TOP_RISKS)


@cache
def section_of(rule: str) -> str:
    """The report section a rule's findings belong in (rule map, then the rule's family, then "other")."""
    if rule in RULE_SECTION:
        return RULE_SECTION[rule]
    from mlorg.rules.registry import load_all

    registered = load_all().get(rule)
    return FAMILY_SECTION.get(registered.family, "other") if registered else "other"


def evidence_items(evidence: Sequence[object]) -> tuple[str, ...]:
    out = []
    for e in evidence:
        path, value, note = getattr(e, "path", ""), getattr(e, "value", None), getattr(e, "note", None)
        origin = getattr(e, "provenance", None)
        text = f"`{path}` = {fmt_value(value)}" + (f": {note}" if note else "")
        out.append(text + (f" (from {origin})" if origin else ""))
    return tuple(out)


# --- the executive summary ----------------------------------------------------------------------


def first_sentence(text: str) -> str:
    """The gist of a long reason; the section carries the whole of it."""
    head, sep, _ = text.partition(". ")
    return head + "." if sep else text


def weeks_label(start: int, weeks: int) -> str:
    """``start_week`` counts weeks already gone, so a step starting at 1 runs from week 2."""
    return f"week {start + 1}" if weeks <= 1 else f"weeks {start + 1}–{start + weeks}"


def summary(ctx: Context) -> Summary:
    a = ctx.a
    counts = {s: 0 for s in SEVERITIES}
    for f in a.findings:
        counts[f.severity] += 1
    po = a.portfolio
    steps = [s for s in a.change_plan.steps if s.point != "announce"]
    first_change = ""
    if steps:
        step = steps[0]
        order = ", ".join(human(s.point) for s in steps)
        first_change = (
            f"Change {order}, one at a time, over {a.change_plan.total_weeks} weeks. Start with {human(step.point)} "
            f"({weeks_label(step.start_week, step.weeks)}): {first_sentence(step.change)}"
        )
    return Summary(
        headline=(
            (
                "Maturity stage",
                human(a.maturity.stage) + (f" (next: {human(a.maturity.next_stage)})" if a.maturity.next_stage else ""),
            ),
            ("Archetype", a.archetype.name or human(a.archetype.id)),
            ("Structure", f"{human(a.structure.current)} → recommended {human(a.structure.recommended)}"),
            ("Culture", human(a.culture.typology) if a.culture.typology else "unknown (no survey data)"),
            ("Confidence", f"{round(a.confidence * 100)}% ({len(a.open_questions)} open questions)"),
        ),
        severity_counts=tuple((s, counts[s]) for s in SEVERITIES),
        risks=ctx.risks,
        project_label="First project" if po.mode == "first" else "Next project",
        project=initiative_name(ctx, po.first_project) if po.first_project else "",
        project_reasons=po.reasons[:SUMMARY_REASONS],
        project_note=pick_note(ctx),
        project_warnings=tuple(
            f"Chosen first project {initiative_name(ctx, j.initiative)} misses the bar on: "
            + ", ".join(human(f) for f in j.failed)
            for j in po.judged
            if j.failed
        ),
        hires=tuple((hire_verb(h), human(h.role), first_sentence(h.reason)) for h in a.hiring_plan[:3]),
        hires_note=hires_note(ctx),
        first_change=first_change,
    )


def hire_verb(h: object) -> str:
    """``Hire`` where the role is known to be missing; ``Confirm`` where it is only not listed."""
    return "Confirm" if getattr(h, "status", "hire") == "confirm" else "Hire"


def hires_note(ctx: Context) -> str:
    """Why the summary names fewer than three hires, when it does."""
    n = len(ctx.a.hiring_plan)
    if n >= 3:
        return ""
    nxt = ctx.a.maturity.next_stage
    until = f"before the {human(nxt)} stage" if nxt else "at this stage"
    if n == 0:
        return f"No hire is due {until}: every role the stage calls for is covered."
    return (
        f"Only {count(n, 'hire')} {'is' if n == 1 else 'are'} due now: the framework adds people in order, so "
        f"the hires that lead {until} follow once these are made."
    )


def pick_note(ctx: Context) -> str:
    """Why the pick is not a quick win when the value/cost matrix says quick wins come first."""
    po = ctx.a.portfolio
    ranked = {r.initiative: r for r in po.ranking}
    pick = ranked.get(po.first_project or "")
    if pick is None or pick.quadrant in ("quick_win", "unplaced"):
        return ""
    wins = [r for r in po.ranking if r.quadrant == "quick_win"]
    where = article(human(pick.quadrant).rstrip("s"))
    name = initiative_name(ctx, pick.initiative)
    if not wins:
        return f"{name} is {where}; no initiative is a quick win, so it leads on the first-project criteria."
    best = wins[0]
    return (
        f"{name} is {where} although the matrix puts quick wins first: it scores {pick.score} points on the "
        f"criteria above, against {best.score} for {initiative_name(ctx, best.initiative)}, the best quick win."
    )


def initiative_name(ctx: Context, ident: str) -> str:
    """An initiative's title as the portfolio analysis recorded it, else the spec's, else its id."""
    return ctx.titles.get(ident) or ctx.name("initiative", ident)


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
        blocks.append(team_map_figure(ctx.index))
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


def team_map_figure(index: SpecIndex) -> Figure:
    m = team_map.build(index)
    unit = "unit" if m.folded else "team"
    rows = tuple(
        (
            n.name,
            str(n.headcount),
            str(n.ml),
            str(n.teams),
            "none: ML silo" if n.ml_silo else ("none" if n.siloed else "yes"),
        )
        for n in m.nodes
    )
    note = f"{count(m.total_teams, 'team')} and {count(m.total_forums, 'forum')} in the spec."
    if m.folded_at_depth is not None:
        note += f" Teams below level {m.folded_at_depth} are folded into their ancestor."
    if m.hidden_forums:
        note += f" {count(m.hidden_forums, 'forum')} linking fewer units not drawn."
    return Figure(
        charts.team_map(m),
        f"Each circle is a {unit}, sized by headcount; orange is the share of ML staff; lines meet at the forums "
        "teams share. Dashed outlines share no forum with anyone: a red one holds ML staff cut off from the rest.",
        Table(
            "Data behind the team map",
            (unit.capitalize(), "People", "ML staff", "Teams", "Shares a forum"),
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
    if cu.hidden_teams and len(visible) == len(rows):
        blocks.append(Note(f"{count(cu.hidden_teams, 'team')} with too few respondents not shown (privacy floor)."))
    if len(visible) < len(rows):
        blocks.append(Note(f"{count(len(rows) - len(visible), 'team')} with fewer than {floor} respondents not shown."))
    if cu.evidence:
        blocks.append(Bullets("Evidence", evidence_items(cu.evidence)))
    return Section("culture", "Culture", ("rml-ch13",), tuple(blocks), ctx.findings("culture"))


def team_culture(ctx: Context) -> list[charts.TeamCulture]:
    """Per-team Westrum results (from the spec's summary today; the survey app may supply them later)."""
    if ctx.spec is None or ctx.spec.culture.westrum is None or not ctx.spec.culture.westrum.teams:
        return []
    return [
        charts.TeamCulture(ctx.name("team", tid), w.mean, w.respondents, typology_of(w.mean, ctx.thresholds))
        for tid, w in sorted(ctx.spec.culture.westrum.teams.items())
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


def portfolio(ctx: Context) -> Section:
    po = ctx.a.portfolio
    first = po.first_project
    label = "First project" if po.mode == "first" else "Next project"
    facts = [(label, initiative_name(ctx, first) if first else "none chosen")]
    if po.runner_up:
        facts.append(("Runner-up", initiative_name(ctx, po.runner_up)))
    blocks: list[Block] = [Facts(tuple(facts))]
    if po.mode_reason:
        blocks.append(Note(po.mode_reason[:1].upper() + po.mode_reason[1:] + "."))
    if pick_note(ctx):
        blocks.append(Note(pick_note(ctx)))
    if first and po.reasons:
        blocks.append(Bullets(f"Why {initiative_name(ctx, first)}", po.reasons))
    points = matrix_points(ctx)
    if points:
        blocks.append(
            Figure(
                charts.value_cost_matrix(
                    points[:MATRIX_POINTS],
                    value_from=ctx.thresholds.portfolio_high_value_from,
                    cost_from=ctx.thresholds.portfolio_high_cost_from,
                ),
                f"Initiatives by expected value and cost (1 to 5); value {ctx.thresholds.portfolio_high_value_from} "
                f"or more is high, and so is cost {ctx.thresholds.portfolio_high_cost_from} or more. The large red "
                "dot is the pick."
                + (
                    f" Only the first {MATRIX_POINTS} ranked initiatives are placed."
                    if len(points) > MATRIX_POINTS
                    else ""
                ),
                Table(
                    "What each quadrant means",
                    ("Quadrant", "Meaning", "Initiatives"),
                    tuple(
                        (
                            q.name,
                            q.meaning,
                            capped_join([initiative_name(ctx, i) for i in q.initiatives[:LIST_CAP]], len(q.initiatives))
                            or "none",
                        )
                        for q in po.quadrants
                    ),
                )
                if po.quadrants
                else None,
            )
        )
    unplaced = [r for r in po.ranking if r.value is None or r.cost is None]
    if unplaced:
        blocks.append(
            Note(
                f"{count(len(unplaced), 'initiative')} without a value or cost estimate, not on the matrix: "
                + capped_join([r.title or r.initiative for r in unplaced[:LIST_CAP]], len(unplaced))
                + "."
            )
        )
    if po.ranking:
        quadrant_names = {q.id: q.name for q in po.quadrants}
        more = more_note(len(po.ranking), ctx.limits.ranking, "").strip()
        shown = po.ranking[: ctx.limits.ranking]
        blocks.append(
            Table(
                "Ranking",
                ("#", "Initiative", "Points", "Quadrant", "Value", "Cost", "Not stated"),
                tuple(
                    (
                        str(r.rank or i),
                        r.title or ctx.name("initiative", r.initiative),
                        str(r.score),
                        quadrant_names.get(r.quadrant, human(r.quadrant)),
                        fmt_score(r.value),
                        fmt_score(r.cost),
                        ", ".join(human(u) for u in r.unknown),
                    )
                    for i, r in enumerate(shown, 1)
                ),
                more,
            )
        )
        columns = shown[:CRITERIA_COLUMNS]
        criteria = [c.criterion for c in columns[0].criteria]
        if criteria:
            cells = [criterion_cells(r.criteria, criteria) for r in columns]
            blocks.append(
                Table(
                    "Points per criterion",
                    ("Criterion", *(f"{r.rank or i}. {r.title or r.initiative}" for i, r in enumerate(columns, 1))),
                    tuple((human(c), *(col[k] for col in cells)) for k, c in enumerate(criteria)),
                    "Each criterion gives -2 to +2 points; ? means the spec does not say, which counts as 0."
                    + (
                        f" Only the {CRITERIA_COLUMNS} best-ranked initiatives are shown."
                        if len(po.ranking) > CRITERIA_COLUMNS
                        else ""
                    ),
                )
            )
    else:
        blocks.append(Note("No open initiative to rank: list candidate ML projects under `initiatives`."))
    for j in po.judged:
        verdict = (
            "fits the first-project bar"
            if j.fits
            else (
                "misses it on " + ", ".join(human(f) for f in j.failed)
                if j.fits is False
                else "cannot be fully judged: the spec leaves some criteria open"
            )
        )
        blocks.append(
            Bullets(
                f"Chosen first project {initiative_name(ctx, j.initiative)}: {verdict}",
                tuple(f"{in_place(c.ok)}: {human(c.criterion)}, {c.reason}" for c in j.checks),
            )
        )
    if po.not_ranked:
        blocks.append(
            Note(
                "Not ranked (shipped or dropped): "
                + capped_join([initiative_name(ctx, i) for i in po.not_ranked[:LIST_CAP]], len(po.not_ranked))
                + "."
            )
        )
    return Section(
        "portfolio",
        "Portfolio and " + label.lower(),
        ("georgian-maturity", "rml-ch13"),
        tuple(blocks),
        ctx.findings("portfolio"),
    )


def criterion_cells(scores: Sequence[CriterionScore], criteria: Sequence[str]) -> tuple[str, ...]:
    by_name = {c.criterion: c for c in scores}
    out = []
    for name in criteria:
        c = by_name.get(name)
        out.append("" if c is None else (f"{c.points:+d}" if c.known else "?"))
    return tuple(out)


def capped_join(items: Sequence[str], total: int) -> str:
    out = ", ".join(items)
    return out + (f" and {total - len(items)} more" if total > len(items) else "")


def matrix_points(ctx: Context) -> list[charts.MatrixPoint]:
    """Ranked initiatives with both value and cost, in ranking order, the pick marked."""
    po = ctx.a.portfolio
    return [
        charts.MatrixPoint(
            r.initiative,
            r.title or ctx.name("initiative", r.initiative),
            float(r.value),
            float(r.cost),
            r.initiative == po.first_project,
            human(r.quadrant),
        )
        for r in po.ranking
        if r.value is not None and r.cost is not None
    ]


def data_readiness(ctx: Context) -> Section:
    d = ctx.a.data_readiness
    groups = ctx.findings("data_readiness")
    if not d.features and not d.models:
        return Section(
            "data_readiness",
            "Data readiness",
            ("tecton-embedded", "rml-ch13"),
            (Note("The spec lists no features or models to check."),),
            groups,
        )
    n = d.counts
    blocks: list[Block] = [
        Facts(
            (
                ("Features", str(n.get("features", len(d.features)))),
                ("Not in production", str(n.get("unavailable", 0))),
                ("Too stale", str(n.get("stale", 0))),
                ("Not computable at serving time", str(n.get("infeasible", 0))),
                ("From a team the model's team never meets", str(n.get("uncoordinated", 0))),
                ("Models whose inputs are ready", f"{n.get('models_ready', 0)} of {n.get('models', len(d.models))}"),
            )
        ),
        Note(
            "Declared business constraints: "
            + (
                "not stated (`strategy.business_constraints`)."
                if d.declared_constraints is None
                else (", ".join(d.declared_constraints) or "none") + "."
            )
        ),
    ]
    if d.models:
        models = flagged_first(d.models, model_flagged)
        blocks.append(
            Table(
                "Models",
                (
                    "Model",
                    "Inputs servable",
                    "Not in production",
                    "Too stale",
                    "Unbounded",
                    "Uncoordinated",
                    "Can single out a person",
                    "Constraints missing",
                ),
                tuple(
                    (
                        ctx.name("model", m.model),
                        in_place(m.ready),
                        listed(m.unavailable),
                        listed(m.stale),
                        listed(m.infeasible),
                        listed(m.uncoordinated),
                        singles_out(m.singles_out, m.quasi_identifiers + m.identifying),
                        constraints_cell(m),
                    )
                    for m in models[: ctx.limits.rows]
                ),
                more_note(len(models), ctx.limits.rows, "Models with a problem come first."),
            )
        )
    if d.features:
        features = flagged_first(d.features, feature_flagged)
        blocks.append(
            Table(
                "Features",
                ("Feature", "Owner", "Used by", "In production", "Fresh enough", "Servable", "Not told", "Instead"),
                tuple(
                    (
                        ctx.name("feature", f.feature),
                        ctx.name("team", f.owner) if f.owner else "unknown",
                        ", ".join(f.used_by[:LIST_CAP])
                        + (f" and {len(f.used_by) - LIST_CAP} more" if len(f.used_by) > LIST_CAP else ""),
                        in_place(f.available),
                        in_place(f.fresh_enough),
                        in_place(f.serving_feasible),
                        ", ".join(ctx.name("team", t) for t in f.uncoordinated_teams),
                        f.alternative or "",
                    )
                    for f in features[: ctx.limits.rows]
                ),
                more_note(
                    len(features),
                    ctx.limits.rows,
                    "Features with a problem come first. \u201cNot told\u201d lists teams using the feature that "
                    "share no forum with its owner, so changes upstream reach them unannounced.",
                ),
            )
        )
    return Section("data_readiness", "Data readiness", ("tecton-embedded", "rml-ch13"), tuple(blocks), groups)


def model_flagged(m: ModelReadiness) -> bool:
    return m.ready is False or bool(m.uncoordinated or m.constraints_missing) or m.singles_out is True


def feature_flagged(f: FeatureReadiness) -> bool:
    return False in (f.available, f.fresh_enough, f.serving_feasible) or bool(f.uncoordinated_models)


def flagged_first(items: Sequence[T], flagged: Callable[[T], bool]) -> list[T]:
    """Items with a problem first, each group in the analysis' order (a stable, linear partition)."""
    marks = [flagged(i) for i in items]
    return [i for i, m in zip(items, marks, strict=True) if m] + [i for i, m in zip(items, marks, strict=True) if not m]


def constraints_cell(m: ModelReadiness) -> str:
    """Missing constraints, or "unknown" when the model's features are not given (unknown is not none)."""
    if m.constraints_unknown:
        return f"unknown ({', '.join(m.constraints_unknown)}; features not given)"
    return listed(m.constraints_missing)


def listed(items: Sequence[str]) -> str:
    return ", ".join(items) or "none"


def more_note(total: int, limit: int, note: str) -> str:
    return note + (f" {total - limit:,} more not shown." if total > limit else "")


def singles_out(flag: bool | None, fields: Sequence[str]) -> str:
    if flag is None:
        return "unknown"
    return f"yes: {', '.join(fields)}" if flag else "no"


def model_ops(ctx: Context) -> Section:
    o = ctx.a.model_ops
    groups = ctx.findings("model_ops")
    if not o.models:
        return Section(
            "model_ops",
            "Model operations",
            ("tecton-embedded", "rml-ch13"),
            (Note("The spec lists no models."),),
            groups,
        )
    n = o.counts
    total = n.get("models", len(o.models))
    blocks: list[Block] = [
        Facts(
            (
                ("In production", f"{n.get('in_production', 0)} of {total}"),
                ("Handed off to a team that did not build them", str(n.get("handed_off", 0))),
                ("Watched for drift", str(n.get("watching_drift", 0))),
                ("With an escalation path", str(n.get("with_escalation", 0))),
                ("Judged on a product KPI", str(n.get("judged_on_product", 0))),
            )
        )
    ]
    models = flagged_first(o.models, ops_flagged)
    blocks.append(
        Table(
            "Models",
            ("Model", "Status", "Built by → run by", "Owner", "Monitoring", "Drift watched", "Escalates to", "KPI"),
            tuple(
                (
                    ctx.name("model", m.model),
                    m.status or "unknown",
                    built_and_run(ctx, m),
                    ctx.name("person", m.owner) if m.owner else ("nobody" if m.owner_declared_none else "unknown"),
                    (", ".join(m.monitoring) or "nothing") if m.monitoring is not None else "unknown",
                    in_place(m.watches_drift),
                    escalation(ctx, m),
                    KPI_LABELS.get(m.kpi or "", "unknown"),
                )
                for m in models[: ctx.limits.rows]
            ),
            more_note(len(models), ctx.limits.rows, "Models with a gap come first."),
        )
    )
    return Section("model_ops", "Model operations", ("tecton-embedded", "rml-ch13"), tuple(blocks), groups)


KPI_LABELS = {"business": "product and business KPIs", "model": "model metrics only", "none": "none"}


def ops_flagged(m: ModelOps) -> bool:
    return (
        m.handed_off is True
        or m.watches_drift is False
        or (m.escalation is None and m.status == "production")
        or (m.owner is None and m.status == "production")
    )


def built_and_run(ctx: Context, m: ModelOps) -> str:
    built = ctx.name("team", m.built_by) if m.built_by else "unknown"
    run = ctx.name("team", m.operated_by) if m.operated_by else "unknown"
    out = f"{built} → {run}"
    if m.handed_off:
        out += " (handed off"
        out += ", no ML skills there)" if m.running_team_ml_skills is False else ")"
    return out


def escalation(ctx: Context, m: ModelOps) -> str:
    if m.escalation is None:
        return "nobody" if m.escalation_declared_none else "unknown"
    name = ctx.name(m.escalation_kind or "team", m.escalation)
    return name + (" (no ML skills)" if m.escalation_ml_skills is False else "")


def change_plan(ctx: Context) -> Section:
    cp = ctx.a.change_plan
    blocks: list[Block] = []
    if cp.questions:
        blocks.append(
            Table(
                "Four questions to answer before starting",
                ("Question", "What the spec tells", "Not told"),
                tuple((q.question, "; ".join(q.answers), "; ".join(q.gaps)) for q in cp.questions),
            )
        )
    if cp.steps:
        facts = [("Duration", f"{cp.total_weeks} weeks" + ("" if cp.timescale_from_spec else " (a proposal)"))]
        if cp.communication is not None:
            facts.append(("Progress updates", f"every {cp.communication.cadence_days} days"))
        blocks.append(Facts(tuple(facts)))
        blocks.append(
            Figure(
                charts.change_timeline(
                    [
                        charts.TimelineStep(
                            s.order,
                            s.point,
                            first_sentence(s.change),
                            weeks_label(s.start_week, s.weeks),
                            s.start_week,
                            s.weeks,
                        )
                        for s in cp.steps
                    ],
                    total_weeks=cp.total_weeks,
                ),
                "The change, one Star Model point at a time, in the order to make it; each bar spans the step's "
                "weeks. The steps below say why, what to do and how to tell it is done.",
            )
        )
        blocks.append(
            Steps(
                tuple(
                    StepView(
                        s.order,
                        human(s.point),
                        weeks_label(s.start_week, s.weeks),
                        s.change,
                        s.why,
                        s.actions,
                        s.success_criteria,
                    )
                    for s in cp.steps
                )
            )
        )
    else:
        blocks.append(Note("No change plan steps."))
    if cp.communication is not None:
        blocks.append(Note(f"Communication: {cp.communication.note}."))
    blocks.extend(Note(n) for n in cp.notes)
    return Section("change_plan", "Change plan", ("rml-ch13",), tuple(blocks), ctx.findings("change_plan"))


def other(ctx: Context) -> Section | None:
    groups = ctx.findings("other")
    return Section("other", "Other findings", (), (), groups) if groups else None


def open_questions(ctx: Context) -> Section:
    qs = ctx.a.open_questions
    if not qs:
        return Section(
            "open_questions", "Open questions", (), (), (), "None: the spec answers every question the rules ask."
        )
    return Section(
        "open_questions",
        "Open questions",
        (),
        (
            Note("The spec does not say. Answering these settles the rules listed and raises the confidence."),
            Table(
                "",
                ("Spec field", "Question", "Settles"),
                tuple((f"`{q.path}`", q.question, ", ".join(q.settles)) for q in qs[: ctx.limits.rows]),
                more_note(len(qs), ctx.limits.rows, ""),
            ),
        ),
    )


SECTION_BUILDERS = (
    maturity,
    archetype,
    structure,
    culture,
    star_model,
    roles,
    portfolio,
    data_readiness,
    model_ops,
    change_plan,
)


def build_report(
    a: Assessment,
    spec: Organization | None,
    thresholds: Thresholds,
    extra: Sequence[Section] = (),
    limits: Limits = SCREEN,
) -> Report:
    """The whole report as view objects; ``limits`` bounds its lists (``PRINT`` for a PDF)."""
    from mlorg import __version__

    ctx = Context(a, spec, thresholds, limits)
    sections = [b(ctx) for b in SECTION_BUILDERS]
    from mlorg.render.collaboration_view import collaboration

    observed = collaboration(ctx)
    if observed is not None:
        sections.append(observed)
    rest = other(ctx)
    if rest is not None:
        sections.append(rest)
    sections.append(open_questions(ctx))
    used = sorted({s for sec in sections for s in sec.sources} | {f.source for f in a.findings})
    return Report(
        title=f"ML organization assessment: {a.organization.name}",
        organization=a.organization.name,
        summary=summary(ctx),
        sections=tuple(sections),
        about=(
            ("Organization", a.organization.name),
            ("Headcount", str(a.organization.headcount)),
            ("Spec file", a.organization.spec_file or "not recorded"),
            ("Confidence", f"{round(a.confidence * 100)}%"),
            ("Schema version", a.schema_version),
            ("Produced by", f"mlorg {__version__}"),
        ),
        sources=tuple((s, SOURCE_TITLES.get(s, "")) for s in used),
        extra=tuple(extra),
        printed=limits.printed,
    )


def severity_table(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES)
