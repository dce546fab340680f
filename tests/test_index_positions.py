"""The spec index takes over the positions the loader's reference check built (issue 14), and only those
that still describe the spec's lists; its lookups are the ones an item-by-item build gives."""

from __future__ import annotations

from mlorg.spec.document import parse
from mlorg.spec.index import SpecIndex
from mlorg.spec.loader import validate_spec
from mlorg.spec.models import Person
from mlorg.synth import generate

SECTIONS = ("teams", "people", "models", "features", "initiatives", "forums")


def _by_loop(spec: object) -> dict[tuple[str, str], int]:
    return {(s, item.id): i for s in SECTIONS for i, item in enumerate(getattr(spec, s))}


def test_index_uses_the_loaders_positions_and_they_are_right() -> None:
    spec = validate_spec(parse(generate(200, seed=3), "org.yaml"))
    handed = spec._positions
    assert handed is not None and handed["people"][0] is spec.people
    index = SpecIndex.of(spec)
    assert index.position.by_section["people"] is handed["people"][1]
    assert spec._positions is None  # taken over, not kept twice
    assert dict(index.position) == _by_loop(spec)
    assert len(index.position) == sum(len(getattr(spec, s)) for s in SECTIONS)
    first = spec.people[0]
    assert ("people", first.id) in index.position and ("people", "nobody-here") not in index.position
    assert index.path("people", first.id, "roles") == "people[0].roles"


def test_a_copy_with_other_people_builds_its_own_positions() -> None:
    spec = validate_spec(parse(generate(200, seed=3), "org.yaml"))
    extra = Person(id="zz-new", team=spec.teams[0].id)
    changed = spec.model_copy(update={"people": (extra, *spec.people)})
    assert changed._positions is not None  # carried along by the copy, but for the old list
    index = SpecIndex.of(changed)
    assert dict(index.position) == _by_loop(changed)
    assert index.path("people", "zz-new") == "people[0]"
