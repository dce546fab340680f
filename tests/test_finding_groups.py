"""Grouping findings for the reports: the fast paths give what the plain ones gave (issue 14)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mlorg
from conftest import EXAMPLE
from mlorg.render.finding_groups import _field, evidence_pattern, group_findings, question_groups, questions_told
from mlorg.results import OpenQuestion
from orggen import generate_spec

PATH = re.compile(r"\[\d+\]")


@pytest.mark.parametrize(
    "path", ["a", "a[1]", "a[12].b", "a[1].b[2].c", "a[x].b", "a[].b", "a[\u0661].b", "a[1", "a]1[", "x[3]y[z]", "[5]"]
)
def test_field_drops_indexes_like_the_regex(path: str) -> None:
    assert _field(path) == PATH.sub("[]", path)


@given(st.text(alphabet="ab.[]0123456789\u0661", max_size=20))
def test_field_drops_indexes_like_the_regex_on_any_path(path: str) -> None:
    assert _field(path) == PATH.sub("[]", path)


@pytest.fixture(scope="module")
def assessed() -> mlorg.Assessment:
    return mlorg.assess(generate_spec(2000))


def test_top_groups_are_the_first_of_all_groups(assessed: mlorg.Assessment) -> None:
    findings = assessed.findings
    every = group_findings(findings, range(len(findings)), str, 3)
    assert len(every) > 5
    assert group_findings(findings, range(len(findings)), str, 3, top=5) == every[:5]


def test_remembered_patterns_are_the_patterns(assessed: mlorg.Assessment) -> None:
    findings = assessed.findings
    memo: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] = {}
    first = group_findings(findings, range(len(findings)), str, 3, patterns=memo)
    assert len(memo) == len(first)
    again = group_findings(findings, range(len(findings)), str, 3, patterns=memo)
    assert again == first
    for g in first:
        idx = [i for i, f in enumerate(findings) if f.rule == g.rule]
        assert g.pattern == evidence_pattern([findings[i].evidence for i in idx])


def test_example_groups_sorted_by_severity_then_reach(assessed: mlorg.Assessment) -> None:
    a = mlorg.assess(mlorg.load_spec(EXAMPLE))
    groups = group_findings(a.findings, range(len(a.findings)), str, 3)
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    keys = [(order[g.severity], -g.count, g.rule) for g in groups]
    assert keys == sorted(keys)
    assert {g.rule for g in groups} == {f.rule for f in a.findings}


def _asked(path: str, question: str, settles: str, entries: range) -> list[OpenQuestion]:
    """The same question of each entry (``{}`` in ``path`` and ``question`` is the entry's number)."""
    return [OpenQuestion(path=path.format(i), question=question.format(i), settles=(settles,)) for i in entries]


def _owner_questions(n: int) -> list[OpenQuestion]:
    """``n`` models without an owner, in the engine's order (paths sorted as text: models[10] before models[2])."""
    asked = _asked("models[{}].owner", "Who is accountable for model 'm{}'?", "model-without-owner", range(n))
    return sorted(asked, key=lambda q: q.path)


def test_the_same_question_of_many_entries_is_one_line_naming_the_first_entries() -> None:
    questions = [
        OpenQuestion(path="forums", question="Which forums exist?", settles=("no-integration-point",)),
        *_owner_questions(12),
        OpenQuestion(
            path="models[3].monitoring", question="What is monitored for model 'm3'?", settles=("no-drift-escalation",)
        ),
    ]
    groups = question_groups(questions)
    assert [g.path for g in groups] == ["forums", "models[].owner", "models[3].monitoring"]
    owners = groups[1]
    assert owners.count == 12 and owners.examples == ("models[0].owner", "models[1].owner", "models[2].owner")
    assert owners.text() == (
        "Who is accountable for model 'm0'? Asked of 12 entries in all, such as `models[0].owner`, "
        "`models[1].owner`, `models[2].owner`."
    )
    assert groups[0].text() == "Which forums exist?"
    assert questions_told(groups) == "3 open questions, over 14 fields"


def test_a_few_of_the_same_question_keep_a_line_each_in_their_order() -> None:
    """Two models without an owner are two lines, each naming its model: a group would hide the second name."""
    questions = _owner_questions(5)
    groups = question_groups(questions)
    assert [g.path for g in groups] == [q.path for q in questions] and all(g.count == 1 for g in groups)
    assert questions_told(groups) == "5 open questions"
    assert questions_told(groups[:1]) == "1 open question"


def test_questions_that_settle_different_rules_are_not_merged() -> None:
    experience = "people[{}].ml_experience"
    pms = _asked(
        experience, "Does product manager p{} have ML experience?", "ml-pm-without-ml-experience", range(0, 12, 2)
    )
    staff = _asked(experience, "How experienced in ML is p{}?", "no-experienced-ml", range(1, 12, 2))
    groups = question_groups(sorted(pms + staff, key=lambda q: q.path))
    assert [(g.path, g.count, g.settles) for g in groups] == [
        ("people[].ml_experience", 6, ("ml-pm-without-ml-experience",)),
        ("people[].ml_experience", 6, ("no-experienced-ml",)),
    ]


def test_a_large_organization_reports_its_open_questions_grouped() -> None:
    """A generated 2,000-person organization asks hundreds of per-entry questions; the report has a line per kind."""
    a = mlorg.assess(generate_spec(2000))
    assert len(a.open_questions) > 50
    from mlorg.render import render

    md = render(a, "markdown")
    section = md.split("## Open questions", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) == len(question_groups(a.open_questions)) < len(a.open_questions)
    assert "more not shown" not in section
    told = questions_told(question_groups(a.open_questions))
    assert f"({told})" in md and told.endswith(f", over {len(a.open_questions):,} fields")


def test_open_questions_come_in_entry_order_not_text_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Questions about models[2] and models[10] are asked in that order, as a reader counts entries."""
    models = "\n".join(f"  - {{id: m{i}, status: production, built_by: ml, operated_by: ml}}" for i in range(12))
    spec = tmp_path / "org.yaml"
    spec.write_text(
        "version: 2\norganization: {name: Twelve, headcount: 30}\nteams:\n  - {id: ml, kind: ml}\n"
        f"models:\n{models}\n",
        encoding="utf-8",
    )
    a = mlorg.assess(mlorg.load_spec(spec))
    owners = [q.path for q in a.open_questions if q.path.endswith("].owner")]
    assert owners == [f"models[{i}].owner" for i in range(12)]
    sections = [q.path.partition("[")[0] for q in a.open_questions]
    assert sections == sorted(sections)  # sections still in the order of their names
