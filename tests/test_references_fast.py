"""Reference checks settle a valid spec with C-level passes (issue 14); every problem is still the loop's.

Each broken spec below is checked twice, with the fast passes and with them switched off (every
section then goes through the loop that names each problem): the problems must be the same, in the
same order, with the same lines and words.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from mlorg.spec import references
from mlorg.spec.document import parse
from mlorg.spec.references import check_references
from mlorg.synth import generate

BASE = parse(generate(300, seed=5), "org.yaml")


def both_ways(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    fast = check_references(data, BASE.source)
    with monkeypatch.context() as patched:
        patched.setattr(references, "_field", lambda items, name: None)
        slow = check_references(data, BASE.source)
    return fast, slow


def break_it(data: dict[str, Any], rng: random.Random) -> str:
    section = rng.choice([s for s in references.SECTIONS if isinstance(data.get(s), list) and data[s]])
    items = data[section]
    i, j = rng.randrange(len(items)), rng.randrange(len(items))
    how = rng.randrange(9)
    if not isinstance(items[i], dict) or not isinstance(items[j], dict):
        return "nothing"
    teams, people, features = data.get("teams"), data.get("people"), data.get("features")
    if how in (4, 5) and not (isinstance(teams, list) and isinstance(people, list)):
        return "nothing"
    if how == 0:
        items[i]["id"] = items[j]["id"]
    elif how == 1:
        items[i]["id"] = rng.choice([5, None, ["x"], {"a": 1}])
    elif how == 2:
        items[i] = rng.choice(["a text", 7, ["a", "list"]])
    elif how == 3:
        field, _, is_list = rng.choice(references.REFERENCES.get(section) or [("x", (), False)])
        items[i][field] = ["nope", 3, ["x"]] if is_list else rng.choice(["nope", 3, ["x"], {"a": 1}, True])
    elif how == 4:  # a cycle: the first team under the last, a person reporting to one who reports to them
        assert isinstance(teams, list) and isinstance(people, list)
        teams[0]["parent"] = teams[-1]["id"]
        teams[-1]["parent"] = teams[0]["id"]
        a, b = people[i % len(people)], people[j % len(people)]
        a["reports_to"], b["reports_to"] = b.get("id"), a.get("id")
    elif how == 5:  # children listed before their parents, no cycle
        assert isinstance(teams, list) and isinstance(people, list)
        teams.reverse()
        people.reverse()
    elif how == 6:
        items[i]["reports_to" if section == "people" else "parent"] = items[i].get("id")
    elif how == 7 and isinstance(features, list) and isinstance(features[i % len(features)], dict):
        features[i % len(features)].update(window="6h", window_days=3)
    else:
        data[section] = {"not": "a list"}
    return f"{section} {how}"


@pytest.mark.parametrize("seed", range(60))
def test_fast_and_slow_checks_find_the_same_problems(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    data = copy.deepcopy(BASE.data)
    done = [break_it(data, rng) for _ in range(rng.randrange(4))]
    fast, slow = both_ways(data, monkeypatch)
    assert fast == slow, done


def test_a_valid_spec_has_no_problems_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    assert both_ways(copy.deepcopy(BASE.data), monkeypatch) == ([], [])


def test_a_long_chain_and_a_loop_far_down_it(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(BASE.data)
    teams = data["teams"]
    for k in range(1, len(teams)):  # each team under the next: a chain as long as the list, parents last
        teams[k - 1]["parent"] = teams[k]["id"]
    teams[-1].pop("parent", None)
    assert references._acyclic(teams, "parent", {t["id"]: k for k, t in enumerate(teams)})
    fast, slow = both_ways(data, monkeypatch)
    assert fast == slow == []
    teams[-1]["parent"] = teams[len(teams) // 2]["id"]
    fast, slow = both_ways(data, monkeypatch)
    assert fast == slow and len(fast) == 1 and "forms a cycle" in fast[0].message
