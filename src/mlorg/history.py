"""How an organization's assessment moved across snapshots: stage, findings by severity, Star scores.

Rows are read from the stored assessment JSON through the stable keys of DESIGN §6 only, so
snapshots taken by older versions stay readable after the assessment model grows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
STAR_POINTS = ("strategy", "structure", "processes", "rewards", "people")


@dataclass(frozen=True)
class HistoryRow:
    seq: int
    label: str | None
    taken: str  # ISO 8601 UTC, minutes precision: shown in history tables only
    organization: str
    stage: str | None
    findings: Mapping[str, int]
    star: Mapping[str, int | None]

    @property
    def name(self) -> str:
        return f"#{self.seq}" + (f" {self.label}" if self.label else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "label": self.label,
            "taken": self.taken,
            "organization": self.organization,
            "stage": self.stage,
            "findings": dict(self.findings),
            "star_model": dict(self.star),
        }


def get_path(data: Mapping[str, Any], *path: str) -> Any:
    """``data[path[0]][path[1]]...``, or None where the JSON of an older snapshot lacks a key."""
    cur: Any = data
    for key in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(key)
    return cur


def row_from(seq: int, label: str | None, taken: str, organization: str, data: Mapping[str, Any]) -> HistoryRow:
    counts = dict.fromkeys(SEVERITIES, 0)
    findings = data.get("findings")
    for f in findings if isinstance(findings, list) else ():
        sev = f.get("severity") if isinstance(f, Mapping) else None
        if sev in counts:
            counts[sev] += 1
    star: dict[str, int | None] = {}
    for point in STAR_POINTS:
        score = get_path(data, "star_model", point, "score")
        star[point] = score if isinstance(score, int) and not isinstance(score, bool) else None
    stage = get_path(data, "maturity", "stage")
    return HistoryRow(seq, label, taken, organization, stage if isinstance(stage, str) else None, counts, star)


def moves(rows: Sequence[HistoryRow]) -> list[str]:
    """Plain-language changes between the first and the last snapshot of one organization."""
    if len(rows) < 2:
        return []
    first, last = rows[0], rows[-1]
    out = []
    if first.stage != last.stage:
        out.append(f"stage {first.stage or 'unknown'} → {last.stage or 'unknown'}")
    for sev in SEVERITIES:
        a, b = first.findings.get(sev, 0), last.findings.get(sev, 0)
        if a != b:
            out.append(f"{sev} findings {a} → {b}")
    for point in STAR_POINTS:
        a2, b2 = first.star.get(point), last.star.get(point)
        if a2 != b2:
            out.append(f"{point} {a2 if a2 is not None else '?'} → {b2 if b2 is not None else '?'}")
    return out
