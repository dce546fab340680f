"""Scoring: means, spread, Cronbach's alpha, coverage, divergence, and the privacy floor."""

from __future__ import annotations

import csv
import dataclasses
import io
import random

import numpy as np
import pytest

from mlorg.settings import Thresholds
from mlorg.survey.catalog import instrument
from mlorg.survey.responses import parse_responses
from mlorg.survey.scoring import score, visible_groups

WESTRUM = [i.id for i in instrument("westrum").items]  # type: ignore[union-attr]


def csv_of(rows: list[tuple[str, list[int | None]]], items: list[str] = WESTRUM) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["team", *items])
    for team, values in rows:
        w.writerow([team, *("" if v is None else v for v in values)])
    return buf.getvalue()


def test_means_spread_and_alpha_match_hand_computation() -> None:
    answers = [[5, 6, 5, 6, 5, 6, 5], [3, 3, 4, 3, 3, 4, 3], [7, 7, 6, 7, 7, 6, 7], [4, 5, 4, 5, 4, 5, 4],
               [2, 2, 3, 2, 2, 3, 2], [6, 6, 6, 5, 6, 6, 6]]  # fmt: skip
    res = parse_responses(csv_of([("a", row) for row in answers]), "x.csv")
    w = score(res, Thresholds()).instrument("westrum")
    assert w is not None
    m = np.array(answers, dtype=float)
    per = m.mean(axis=1)
    assert w.mean == round(per.mean(), 3) and w.spread == round(per.std(ddof=1), 3)
    k = m.shape[1]
    alpha = k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))
    assert w.alpha == round(alpha, 3) and w.alpha > 0.9
    assert w.alpha_respondents == 6 and w.coverage == "sufficient" and w.confidence == 1.0
    assert [t.group for t in w.teams] == ["a"] and w.teams[0].respondents == 6


def test_blank_answers_use_each_respondents_own_items() -> None:
    rows = [("a", [7, None, None, None, None, None, None]), *[("a", [1] * 7) for _ in range(4)]]
    w = score(parse_responses(csv_of(rows), "x.csv"), Thresholds()).instrument("westrum")
    assert w is not None and w.mean == round((7 + 4 * 1) / 5, 3)
    assert w.alpha_respondents == 4 and w.alpha is None  # fewer complete answers than the floor


def test_privacy_floor_hides_small_groups_and_their_complement() -> None:
    rows = [("big", [6] * 7)] * 6 + [("mid", [4] * 7)] * 5 + [("tiny", [1] * 7)] * 2
    w = score(parse_responses(csv_of(rows), "x.csv"), Thresholds()).instrument("westrum")
    assert w is not None and w.mean is not None
    shown = [t.group for t in w.teams]
    assert "tiny" not in shown
    # Showing both big and mid would let anyone subtract them from the org mean and find tiny's answers.
    assert shown == ["big"] and w.hidden_teams == 2
    text = w.model_dump_json()
    assert "tiny" not in text and "mid" not in text


def test_below_the_floor_nothing_but_counts_is_shown() -> None:
    rows = [("a", [7] * 7)] * 4
    w = score(parse_responses(csv_of(rows), "x.csv"), Thresholds()).instrument("westrum")
    assert w is not None
    assert (w.respondents, w.mean, w.spread, w.alpha, w.teams, w.items, w.constructs) == (
        4,
        None,
        None,
        None,
        (),
        (),
        (),
    )
    assert w.coverage == "low" and w.confidence == 0.8


@pytest.mark.parametrize(
    ("counts", "total", "shown"),
    [({"a": 5, "b": 5}, 10, {"a", "b"}), ({"a": 5, "b": 4}, 9, set()), ({"a": 6, "b": 5, "c": 1}, 12, {"a"}),
     ({"a": 9}, 9, {"a"}), ({"a": 9}, 11, set()), ({"a": 3}, 3, set()), ({"a": 5, "b": 7}, 15, {"b"})],
)  # fmt: skip
def test_visible_groups(counts: dict[str, int], total: int, shown: set[str]) -> None:
    assert visible_groups(counts, total, 5) == shown


def test_divergent_team_is_flagged() -> None:
    rows = [("split", [1] * 7)] * 3 + [("split", [7] * 7)] * 3 + [("calm", [5] * 7)] * 6
    w = score(parse_responses(csv_of(rows), "x.csv"), Thresholds()).instrument("westrum")
    assert w is not None and w.divergent_teams == ("split",)
    assert w.team("calm") is not None and not w.team("calm").divergent  # type: ignore[union-attr]


def test_constructs_and_items_of_the_self_assessment() -> None:
    items = ["ml_data_audited", "ml_goals_written", "ml_idea_intake"]
    rows = [("a", [1, 5, 3])] * 5
    ml = score(parse_responses(csv_of(rows, items), "x.csv"), Thresholds()).instrument("ml_org")
    assert ml is not None
    by = {c.measure: c for c in ml.constructs}
    assert by["maturity.getting_started"].mean == 3.0 and by["maturity.getting_started"].normalized == 0.5
    assert by["star.processes"].mean == 3.0 and by["star.strategy"].normalized == 1.0
    assert ml.item("ml_data_audited").mean == 1.0  # type: ignore[union-attr]


def test_100000_responses_score() -> None:
    rng = random.Random(7)
    teams = [f"team-{i}" for i in range(200)]
    header = ["team", "role", *WESTRUM, "ml_data_audited", "ml_monitoring"]
    lines = [",".join(header)]
    for n in range(100_000):
        team = teams[n % 200]
        base = 2 if team == "team-0" else 5
        cells = [str(min(7, max(1, base + rng.randint(-1, 1)))) for _ in WESTRUM]
        if n % 10 == 0:
            cells[3] = ""
        lines.append(",".join([team, "ml_engineer" if n % 2 else "", *cells, str(rng.randint(1, 5)), ""]))
    res = parse_responses("\n".join(lines) + "\n", "big.csv", team_ids=set(teams))
    result = score(res, Thresholds())
    w = result.instrument("westrum")
    assert result.respondents == 100_000 and w is not None and w.respondents == 100_000
    assert len(w.teams) == 200 and w.team("team-0").mean < 2.5 < 4.5 < w.team("team-1").mean  # type: ignore[union-attr]
    assert 4.8 < w.mean < 5.0 and w.alpha is not None
    ml = result.instrument("ml_org")
    assert ml is not None and ml.item("ml_monitoring").answered == 0 and ml.item("ml_data_audited").answered == 100_000  # type: ignore[union-attr]
    assert [r.group for r in w.roles] == ["ml_engineer"]


@pytest.mark.parametrize("size", [0, 1, 4, 5, 9, 60, 3001])
@pytest.mark.parametrize("blank", [0.0, 0.3, 0.9])
def test_scoring_equals_the_row_wise_reference_bit_for_bit(size: int, blank: float) -> None:
    """Sums over items are taken item-major (issue 14); every figure stays what summing along each
    row gave, compared as exact floats, on answers with blanks, empty rows, teams under the floor."""
    from mlorg.survey.catalog import instruments
    from mlorg.survey.responses import from_records

    from .scoring_reference import score as reference

    rng = random.Random(size * 10 + int(blank * 10))
    catalog = [(item.id, inst.scale.min, inst.scale.max) for inst in instruments() for item in inst.items]
    teams = [f"team-{i}" for i in range(rng.randint(1, 12))]
    records = [
        (
            rng.choice([*teams, None]),
            rng.choice([None, "ml_engineer", "data_scientist", "sre_ml"]),
            {item: rng.randint(lo, hi) for item, lo, hi in catalog if rng.random() >= blank},
        )
        for _ in range(size)
    ]
    res = from_records(records, "random")
    by_column = dataclasses.replace(res, values=np.asfortranarray(res.values))  # as the web app keeps them
    for floor in (1, 5):
        thresholds = Thresholds(privacy_floor=floor)
        theirs = reference(res, thresholds)
        for ours in (score(res, thresholds), score(by_column, thresholds)):
            assert ours == theirs
            assert ours.model_dump_json() == theirs.model_dump_json()
