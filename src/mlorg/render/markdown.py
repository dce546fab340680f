"""Markdown report: the same view objects as the HTML report, in the same words, as GitHub-flavoured Markdown.

Findings appear once per rule, with a ``<details>`` element listing every subject. Every string passes
through :func:`~mlorg.render.words.humanize` and :func:`~mlorg.render.escape.md_inline`.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.assessment import Assessment
from mlorg.render.escape import md_inline
from mlorg.render.finding_groups import FindingGroup
from mlorg.render.report_blocks import Block, Bullets, Facts, Figure, Note, Report, Section, Steps, Summary, Table
from mlorg.render.report_view import build_report
from mlorg.render.words import humanize
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization


def t(text: object) -> str:
    """Leader-facing text, escaped for Markdown."""
    return md_inline(humanize(str(text)))


def render(assessment: Assessment, *, spec: Organization | None = None, thresholds: Thresholds | None = None) -> str:
    from mlorg.render.html import _thresholds

    report = build_report(assessment, spec, thresholds or _thresholds(spec))
    return "\n".join(lines(report)).rstrip("\n") + "\n"


def lines(r: Report) -> Iterator[str]:
    yield f"# {t(r.title)}"
    yield ""
    yield from summary(r.summary)
    for s in (*r.sections, *r.extra):
        yield from section(s)
    yield "## About this report"
    yield ""
    for k, v in r.about:
        yield f"- **{t(k)}**: {t(v)}"
    yield ""
    for label, title in r.sources:
        yield f"- `{label}`: {t(title)}"
    yield ""


def summary(s: Summary) -> Iterator[str]:
    yield "## Executive summary"
    yield ""
    yield "| | |"
    yield "|---|---|"
    for k, v in s.headline:
        yield f"| {t(k)} | {t(v)} |"
    yield (
        "| Findings | " + ", ".join(f"{sev} {n}" for sev, n in s.severity_counts if n) + " |"
        if any(n for _, n in s.severity_counts)
        else "| Findings | none |"
    )
    yield ""
    yield "### The most serious risks"
    yield ""
    if not s.risks:
        yield "No findings."
    for i, g in enumerate(s.risks, 1):
        yield f"{i}. **{g.severity}**: {t(g.headline)} ({t(examples(g))})"
    yield ""
    yield f"### {s.project_label}"
    yield ""
    if s.project:
        yield f"**{t(s.project)}**"
        yield ""
        if s.project_note:
            yield t(s.project_note)
            yield ""
        for reason in s.project_reasons:
            yield f"- {t(reason)}"
        for w in s.project_warnings:
            yield f"- **{t(w)}**"
    else:
        yield "None chosen yet; see the portfolio section."
    yield ""
    yield "### The next three hires"
    yield ""
    for i, (verb, role, reason) in enumerate(s.hires, 1):
        yield f"{i}. {verb}: **{t(role)}**: {t(reason)}"
    if s.hires_note:
        if s.hires:
            yield ""
        yield t(s.hires_note)
    yield ""
    if s.first_change:
        yield "### Change plan"
        yield ""
        yield t(s.first_change)
        yield ""


def examples(g: FindingGroup) -> str:
    if g.count == 1:
        return f"on {g.example.subject_name}"
    return "for example " + ", ".join(g.telling)


def section(s: Section) -> Iterator[str]:
    yield f"## {t(s.title)}"
    yield ""
    if s.sources:
        yield "Source: " + ", ".join(f"`{src}`" for src in s.sources) + "."
        yield ""
    for b in s.blocks:
        yield from block(b)
    if s.empty:
        yield t(s.empty)
        yield ""
    if s.findings:
        yield f"### Findings ({s.finding_count:,})"
        yield ""
        for g in s.findings:
            yield from group(g)


def block(b: Block) -> Iterator[str]:
    if isinstance(b, Facts):
        for k, v in b.rows:
            yield f"- **{t(k)}**: {t(v)}"
        yield ""
    elif isinstance(b, Bullets):
        yield f"**{t(b.title)}**"
        yield ""
        for i, item in enumerate(b.items, 1):
            mark = f"{i}." if b.ordered else ("- [ ]" if b.checklist else "-")
            yield f"{mark} {t(item)}"
        yield ""
    elif isinstance(b, Table):
        yield from table(b)
    elif isinstance(b, Figure):
        yield f"*{t(b.chart.title)}.* {t(b.caption)}"
        yield ""
        if b.data is not None:
            yield from table(b.data)
    elif isinstance(b, Note):
        yield t(b.text)
        yield ""
    elif isinstance(b, Steps):
        for st in b.items:
            yield f"{st.order}. **{t(st.point)}** ({t(st.when)}): {t(st.change)}"
            for w in st.why:
                yield f"   - why: {t(w)}"
            for act in st.actions:
                yield f"   - do: {t(act)}"
            for d in st.done_when:
                yield f"   - done when: {t(d)}"
        yield ""


def table(b: Table) -> Iterator[str]:
    if b.caption:
        yield f"**{t(b.caption)}**"
        yield ""
    yield "| " + " | ".join(t(h) for h in b.headers) + " |"
    yield "|" + "---|" * len(b.headers)
    for row in b.rows:
        yield "| " + " | ".join(t(c) for c in row) + " |"
    yield ""
    if b.note:
        yield t(b.note)
        yield ""


def group(g: FindingGroup) -> Iterator[str]:
    yield f"#### {g.severity.upper()}: {t(g.headline)}"
    yield ""
    where = f"On {t(g.example.subject_name)}" if g.count == 1 else f"On {g.count:,} subjects, {t(examples(g))}"
    yield f"{where} (rule `{g.rule}`). {t(g.example.message)}"
    yield ""
    for line in g.pattern:
        yield f"- evidence: {t(line)}"
    yield f"- remedy: {t(g.example.remedy)}"
    yield f"- source: `{g.example.source}`"
    yield ""
    if g.count > 1:
        yield f"<details><summary>All {g.count:,} subjects</summary>"
        yield ""
        for sv in g.subjects:
            yield f"- {t(sv.name)}: {t(sv.message)}"
        if g.hidden:
            yield f"- and {g.hidden:,} more: `mlorg assess --format json` lists them all"
        yield ""
        yield "</details>"
        yield ""
