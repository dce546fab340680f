"""Options shared by the report, snapshot, history and diff commands, and a binary-safe atomic write.

Kept outside ``mlorg.commands`` because every module there must be a command module.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from mlorg.errors import UsageError

SpecArg = Annotated[Path | None, typer.Argument(help="Spec file (YAML). Omit to use the bundled YarnIt example.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Settings file (ignore, severity, thresholds) applied last.")
]
AllowOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--allow-outside",
        metavar="DIR",
        help="Let paths the spec names (culture.survey, ...) read files in DIR, outside the spec's own folder. "
        "Repeatable.",
    ),
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Database of snapshots (the survey app's): default MLORG_DATABASE_URL, else a SQLite file.",
    ),
]


def write_bytes(data: bytes | Sequence[bytes], output: Path, mode: int | None = None) -> None:
    """Write a file atomically: a failed run never leaves a half-written report.

    ``data`` may be a sequence of chunks, written one after another (never joined into one copy).

    ``mode`` keeps a rewritten file's permissions (``mlorg migrate --in-place``); by default the file
    gets an ordinary file's mode under the umask.
    """
    target = output.resolve()
    if target.is_dir():
        raise UsageError(f"{output}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"{output}: directory {output.parent} does not exist")
    import tempfile  # here: `mlorg --help` should not pay for it

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, bytes) else data:
                fh.write(chunk)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; a report is an ordinary file
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
