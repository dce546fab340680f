"""Maturity stage (georgian-maturity): a ladder read from all the evidence.

Each stage has entry checks; each check is met, unmet (evidence of "no") or unknown (the spec does
not say, or the list that would say is partial). The ladder reports three readings:

- ``proven``: the highest stage whose entry checks, and those of every stage below, are all met;
- ``possible``: the highest stage that no unmet check rules out (an unmet check blocks its stage and
  everything above it);
- ``stage``: the estimate, the highest stage up to ``possible`` whose entry checks are mostly met
  (``ladder_group_share``). Evidence of a higher stage implies a lower stage's groundwork, so an
  unknown check never stops the climb on its own; the unknowns that matter are listed with the
  spec field that would settle each (``to_settle``), and ``confidence`` says how much rests on them.

The tooling items of the scaling and advanced stages are read as one group each, not as separate
walls, and advanced tooling in place implies the scaling group. Unfinished checklist work from the
current and earlier stages stays on ``missing``, ahead of the next stage's entry checks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlorg import knowledge
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity_checks import CHECKS, Facts, Status
from mlorg.analyses.ml_staff import MAX_EVIDENCE, Placement
from mlorg.analyses.staff_view import StaffView, staff_views
from mlorg.knowledge import STAGE_ORDER, StageId
from mlorg.results import Evidence, Result

Stage = StageId


class CheckResult(Result):
    """One entry check or checklist item, and what the spec says about it."""

    id: str
    stage: Stage
    kind: Literal["entry", "checklist"]
    text: str
    status: Status
    evidence: tuple[Evidence, ...] = ()
    unknown_path: str | None = Field(None, description="The spec field that would settle an unknown check.")
    source: str


class SettleItem(Result):
    """An unknown that matters to the estimate, and the spec field that would settle it."""

    check: str
    stage: Stage
    text: str
    path: str


class MaturityResult(Result):
    stage: Stage = Field(description="The estimate: the highest stage the evidence supports.")
    proven: Stage = Field("getting_started", description="The highest stage every entry check of which is met.")
    possible: Stage = Field("advanced", description="The highest stage no evidence rules out.")
    to_settle: tuple[SettleItem, ...] = Field(
        default=(), description="Unknown entry checks between proven and possible, with what would settle each."
    )
    evidence: tuple[Evidence, ...] = ()
    next_stage: Stage | None = None
    missing: tuple[str, ...] = Field(default=(), description="Checklist still missing for the next stage.")
    confidence: float = 1.0
    rationale: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = Field(default=(), description="Every check considered, in ladder order.")
    unknown: tuple[str, ...] = Field(default=(), description="Spec fields that would settle the unknown checks.")
    staff_view: dict[str, StaffView] = Field(
        default_factory=dict,
        description="Staff survey agreement with each stage's evidence (empty without a survey).",
    )


# --- the ladder -----------------------------------------------------------------------------


def _run(f: Facts, stage: knowledge.Stage, kind: Literal["entry", "checklist"]) -> list[CheckResult]:
    out = []
    for check in stage.entry if kind == "entry" else stage.checklist:
        o = CHECKS[check.id](f)
        out.append(
            CheckResult(
                id=check.id,
                stage=stage.id,
                kind=kind,
                text=check.text,
                status=o.status,
                evidence=o.evidence[:MAX_EVIDENCE],
                unknown_path=o.unknown_path,
                source=check.source,
            )
        )
    return out


def _summary(stage: Stage, checks: list[CheckResult]) -> str:
    parts = [f"{c.id} {c.status}" for c in checks]
    return f"{stage}: " + ", ".join(parts) + "."


def _defining_met(checks: list[CheckResult], defining_ids: dict[str, bool]) -> bool:
    return any(c.status == "met" for c in checks if defining_ids.get(c.id))


#: A group of a lower stage that a met group of a higher stage implies (advanced tooling implies scaling's).
IMPLIES = {"scaling_tooling": "advanced_tooling"}


def _gate(checks: list[CheckResult], groups: dict[str, str], share: float, met_groups: set[str]) -> list[Status]:
    """One status per gate item: each ungrouped check, and each group judged as a whole."""
    out: list[Status] = []
    grouped: dict[str, list[Status]] = {}
    for c in checks:
        g = groups.get(c.id)
        if g is None:
            out.append(c.status)
        else:
            grouped.setdefault(g, []).append(c.status)
    for g, statuses in grouped.items():
        if IMPLIES.get(g) in met_groups or statuses.count("met") >= share * len(statuses):
            out.append("met")
            met_groups.add(g)
        elif statuses.count("unmet") > (1 - share) * len(statuses):
            out.append("unmet")
        else:
            out.append("unknown")
    return out


def ladder(
    entries: dict[Stage, list[CheckResult]],
    share: float,
    checklists: dict[Stage, list[CheckResult]] | None = None,
) -> tuple[int, int, int, dict[Stage, list[Status]]]:
    """(estimate, proven, possible) as indexes into the ladder, and each stage's gate statuses.

    A stage is supported when most of its gate items are met, or when its defining check is met
    and the groundwork the stage below asks for (its checklist) is not known to be missing:
    evidence of a higher stage implies the lower stage's groundwork unless the spec says otherwise.
    """
    ladder_ids = [s.id for s in knowledge.stages().stages]
    groups = {c.id: c.group for s in knowledge.stages().stages for c in s.entry if c.group}
    defining_ids = {c.id: c.defining for s in knowledge.stages().stages for c in s.entry}
    met_groups: set[str] = set()
    gates: dict[Stage, list[Status]] = {}
    for sid in reversed(ladder_ids):  # top down, so a met higher group can imply a lower one
        gates[sid] = _gate(entries[sid], groups, share, met_groups)
    proven = possible = estimate = 0
    proving = True
    for i, sid in enumerate(ladder_ids[1:], start=1):
        gate = gates[sid]
        if "unmet" in gate:
            break
        possible = i
        if proving and all(g == "met" for g in gate):
            proven = i
        else:
            proving = False
        defining = _defining_met(entries[sid], defining_ids)
        below = (checklists or {}).get(ladder_ids[i - 1], [])
        above = entries[ladder_ids[i + 1]] if i + 1 < len(ladder_ids) else []
        # the groundwork below counts as laid unless the spec says some of it is missing, and even
        # then when the defining evidence of the stage above shows the organization is past it
        groundwork = all(c.status != "unmet" for c in below) or _defining_met(above, defining_ids)
        if gate and ((defining and groundwork) or gate.count("met") >= share * len(gate)):
            estimate = i
    return estimate, proven, possible, gates


def analyze(ctx: AnalysisContext, staff: Placement | None = None) -> MaturityResult:
    """``staff`` lets the pipeline share one placement of ML staff between analyses."""
    f = Facts.gather(ctx, staff)
    stages = knowledge.stages().stages
    entries = {s.id: _run(f, s, "entry") for s in stages}
    checklists = {s.id: _run(f, s, "checklist") for s in stages}
    reached, proven, possible, gates = ladder(entries, ctx.thresholds.ladder_group_share, checklists)
    stage = stages[reached].id
    nxt = stages[reached + 1] if reached + 1 < len(stages) else None

    rationale = []
    if reached == 0:
        rationale.append("getting_started is the floor: every organization describing its ML effort is at least here.")
    for s in stages[1 : reached + 1]:
        verdict = "Proven" if STAGE_ORDER.index(s.id) <= proven else "Supported by most of the evidence"
        rationale.append(f"{verdict}: " + _summary(s.id, entries[s.id]))
    if reached > proven:
        rationale.append(
            f"Proven up to {stages[proven].id}; the estimate {stage} rests on the evidence of the stages above, "
            "which implies their groundwork: the unknowns below would settle it."
        )
    if possible > reached:
        rationale.append(f"Nothing rules out {stages[possible].id}; what is known does not yet support it.")
    if nxt is not None:
        blocked = "unmet" in gates[nxt.id]
        rationale.append(("Ruled out " if blocked else "Not yet ") + _summary(nxt.id, entries[nxt.id]))

    considered: list[CheckResult] = []
    for s in stages[: reached + 1]:
        considered.extend(entries[s.id])
        considered.extend(checklists[s.id])
    if nxt is not None:
        considered.extend(entries[nxt.id])
    to_settle = tuple(
        SettleItem(check=c.id, stage=c.stage, text=c.text, path=c.unknown_path)
        for s in stages[proven + 1 : possible + 1]
        for c in entries[s.id]
        if c.status == "unknown" and c.unknown_path
    )

    open_items = [c for c in considered if c.status != "met"]
    carried = [c for c in open_items if c.kind == "checklist" and c.stage != stage]
    if carried:
        rationale.append(
            "Work from earlier stages still open: " + ", ".join(f"{c.id} ({c.stage})" for c in carried) + "."
        )
    missing = tuple(c.text if c.status == "unmet" else f"{c.text} (unknown: {c.unknown_path})" for c in open_items)
    proved = [c for c in considered if c.status == "met" and STAGE_ORDER.index(c.stage) <= reached]
    evidence = tuple({(e.path, repr(e.value)): e for c in proved for e in c.evidence}.values())
    unknown = tuple(dict.fromkeys(c.unknown_path for c in considered if c.status == "unknown" and c.unknown_path))
    known = sum(1 for c in considered if c.status != "unknown")
    views = staff_views(ctx, "maturity.")
    if nxt is not None and nxt.id in views and views[nxt.id].agreement >= ctx.thresholds.survey_fact_agreement:
        rationale.append(
            f"Staff largely agree the organization already shows {nxt.id} evidence "
            f"({round(views[nxt.id].agreement * 100)}% agreement): check whether the spec is out of date."
        )
    if stage in views and views[stage].agreement <= 1 - ctx.thresholds.survey_fact_agreement:
        rationale.append(
            f"Staff largely disagree that the organization shows {stage} evidence "
            f"({round(views[stage].agreement * 100)}% agreement): the spec may be optimistic."
        )
    return MaturityResult(
        stage=stage,
        proven=stages[proven].id,
        possible=stages[possible].id,
        to_settle=to_settle,
        evidence=evidence,
        next_stage=nxt.id if nxt is not None else None,
        missing=missing,
        confidence=_confidence(known, len(considered), reached, proven),
        rationale=tuple(rationale),
        checks=tuple(considered),
        unknown=unknown,
        staff_view=dict(sorted(views.items(), key=lambda kv: STAGE_ORDER.index(kv[0]) if kv[0] in STAGE_ORDER else 99)),
    )


def _confidence(known: int, considered: int, reached: int, proven: int) -> float:
    """Share of the checks considered that the spec answers, lowered for each stage taken on inference."""
    base = known / considered if considered else 1.0
    return round(base * (0.85 ** (reached - proven)), 3)


__all__ = ["STAGE_ORDER", "CheckResult", "MaturityResult", "SettleItem", "Stage", "analyze", "ladder"]
