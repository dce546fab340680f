"""What the commands share: common options, loading the spec, writing output atomically.

Kept outside ``mlorg.commands`` because every module there must be a command module, and outside
``mlorg.cli`` because commands never import the CLI module (it imports them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from mlorg.errors import UsageError

SpecArg = Annotated[Path | None, typer.Argument(help="Spec file (YAML). Omit to use the bundled YarnIt example.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Settings file (ignore, severity, thresholds) applied last.")
]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")]
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


def _is_device_or_pipe(path: Path) -> bool:
    """Whether ``path`` names something that exists and is neither a regular file nor a folder."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_bytes(data: bytes | Iterable[bytes], output: Path, mode: int | None = None) -> None:
    """Write a file atomically: a failed run never leaves a half-written report.

    ``data`` may be chunks, written one after another as they come (never joined into one copy).

    ``mode`` keeps a rewritten file's permissions (``mlorg migrate --in-place``); by default the file
    gets an ordinary file's mode under the umask.
    """
    chunks = [data] if isinstance(data, bytes) else data
    if _is_device_or_pipe(output):
        # `-o /dev/null`, `-o /dev/stdout`, a FIFO: nothing to replace atomically, and replacing it would put a
        # regular file where the device was (as root, /dev/null itself)
        with open(output, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        return
    target = output.resolve()
    if target.is_dir():
        raise UsageError(f"{output}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"{output}: directory {output.parent} does not exist")
    import tempfile  # here: `mlorg --help` should not pay for it

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
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


def example_path() -> Path:
    """The bundled YarnIt example, shipped as package data."""
    from importlib import resources  # here: `mlorg --help` should not pay for it

    return Path(str(resources.files("mlorg.examples").joinpath("yarnit.yaml")))


def write_output(text: str | bytes | Iterable[bytes], output: Path | None) -> None:
    """Print, or write atomically: a failed run never leaves a half-written file.

    ``bytes`` (UTF-8, or a sequence of UTF-8 chunks) are written as they are, without a decoded copy.
    """
    if output is None:
        try:
            _print(text)
        except BrokenPipeError:
            _reader_gone()
        return
    write_bytes(text.encode("utf-8") if isinstance(text, str) else text, output)


def _print(text: str | bytes | Iterable[bytes]) -> None:
    buffer = getattr(sys.stdout, "buffer", None)  # a replaced stdout (StringIO) may have none
    chunks = [text] if isinstance(text, str | bytes) else text
    sys.stdout.flush()
    for chunk in chunks:
        if isinstance(chunk, str):
            sys.stdout.write(chunk)
        elif buffer is not None:
            buffer.write(chunk)
        else:
            sys.stdout.write(chunk.decode("utf-8"))
    sys.stdout.flush()
    if buffer is not None:
        buffer.flush()


def _reader_gone() -> None:
    """The reader closed the pipe (``mlorg lint org.yaml | head``): the rest of the output goes nowhere,
    and the command still ends with its own exit code. A cut-short read is not a finding (exit 1)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stdout with no file behind it: nothing is left to write to
        pass


def load_inputs(
    spec: Path | None,
    config: Path | None,
    *,
    quiet_example: bool = False,
    fragments: list[Path] | None = None,
    aliases: Path | None = None,
    allow_outside: list[Path] | None = None,
) -> tuple[Any, Any]:
    """Load the spec (or the bundled example) with any fragments merged in, and the ``--config`` settings.

    ``allow_outside``: folders outside the spec's own that paths in the spec (``imports``,
    ``culture.survey``) may read from.
    """
    from mlorg.gcpause import hold_collector
    from mlorg.spec.loader import load_config, load_spec

    # A one-shot command builds millions of small acyclic objects (the spec, then the results) that live
    # until it ends; reference counting frees everything else. The cyclic collector is therefore off for
    # the rest of the process: re-enabled between phases, each pass walked every object and freed nothing
    # (1-1.5 s of a 100,000-person assessment).
    hold_collector()
    label = None
    if spec is None:
        spec, label = example_path(), "examples/yarnit.yaml"
        if not quiet_example:
            typer.echo("mlorg: no spec given; assessing the bundled YarnIt example", err=True)
    settings = load_config(config) if config else None
    alias_map = None
    if aliases is not None:
        from mlorg.sources.people import load_aliases

        alias_map = load_aliases(aliases)
    org = load_spec(spec, label, fragments or (), alias_map, allow_outside=allow_outside or ())
    if org._imports is not None:
        from mlorg.render.escape import one_line

        for note in org._imports.notes:
            typer.echo(one_line(f"mlorg: note: {note}"), err=True)
    return org, settings


def load_and_assess(
    spec: Path | None, config: Path | None, *, quiet_example: bool = False, allow_outside: list[Path] | None = None
) -> Any:
    """Shared by ``assess`` and ``lint``: load the spec (or the example) and settings, assess."""
    from mlorg.engine import assess

    return assess(*load_inputs(spec, config, quiet_example=quiet_example, allow_outside=allow_outside))
