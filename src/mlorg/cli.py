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
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mlorg.command_support import (
    AllowOpt,
    ConfigOpt,
    OutOpt,
    SpecArg,
    example_path,
    load_and_assess,
    load_inputs,
    write_output,
)
from mlorg.errors import SpecError, UsageError
from mlorg.gcpause import held, release_collector

__all__ = ["app", "example_path", "load_and_assess", "load_inputs", "main", "write_output"]

app = typer.Typer(
    name="mlorg",
    help="Assess how an organization does machine learning, from a YAML description of it.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def version_text() -> str:
    """``mlorg X.Y.Z``, from the installed distribution's metadata (what pip installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"mlorg {version('mlorg')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
        return "mlorg (version unknown: not installed)"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    """Assess how an organization does machine learning, from a YAML description of it."""


class OutputFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    html = "html"


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class SchemaKind(StrEnum):
    spec = "spec"
    assessment = "assessment"


class FailOn(StrEnum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


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
    from mlorg.progress import progress
    from mlorg.render import render_chunks

    with progress("reading the spec") as step:
        org, settings = load_inputs(spec, config, fragments=with_ or [], aliases=aliases, allow_outside=allow_outside)
        step("assessing")
        result = assess_spec(org, settings, survey=survey)
        step("writing the assessment")
        color = format is OutputFormat.text and output is None and sys.stdout.isatty()
        thresholds = effective_settings(org, settings).thresholds
        data = render_chunks(result, format.value, verbose=verbose, color=color, spec=org, thresholds=thresholds)
        write_output(data, output)  # JSON and SARIF are serialized here, a part at a time
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_OK


@app.command()
def lint(
    spec: Annotated[Path, typer.Argument(help="Spec file (YAML).")],
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 if a finding is at or above this severity.")
    ] = FailOn.high,
    format: Annotated[LintFormat, typer.Option("--format", "-f", help="text, json or sarif.")] = LintFormat.text,
    output: OutOpt = None,
    config: ConfigOpt = None,
    allow_outside: AllowOpt = None,
) -> int:
    """Check a spec in CI: one line per finding, exit 1 at or above --fail-on."""
    from mlorg.progress import progress
    from mlorg.render import render_chunks
    from mlorg.render.escape import one_line

    with progress("reading and assessing the spec"):
        result = load_and_assess(spec, config, allow_outside=allow_outside)
    text: str | Iterable[bytes]
    if format is LintFormat.text:
        lines = []
        for f in result.findings:
            where = f"{f.location.file}:{f.location.line}" if f.location else str(spec)
            lines.append(one_line(f"{where}: {f.severity} {f.rule} [{f.subject}] {f.message}"))
        n = len(result.findings)
        k = len(result.exempted)
        exempt = f"; {k} exempted in settings.ignore" if k else ""
        lines.append(f"{n} finding{'s' if n != 1 else ''}{exempt}; failing on {fail_on.value} and above")
        text = "\n".join(lines) + "\n"
    else:
        text = render_chunks(result, format.value)
    write_output(text, output)
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_OK


@app.command()
def rules(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
) -> int:
    """List every rule: slug, default severity, source and what it flags."""
    from mlorg.rules.registry import load_all

    registry = load_all()
    if format is ListFormat.json:
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
    else:
        width = max(len(s) for s in registry)
        out = [f"{r.slug:<{width}}  {r.severity:<8}  {r.source:<17}  {r.summary}" for r in registry.values()]
        write_output("\n".join(out) + "\n", None)
    return EXIT_OK


@app.command()
def explain(slug: Annotated[str, typer.Argument(help="Rule slug, as listed by `mlorg rules`.")]) -> int:
    """Explain one rule: what it flags, why it matters, an example and the remedy."""
    from mlorg.rules.registry import load_all

    registry = load_all()
    r = registry.get(slug.strip().lower().replace("_", "-"))
    if r is None:
        raise UsageError(f"unknown rule '{slug}'{_rule_hint(slug, list(registry))}")
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
    which: Annotated[
        SchemaKind, typer.Argument(help="`spec` (the input) or `assessment` (the JSON output).")
    ] = SchemaKind.spec,
) -> int:
    """Print the JSON Schema of the spec (default) or of the assessment JSON."""
    if which is SchemaKind.spec:
        from mlorg.spec.models import Organization

        data = Organization.model_json_schema()
    else:
        from mlorg.assessment import assessment_json_schema

        data = assessment_json_schema()
    write_output(json.dumps(data, indent=2, sort_keys=True) + "\n", None)
    return EXIT_OK


def _rule_hint(slug: str, slugs: list[str]) -> str:
    """Did-you-mean for ``explain``: the closest slugs by difflib, or where to find the list.

    Looser than the spec loader's hint (which must never turn a valid value into another): here a
    wrong guess costs nothing, the user only reads another rule's text.
    """
    import difflib

    word = slug.strip().lower().replace("_", "-").replace(" ", "-")
    close = difflib.get_close_matches(word, slugs, n=3, cutoff=0.6)
    # a slug typed without its common words ("siloed-team") still names the rule its words belong to
    if not close:
        parts = set(word.split("-")) - {""}
        close = [s for s in slugs if parts and parts <= set(s.split("-"))][:3]
    if not close:
        return "; run `mlorg rules` for the list"
    if len(close) == 1:
        return f"; did you mean '{close[0]}'?"
    return "; did you mean " + ", ".join(f"'{c}'" for c in close[:-1]) + f" or '{close[-1]}'?"


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
    except SystemExit as exc:
        # The framework ends a run whose reader closed the pipe (while it printed help itself) with 1,
        # which reads as "findings"; it pacifies the streams first (click's ``PacifyFlushWrapper``, once
        # ``_PacifyFlushWrapper``), which is how this tells the cases apart.
        closed = type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper"
        code = EXIT_OK if closed else exc.code
    except Exception as exc:
        if _is_usage_error(exc):  # click's (or typer's vendored click's) own usage errors
            _plain_usage_message(exc)
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


def _plain_usage_message(exc: BaseException) -> None:
    """Say a bad option value in the project's words, not the framework's.

    Newer typer releases check values with pydantic and pass its wording on ("Value error, 'xml' is
    not one of ...", "Input should be a valid integer, unable to parse string as an integer").
    """
    from pydantic import ValidationError

    from mlorg.spec.messages import plain_message, strip_framework_prefix

    message = getattr(exc, "message", None)
    if not isinstance(message, str):
        return
    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        message = "; ".join(plain_message(err) for err in cause.errors(include_url=False))
    exc.message = strip_framework_prefix(message)  # type: ignore[attr-defined]


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
