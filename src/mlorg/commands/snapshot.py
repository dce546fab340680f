"""``mlorg snapshot`` stores an assessment; ``mlorg history`` shows how the stored ones moved."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mlorg.command_support import AllowOpt, ConfigOpt, DatabaseOpt, SpecArg


class HistoryFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def register(app: typer.Typer) -> None:
    app.command(name="snapshot")(snapshot)
    app.command(name="history")(history)


def snapshot(
    spec: SpecArg = None,
    label: Annotated[
        str | None, typer.Option("--label", help="A name for this snapshot, unique per organization (e.g. 2025-q1).")
    ] = None,
    config: ConfigOpt = None,
    database_url: DatabaseOpt = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Assess a spec and store the result, to compare later with `mlorg history` and `mlorg diff`."""
    from mlorg.cli import load_inputs, write_output
    from mlorg.engine import assess
    from mlorg.render.escape import one_line
    from mlorg.storage.snapshots import check_label, open_database, spec_hash, store

    check_label(label)
    org, settings = load_inputs(spec, config, allow_outside=allow_outside)
    result = assess(org, settings)
    stored = store(open_database(database_url), result, spec_hash(org), label)
    write_output(
        one_line(f"stored snapshot {stored.name} of {stored.organization}; refer to it as snapshot:{stored.seq}")
        + "\n",
        None,
    )
    return 0


def history(
    database_url: DatabaseOpt = None,
    format: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.text,
    organization: Annotated[
        str | None, typer.Option("--organization", "--org", help="Only this organization's snapshots.")
    ] = None,
) -> int:
    """Show how stage, findings by severity and Star Model scores moved across stored snapshots."""
    from mlorg.cli import write_output
    from mlorg.history import row_from
    from mlorg.render import history as history_render
    from mlorg.storage.snapshots import list_snapshots, open_database

    rows = [
        row_from(s.seq, s.label, s.created_at.strftime("%Y-%m-%d %H:%M"), s.organization, s.data)
        for s in list_snapshots(open_database(database_url), organization)
    ]
    write_output(history_render.render(rows, format.value), None)
    return 0
