"""``mlorg snapshot`` stores an assessment; ``mlorg history`` shows how the stored ones moved."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mlorg.command_support import AllowOpt, ConfigOpt, DatabaseOpt, SpecArg
from mlorg.errors import UsageError


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
    from mlorg.command_support import load_inputs, write_output
    from mlorg.engine import assess
    from mlorg.progress import progress
    from mlorg.render.escape import one_line
    from mlorg.storage.base import default_url, describe
    from mlorg.storage.snapshots import check_label, open_database, spec_hash, store

    check_label(label)
    with progress("opening the database") as step:
        database = open_database(database_url)  # first: a database that cannot be used wastes no assessment
        step("reading the spec")
        org, settings = load_inputs(spec, config, allow_outside=allow_outside)
        step("assessing")
        result = assess(org, settings)
        step("storing the snapshot")
        stored = store(database, result, spec_hash(org), label)
    typer.echo(f"mlorg: database: {one_line(describe(database_url or default_url()))}", err=True)
    write_output(
        one_line(f"stored snapshot {stored.name} of {stored.organization}; refer to it as snapshot:{stored.seq}")
        + "\n",
        None,
    )
    return 0


def no_such_organization(name: str, known: list[str], where: str) -> str:
    """Say that ``name`` has no snapshots, and which organizations do (the closest first)."""
    import difflib

    from mlorg.render.escape import one_line

    if not known:
        return f"no snapshots in {where} yet; `mlorg snapshot SPEC` stores one"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    listed = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    return one_line(f"no snapshots of '{name}' in {where}; it has snapshots of: {listed}{hint}")


def history(
    database_url: DatabaseOpt = None,
    format: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.text,
    organization: Annotated[
        str | None, typer.Option("--organization", "--org", help="Only this organization's snapshots.")
    ] = None,
) -> int:
    """Show how stage, findings by severity and Star Model scores moved across stored snapshots."""
    from mlorg.command_support import write_output
    from mlorg.history import row_from
    from mlorg.render import history as history_render
    from mlorg.render.escape import one_line
    from mlorg.storage.base import default_url, describe
    from mlorg.storage.snapshots import list_snapshots, open_database, organizations

    engine = open_database(database_url)
    where = describe(database_url or default_url())
    typer.echo(f"mlorg: database: {one_line(where)}", err=True)
    rows = [
        row_from(s.seq, s.label, s.created_at.strftime("%Y-%m-%d %H:%M"), s.organization, s.data)
        for s in list_snapshots(engine, organization)
    ]
    if organization is not None and not rows:
        raise UsageError(no_such_organization(organization, organizations(engine), where))
    write_output(history_render.render(rows, format.value), None)
    return 0
