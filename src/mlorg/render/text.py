"""Terminal output: one screen that answers where you stand and what to do next.

The width follows the terminal (80 columns read well; wide terminals use the room). Findings are
grouped by rule: the summary shows the most serious distinct risks, ``--verbose`` adds every section
of the report and every subject of every rule. Text comes from the same view objects as the HTML
report and passes through :func:`~mlorg.render.words.humanize`; it is always rich ``Text``, never
markup, so names from the spec cannot style or break the screen.
"""

from __future__ import annotations

import io
import shutil

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from mlorg.assessment import Assessment
from mlorg.render.escape import printable
from mlorg.render.finding_groups import FindingGroup
from mlorg.render.report_blocks import Block, Bullets, Facts, Figure, Limits, Note, Section, Steps, Summary, Table
from mlorg.render.report_view import build_report, build_summary
from mlorg.render.words import count, humanize
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization

STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
TOP_RISKS = 5
MIN_WIDTH, MAX_WIDTH = 60, 160
# A terminal can scroll through every subject of a rule, but a table of thousands of rows helps nobody.
TERMINAL = Limits(subjects=1_000_000, rows=30, ranking=20)


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` when set), within bounds that keep lines readable; 100 for files."""
    cols = shutil.get_terminal_size((100, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, cols))


def render(
    assessment: Assessment,
    *,
    verbose: bool = False,
    color: bool = False,
    width: int | None = None,
    spec: Organization | None = None,
    thresholds: Thresholds | None = None,
) -> str:
    from mlorg.render.html import _thresholds

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or terminal_width(),
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    th = thresholds or _thresholds(spec)
    # every rule with findings is one group in exactly one section
    rules = len({f.rule for f in assessment.findings})
    if not verbose:  # one screen: the summary, without building the sections it does not show
        console.print(summary(assessment.organization.name, build_summary(assessment, spec, th, TERMINAL), rules))
    else:
        report = build_report(assessment, spec, th, limits=TERMINAL)
        console.print(summary(report.organization, report.summary, rules, verbose=True))
        for s in (*report.sections, *report.extra):
            console.print(section(s, console.width))
    out = buf.getvalue()
    if not color:  # rich pads table cells; trailing blanks only add noise to files and diffs
        out = "\n".join(line.rstrip() for line in out.split("\n"))
    return out


def words(text: object, style: str = "") -> Text:
    """Leader-facing text as inert rich Text."""
    return Text(printable(humanize(str(text))), style=style)


def hanging(rows: list[tuple[str, Text]], style: str = "") -> RichTable:
    """Rows of (bullet, text) where wrapped lines stay right of the bullet."""
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(overflow="fold")
    for bullet, text in rows:
        grid.add_row(bullet, text)
    return grid


def summary(organization: str, s: Summary, rules: int, *, verbose: bool = False) -> Group:
    """The one-screen summary; ``rules``: how many rules have findings."""
    head = RichTable.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    for k, v in s.headline:
        head.add_row(k, words(v))
    parts: list[RenderableType] = [Panel(head, title=words(f"mlorg: {organization}"), title_align="left")]

    total = sum(n for _, n in s.severity_counts)
    found = Text(f"Findings: {total:,}" + (f" from {count(rules, 'rule')}" if rules else ""))
    for sev, n in s.severity_counts:
        if n:
            found.append("  ")
            found.append(f"{sev} {n:,}", style=STYLE[sev])
    parts.append(found)
    if s.risks:
        parts.append(risk_table(s.risks))

    steps: list[tuple[str, Text]] = []
    if s.project:
        why = "; ".join(s.project_reasons[:2])
        steps.append(("-", words(f"{s.project_label}: {s.project}" + (f" ({why})" if why else ""))))
        if s.project_note:
            steps.append((" ", words(s.project_note, "dim")))
    steps.extend(("-", words(w)) for w in s.project_warnings)
    for verb, role, reason in s.hires:
        steps.append(("-", words(f"{verb}: {role}: {reason}")))
    if s.hires_note:
        steps.append(("-", words(s.hires_note)))
    if s.first_change:
        steps.append(("-", words(f"Change plan: {s.first_change}")))
    if not verbose and rules > len(s.risks):
        more = rules - len(s.risks)
        steps.append(
            ("-", Text(f"{count(more, 'more rule')} with findings, every section and subject: run with --verbose"))
        )
    if steps:
        parts.append(Text("Next steps", style="bold"))
        parts.append(hanging(steps))
    return Group(*parts)


def risk_table(groups: tuple[FindingGroup, ...] | list[FindingGroup]) -> RichTable:
    table = RichTable.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for g in groups:
        what = words(g.headline, "bold")
        where = g.example.subject_name if g.count == 1 else "for example " + ", ".join(g.telling)
        what.append("\n")
        what.append(words(where))
        what.append(f"  [{g.rule}]", style="dim")
        table.add_row(Text(f" {g.severity:<8}", style=STYLE[g.severity]), what)
    return table


def section(s: Section, width: int) -> Group:
    parts: list[RenderableType] = [Text(""), Text(printable(s.title), style="bold underline")]
    for b in s.blocks:
        parts.extend(block(b, width))
    if s.empty:
        parts.append(words(s.empty, "italic"))
    if s.findings:
        parts.append(Text(f"\nFindings ({s.finding_count:,})", style="bold"))
        for g in s.findings:
            parts.append(group(g))
    return Group(*parts)


def group(g: FindingGroup) -> RenderableType:
    rows: list[tuple[str, Text]] = [(" ", words(g.example.message))]
    for line in g.pattern:
        rows.append(("-", words(f"evidence: {line}")))
    rows.append(("-", words(f"remedy: {g.example.remedy}")))
    if g.count > 1:
        names = ", ".join(sv.name for sv in g.subjects)
        rows.append(("-", words(f"all {g.count:,} subjects: {names}")))
    title = words(g.headline, "bold")
    title.append(f"  [{g.rule}]", style="dim")
    head = RichTable.grid(padding=(0, 1))
    head.add_column(no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row(Text(f" {g.severity:<8}", style=STYLE[g.severity]), title)
    return Group(head, hanging(rows))


def block(b: Block, width: int) -> list[RenderableType]:
    if isinstance(b, Facts):
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for k, v in b.rows:
            grid.add_row(printable(k), words(v))
        return [grid]
    if isinstance(b, Bullets):
        items = [
            (f"{i}." if b.ordered else ("[ ]" if b.checklist else "-"), words(x)) for i, x in enumerate(b.items, 1)
        ]
        return [words(b.title, "bold"), hanging(items)]
    if isinstance(b, Table):
        return table(b, width)
    if isinstance(b, Figure):
        out: list[RenderableType] = [words(f"{b.chart.title}: {b.caption}", "italic")]
        return out + (table(b.data, width) if b.data is not None else [])
    if isinstance(b, Note):
        return [words(b.text, "italic")]
    if isinstance(b, Steps):
        out = []
        for st in b.items:
            out.append(words(f"{st.order}. {st.point} ({st.when}): {st.change}", "bold"))
            rows = [("-", words(f"why: {w}")) for w in st.why]
            rows += [("-", words(f"do: {a}")) for a in st.actions]
            rows += [("-", words(f"done when: {d}")) for d in st.done_when]
            out.append(hanging(rows))
        return out
    return []


def fits(b: Table, width: int) -> bool:
    """Whether the table reads well as columns: each column as wide as its longest word, cells wrapped at 30."""
    need = 0
    for k, h in enumerate(b.headers):
        cells = [h, *(row[k] for row in b.rows[:50] if k < len(row))]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        need += max(longest_word, min(30, max(len(c) for c in cells))) + 2
    return need <= width


def table(b: Table, width: int) -> list[RenderableType]:
    """A table that fits the terminal: columns wrap their cells; too many columns become one record per row."""
    out: list[RenderableType] = []
    if b.caption:
        out.append(words(b.caption, "bold"))
    if not fits(b, width):
        for row in b.rows:  # record layout: every header beside its value, nothing cut
            grid = RichTable.grid(padding=(0, 1))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            for h, cell in zip(b.headers, row, strict=False):
                if cell:
                    grid.add_row(printable(h), words(cell))
            out.append(grid)
            out.append(Text(""))
    else:
        t = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for h in b.headers:
            t.add_column(words(h), overflow="fold", no_wrap=False)
        for row in b.rows:
            t.add_row(*(words(c) for c in row))
        out.append(t)
    if b.note:
        out.append(words(b.note, "italic"))
    return out
