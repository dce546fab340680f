"""Terminal output: one screen that answers where you stand and what to do next.

``--verbose`` appends the full Markdown report, rendered by rich.
"""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mlorg.assessment import Assessment
from mlorg.render.escape import printable

STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
TOP_FINDINGS = 5


def render(assessment: Assessment, *, verbose: bool = False, color: bool = False, width: int = 100) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    console.print(summary(assessment))
    if verbose:
        from mlorg.render import markdown

        console.print(Markdown(markdown.render(assessment)))
    out = buf.getvalue()
    if not color:  # rich pads table cells; trailing blanks only add noise to files and diffs
        out = "\n".join(line.rstrip() for line in out.split("\n"))
    return out


def summary(a: Assessment) -> Group:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("Stage", f"{a.maturity.stage} (next: {a.maturity.next_stage or 'none'})")
    head.add_row("Archetype", a.archetype.id)
    head.add_row("Structure", f"{a.structure.current} -> recommended {a.structure.recommended}")
    head.add_row("Culture", a.culture.typology or "unknown (no survey data)")
    head.add_row("Confidence", f"{round(a.confidence * 100)}% ({len(a.open_questions)} open questions)")
    parts: list[Panel | Table | Text] = [
        Panel(head, title=Text(printable(f"mlorg: {a.organization.name}")), title_align="left")
    ]

    counts = {s: 0 for s in STYLE}
    for f in a.findings:
        counts[f.severity] += 1
    found = Text(f"Findings: {len(a.findings)}")
    for sev, n in counts.items():
        if n:
            found.append("  ")
            found.append(f"{sev} {n}", style=STYLE[sev])
    parts.append(found)
    if a.findings:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for f in a.findings[:TOP_FINDINGS]:
            what = Text(f.rule, style="bold")
            what.append(f"  {printable(f.subject)}", style="dim")
            what.append("\n" + printable(f.message))
            table.add_row(Text(f" {f.severity:<8}", style=STYLE[f.severity]), what)
        parts.append(table)

    lines = [
        *project_lines(a),
        *(f"- {h.status.capitalize()}: {h.role}: {first_sentence(h.reason)}" for h in a.hiring_plan[:3]),
    ]
    lines += change_lines(a)
    if len(a.findings) > TOP_FINDINGS:
        lines.append(f"- {len(a.findings) - TOP_FINDINGS} more findings: run with --verbose")
    parts.append(Text("Next steps", style="bold"))
    steps = Table.grid(padding=(0, 1))
    steps.add_column(no_wrap=True)
    steps.add_column(overflow="fold")
    for line in lines:  # a hanging indent: wrapped text stays right of the bullet
        bullet, _, rest = line.partition(" ")
        text = Text(printable(rest if bullet == "-" else line.strip()))  # Text, never markup: user words inside
        steps.add_row(bullet if bullet == "-" else " ", text)
    parts.append(steps)
    return Group(*parts)


def project_lines(a: Assessment) -> list[str]:
    """The first (or next) project with its strongest reasons, and the runner-up."""
    p = a.portfolio
    if not p.first_project:
        return []
    label = "First project" if p.mode == "first" else "Next project"
    why = "; ".join(p.reasons[1:3])
    lines = [f"- {label}: {p.first_project}" + (f" ({why})" if why else "")]
    if p.runner_up:
        lines.append(f"  runner-up: {p.runner_up}")
    for j in p.judged:
        if j.failed:
            missed = ", ".join(j.failed).replace("_", " ")
            lines.append(f"- Chosen first project {j.initiative} misses the bar on: {missed}")
    return lines


def change_lines(a: Assessment) -> list[str]:
    """Where the change plan starts, how long it runs and how often to report progress."""
    plan = a.change_plan
    points = [s for s in plan.steps if s.point != "announce"]
    if not points:
        return []
    order = ", ".join(s.point for s in points)
    line = f"- Change plan: announce, then change {order}, one at a time, over {plan.total_weeks} weeks"
    if plan.communication is not None:
        line += f"; progress update every {plan.communication.cadence_days} days"
    return [line, f"  start with {points[0].point}: {first_sentence(points[0].change)}"]


def first_sentence(text: str) -> str:
    """The summary screen shows the gist; --verbose and the reports carry the whole reasoning."""
    head, sep, _ = text.partition(". ")
    return head + "." if sep else text
