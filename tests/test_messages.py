"""Did-you-mean hints are offered for typos only, never for a word that means something else.

The real typos are ones leaders make (a dropped, doubled or swapped letter, another separator, other
case); the near-words are valid-looking values of another meaning, where following a hint would
silently change an assessment.
"""

from __future__ import annotations

from typing import get_args

import pytest

import mlorg
from mlorg.errors import SpecError
from mlorg.spec.messages import HINT_MAX_OPTIONS, closest, did_you_mean
from mlorg.spec.models import Freshness, Monitoring, Role, TeamKind, Tooling

ROLES = list(get_args(Role))
VOCABULARY = [*ROLES, *get_args(TeamKind), *get_args(Freshness), *get_args(Monitoring), *get_args(Tooling)]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ml_engneer", "ml_engineer"),  # dropped letter
        ("data_sceintist", "data_scientist"),  # swapped neighbours: one edit
        ("dta_engineer", "data_engineer"),
        ("mll", "ml"),  # doubled key
        ("engineering_manger", "engineering_manager"),
        ("product_marketting", "product_marketing"),
        ("quartely", "quarterly"),
        ("realtme", "realtime"),
        ("real-time", "realtime"),  # a separator added
        ("mlengineer", "ml_engineer"),  # a separator left out
        ("product-manager", "product_manager"),  # another separator
        ("Product_Manager", "product_manager"),  # other case
        ("designers", "designer"),  # plural
        ("experiment_traking", "experiment_tracking"),
        ("feature_stor", "feature_store"),
    ],
)
def test_real_typos_get_a_hint(typed: str, meant: str) -> None:
    assert closest(typed, VOCABULARY) == meant


@pytest.mark.parametrize(
    ("typed", "options"),
    [
        ("product_marketing", [r for r in ROLES if r != "product_marketing"]),  # the case
        ("engineer", ROLES),  # not an ML engineer: a hint would make a product engineer ML staff
        ("analyst", [r for r in ROLES if r != "analyst"]),  # not a business analyst
        ("design", ROLES),  # a team kind, not the designer role
        ("biweekly", list(get_args(Freshness))),  # every two weeks is not weekly
        ("marketing", ROLES),
        ("manager", ROLES),
        ("team-a", ["team-b", "team-c"]),  # one-letter parts must match
        ("model-1", ["model-2", "model-3"]),  # numbers name other items
        ("dat", ["data", "date"]),  # a tie: we cannot tell which was meant
        ("sre_ops", ROLES),
        ("", ROLES),
    ],
)
def test_near_words_of_another_meaning_get_none(typed: str, options: list[str]) -> None:
    assert closest(typed, options) is None
    assert did_you_mean(typed, options) == ""


def test_a_typo_among_numbered_ids_still_gets_its_hint() -> None:
    assert closest("modle-1", ["model-1", "model-2"]) == "model-1"


def test_too_many_options_give_no_hint() -> None:
    options = [f"team-{i}" for i in range(HINT_MAX_OPTIONS + 1)]
    assert closest("taem-7", options) is None
    assert closest("taem-7", options[:HINT_MAX_OPTIONS]) == "team-7"


def test_a_new_role_is_not_turned_into_an_old_one() -> None:
    """``product_marketing`` loads as itself; a misspelling of it is pointed at it, not at product_manager."""
    spec = "version: 2\norganization: {name: A}\nteams: [{id: t, kind: product}]\npeople:\n"
    loaded = mlorg.load_spec_text(spec + "  - {id: p, team: t, roles: [product_marketing]}\n")
    assert loaded.people[0].roles == ("product_marketing",)
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(spec + "  - {id: p, team: t, roles: [product_marketting]}\n")
    assert str(exc.value).endswith("; did you mean 'product_marketing'?")
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(spec + "  - {id: p, team: t, roles: [engineer]}\n")
    assert "did you mean" not in str(exc.value)
