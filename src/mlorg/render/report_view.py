"""What the HTML report shows, section by section, as plain view objects for the templates.

Each analysis section has exactly one builder function here, and it is the only code that reads
that analysis' result fields: when a result model grows or renames a field, only its builder
changes. A section with nothing to show still renders, with a short note saying so.
Long lists are capped (findings per rule, table rows, chart points) so that the report of a
100,000-person organization stays a readable, bounded file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import get_args

from mlorg.analyses.culture import typology_of
from mlorg.analyses.maturity import Stage
from mlorg.assessment import Assessment
from mlorg.render import charts, team_map
from mlorg.render.charts import Chart
from mlorg.results import Finding
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization

STAGES: tuple[str, ...] = get_args(Stage)
SEVERITIES = ("critical", "high", "medium", "low", "info")
TOP_FINDINGS = 5
CARDS_PER_RULE = 10
ROWS_PER_TABLE = 200
RANKING_ROWS = 100
MATRIX_POINTS = 40

SOURCE_TITLES = {
    "rml-ch13": "Reliable Machine Learning, ch. 13: integrating ML into an organization",
    "fsdl-teams": "Full Stack Deep Learning: ML team structure and archetypes",
    "hasty-structures": "Centralized vs decentralized ML teams, by company stage",
    "tecton-embedded": "Why centralized ML teams fail; embedding ML in product teams",
    "georgian-maturity": "A five-stage ML maturity framework for building a team",
}

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
}
_SUBJECT_SECTION = {
    "team": "teams",
    "person": "people",
    "model": "models",
    "feature": "features",
    "initiative": "initiatives",
    "forum": "forums",
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


Block = Facts | Bullets | Table | Figure | Note


@dataclass(frozen=True)
class EvidenceView:
    path: str
    value: str
    note: str


@dataclass(frozen=True)
class FindingView:
    anchor: str
    rule: str
    severity: str
    subject: str
    subject_name: str
    message: str
    evidence: tuple[EvidenceView, ...]
    remedy: str
    source: str
    source_title: str
    location: str


@dataclass(frozen=True)
class FindingGroup:
    rule: str
    severity: str
    cards: tuple[FindingView, ...]
    rows: tuple[FindingView, ...]
    hidden: int

    @property
    def total(self) -> int:
        return len(self.cards) + len(self.rows) + self.hidden


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
    top_findings: tuple[FindingView, ...]
    project_label: str
    project: str
    project_reasons: tuple[str, ...]
    hires: tuple[tuple[str, str], ...]
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


# --- helpers ------------------------------------------------------------------------------------


def human(token: str | None) -> str:
    """``performance_oriented`` -> ``performance oriented``; None -> ``unknown``."""
    return token.replace("_", " ") if token else "unknown"


def fmt_value(value: object, limit: int = 200) -> str:
    """An evidence value as a leader reads it: ``not given`` for null, lists joined, long text cut."""
    if value is None:
        out = "not given"
    elif isinstance(value, bool):
        out = "yes" if value else "no"
    elif isinstance(value, list | tuple):
        out = ", ".join(fmt_value(v, limit) for v in value) or "none"
    elif isinstance(value, dict):
        out = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    elif isinstance(value, float):
        out = f"{value:g}"
    else:
        out = str(value)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def fmt_score(x: float | None) -> str:
    return "unknown" if x is None else f"{x:g}"


def in_place(flag: bool | None) -> str:
    return "unknown" if flag is None else ("yes" if flag else "no")


class Context:
    """Everything a section builder may read: the assessment, and the spec when there is one."""

    def __init__(self, a: Assessment, spec: Organization | None, thresholds: Thresholds) -> None:
        self.a = a
        self.spec = spec
        self.thresholds = thresholds
        self.index = SpecIndex(spec) if spec is not None else None
        self.views = tuple(self._finding_view(i, f) for i, f in enumerate(a.findings))
        self.by_section: dict[str, list[FindingView]] = defaultdict(list)
        for view, finding in zip(self.views, a.findings, strict=True):
            self.by_section[section_of(finding.rule)].append(view)

    def name(self, kind: str, ident: str) -> str:
        """Display name of a spec item (its ``name``/``title``), or its id."""
        if self.index is None:
            return ident
        item = getattr(self.index, _SUBJECT_SECTION.get(kind, ""), {}).get(ident)
        if item is None:
            return ident
        return str(getattr(item, "name", None) or getattr(item, "title", None) or ident)

    def subject_name(self, subject: str) -> str:
        kind, _, ident = subject.partition(":")
        if not ident:
            return self.a.organization.name if subject == "org" else subject
        return self.name(kind, ident)

    def _finding_view(self, i: int, f: Finding) -> FindingView:
        return FindingView(
            anchor=f"finding-{i + 1}",
            rule=f.rule,
            severity=f.severity,
            subject=f.subject,
            subject_name=self.subject_name(f.subject),
            message=f.message,
            evidence=tuple(EvidenceView(e.path, fmt_value(e.value), e.note or "") for e in f.evidence),
            remedy=f.remedy,
            source=f.source,
            source_title=SOURCE_TITLES.get(f.source, ""),
            location=f"{f.location.file}:{f.location.line}" if f.location else "",
        )

    def findings(self, section: str) -> tuple[FindingGroup, ...]:
        """The section's findings grouped by rule, most severe first; big groups cut to a bounded size."""
        groups: dict[str, list[FindingView]] = defaultdict(list)
        for v in self.by_section.get(section, ()):
            groups[v.rule].append(v)
        out = []
        for rule, views in groups.items():
            cards = tuple(views[:CARDS_PER_RULE])
            rows = tuple(views[CARDS_PER_RULE : CARDS_PER_RULE + ROWS_PER_TABLE])
            out.append(FindingGroup(rule, views[0].severity, cards, rows, len(views) - len(cards) - len(rows)))
        out.sort(key=lambda g: (SEVERITIES.index(g.severity), g.rule))
        return tuple(out)


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
        out.append(f"{path} = {fmt_value(value)}" + (f": {note}" if note else ""))
    return tuple(out)


# --- the executive summary ----------------------------------------------------------------------


def summary(ctx: Context) -> Summary:
    a = ctx.a
    counts = {s: 0 for s in SEVERITIES}
    for f in a.findings:
        counts[f.severity] += 1
    first = a.portfolio.first_project
    reasons: tuple[str, ...] = ()
    for r in a.portfolio.ranking:
        if r.initiative == first:
            reasons = r.reasons
    next_label = "First project"
    if ctx.spec is not None and any(i.status == "shipped" for i in ctx.spec.initiatives):
        next_label = "Next project"
    first_change = ""
    if a.change_plan.steps:
        step = a.change_plan.steps[0]
        first_change = f"{human(step.point)}: {step.change}"
    return Summary(
        headline=(
            (
                "Maturity stage",
                human(a.maturity.stage) + (f" (next: {human(a.maturity.next_stage)})" if a.maturity.next_stage else ""),
            ),
            ("Archetype", human(a.archetype.id)),
            ("Structure", f"{human(a.structure.current)} → recommended {human(a.structure.recommended)}"),
            ("Culture", human(a.culture.typology) if a.culture.typology else "unknown (no survey data)"),
            ("Confidence", f"{round(a.confidence * 100)}% ({len(a.open_questions)} open questions)"),
        ),
        severity_counts=tuple((s, counts[s]) for s in SEVERITIES),
        top_findings=ctx.views[:TOP_FINDINGS],
        project_label=next_label,
        project=ctx.name("initiative", first) if first else "",
        project_reasons=reasons,
        hires=tuple((human(h.role), h.reason) for h in a.hiring_plan[:3]),
        first_change=first_change,
    )


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
    if m.evidence:
        blocks.append(Bullets("What places the organization here", evidence_items(m.evidence)))
    if m.next_stage and m.missing:
        blocks.append(Bullets(f"Checklist for {human(m.next_stage)}", m.missing, checklist=True))
    return Section("maturity", "Maturity stage", ("georgian-maturity",), tuple(blocks), ctx.findings("maturity"))


def archetype(ctx: Context) -> Section:
    ar = ctx.a.archetype
    blocks: list[Block] = [
        Facts((("Archetype", human(ar.id)), ("Confidence", f"{round(ar.confidence * 100)}%"))),
    ]
    if ar.rationale:
        blocks.append(Bullets("Why", ar.rationale))
    if ar.dimensions:
        blocks.append(
            Table(
                "Design dimensions",
                ("Dimension", "Score", "Reading"),
                tuple((human(k), fmt_score(d.score), d.label) for k, d in ar.dimensions.items()),
            )
        )
    if ar.evidence:
        blocks.append(Bullets("Evidence", evidence_items(ar.evidence)))
    return Section("archetype", "Archetype", ("fsdl-teams",), tuple(blocks), ctx.findings("archetype"))


def structure(ctx: Context) -> Section:
    st = ctx.a.structure
    blocks: list[Block] = [Facts((("Today", human(st.current)), ("Recommended", human(st.recommended))))]
    if st.rationale:
        blocks.append(Bullets("Why this structure", st.rationale))
    if st.weak_points:
        blocks.append(Bullets(f"Known weak points of a {human(st.recommended)} structure", st.weak_points))
    if st.mitigations:
        blocks.append(
            Table(
                "Mitigations",
                ("Mitigation", "In place"),
                tuple((mi.text, in_place(mi.in_place)) for mi in st.mitigations),
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
    note = f"{m.total_teams} team(s) and {m.total_forums} forum(s) in the spec."
    if m.folded_at_depth is not None:
        note += f" Teams below level {m.folded_at_depth} are folded into their ancestor."
    if m.hidden_forums:
        note += f" {m.hidden_forums} forum(s) linking fewer units are not drawn."
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
    if len(visible) < len(rows):
        blocks.append(Note(f"{len(rows) - len(visible)} team(s) had fewer than {floor} respondents and are not shown."))
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
    blocks: list[Block] = [
        Figure(
            charts.star_radar([("score", {p: s.score for p, s in points.items()})]),
            "How well each point of the Star Model supports the stated ML ambition (5 = fully).",
        ),
        Table(
            "Scores",
            ("Point", "Score (1-5)", "Notes"),
            tuple((p, str(s.score), "; ".join(s.notes)) for p, s in points.items()),
        ),
    ]
    if sm.misalignments:
        blocks.append(
            Bullets(
                "Misalignments between points",
                tuple(f"{' vs '.join(m.points)} (gap {m.gap}): {m.message}" for m in sm.misalignments),
            )
        )
    return Section("star_model", "Star Model alignment", ("rml-ch13",), tuple(blocks), ctx.findings("star_model"))


def roles(ctx: Context) -> Section:
    ro = ctx.a.roles
    stage = ctx.a.maturity.stage
    blocks: list[Block] = []
    if ro.coverage:
        bars = [charts.RoleBar(role, c.count, c.status) for role, c in ro.coverage.items()]
        blocks.append(
            Figure(
                charts.role_coverage(bars, stage),
                f"People in each role at the {human(stage)} stage: green covered, red a gap, grey not needed yet, "
                "blue any other status.",
            )
        )
        blocks.append(
            Table(
                "Role coverage",
                ("Role", "People", "Status"),
                tuple((human(r), str(c.count), human(c.status)) for r, c in ro.coverage.items()),
            )
        )
    else:
        blocks.append(Note("Role coverage is not available for this assessment."))
    if ctx.a.hiring_plan:
        blocks.append(
            Table(
                "Hiring plan, in order",
                ("#", "Role", "Why", "Experienced hire?", "Sourcing"),
                tuple(
                    (
                        str(i),
                        human(h.role),
                        h.reason,
                        "yes" if h.experienced else "can learn on the job",
                        "; ".join(h.sourcing),
                    )
                    for i, h in enumerate(ctx.a.hiring_plan, 1)
                ),
            )
        )
    else:
        blocks.append(Note("No hire proposed."))
    return Section("roles", "Roles and hiring", ("rml-ch13", "georgian-maturity"), tuple(blocks), ctx.findings("roles"))


def portfolio(ctx: Context) -> Section:
    po = ctx.a.portfolio
    first = po.first_project
    blocks: list[Block] = [Facts((("First project", ctx.name("initiative", first) if first else "none chosen"),))]
    points = matrix_points(ctx)
    if points:
        blocks.append(
            Figure(
                charts.value_cost_matrix(points[:MATRIX_POINTS]),
                "Initiatives by expected cost and value; the dashed lines split the four quadrants; the large red "
                "dot is the first project."
                + (
                    f" Only the first {MATRIX_POINTS} ranked initiatives are placed."
                    if len(points) > MATRIX_POINTS
                    else ""
                ),
            )
        )
    if po.ranking:
        blocks.append(
            Table(
                "Ranking",
                ("#", "Initiative", "Score", "Quadrant", "Reasons"),
                tuple(
                    (str(i), ctx.name("initiative", r.initiative), fmt_score(r.score), r.quadrant, "; ".join(r.reasons))
                    for i, r in enumerate(po.ranking[:RANKING_ROWS], 1)
                ),
                f"{len(po.ranking) - RANKING_ROWS} more not shown." if len(po.ranking) > RANKING_ROWS else "",
            )
        )
    else:
        blocks.append(Note("No ranking of initiatives is available."))
    return Section(
        "portfolio",
        "Portfolio and first project",
        ("georgian-maturity", "rml-ch13"),
        tuple(blocks),
        ctx.findings("portfolio"),
    )


def matrix_points(ctx: Context) -> list[charts.MatrixPoint]:
    """Initiatives with both value and cost, in ranking order (ranked ones first), first project marked."""
    if ctx.spec is None:
        return []
    rank = {r.initiative: i for i, r in enumerate(ctx.a.portfolio.ranking)}
    known = [i for i in ctx.spec.initiatives if i.value is not None and i.cost is not None]
    known.sort(key=lambda i: (rank.get(i.id, len(rank)), i.id))
    return [
        charts.MatrixPoint(
            i.id, i.title or i.id, float(i.value or 0), float(i.cost or 0), i.id == ctx.a.portfolio.first_project
        )
        for i in known
    ]


def data_readiness(ctx: Context) -> Section:
    groups = ctx.findings("data_readiness")
    return Section(
        "data_readiness",
        "Data readiness",
        ("tecton-embedded", "rml-ch13"),
        (),
        groups,
        "" if groups else "No data-readiness finding: features are available, fresh and safe as far as the spec says.",
    )


def model_ops(ctx: Context) -> Section:
    groups = ctx.findings("model_ops")
    return Section(
        "model_ops", "Model operations", ("rml-ch13",), (), groups, "" if groups else "No model-operations finding."
    )


def change_plan(ctx: Context) -> Section:
    steps = ctx.a.change_plan.steps
    blocks: list[Block] = []
    if steps:
        blocks.append(
            Figure(
                charts.change_timeline([charts.TimelineStep(s.order, s.point, s.change) for s in steps]),
                "The change, one Star Model point at a time, in the order to make it.",
            )
        )
    else:
        blocks.append(Note("No change plan steps."))
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
                tuple((q.path, q.question, ", ".join(q.settles)) for q in qs[:ROWS_PER_TABLE]),
                f"{len(qs) - ROWS_PER_TABLE} more not shown." if len(qs) > ROWS_PER_TABLE else "",
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
    a: Assessment, spec: Organization | None, thresholds: Thresholds, extra: Sequence[Section] = ()
) -> Report:
    from mlorg import __version__

    ctx = Context(a, spec, thresholds)
    sections = [b(ctx) for b in SECTION_BUILDERS]
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
    )


def severity_table(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES)
