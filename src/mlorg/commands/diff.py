"""``mlorg diff BASELINE TARGET``: today's organization against a proposed design, or two snapshots."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlorg.command_support import AllowOpt, ConfigOpt, DatabaseOpt

if TYPE_CHECKING:
    from mlorg.diff import Side

REF_HELP = "A spec file, or a stored snapshot as snapshot:N (sequence number) or snapshot:LABEL."


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command(name="diff")(diff)


def diff(
    baseline: Annotated[str, typer.Argument(help=f"The baseline. {REF_HELP}")],
    target: Annotated[str, typer.Argument(help=f"The target. {REF_HELP}")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
    config: ConfigOpt = None,
    database_url: DatabaseOpt = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Compare structure, stage, archetype, role coverage, findings and Star scores of two assessments."""
    from mlorg.cli import write_output
    from mlorg.diff import diff as compare
    from mlorg.render import diff_render

    base = _side(baseline, config, database_url, allow_outside)
    goal = _side(target, config, database_url, allow_outside)
    write_output(diff_render.render(compare(base, goal), format.value), output)
    return 0


def _side(ref: str, config: Path | None, database_url: str | None, allow_outside: list[Path] | None) -> Side:
    from mlorg.diff import side_from_json
    from mlorg.storage.snapshots import REF_PREFIX

    if ref.startswith(REF_PREFIX):
        from mlorg.storage.snapshots import open_database, resolve

        stored = resolve(open_database(database_url), ref)
        return side_from_json(stored.data, f"snapshot {stored.name}")
    from mlorg.cli import load_inputs
    from mlorg.engine import assess

    org, settings = load_inputs(Path(ref), config, allow_outside=allow_outside)
    return side_from_json(assess(org, settings).model_dump(mode="json"), ref, org)
