"""The knowledge files: every entry cites a known source, and every id has code behind it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from mlorg import knowledge
from mlorg.analyses import maturity_checks, roles, star_model, structure
from mlorg.rules.registry import SOURCES
from mlorg.settings import Thresholds


def entries(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that is an item of a list (an entry), with a breadcrumb, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from entries(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict):
                yield f"{where}[{i}]", item
            yield from entries(item, f"{where}[{i}]")


@pytest.mark.parametrize("name", knowledge.FILES)
def test_every_entry_cites_a_valid_source(name: str) -> None:
    found = list(entries(knowledge.raw(name), name))
    assert found, f"{name} has no entries"
    bad = [where for where, item in found if item.get("source") not in knowledge.SOURCE_LABELS]
    assert not bad, f"entries without a valid source label: {bad}"


def test_source_labels_match_the_rule_registry() -> None:
    # knowledge comes from the five texts; rules may also cite "mlorg" for checks of its own settings
    assert set(knowledge.SOURCE_LABELS) == set(SOURCES) - {"mlorg"}


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (knowledge.Check, {"id": "x", "text": "y"}),
        (knowledge.Check, {"id": "x", "text": "y", "source": "wikipedia"}),
        (knowledge.MitigationInfo, {"id": "x", "text": "y", "source": ""}),
    ],
)
def test_entry_without_a_known_source_is_refused(model: type[knowledge.Entry], data: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(data)


def test_all_files_validate_and_are_cached() -> None:
    loaded = knowledge.load_all()
    assert set(loaded) == set(knowledge.FILES)
    assert knowledge.stages() is knowledge.stages()


def test_stages_are_the_five_in_ladder_order() -> None:
    assert tuple(s.id for s in knowledge.stages().stages) == knowledge.STAGE_ORDER
    assert knowledge.stages().stages[0].entry == ()  # getting started is the floor


def test_every_stage_check_has_an_evaluator_and_back() -> None:
    ids = [c.id for s in knowledge.stages().stages for c in (*s.entry, *s.checklist)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(maturity_checks.CHECKS)


def test_every_mitigation_is_catalogued_and_checked() -> None:
    info = knowledge.structures()
    catalogue = {m.id for m in info.mitigations}
    referenced = {m for s in info.structures for w in s.weak_points for m in w.mitigations}
    assert referenced <= catalogue
    assert catalogue == set(structure.MITIGATION_CHECKS)
    assert {s.id for s in info.structures} == {"none", "centralized", "decentralized", "hybrid"}


def test_recommendation_table_covers_every_case() -> None:
    for size, focus, stage in itertools.product(
        ("small", "mid", "enterprise"), ("implementation", "research", "both"), knowledge.STAGE_ORDER
    ):
        assert structure.recommend(size, focus, stage).structure != "none"  # type: ignore[arg-type]


def test_every_star_criterion_has_an_evaluator_and_back() -> None:
    ids = [c.id for p in knowledge.star_model().points for c in p.criteria]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(star_model.CRITERIA)
    assert tuple(p.id for p in knowledge.star_model().points) == star_model.POINTS


def test_every_hire_has_a_gap_check_and_known_sourcing() -> None:
    info = knowledge.roles()
    assert {h.id for h in info.hires} == set(roles.GAPS)
    routes = {r.id for r in info.sourcing}
    assert {r for h in info.hires for r in h.sourcing} <= routes
    assert [f.id for f in info.functions] == [
        "business_analyst",
        "product_manager",
        "data_engineer_or_scientist",
        "ml_engineer",
        "product_engineer",
        "sre_ml",
    ]


def test_culture_bands_name_real_settings_and_say_they_are_an_assumption() -> None:
    culture = knowledge.culture()
    assert "assumption" in culture.assumption
    names = {n for b in culture.bands for n in (b.lower_setting, b.upper_setting) if n}
    assert names and names <= set(Thresholds.model_fields)
    assert [b.id for b in culture.bands] == ["power_oriented", "rule_oriented", "performance_oriented"]
