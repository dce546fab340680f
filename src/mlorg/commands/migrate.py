"""``mlorg migrate``: rewrite an older spec as the current version, keeping its comments and layout."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Annotated

import typer

from mlorg.errors import UsageError

BOM = "\ufeff"


def register(app: typer.Typer) -> None:
    app.command(name="migrate")(migrate)


def migrate(
    spec: Annotated[Path, typer.Argument(help="Spec file (YAML) of an older version.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the migrated spec here (default: print it).")
    ] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite SPEC itself (atomically).")] = False,
) -> int:
    """Rewrite a version 1 spec as version 2, keeping its comments and layout.

    Only what changed is edited: the `version` line, and each `window_days: N`, which becomes
    `window: Nd`. The result is checked to hold the same data and to load before anything is written.
    """
    from mlorg.command_support import write_bytes
    from mlorg.spec.loader import read_text
    from mlorg.spec.migrate import migrate_text

    if in_place and output is not None:
        raise UsageError("give -o/--output or --in-place, not both")
    text = read_text(spec, str(spec))
    migrated = migrate_text(text, str(spec))
    target = spec if in_place else output
    if target is None:
        sys.stdout.write(migrated)
        sys.stdout.flush()
        return 0
    if _has_bom(spec):
        migrated = BOM + migrated  # the reader strips it; a file written keeps the original's own bytes
    mode = stat.S_IMODE(spec.stat().st_mode) if in_place else None
    write_bytes(migrated.encode("utf-8"), target, mode=mode)
    from mlorg.render.escape import one_line

    typer.echo(one_line(f"mlorg: wrote {target} (spec version 2)"), err=True)
    return 0


def _has_bom(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(3) == BOM.encode("utf-8")
    except OSError:
        return False
