"""Answers CSVs: the format, and a located file:line:column message for every way one can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlorg.errors import SpecError
from mlorg.survey.responses import parse_responses, read_responses

TEAMS = {"recs", "search"}


def problems(text: str, teams: set[str] | None = TEAMS) -> list[str]:
    with pytest.raises(SpecError) as exc:
        parse_responses(text, "answers.csv", team_ids=teams)
    return [str(p) for p in exc.value.problems]


def test_valid_csv_with_blanks_roles_and_bom() -> None:
    text = "\ufeffteam,role,westrum_info_sought,ml_data_audited\nrecs,ml_engineer,7,\nsearch,, 3 ,5\n,,1,1\n"
    res = parse_responses(text, "a.csv", team_ids=TEAMS)
    assert res.items == ("westrum_info_sought", "ml_data_audited")
    assert res.teams == ("recs", "search") and res.team.tolist() == [0, 1, -1]
    assert res.roles == ("ml_engineer",) and res.role.tolist() == [0, -1, -1]
    assert res.values[0, 0] == 7 and res.values[1, 0] == 3 and res.values[0, 1] != res.values[0, 1]


def test_unknown_item_column() -> None:
    assert problems("team,westrum_info_sougth\nrecs,3\n") == [
        "answers.csv:1:2: 'westrum_info_sougth': unknown column; did you mean 'westrum_info_sought'?"
    ]


def test_out_of_range_value() -> None:
    assert problems("team,westrum_new_ideas,ml_data_audited\nrecs,8,3\nsearch,4,6\nrecs,x,0\n") == [
        "answers.csv:2:2: westrum_new_ideas: '8' is not on the scale 1-7",
        "answers.csv:3:3: ml_data_audited: '6' is not on the scale 1-5",
        "answers.csv:4:2: westrum_new_ideas: 'x' is not on the scale 1-7",
        "answers.csv:4:3: ml_data_audited: '0' is not on the scale 1-5",
    ]


def test_unknown_team() -> None:
    assert problems("westrum_new_ideas,team\n4,recs\n5,serch\n") == [
        "answers.csv:3:2: team: 'serch' is not in the spec; did you mean 'search'?"
    ]


def test_unknown_role() -> None:
    assert problems("team,role,westrum_new_ideas\nrecs,ml_enginer,4\n") == [
        "answers.csv:2:2: role: 'ml_enginer' is not a known role; did you mean 'ml_engineer'?"
    ]


def test_missing_team_column() -> None:
    assert problems("role,westrum_new_ideas\n,4\n") == [
        "answers.csv:1:1: no 'team' column; the header must include team (and may include role)"
    ]


def test_duplicate_column_and_ragged_row() -> None:
    assert problems("team,westrum_new_ideas,westrum_new_ideas\nrecs,4,4\n") == [
        "answers.csv:1:3: westrum_new_ideas: duplicate column; already given in column 2"
    ]
    assert problems("team,westrum_new_ideas\nrecs,4,5\nsearch\n") == [
        "answers.csv:2:3: row has 3 cells; the header has 2",
        "answers.csv:3:2: row has 1 cells; the header has 2",
    ]


def test_quoted_multiline_cell_keeps_line_numbers_right() -> None:
    assert problems('team,role,westrum_new_ideas\nrecs,"ml_\nengineer",4\nrecs,,9\n')[-1] == (
        "answers.csv:4:3: westrum_new_ideas: '9' is not on the scale 1-7"
    )


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("team,westrum_new_ideas\nrecs,4\nr\xe9cs,5\n".encode("latin-1"))
    with pytest.raises(SpecError) as exc:
        read_responses(path, "latin1.csv")
    assert [str(p) for p in exc.value.problems] == [
        "latin1.csv:3:2: is not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("team,westrum_new_ideas\n".encode("utf-16"))
    with pytest.raises(SpecError, match="binary file"):
        read_responses(utf16, "utf16.csv")


def test_oversized_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("team,westrum_new_ideas\n" + "recs,4\n" * 100)
    with pytest.raises(SpecError, match="over the 100-byte limit"):
        read_responses(path, "big.csv", max_bytes=100)
    with pytest.raises(SpecError, match="no such file"):
        read_responses(tmp_path / "nope.csv")
    with pytest.raises(SpecError, match="empty"):
        parse_responses("", "e.csv")


def test_many_problems_are_capped() -> None:
    text = "team,westrum_new_ideas\n" + "recs,9\n" * 200
    found = problems(text)
    assert len(found) == 51 and found[0] == "answers.csv: more than 50 problems; stopped listing"


def test_bad_csv_exits_2_from_assess(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .survey_helpers import EXAMPLE

    bad = tmp_path / "answers.csv"
    bad.write_text("team,westrum_new_ideas\nrecs,12\n")
    res = run_cli("assess", str(EXAMPLE), "--survey", str(bad))
    assert res.code == 2
    assert f"{bad}:2:2: westrum_new_ideas: '12' is not on the scale 1-7" in res.stderr
    assert "Traceback" not in res.stderr
