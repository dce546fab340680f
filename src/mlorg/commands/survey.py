"""``mlorg survey``: list the survey instruments' items, and score an answers CSV."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from mlorg.errors import UsageError

survey_app = typer.Typer(
    name="survey",
    help="Staff survey instruments (Westrum culture, ML-organization self-assessment) and answer CSVs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


class ItemsFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class InstrumentId(StrEnum):
    """The instruments shipped as package data (a test keeps the two equal)."""

    westrum = "westrum"
    ml_org = "ml_org"


class ScoreFormat(StrEnum):
    json = "json"


def _rows(instrument_id: str | None) -> list[dict[str, Any]]:
    from mlorg.survey.catalog import Instrument, instrument, instruments

    if instrument_id is not None:
        found = instrument(instrument_id)
        if found is None:
            known = ", ".join(i.id for i in instruments())
            raise UsageError(f"unknown instrument '{instrument_id}'; choose one of: {known}")
        chosen: tuple[Instrument, ...] = (found,)
    else:
        chosen = instruments()
    return [
        {
            "instrument": inst.id,
            "id": item.id,
            "text": item.text,
            "scale": {"min": inst.scale.min, "max": inst.scale.max, "labels": inst.scale.labels},
            "measures": list(item.measures),
            "spec_fact": item.spec_fact.model_dump(exclude_none=True) if item.spec_fact else None,
        }
        for inst in chosen
        for item in inst.items
    ]


def items(
    instrument: Annotated[
        InstrumentId | None, typer.Option("--instrument", "-i", help="Only this instrument (westrum or ml_org).")
    ] = None,
    format: Annotated[ItemsFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ItemsFormat.text,
) -> int:
    """List every survey item: id (the CSV column), text, scale and what it measures."""
    from mlorg.command_support import write_output

    rows = _rows(instrument.value if instrument else None)
    if format is ItemsFormat.json:
        text = json.dumps(rows, indent=2) + "\n"
    elif format is ItemsFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["instrument", "id", "text", "scale_min", "scale_max", "measures", "spec_fact"])
        for r in rows:
            fact = r["spec_fact"]
            fact_text = (
                "" if fact is None else fact["field"] + (f" contains {fact['contains']}" if "contains" in fact else "")
            )
            writer.writerow(
                [
                    r["instrument"],
                    r["id"],
                    r["text"],
                    r["scale"]["min"],
                    r["scale"]["max"],
                    " ".join(r["measures"]),
                    fact_text,
                ]
            )
        text = buf.getvalue()
    else:
        out = []
        current = None
        for r in rows:
            if r["instrument"] != current:
                current = r["instrument"]
                scale = r["scale"]
                out.append(f"{current} (scale {scale['min']}-{scale['max']})")
            out.append(f"  {r['id']:<32} {r['text']}")
            out.append(f"  {'':<32} measures: {', '.join(r['measures'])}")
        text = "\n".join(out) + "\n"
    write_output(text, None)
    return 0


def score(
    answers: Annotated[Path, typer.Argument(help="Answers CSV: team, optional role, one column per item id.")],
    spec: Annotated[
        Path | None,
        typer.Option("--spec", help="Check the team column against this spec's teams and use its settings."),
    ] = None,
    format: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="json (the only format for now).")
    ] = ScoreFormat.json,
) -> int:
    """Score an answers CSV: team and organization means, spread, alpha, coverage (privacy floor applied)."""
    from mlorg.command_support import write_output
    from mlorg.engine import effective_settings
    from mlorg.settings import Settings
    from mlorg.survey.responses import read_responses
    from mlorg.survey.scoring import score as score_answers

    if spec is not None:
        from mlorg.spec.loader import load_spec

        org = load_spec(spec)
        thresholds = effective_settings(org, None).thresholds
        teams: set[str] | None = {t.id for t in org.teams}
    else:
        thresholds, teams = Settings().thresholds, None
    result = score_answers(read_responses(answers, team_ids=teams), thresholds)
    write_output(json.dumps(result.model_dump(mode="json"), indent=2) + "\n", None)
    return 0


survey_app.command("items")(items)
survey_app.command("score")(score)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
