"""Result objects built without validation (:mod:`mlorg.analyses.fast`) are the ones validation builds.

With ``fast.CHECK`` on, every :func:`~mlorg.analyses.fast.build` also validates and compares, types,
field order and ``model_fields_set`` included; the whole assessment of every case-library org, the
bundled example and generated orgs (with their variants) must pass that check.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

import mlorg
from mlorg.analyses import fast
from mlorg.results import Evidence, Result
from mlorg.spec.loader import load_spec
from mlorg.spec.models import Organization
from orggen import generate

ORGS = Path(__file__).parents[1] / "cases" / "orgs"
EXAMPLE = Path(mlorg.__file__).parent / "examples" / "yarnit.yaml"


class _Sample(Result):
    name: str
    score: float = 0.0
    tags: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    note: str | None = Field(None, description="optional")


@pytest.fixture
def checked() -> Iterator[None]:
    fast.CHECK = True
    try:
        yield
    finally:
        fast.CHECK = False


def test_build_sets_defaults_and_fields_set_like_the_constructor() -> None:
    built = fast.build(_Sample, name="a", tags=("x",))
    validated = _Sample(name="a", tags=("x",))
    assert fast.difference(validated, built) is None
    assert built.model_fields_set == {"name", "tags"}
    assert built.model_dump_json() == validated.model_dump_json()
    assert built == validated and hash(built) == hash(validated)


def test_objects_sharing_a_fields_set_copy_it_before_an_update() -> None:
    """``build_all`` objects share one fields set; ``model_copy(update=...)`` (as provenance does) must not leak."""
    a = fast.evidence("models[0].kpi", "model")
    b = fast.evidence("models[1].kpi", None)
    assert a.model_fields_set is b.model_fields_set == {"path", "value"}
    changed = a.model_copy(update={"provenance": "hris: people.csv"})
    assert changed.model_fields_set == {"path", "value", "provenance"}
    assert a.model_fields_set == b.model_fields_set == {"path", "value"}
    assert fast.difference(Evidence(path="models[1].kpi", value=None), b) is None


@pytest.mark.parametrize(
    "values",
    [
        {"name": "a", "score": 1},  # int where validation gives a float
        {"name": "a", "tags": ["x"]},  # list where validation gives a tuple
        {"name": "a", "evidence": ({"path": "p"},)},  # dict where validation gives a model
        {"score": 1.0},  # required field missing
        {"name": "a", "extra": 1},  # unknown field
    ],
)
def test_check_refuses_what_validation_would_change(checked: None, values: dict[str, Any]) -> None:
    with pytest.raises((AssertionError, ValueError)):
        fast.build(_Sample, **values)


def _variants(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The org as given, then with lists and answers thinned out so the unknown branches run too."""
    yield data
    sparse = copy.deepcopy(data)
    for i, f in enumerate(sparse.get("features", [])):
        for key in ("freshness", "transformation", "sensitivity", "owner", "in_production")[i % 5 :: 2]:
            f.pop(key, None)
    for i, m in enumerate(sparse.get("models", [])):
        if i % 3 == 0:
            m.pop("features", None)
        if i % 4 == 1:
            m.pop("purpose", None)
    for i, p in enumerate(sparse.get("people", [])):
        if i % 4 == 0:
            p.pop("roles", None)
    sparse.setdefault("strategy", {})["business_constraints"] = [
        "inventory",
        {"name": "margin", "purposes": ["pricing"]},
        {"name": "stock", "models": [m["id"] for m in sparse.get("models", [])[:3]]},
    ]
    yield sparse


def _assess_all(spec: Organization) -> None:
    mlorg.assess(spec)


@pytest.mark.parametrize("path", [EXAMPLE, *sorted(p for p in ORGS.glob("*.yaml") if ".expect." not in p.name)])
def test_every_built_result_matches_validation_on_case_orgs(checked: None, path: Path) -> None:
    _assess_all(load_spec(path))


def test_every_built_result_matches_validation_on_generated_orgs(checked: None) -> None:
    for data in _variants(generate(600)):
        _assess_all(Organization.model_validate(data))


def test_build_many_builds_what_build_all_builds() -> None:
    rows = [{"name": n, "score": 1.0, "tags": (n,), "evidence": (), "note": None} for n in ("a", "b")]
    many = fast.build_many(_Sample, [dict(r) for r in rows])
    assert [fast.difference(_Sample(**r), m) for r, m in zip(rows, many, strict=True)] == [None, None]
    assert many[0].model_fields_set is many[1].model_fields_set == set(_Sample.model_fields)
