"""``mlorg init``: a short interview that writes a valid, commented starter spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mlorg.errors import UsageError

if TYPE_CHECKING:
    from mlorg.starter import Answers

TRI = ("yes", "no", "unsure")
#: the short answers every command-line user types where yes or no is asked
YES_NO = {"y": "yes", "n": "no"}


def register(app: typer.Typer) -> None:
    app.command(name="init")(init)


def init(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the starter spec.")] = Path("org.yaml"),
    defaults: Annotated[bool, typer.Option("--defaults", help="Answer every question with its default.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
) -> int:
    """Interview a leader in fifteen questions and write a starter spec to refine.

    The spec says only what you answered. Answer "unsure" whenever you do not know: the field stays
    out of the spec, marked unknown, and the assessment lists it as an open question instead of
    guessing; fields the interview does not ask about are left out the same way, marked "not asked".
    """
    from mlorg.command_support import write_bytes
    from mlorg.spec.loader import load_spec_text
    from mlorg.starter import Answers, starter_spec

    if output.exists() and not force:
        raise UsageError(f"{output} already exists; use --force to overwrite it or -o to pick another file")
    try:
        answers = Answers() if defaults else interview()
    except typer.Abort:
        import sys

        if sys.stdin.isatty():
            raise  # Ctrl-C or Ctrl-D at a terminal: "aborted"
        # answers piped in that stop before the last question (click reads the end of input as an abort)
        raise UsageError(
            "the answers ended before the last question; nothing was written "
            "(give one answer a line for every question, or use --defaults)"
        ) from None
    text = starter_spec(answers)
    load_spec_text(text, str(output))  # the starter must load; a failure here is a bug, reported as one
    write_bytes(text.encode("utf-8"), output)
    from mlorg.render.escape import one_line

    typer.echo(one_line(f"mlorg: wrote {output}; next: edit it, then run `mlorg assess {output}`"), err=True)
    return 0


def ask_choice(text: str, options: tuple[str, ...], default: str) -> str:
    """A prompt that accepts one of ``options`` (shown after the question) and re-asks otherwise.

    Case does not matter, and where the options are yes and no, ``y`` and ``n`` answer them.
    """

    def parse(raw: object) -> str:
        # a value check of our own: typer's prompt types differ between the releases we support
        value = str(raw).strip().lower()
        if "yes" in options and "no" in options:
            value = YES_NO.get(value, value)
        if value not in options:
            raise typer.BadParameter(f"{value!r} is not one of: {', '.join(options)}")
        return value

    answer: str = typer.prompt(f"{text} ({'/'.join(options)})", default=default, value_proc=parse)
    return answer


def ask_int(text: str, default: int, low: int, high: int) -> int:
    """A prompt for a whole number in ``low..high``; re-asks with the reason when the answer is not."""

    def parse(raw: object) -> int:
        try:
            number = int(str(raw).strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise typer.BadParameter(f"{str(raw)!r} is not a whole number") from None
        if not low <= number <= high:
            raise typer.BadParameter(f"{number} is not in the range {low} to {high:,}")
        return number

    answer: int = typer.prompt(text, default=default, value_proc=parse)
    return answer


def interview() -> Answers:
    """Ask the questions; each shows its choices and its default in brackets."""
    from mlorg.starter import Answers

    d = Answers()
    typer.echo("A few questions about your organization. Answer 'unsure' when you do not know.\n", err=True)
    a: dict[str, Any] = {"name": str(typer.prompt("Organization name", default=d.name)).strip() or d.name}
    industry = str(typer.prompt("Industry, in a few words (blank if unsure)", default="", show_default=False))
    a["industry"] = industry.strip() or None
    a["headcount"] = ask_int("How many people work there?", d.headcount, 1, 10_000_000)
    a["ml_focus"] = ask_choice(
        "Is ML work mostly putting ML into products, research, or both?",
        ("implementation", "research", "both"),
        d.ml_focus,
    )
    a["regulated_personal_data"] = ask_choice(
        "Is data about people (customers, patients, staff) regulated where you work?", TRI, d.regulated_personal_data
    )
    a["ml_ambition"] = ask_choice(
        "How central should ML be?", ("none", "experimental", "core", "everywhere"), d.ml_ambition
    )
    a["strategy_written"] = ask_choice("Is the ML strategy, with its goals, written down?", TRI, d.strategy_written)
    a["leadership_ml_literacy"] = ask_choice(
        "How well do leaders understand how ML works and fails?",
        ("low", "medium", "high", "unsure"),
        d.leadership_ml_literacy,
    )
    a["ml_leader_in_leadership"] = ask_choice(
        "Does someone speak for ML in the leadership team?", TRI, d.ml_leader_in_leadership
    )
    a["has_ml_team"] = ask_choice("Is there a dedicated ML team?", TRI, d.has_ml_team)
    a["data_scientists"] = ask_int("How many data scientists (or ML researchers)?", d.data_scientists, 0, 1_000_000)
    a["ml_engineers"] = ask_int("How many ML engineers?", d.ml_engineers, 0, 1_000_000)
    total = a["data_scientists"] + a["ml_engineers"]
    a["experienced_ml_people"] = 0
    if total:
        a["experienced_ml_people"] = ask_int(
            f"Of those {total}, how many have shipped ML to production before?",
            min(d.experienced_ml_people, total),
            0,
            total,
        )
    a["production_models"] = ask_int("How many models run in production today?", d.production_models, 0, 10_000_000)
    a["integration_forum"] = ask_choice(
        "Is there a regular meeting where ML and product people decide together?", TRI, d.integration_forum
    )
    return Answers(**a)
