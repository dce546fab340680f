"""``mlorg report``: the leader's report as one self-contained HTML file or a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlorg.command_support import AllowOpt, ConfigOpt, DatabaseOpt, SpecArg, write_bytes
from mlorg.errors import UsageError

if TYPE_CHECKING:
    from mlorg.render.report_blocks import Section

FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    spec: SpecArg = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="report.html or report.pdf: the extension picks the format.")
    ] = Path("report.html"),
    config: ConfigOpt = None,
    history: Annotated[
        bool, typer.Option("--history", help="Add how the organization moved across its stored snapshots.")
    ] = False,
    database_url: DatabaseOpt = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Write the report: executive summary, one section per analysis with charts, open questions."""
    from mlorg.command_support import load_inputs
    from mlorg.engine import assess, effective_settings
    from mlorg.render import html

    fmt = FORMAT_BY_SUFFIX.get(output.suffix.lower())
    if fmt is None:
        raise UsageError(f"{output}: cannot tell the format from '{output.suffix}'; use a .html or .pdf file name")
    from mlorg.progress import progress

    with progress("reading the spec") as step:
        org, settings = load_inputs(spec, config, allow_outside=allow_outside)
        step("assessing")
        result = assess(org, settings)
        extra: list[Section] = []
        if history or database_url:
            step("reading the stored snapshots")
            extra.append(history_section(result.organization.name, database_url))
        step("writing the report")
        thresholds = effective_settings(org, settings).thresholds
        page = html.render(result, spec=org, thresholds=thresholds, extra=extra, printed=fmt == "pdf")
        if fmt == "pdf":
            from mlorg.render.pdf import render_pdf

            step("laying out the PDF pages")
            data = render_pdf(page)
        else:
            data = page.encode("utf-8")
    write_bytes(data, output)
    from mlorg.render.escape import one_line

    typer.echo(one_line(f"mlorg: wrote {output}"), err=True)
    return 0


def history_section(organization: str, database_url: str | None) -> Section:
    """The report's history section, from the snapshots of the same organization."""
    from mlorg.history import row_from
    from mlorg.render import history as history_render
    from mlorg.storage.snapshots import list_snapshots, open_database

    rows = [
        row_from(s.seq, s.label, s.created_at.strftime("%Y-%m-%d %H:%M"), s.organization, s.data)
        for s in list_snapshots(open_database(database_url), organization)
    ]
    return history_render.section(rows, organization)
