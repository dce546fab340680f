"""The ``mlorg`` command line: thin wrappers over the library, one place for exit codes.

Exit codes: 0 ok; 1 findings at or above ``--fail-on``; 2 bad input; 3 internal error.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mlorg.command_support import AllowOpt
from mlorg.errors import SpecError, UsageError
from mlorg.gcpause import held, hold_collector, release_collector

app = typer.Typer(
    name="mlorg",
    help="Assess how an organization does machine learning, from a YAML description of it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class OutputFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    html = "html"


class FailOn(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


SpecArg = Annotated[Path | None, typer.Argument(help="Spec file (YAML). Omit to use the bundled YarnIt example.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Settings file (ignore, severity, thresholds) applied last.")
]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")]


def example_path() -> Path:
    """The bundled YarnIt example, shipped as package data."""
    from importlib import resources

    return Path(str(resources.files("mlorg.examples").joinpath("yarnit.yaml")))


def write_output(text: str | bytes | Sequence[bytes], output: Path | None) -> None:
    """Print, or write atomically: a failed run never leaves a half-written file.

    ``bytes`` (UTF-8, or a sequence of UTF-8 chunks) are written as they are, without a decoded copy.
    """
    if output is None:
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
        return
    from mlorg.command_support import write_bytes

    write_bytes(text.encode("utf-8") if isinstance(text, str) else text, output)


def load_inputs(  # type: ignore[no-untyped-def]
    spec: Path | None,
    config: Path | None,
    *,
    quiet_example: bool = False,
    fragments: list[Path] | None = None,
    aliases: Path | None = None,
    allow_outside: list[Path] | None = None,
):
    """Load the spec (or the bundled example) with any fragments merged in, and the ``--config`` settings.

    ``allow_outside``: folders outside the spec's own that paths in the spec (``imports``,
    ``culture.survey``) may read from.
    """
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


def load_and_assess(  # type: ignore[no-untyped-def]
    spec: Path | None, config: Path | None, *, quiet_example: bool = False, allow_outside: list[Path] | None = None
):
    """Shared by ``assess`` and ``lint``: load the spec (or the example) and settings, assess."""
    from mlorg.engine import assess

    return assess(*load_inputs(spec, config, quiet_example=quiet_example, allow_outside=allow_outside))


def fails(findings: object, fail_on: FailOn | None) -> bool:
    from mlorg.results import SEVERITY_ORDER

    if fail_on is None:
        return False
    limit = SEVERITY_ORDER[fail_on.value]
    return any(SEVERITY_ORDER[f.severity] <= limit for f in findings)  # type: ignore[attr-defined]


@app.command()
def assess(
    spec: SpecArg = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    output: OutOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every section, not one screen.")] = False,
    config: ConfigOpt = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 if a finding is at or above this severity.")
    ] = None,
    survey: Annotated[
        Path | None, typer.Option("--survey", help="Staff survey answers (CSV); overrides the spec's culture.survey.")
    ] = None,
    with_: Annotated[
        list[Path] | None,
        typer.Option("--with", help="Fragment written by `mlorg import` to merge in (the spec's values win)."),
    ] = None,
    aliases: Annotated[
        Path | None,
        typer.Option("--aliases", help="YAML mapping a person id of the spec to the ids imports gave them."),
    ] = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Assess an organization: stage, archetype, structure, risks and what to do next."""
    from mlorg.engine import assess as assess_spec
    from mlorg.engine import effective_settings
    from mlorg.render import render_chunks

    org, settings = load_inputs(spec, config, fragments=with_ or [], aliases=aliases, allow_outside=allow_outside)
    result = assess_spec(org, settings, survey=survey)
    color = format is OutputFormat.text and output is None and sys.stdout.isatty()
    thresholds = effective_settings(org, settings).thresholds
    data = render_chunks(result, format.value, verbose=verbose, color=color, spec=org, thresholds=thresholds)
    write_output(data, output)
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_OK


@app.command()
def lint(
    spec: Annotated[Path, typer.Argument(help="Spec file (YAML).")],
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 if a finding is at or above this severity.")
    ] = FailOn.high,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="text, json or sarif.")] = OutputFormat.text,
    output: OutOpt = None,
    config: ConfigOpt = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Check a spec in CI: one line per finding, exit 1 at or above --fail-on."""
    from mlorg.render import render_chunks
    from mlorg.render.escape import one_line

    result = load_and_assess(spec, config, allow_outside=allow_outside)
    text: str | list[bytes]
    if format is OutputFormat.text:
        lines = []
        for f in result.findings:
            where = f"{f.location.file}:{f.location.line}" if f.location else str(spec)
            lines.append(one_line(f"{where}: {f.severity} {f.rule} [{f.subject}] {f.message}"))
        n = len(result.findings)
        lines.append(f"{n} finding{'s' if n != 1 else ''}; failing on {fail_on.value} and above")
        text = "\n".join(lines) + "\n"
    else:
        text = render_chunks(result, format.value)
    write_output(text, output)
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_OK


@app.command()
def rules(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> int:
    """List every rule: slug, default severity, source and what it flags."""
    from mlorg.rules.registry import load_all

    registry = load_all()
    if format == "json":
        data = [
            {
                "slug": r.slug,
                "family": r.family,
                "severity": r.severity,
                "source": r.source,
                "summary": r.summary,
            }
            for r in registry.values()
        ]
        write_output(json.dumps(data, indent=2) + "\n", None)
    elif format == "text":
        width = max(len(s) for s in registry)
        out = [f"{r.slug:<{width}}  {r.severity:<8}  {r.source:<17}  {r.summary}" for r in registry.values()]
        write_output("\n".join(out) + "\n", None)
    else:
        raise UsageError(f"unknown format '{format}'; choose text or json")
    return EXIT_OK


@app.command()
def explain(slug: Annotated[str, typer.Argument(help="Rule slug, as listed by `mlorg rules`.")]) -> int:
    """Explain one rule: what it flags, why it matters, an example and the remedy."""
    from mlorg.rules.registry import load_all

    registry = load_all()
    r = registry.get(slug)
    if r is None:
        from mlorg.spec.messages import closest  # rapidfuzz (older releases import numpy): only when needed

        close = closest(slug, list(registry))
        hint = f"; did you mean '{close}'?" if close else "; run `mlorg rules` for the list"
        raise UsageError(f"unknown rule '{slug}'{hint}")
    text = (
        f"{r.slug} ({r.severity}, source: {r.source}, family: {r.family})\n\n{r.summary}\n\n"
        f"What it flags:\n  {r.flags}\n\nWhy it matters:\n  {r.why}\n\n"
        f"Example that triggers it:\n"
        + "".join(f"  {line}\n" for line in r.example.splitlines())
        + f"\nRemedy:\n  {r.remedy}\n"
    )
    write_output(text, None)
    return EXIT_OK


@app.command()
def schema(
    which: Annotated[str, typer.Argument(help="`spec` (the input) or `assessment` (the JSON output).")] = "spec",
) -> int:
    """Print the JSON Schema of the spec (default) or of the assessment JSON."""
    if which == "spec":
        from mlorg.spec.models import Organization

        data = Organization.model_json_schema()
    elif which == "assessment":
        from mlorg.assessment import assessment_json_schema

        data = assessment_json_schema()
    else:
        raise UsageError(f"unknown schema '{which}'; choose spec or assessment")
    write_output(json.dumps(data, indent=2, sort_keys=True) + "\n", None)
    return EXIT_OK


def _register_extensions() -> None:
    import mlorg.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"mlorg.commands.{info.name}").register(app)


_register_extensions()


def report_problems(exc: SpecError) -> None:
    for problem in exc.problems:
        typer.echo(_safe(str(problem)), err=True)
    n = len(exc.problems)
    typer.echo(f"mlorg: {n} problem{'s' if n != 1 else ''} found; nothing was written", err=True)


def _safe(text: str) -> str:
    from mlorg.render.escape import one_line

    return one_line(text)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and map every outcome to one exit code."""
    try:
        code = app(args=argv, prog_name="mlorg", standalone_mode=False)
    except SpecError as exc:
        report_problems(exc)
        code = EXIT_BAD_INPUT
    except UsageError as exc:
        typer.echo(f"mlorg: {_safe(str(exc))}", err=True)
        code = EXIT_BAD_INPUT
    except typer.Abort:
        typer.echo("mlorg: aborted", err=True)
        code = EXIT_BAD_INPUT
    except typer.Exit as exc:
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as exc:
        if _is_usage_error(exc):  # click's (or typer's vendored click's) own usage errors
            exc.show()  # type: ignore[attr-defined]
            code = EXIT_BAD_INPUT
        else:
            code = _internal_error()
    code = code if isinstance(code, int) else EXIT_OK
    if held():
        if argv is None:  # the real command line, not a test calling main() in-process
            _exit_now(code)
        release_collector()
    sys.exit(code)


def _exit_now(code: int) -> None:
    """End a one-shot command without tearing down its objects one by one.

    The output is written (files atomically, before this point) and flushed here; what remains is
    millions of spec and result objects that the operating system reclaims at once.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code)


def _is_usage_error(exc: BaseException) -> bool:
    """Click's exceptions, whichever click typer ships with, carry ``show`` and ``exit_code``."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)


def _internal_error() -> int:
    """Keep the traceback out of the user's terminal: log it and say where.

    The log may hold pieces of private input, so it goes to a new file only its owner can read
    (``mkstemp``: created exclusively, mode 0600, never through a symbolic link) in the user's own
    state directory, never to a fixed name in the shared temporary directory.
    """
    import tempfile
    import traceback

    from platformdirs import user_state_dir

    from mlorg.render.escape import one_line

    try:
        folder = Path(user_state_dir("mlorg", appauthor=False))
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="crash-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
        where = f"; details in {name}"
    except OSError:
        where = ""
    typer.echo(one_line(f"mlorg: internal error ({type(sys.exc_info()[1]).__name__}){where}"), err=True)
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    main()
