"""Page text helpers of the survey app: backticks as code, analysis text in words, problems split, team names."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from mlorg.errors import Problem
from mlorg.web.pages import TeamNames, problem_parts, ticks, words
from mlorg.web.store import RoundView

from .survey_helpers import EXAMPLE


def test_ticks_escapes_then_shows_backticked_text_as_code() -> None:
    assert ticks("give a `headcount` <b>") == "give a <code>headcount</code> &lt;b&gt;"
    assert ticks("`<script>`") == "<code>&lt;script&gt;</code>"
    assert ticks("a lone ` stays") == "a lone ` stays"


def test_words_names_ids_as_the_report_does() -> None:
    assert (
        str(words("an sre_ml is missing in `teams[0].kind`"))
        == "an SRE for ML or MLOps is missing in <code>teams[0].kind</code>"
    )


@pytest.mark.parametrize(
    ("problem", "where", "what"),
    [
        (
            Problem("pasted spec", 4, "teams[0].kind", "'x' is not one of"),
            "pasted spec:4: teams[0].kind:",
            "'x' is not one of",
        ),
        (Problem("invitations", 0, "recs", "is given twice"), "invitations: recs:", "is given twice"),
        (Problem("data.csv", 3, "", "bad\tcell", column=2), "data.csv:3:2:", "bad\\tcell"),
    ],
)
def test_a_problem_splits_into_its_location_and_its_message(problem: Problem, where: str, what: str) -> None:
    assert problem_parts(problem) == (where, what)
    assert f"{where} {what}" == str(problem)


def _view(text: str) -> RoundView:
    return RoundView("r1", "Round", "spec.yaml", text, ("westrum",), dt.date(2026, 1, 1), False)


def test_team_names_come_from_the_stored_spec_and_fall_back_to_ids(caplog) -> None:  # type: ignore[no-untyped-def]
    names = TeamNames(rounds=1)
    view = _view(EXAMPLE.read_text())
    assert names.name(view, "search") == "Site search" and names.name(view, "nosuch") == "nosuch"
    caplog.set_level(logging.WARNING, logger="mlorg.web")
    broken = RoundView("r2", "Round", "spec.yaml", "version: 1\nteams: nonsense\n", (), dt.date(2026, 1, 1), False)
    assert names.name(broken, "search") == "search"
    assert names.name(broken, "recs") == "recs"
    assert [r.getMessage() for r in caplog.records] == [
        "survey round r2: its stored spec no longer loads; teams are shown by id"
    ]
    assert names.name(view, "search") == "Site search", "the oldest round was dropped (rounds=1) and is read again"
