"""Compare two assessments: today's organization against a proposed design, or two snapshots.

Pure functions over the assessment JSON's stable keys (DESIGN §6), so a stored snapshot from an
older version compares as well as a fresh assessment. When both sides come from spec files, the
team structure is compared too (teams added, removed, moved under another parent).
Findings are matched by rule and subject: a pair present before and not after is resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from mlorg.history import SEVERITIES, STAR_POINTS, get_path
from mlorg.results import SEVERITY_ORDER, Result
from mlorg.spec.models import Organization


class TeamInfo(Result):
    id: str
    name: str
    parent: str | None = None


class FindingKey(Result):
    rule: str
    subject: str
    severity: str
    message: str = ""


class Side(Result):
    """One side of a comparison, reduced to what a diff reads."""

    source: str = Field(description="Where it came from: a spec file or `snapshot #N (label)`.")
    organization: str
    stage: str | None = None
    archetype: str | None = None
    structure_current: str | None = None
    structure_recommended: str | None = None
    culture: str | None = None
    headcount: int | None = None
    roles: dict[str, tuple[int | None, str | None]] = Field(default_factory=dict)
    findings: tuple[FindingKey, ...] = ()
    star: dict[str, int | None] = Field(default_factory=dict)
    teams: tuple[TeamInfo, ...] | None = None


class ValueChange(Result):
    field: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


class RoleChange(Result):
    role: str
    before: int | None
    after: int | None
    before_status: str | None
    after_status: str | None


class StarChange(Result):
    point: str
    before: int | None
    after: int | None
    delta: int | None


class TeamChange(Result):
    id: str
    name: str
    change: Literal["added", "removed", "moved"]
    before_parent: str | None = None
    after_parent: str | None = None


class AssessmentDiff(Result):
    baseline: str
    target: str
    values: tuple[ValueChange, ...]
    star: tuple[StarChange, ...]
    roles: tuple[RoleChange, ...] = Field(description="Roles whose count or status differ.")
    findings_resolved: tuple[FindingKey, ...]
    findings_introduced: tuple[FindingKey, ...]
    findings_kept: int
    severity_before: dict[str, int]
    severity_after: dict[str, int]
    teams: tuple[TeamChange, ...] | None = Field(
        None, description="Team changes; null when a side is a snapshot (no spec stored)."
    )

    @property
    def unchanged(self) -> bool:
        return (
            not any(v.changed for v in self.values)
            and not any(s.delta for s in self.star)
            and not self.roles
            and not self.findings_resolved
            and not self.findings_introduced
            and not self.teams
        )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def side_from_json(data: Mapping[str, Any], source: str, spec: Organization | None = None) -> Side:
    """Read a side from assessment JSON (fresh or stored), plus the team structure when the spec is known."""
    roles: dict[str, tuple[int | None, str | None]] = {}
    coverage = get_path(data, "roles", "coverage")
    if isinstance(coverage, Mapping):
        for role, c in sorted(coverage.items()):
            roles[str(role)] = (_int(get_path(c, "count")), _str(get_path(c, "status")))
    findings = []
    for f in data.get("findings") or ():
        if isinstance(f, Mapping) and isinstance(f.get("rule"), str) and isinstance(f.get("subject"), str):
            findings.append(
                FindingKey(
                    rule=f["rule"],
                    subject=f["subject"],
                    severity=_str(f.get("severity")) or "info",
                    message=_str(f.get("message")) or "",
                )
            )
    teams = None
    if spec is not None:
        teams = tuple(TeamInfo(id=t.id, name=t.name or t.id, parent=t.parent) for t in spec.teams)
    return Side(
        source=source,
        organization=_str(get_path(data, "organization", "name")) or "unknown",
        stage=_str(get_path(data, "maturity", "stage")),
        archetype=_str(get_path(data, "archetype", "id")),
        structure_current=_str(get_path(data, "structure", "current")),
        structure_recommended=_str(get_path(data, "structure", "recommended")),
        culture=_str(get_path(data, "culture", "typology")),
        headcount=_int(get_path(data, "organization", "headcount")),
        roles=roles,
        findings=tuple(findings),
        star={p: _int(get_path(data, "star_model", p, "score")) for p in STAR_POINTS},
        teams=teams,
    )


def diff(base: Side, target: Side) -> AssessmentDiff:
    """What changed from ``base`` to ``target``; every list sorted, so output is deterministic."""
    values = (
        ValueChange(field="organization", before=base.organization, after=target.organization),
        ValueChange(field="headcount", before=_opt(base.headcount), after=_opt(target.headcount)),
        ValueChange(field="maturity stage", before=base.stage, after=target.stage),
        ValueChange(field="archetype", before=base.archetype, after=target.archetype),
        ValueChange(field="structure", before=base.structure_current, after=target.structure_current),
        ValueChange(
            field="recommended structure", before=base.structure_recommended, after=target.structure_recommended
        ),
        ValueChange(field="culture", before=base.culture, after=target.culture),
    )
    star = tuple(
        StarChange(
            point=p,
            before=base.star.get(p),
            after=target.star.get(p),
            delta=_delta(base.star.get(p), target.star.get(p)),
        )
        for p in STAR_POINTS
    )
    roles = []
    for role in sorted(set(base.roles) | set(target.roles)):
        b_count, b_status = base.roles.get(role, (None, None))
        a_count, a_status = target.roles.get(role, (None, None))
        if (b_count, b_status) != (a_count, a_status):
            roles.append(
                RoleChange(role=role, before=b_count, after=a_count, before_status=b_status, after_status=a_status)
            )
    before = {(f.rule, f.subject): f for f in base.findings}
    after = {(f.rule, f.subject): f for f in target.findings}
    return AssessmentDiff(
        baseline=base.source,
        target=target.source,
        values=values,
        star=star,
        roles=tuple(roles),
        findings_resolved=_sorted(f for k, f in before.items() if k not in after),
        findings_introduced=_sorted(f for k, f in after.items() if k not in before),
        findings_kept=len(before.keys() & after.keys()),
        severity_before=_counts(base.findings),
        severity_after=_counts(target.findings),
        teams=_team_changes(base.teams, target.teams),
    )


def _opt(x: int | None) -> str | None:
    return None if x is None else str(x)


def _delta(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else b - a


def _sorted(items: Any) -> tuple[FindingKey, ...]:
    return tuple(sorted(items, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.subject)))


def _counts(findings: tuple[FindingKey, ...]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        if f.severity in out:
            out[f.severity] += 1
    return out


def _team_changes(
    base: tuple[TeamInfo, ...] | None, target: tuple[TeamInfo, ...] | None
) -> tuple[TeamChange, ...] | None:
    if base is None or target is None:
        return None
    b = {t.id: t for t in base}
    a = {t.id: t for t in target}
    out = [TeamChange(id=t.id, name=t.name, change="added", after_parent=t.parent) for t in target if t.id not in b]
    out += [TeamChange(id=t.id, name=t.name, change="removed", before_parent=t.parent) for t in base if t.id not in a]
    out += [
        TeamChange(id=t.id, name=t.name, change="moved", before_parent=b[t.id].parent, after_parent=t.parent)
        for t in target
        if t.id in b and b[t.id].parent != t.parent
    ]
    return tuple(sorted(out, key=lambda c: (c.change, c.id)))
