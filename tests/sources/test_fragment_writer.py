"""``mlorg import`` checks a fragment from its models instead of parsing its text back, so the text must read back
as exactly the data checked: hostile values included, through the spec's own loader."""

from __future__ import annotations

import pytest

from mlorg.errors import SpecError
from mlorg.sources.fragment import check, fragment_data, render
from mlorg.sources.interface import Fragment
from mlorg.spec.loader import load_spec_text, parse_spec
from mlorg.spec.models import Lists, Person, Provenance, Team, Tie

#: Strings YAML would read as something else, or that hold its syntax, or that are merely unusual.
HOSTILE = [
    "yes", "No", "ON", "off", "y", "n", "null", "Null", "~", "true", "False", "1", "0x1f", "1e3", "-1", ".inf", ".nan",
    "1:30", "2026-01-02", "1_000", "#hash", "a #b", "a: b", "a:b", "- x", "[x]", "{x}", "x, y", "& anchor", "*alias",
    "!tag", "!!str", "%dir", "@at", "`tick", "'single'", '"double"', "back\\slash", "tab\there", " lead", "trail ",
    "ünïcødé", "日本語", "emoji 🚀", "zero\u200bwidth", "?", "-", ":", "|", ">", "a | b", "a > b", "line\u2028sep",
]  # fmt: skip


def _fragment(names: list[str]) -> Fragment:
    prov = Provenance(system="hris", location="exports/people: 2026.csv", record="line 2")
    teams = tuple(
        Team(id=f"t{n:03d}", name=name, kind="product", people_list="complete", provenance=prov)
        for n, name in enumerate(names)
    )
    people = tuple(
        Person(id=f"p{n:03d}", name=name, team=f"t{n:03d}", provenance=prov.model_copy(update={"record": name}))
        for n, name in enumerate(names)
    )
    ties = (Tie(a="p000", b="p001", weight=2, channel="code"),)
    return Fragment(
        system="hris", teams=teams, people=people, ties=ties, lists=Lists(people="complete"), headcount=len(names)
    )


def test_the_written_text_reads_back_as_the_data_checked() -> None:
    fragment = _fragment(HOSTILE)
    data = fragment_data(fragment)
    check(fragment, data, "fragment.yaml")
    text = render(fragment, "mlorg import hris", data)
    assert render(fragment, "mlorg import hris") == text  # the same bytes whether or not the data is passed in
    assert parse_spec(text, "fragment.yaml").data == data
    spec = load_spec_text(text, "fragment.yaml")
    assert [t.name for t in spec.teams] == [t.name for t in fragment.teams]
    assert [p.provenance.record for p in spec.people if p.provenance] == HOSTILE
    assert spec.model_dump() == load_spec_text(text, "again.yaml").model_dump()


def test_a_broken_fragment_is_refused_before_anything_is_written() -> None:
    """A source that built a dangling reference or a duplicate id is caught by the check, located by field."""
    fragment = _fragment(["a", "b"])
    dangling = Fragment(
        system="hris",
        teams=fragment.teams,
        people=(*fragment.people, Person(id="p9", team="nowhere")),
    )
    with pytest.raises(SpecError) as refused:
        check(dangling, fragment_data(dangling), "out.yaml")
    assert [p.path for p in refused.value.problems] == ["people[2].team"]
    assert "nowhere" in refused.value.problems[0].message
    twice = Fragment(system="hris", teams=(*fragment.teams, fragment.teams[0]))
    with pytest.raises(SpecError) as duplicate:
        check(twice, fragment_data(twice), "out.yaml")
    assert "duplicate team id 't000'" in str(duplicate.value.problems[0])
