"""``mlorg history`` as text, Markdown or JSON, and the report's history section with its charts.

History is the one output that prints when snapshots were taken, so it is not byte-stable across
runs: a new snapshot changes it, by design.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pygal  # type: ignore[import-untyped]
from rich.console import Console
from rich.table import Table as RichTable

from mlorg.errors import UsageError
from mlorg.history import SEVERITIES, STAR_POINTS, HistoryRow, moves
from mlorg.render.charts import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SEVERITY_COLORS,
    VERMILLION,
    Chart,
    finish_pygal,
    pygal_chart,
)
from mlorg.render.escape import md, printable
from mlorg.render.report_blocks import STAGES, Block, Bullets, Figure, Note, Section, Table
from mlorg.render.svg import label
from mlorg.render.words import human

HEADERS = ("#", "label", "taken (UTC)", "organization", "stage", *SEVERITIES, *STAR_POINTS)


def _cells(r: HistoryRow) -> tuple[str, ...]:
    return (
        str(r.seq),
        r.label or "",
        r.taken,
        r.organization,
        human(r.stage),
        *(str(r.findings.get(s, 0)) for s in SEVERITIES),
        *("?" if r.star.get(p) is None else str(r.star.get(p)) for p in STAR_POINTS),
    )


def render(rows: Sequence[HistoryRow], format: str = "text") -> str:
    if format == "json":
        return json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False) + "\n"
    if format == "markdown":
        if not rows:
            return "No snapshots yet: run `mlorg snapshot SPEC`.\n"
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(md(c) for c in _cells(r)) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if format == "text":
        if not rows:
            return "No snapshots yet: run `mlorg snapshot SPEC`.\n"
        table = RichTable(box=None, header_style="bold", pad_edge=False)
        for h in HEADERS:
            table.add_column(h, no_wrap=True)
        for r in rows:
            table.add_row(*(printable(c) for c in _cells(r)))
        buf = io.StringIO()
        Console(file=buf, width=240, no_color=True, color_system=None, highlight=False, emoji=False).print(table)
        return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
    raise UsageError(f"unknown format '{format}'; choose text, json or markdown")


def section(rows: Sequence[HistoryRow], organization: str) -> Section:
    """The report's history section: how stage, findings and Star scores moved, as charts and a table."""
    if not rows:
        return Section(
            "history", "History", (), (Note(f"No snapshots of {organization} yet: run `mlorg snapshot SPEC`."),)
        )
    points = [HistoryPoint(r.name, r.stage, r.findings, r.star) for r in rows]
    blocks: list[Block] = []
    changes = moves(rows)
    if changes:
        blocks.append(Bullets(f"From {rows[0].name} to {rows[-1].name}", tuple(changes)))
    blocks += [
        Figure(history_stage(points, STAGES), "Stage at each snapshot."),
        Figure(history_findings(points), "Findings at each snapshot, by severity."),
        Figure(history_star(points), "Star Model scores at each snapshot (5 = supports the ML ambition)."),
        Table("Snapshots", HEADERS[:3] + HEADERS[4:], tuple(c[:3] + c[4:] for c in map(_cells, rows))),
    ]
    return Section("history", "History", (), tuple(blocks))


# --- charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPoint:
    label: str
    stage: str | None
    findings: Mapping[str, int]
    star: Mapping[str, int | None]


def history_stage(points: Sequence[HistoryPoint], stages: Sequence[str], *, slug: str = "history-stage") -> Chart:
    chart = pygal_chart(
        pygal.Line,
        slug,
        [BLUE],
        width=640,
        height=300,
        show_legend=False,
        dots_size=5,
        range=(0, len(stages) - 1),
        x_label_rotation=20,
    )
    chart.y_labels = [{"label": s.replace("_", " "), "value": i} for i, s in enumerate(stages)]
    chart.x_labels = [label(p.label, 24) for p in points]
    chart.add("stage", [stages.index(p.stage) if p.stage in stages else None for p in points])
    desc = "; ".join(f"{label(p.label)}: {p.stage or 'unknown'}" for p in points)
    return finish_pygal(chart, slug, "Maturity stage over time", desc)


def history_findings(points: Sequence[HistoryPoint], *, slug: str = "history-findings") -> Chart:
    chart = pygal_chart(
        pygal.StackedBar,
        slug,
        list(SEVERITY_COLORS.values()),
        width=640,
        height=320,
        legend_at_bottom=True,
        x_label_rotation=20,
    )
    chart.x_labels = [label(p.label, 24) for p in points]
    for sev in SEVERITY_COLORS:
        chart.add(sev, [p.findings.get(sev, 0) for p in points])
    desc = "; ".join(
        f"{label(p.label)}: " + ", ".join(f"{sev} {p.findings.get(sev, 0)}" for sev in SEVERITY_COLORS) for p in points
    )
    return finish_pygal(chart, slug, "Findings by severity over time", desc)


def history_star(points: Sequence[HistoryPoint], *, slug: str = "history-star") -> Chart:
    chart = pygal_chart(
        pygal.Line,
        slug,
        [BLUE, ORANGE, GREEN, VERMILLION, PURPLE],
        width=640,
        height=320,
        range=(1, 5),
        legend_at_bottom=True,
        x_label_rotation=20,
        dots_size=4,
    )
    chart.x_labels = [label(p.label, 24) for p in points]
    for point in STAR_POINTS:
        chart.add(point, [p.star.get(point) for p in points])
    desc = "; ".join(f"{label(p.label)}: " + ", ".join(f"{s} {p.star.get(s)}" for s in STAR_POINTS) for p in points)
    return finish_pygal(chart, slug, "Star Model scores over time", desc)
