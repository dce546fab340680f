"""``mlorg import KIND SOURCE... -o FRAGMENT``: read a system the organization runs into a spec fragment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlorg.errors import UsageError


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_command)


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, val = value.partition("=")
        if not sep or not key.strip() or not val.strip():
            raise UsageError(f"{option} '{value}': expected NAME=VALUE")
        out[key.strip()] = val.strip()
    return out


def import_command(
    kind: Annotated[
        str,
        typer.Argument(
            help="hris, git-collab, git-review, pairs, slack, codeowners, backstage, mlflow, feast or openlineage."
        ),
    ],
    sources: Annotated[list[str], typer.Argument(help="Files, folders or URLs to read (see docs/import.md).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Fragment file to write (YAML); stdout if omitted.")
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="COLUMN=FIELD: read this column as this field (hris, pairs).")
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="KEY=VALUE setting of the importer (see docs/import.md).")
    ] = None,
    keep_names: Annotated[
        bool, typer.Option("--keep-names", help="Keep people's names; by default they become keyed pseudonyms.")
    ] = False,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Pseudonym key (default: import.key in the user's mlorg config folder)."),
    ] = None,
    aliases: Annotated[
        Path | None, typer.Option("--aliases", help="YAML mapping each person's main identity to their others.")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for a server.", min=0.1)] = 20.0,
) -> int:
    """Read an HR export, a catalog, a registry or a repository into a spec fragment with provenance."""
    import sys

    from mlorg.command_support import write_bytes
    from mlorg.gcpause import gc_paused
    from mlorg.render.escape import one_line
    from mlorg.sources import source_for
    from mlorg.sources.fragment import check, fragment_data, render
    from mlorg.sources.interface import ImportOptions
    from mlorg.sources.people import PersonIds, load_aliases, load_key

    source = source_for(kind)
    settings = _pairs(option, "--option")
    unknown = sorted(set(settings) - set(source.options))
    if unknown:
        known = ", ".join(source.options) or "none"
        raise UsageError(f"--option {unknown[0]}: '{kind}' does not take it (it takes: {known})")
    if mapping and not source.takes_mapping:
        raise UsageError(f"--map: '{kind}' has no columns to map")
    people = PersonIds(load_key(key_file), keep_names=keep_names, aliases=load_aliases(aliases) if aliases else None)
    options = ImportOptions(people=people, mapping=_pairs(mapping, "--map"), settings=settings, timeout=timeout)
    from mlorg.progress import progress

    # An import builds many small acyclic objects (100,000 people and their provenance): see mlorg.gcpause.
    with gc_paused(), progress(f"reading {kind} sources") as step:
        fragment = source.read(sources, options)
        step("checking the fragment")
        data = fragment_data(fragment)
        check(fragment, data, str(output) if output else "<fragment>")  # a fragment must be a valid spec on its own
        text = render(fragment, f"mlorg import {kind}", data)
    for note in fragment.notes:
        typer.echo(f"mlorg: note: {one_line(note)}", err=True)
    if output is None:
        sys.stdout.write(text)
        return 0
    write_bytes(text.encode("utf-8"), output)
    from mlorg.render.words import count

    singular = {"people": "person"}
    counts = ", ".join(
        count(len(getattr(fragment, s)), singular.get(s, s[:-1]), s)
        for s in ("teams", "people", "models", "features", "forums", "ties", "reviews")
        if getattr(fragment, s)
    )
    typer.echo(f"mlorg: wrote {one_line(str(output))} ({counts or 'nothing found'})", err=True)
    return 0
