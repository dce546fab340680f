"""``mlorg generate``: write a synthetic organization of any size (demos, tests, benchmarks)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlorg.errors import UsageError


def register(app: typer.Typer) -> None:
    app.command(name="generate")(generate)


def generate(
    people: Annotated[int, typer.Option("--people", "-n", help="How many named people the organization has.")],
    seed: Annotated[int, typer.Option("--seed", "-s", help="Seed; the same seed gives the same file.")] = 1,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Organization name (default: invented).")] = None,
) -> int:
    """Generate a synthetic but plausible organization spec: teams (about 10% of people), named people
    with roles and reporting lines, models (about 5%), features (about 50%), initiatives and forums."""
    from mlorg.cli import write_output
    from mlorg.synth import MAX_PEOPLE, generate

    if not 1 <= people <= MAX_PEOPLE:
        raise UsageError(f"--people must be between 1 and {MAX_PEOPLE:,}, got {people:,}")
    if name is not None and not name.strip():
        raise UsageError("--name must not be empty")
    write_output(generate(people, seed, name), output)
    if output is not None:
        from mlorg.render.escape import one_line

        typer.echo(one_line(f"mlorg: wrote a {people:,}-person organization to {output}"), err=True)
    return 0
