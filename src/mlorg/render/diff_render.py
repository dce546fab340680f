"""``mlorg diff`` as text, Markdown, JSON or a self-contained HTML page (and a section for other pages)."""

from __future__ import annotations

from mlorg.diff import AssessmentDiff, FindingKey
from mlorg.errors import UsageError
from mlorg.history import SEVERITIES
from mlorg.render import charts
from mlorg.render.escape import md, printable
from mlorg.render.report_blocks import Block, Facts, Figure, Note, Section, Table
from mlorg.render.words import count, human

FORMATS = ("text", "markdown", "json", "html")


def render(d: AssessmentDiff, format: str = "text") -> str:
    if format == "json":
        return d.model_dump_json(indent=2) + "\n"
    if format == "text":
        return _text(d)
    if format == "markdown":
        return _markdown(d)
    if format == "html":
        from mlorg.render import html

        return html.render_page(f"Comparison: {d.baseline} → {d.target}", [section(d)])
    raise UsageError(f"unknown format '{format}'; choose one of: {', '.join(FORMATS)}")


def _num(x: int | None) -> str:
    return "?" if x is None else str(x)


def _signed(x: int | None) -> str:
    return "" if not x else f" ({x:+d})"


def _role(count: int | None, status: str | None) -> str:
    return "absent" if count is None and status is None else f"{_num(count)} ({human(status)})"


def _severity_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES)


def _lines(d: AssessmentDiff) -> list[tuple[str, list[str]]]:
    """The diff as (heading, lines), shared by text and Markdown."""
    out: list[tuple[str, list[str]]] = []
    changed = [f"{v.field}: {v.before or 'unknown'} → {v.after or 'unknown'}" for v in d.values if v.changed]
    out.append(("Changed", changed or ["nothing at the top level"]))
    out.append(("Star Model", [f"{s.point}: {_num(s.before)} → {_num(s.after)}{_signed(s.delta)}" for s in d.star]))
    out.append(
        (
            "Role coverage",
            [f"{r.role}: {_role(r.before, r.before_status)} → {_role(r.after, r.after_status)}" for r in d.roles]
            or ["no change"],
        )
    )
    out.append(
        (
            "Findings by severity",
            [f"before: {_severity_line(d.severity_before)}", f"after: {_severity_line(d.severity_after)}"],
        )
    )
    out.append((f"Findings resolved ({len(d.findings_resolved)})", [_finding(f) for f in d.findings_resolved]))
    out.append((f"Findings introduced ({len(d.findings_introduced)})", [_finding(f) for f in d.findings_introduced]))
    out.append((f"Findings in both ({d.findings_kept})", []))
    if d.teams is not None:
        out.append(
            (
                "Teams",
                [_team(t.change, t.name, t.id, t.before_parent, t.after_parent) for t in d.teams]
                or ["no team added, removed or moved"],
            )
        )
    return out


def _finding(f: FindingKey) -> str:
    return f"{f.severity} {f.rule} [{f.subject}] {f.message}".rstrip()


def _team(change: str, name: str, ident: str, before: str | None, after: str | None) -> str:
    if change == "added":
        return f"added {name} ({ident})" + (f" under {after}" if after else "")
    if change == "removed":
        return f"removed {name} ({ident})"
    return f"moved {name} ({ident}) from {before or 'top level'} to {after or 'top level'}"


def _text(d: AssessmentDiff) -> str:
    parts = [printable(f"mlorg diff: {d.baseline} → {d.target}")]
    for heading, lines in _lines(d):
        parts.append("")
        parts.append(heading)
        parts.extend(printable(f"  {line}") for line in lines)
    return "\n".join(parts) + "\n"


def _markdown(d: AssessmentDiff) -> str:
    parts = [f"# Comparison: {md(d.baseline)} → {md(d.target)}"]
    for heading, lines in _lines(d):
        parts.append(f"\n## {md(heading)}\n")
        parts.extend(f"- {md(line)}" for line in lines)
    return "\n".join(parts) + "\n"


def section(d: AssessmentDiff) -> Section:
    """The comparison as a report section (same blocks as the rest of the HTML report)."""
    blocks: list[Block] = [
        Facts((("Baseline", d.baseline), ("Target", d.target))),
        Table(
            "At a glance",
            ("", "Baseline", "Target"),
            tuple((v.field, v.before or "unknown", v.after or "unknown") for v in d.values),
        ),
        Figure(
            charts.star_radar(
                [("baseline", {s.point: s.before for s in d.star}), ("target", {s.point: s.after for s in d.star})],
                slug="diff-star",
            ),
            "Star Model scores of the baseline and the target.",
        ),
        Table(
            "Star Model",
            ("Point", "Baseline", "Target", "Change"),
            tuple((s.point, _num(s.before), _num(s.after), _signed(s.delta).strip(" ()") or "0") for s in d.star),
        ),
        Table(
            "Findings by severity",
            ("", *SEVERITIES),
            (
                ("baseline", *(str(d.severity_before.get(s, 0)) for s in SEVERITIES)),
                ("target", *(str(d.severity_after.get(s, 0)) for s in SEVERITIES)),
            ),
        ),
    ]
    if d.roles:
        blocks.append(
            Table(
                "Role coverage that changed",
                ("Role", "Baseline", "Target"),
                tuple(
                    (human(r.role), _role(r.before, r.before_status), _role(r.after, r.after_status)) for r in d.roles
                ),
            )
        )
    for title, items in (("Findings resolved", d.findings_resolved), ("Findings introduced", d.findings_introduced)):
        if items:
            blocks.append(
                Table(
                    f"{title} ({len(items)})",
                    ("Severity", "Rule", "Subject", "Message"),
                    tuple((f.severity, f.rule, f.subject, f.message) for f in items[:500]),
                    f"{len(items) - 500} more not shown." if len(items) > 500 else "",
                )
            )
        else:
            blocks.append(Note(f"{title}: none."))
    blocks.append(Note(f"{count(d.findings_kept, 'finding')} on both sides."))
    if d.teams:
        blocks.append(
            Table(
                "Teams",
                ("Change", "Team", "Baseline parent", "Target parent"),
                tuple((t.change, f"{t.name} ({t.id})", t.before_parent or "", t.after_parent or "") for t in d.teams),
            )
        )
    elif d.teams is None:
        blocks.append(Note("Team structure is compared only between two spec files (snapshots store no spec)."))
    return Section("diff", "Baseline against target", (), tuple(blocks))
