"""``mlorg history`` as text, Markdown or JSON, and the report's history section with its charts.

History is the one output that prints when snapshots were taken, so it is not byte-stable across
runs: a new snapshot changes it, by design.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table as RichTable

from mlorg.errors import UsageError
from mlorg.history import SEVERITIES, STAR_POINTS, HistoryRow, moves
from mlorg.render import charts
from mlorg.render.escape import md, printable
from mlorg.render.report_view import STAGES, Block, Bullets, Figure, Note, Section, Table
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
    points = [charts.HistoryPoint(r.name, r.stage, r.findings, r.star) for r in rows]
    blocks: list[Block] = []
    changes = moves(rows)
    if changes:
        blocks.append(Bullets(f"From {rows[0].name} to {rows[-1].name}", tuple(changes)))
    blocks += [
        Figure(charts.history_stage(points, STAGES), "Stage at each snapshot."),
        Figure(charts.history_findings(points), "Findings at each snapshot, by severity."),
        Figure(charts.history_star(points), "Star Model scores at each snapshot (5 = supports the ML ambition)."),
        Table("Snapshots", HEADERS[:3] + HEADERS[4:], tuple(c[:3] + c[4:] for c in map(_cells, rows))),
    ]
    return Section("history", "History", (), tuple(blocks))
