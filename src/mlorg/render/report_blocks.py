"""The report's view objects (sections, tables, figures, notes) and the context section builders read.

Kept apart from the builders so that every renderer (HTML, Markdown, text, history, diff) can
import the shapes without importing the code that fills them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TypeVar, get_args

from mlorg.analyses.maturity import Stage
from mlorg.assessment import Assessment
from mlorg.render.charts import Chart
from mlorg.render.finding_groups import FindingGroup, QuestionGroup, group_findings, question_groups
from mlorg.render.words import article, human, number, value_text
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
    #: column widths in percent, set for print (a fixed table layout is many times faster to lay out)
    widths: tuple[int, ...] = ()


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
PRINT = Limits(subjects=15, rows=25, ranking=25, printed=True)
#: a printed table cell lists this many items of a list before it counts the rest ...
PRINT_CELL_ITEMS = 6
#: ... and holds at most this many characters: a row must fit on a page, so no cell may be a page long
PRINT_CELL_CHARS = 240


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
        self.patterns: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] = {}  # see group_findings
        self.by_section: dict[str, list[int]] = defaultdict(list)
        for i, finding in enumerate(a.findings):
            self.by_section[section_of(finding.rule)].append(i)

    @cached_property
    def questions(self) -> tuple[QuestionGroup, ...]:
        """The open questions as the report lists them, grouped once for the summary and the section."""
        return question_groups(self.a.open_questions)

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
            self.a.findings,
            self.by_section.get(section, ()),
            self.subject_name,
            self.limits.subjects,
            patterns=self.patterns,
        )

    @cached_property
    def risks(self) -> tuple[FindingGroup, ...]:
        """The most serious distinct risks, one per rule (the executive summary's list)."""
        everything = range(len(self.a.findings))
        return group_findings(self.a.findings, everything, self.subject_name, 0, top=TOP_RISKS, patterns=self.patterns)


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


def first_sentence(text: str) -> str:
    """The gist of a long reason; the section carries the whole of it."""
    head, sep, _ = text.partition(". ")
    return head + "." if sep else text


def weeks_label(start: int, weeks: int) -> str:
    """``start_week`` counts weeks already gone, so a step starting at 1 runs from week 2."""
    return f"week {start + 1}" if weeks <= 1 else f"weeks {start + 1}–{start + weeks}"


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
    roles, these = ("one role is", "this one is") if n == 1 else ("two roles are", "these are")
    return (
        f"Only {roles} due {until}: roles are added in the order the stage needs them, so the next ones "
        f"come once {these} filled or confirmed."
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
