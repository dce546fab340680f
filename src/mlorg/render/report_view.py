"""What the HTML report shows, section by section, as plain view objects for the templates.

Each analysis section has exactly one builder function here, and it is the only code that reads
that analysis' result fields: when a result model grows or renames a field, only its builder
changes. A section with nothing to show still renders, with a short note saying so.
Long lists are capped (findings per rule, table rows, chart points) so that the report of a
100,000-person organization stays a readable, bounded file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from mlorg.assessment import Assessment
from mlorg.render.finding_groups import SOURCE_TITLES, questions_told
from mlorg.render.report_blocks import (
    PRINT_CELL_CHARS,
    PRINT_CELL_ITEMS,
    SCREEN,
    SEVERITIES,
    SUMMARY_REASONS,
    Context,
    Limits,
    Report,
    Section,
    Summary,
    Table,
    first_sentence,
    hire_verb,
    hires_note,
    initiative_name,
    pick_note,
    weeks_label,
)
from mlorg.render.report_plan import change_plan, data_readiness, model_ops, open_questions, other, portfolio
from mlorg.render.report_sections import archetype, culture, maturity, roles, star_model, structure
from mlorg.render.words import human
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization

# --- the executive summary ----------------------------------------------------------------------


def summary(ctx: Context) -> Summary:
    a = ctx.a
    counts = {s: 0 for s in SEVERITIES}
    for f in a.findings:
        counts[f.severity] += 1
    po = a.portfolio
    steps = [s for s in a.change_plan.steps if s.point != "announce"]
    first_change = ""
    if steps:
        step = steps[0]
        order = ", ".join(human(s.point) for s in steps)
        first_change = (
            f"Change {order}, one at a time, over {a.change_plan.total_weeks} weeks. Start with {human(step.point)} "
            f"({weeks_label(step.start_week, step.weeks)}): {first_sentence(step.change)}"
        )
    return Summary(
        headline=(
            (
                "Maturity stage",
                human(a.maturity.stage) + (f" (next: {human(a.maturity.next_stage)})" if a.maturity.next_stage else ""),
            ),
            ("Archetype", a.archetype.name or human(a.archetype.id)),
            ("Structure", f"{human(a.structure.current)} → recommended {human(a.structure.recommended)}"),
            ("Culture", human(a.culture.typology) if a.culture.typology else "unknown (no survey data)"),
            ("Confidence", f"{round(a.confidence * 100)}% ({questions_told(ctx.questions)})"),
        ),
        severity_counts=tuple((s, counts[s]) for s in SEVERITIES),
        risks=ctx.risks,
        project_label="First project" if po.mode == "first" else "Next project",
        project=initiative_name(ctx, po.first_project) if po.first_project else "",
        project_reasons=po.reasons[:SUMMARY_REASONS],
        project_note=pick_note(ctx),
        project_warnings=tuple(
            f"Chosen first project {initiative_name(ctx, j.initiative)} misses the bar on: "
            + ", ".join(human(f) for f in j.failed)
            for j in po.judged
            if j.failed
        ),
        hires=tuple((hire_verb(h), human(h.role), first_sentence(h.reason)) for h in a.hiring_plan[:3]),
        hires_note=hires_note(ctx),
        first_change=first_change,
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


def build_summary(a: Assessment, spec: Organization | None, thresholds: Thresholds, limits: Limits = SCREEN) -> Summary:
    """The executive summary alone: what a terminal shows without ``--verbose``, without building any section."""
    return summary(Context(a, spec, thresholds, limits))


def build_report(
    a: Assessment,
    spec: Organization | None,
    thresholds: Thresholds,
    extra: Sequence[Section] = (),
    limits: Limits = SCREEN,
) -> Report:
    """The whole report as view objects; ``limits`` bounds its lists (``PRINT`` for a PDF)."""
    from mlorg import __version__

    ctx = Context(a, spec, thresholds, limits)
    sections = [b(ctx) for b in SECTION_BUILDERS]
    from mlorg.render.collaboration_view import collaboration

    observed = collaboration(ctx)
    if observed is not None:
        sections.append(observed)
    rest = other(ctx)
    if rest is not None:
        sections.append(rest)
    sections.append(open_questions(ctx))
    if limits.printed:
        sections = [for_print(sec, limits) for sec in sections]
        extra = tuple(for_print(sec, limits) for sec in extra)
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
        printed=limits.printed,
    )


def for_print(section: Section, limits: Limits) -> Section:
    """A section bounded for paper: every table at most ``limits.rows`` rows, every cell a few lines.

    Applied to every table, whoever built it, so no section can put a hundred-page table or a
    page-long cell (which a row that must not break cannot fit) into a PDF. What is cut is counted
    in the table's note.
    """
    blocks = tuple(_print_table(b, limits.rows) if isinstance(b, Table) else b for b in section.blocks)
    return replace(section, blocks=blocks)


def _print_table(table: Table, limit: int) -> Table:
    rows = tuple(tuple(print_cell(c) for c in row) for row in table.rows[:limit])
    note = table.note
    if len(table.rows) > limit and "more not shown" not in note:
        note = f"{note} {len(table.rows) - limit:,} more rows not shown; the HTML report and the JSON have them all."
    return replace(table, rows=rows, note=note.strip(), widths=column_widths(table.headers, rows))


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[int, ...]:
    """Percent widths for a printed table: each column first gets room for its header's longest word
    (about one percent of the page width per character), and what is left goes to the columns in
    proportion to how long their cells typically are, so "yes"/"no" columns stay narrow."""
    floors: list[float] = []
    wants: list[int] = []
    for i, header in enumerate(headers):
        cells = [row[i] for row in rows if i < len(row)]
        floor = min(max((len(w) for w in header.split()), default=3), 14) + 2
        typical = sorted(len(c) for c in cells)[len(cells) * 3 // 4] if cells else 0
        floors.append(floor)
        wants.append(max(min(typical, 80) - floor, 0) + 1)
    scale = min(1.0, 100 / sum(floors))
    floors = [f * scale for f in floors]
    left = 100 - sum(floors)
    widths = [round(f + left * w / sum(wants)) for f, w in zip(floors, wants, strict=True)]
    widths[widths.index(max(widths))] -= sum(widths) - 100  # exactly 100
    return tuple(widths)


_MORE = re.compile(r" and ([\d,]+) more$")


def print_cell(text: str) -> str:
    """A cell short enough to print: a long list keeps its first items and counts the rest."""
    items = text.split(", ")
    if len(items) > PRINT_CELL_ITEMS and all(len(i) <= 60 and i.count(" ") <= 3 for i in items[:-1]):  # a list
        counted = _MORE.search(items[-1])  # the list was already cut ("x and 454 more")
        already = int(counted.group(1).replace(",", "")) if counted else 0
        left = len(items) - PRINT_CELL_ITEMS + already
        text = ", ".join(items[:PRINT_CELL_ITEMS]) + f" and {left:,} more"
    if len(text) > PRINT_CELL_CHARS:
        text = text[: PRINT_CELL_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def severity_table(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES)
