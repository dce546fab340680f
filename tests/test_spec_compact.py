"""A validated spec shares equal fields-sets between models (memory, issue 14) without changing any of them."""

from __future__ import annotations

from mlorg.spec.loader import load_spec_text

SPEC = """\
version: 2
organization: {name: Acme}
teams:
  - {id: ml, kind: ml, name: ML}
  - {id: shop, kind: product, name: Shop}
people:
  - {id: a, team: ml, roles: [ml_engineer]}
  - {id: b, team: ml, roles: [data_scientist]}
  - {id: c, team: shop}
  - {id: d, team: shop, reports_to: null}
  - {id: e, team: ml, roles: [ml_engineer]}
  - {id: f, team: ml, provenance: {system: hris, record: "7"}}
  - {id: g, team: ml, provenance: {system: hris, record: "8"}}
  - {id: h, team: ml, provenance: {system: hris, location: people.csv}}
forums:
  - {id: guild, kind: community_of_practice, teams: [ml, shop]}
"""


def test_equal_fields_sets_are_one_object_and_each_stays_exact() -> None:
    spec = load_spec_text(SPEC)
    people = {p.id: p for p in spec.people}
    # exactly what each entry wrote: absent and explicit null stay different statements
    assert people["a"].model_fields_set == {"id", "team", "roles"}
    assert people["c"].model_fields_set == {"id", "team"}
    assert people["d"].model_fields_set == {"id", "team", "reports_to"}
    assert "reports_to" not in people["c"].model_fields_set
    # equal sets are shared (the point: 170,000 sets, a few dozen distinct, at 100,000 people)
    assert people["a"].model_fields_set is people["b"].model_fields_set is people["e"].model_fields_set
    assert people["c"].model_fields_set is not people["a"].model_fields_set
    assert people["d"].model_fields_set is not people["a"].model_fields_set
    # models nested deeper share too, and stay exact
    assert spec.forums[0].model_fields_set == {"id", "kind", "teams"}
    f, g, h = (people[k].provenance for k in "fgh")
    assert f is not None and g is not None and h is not None
    assert f.model_fields_set == g.model_fields_set == {"system", "record"}
    assert f.model_fields_set is g.model_fields_set
    assert h.model_fields_set == {"system", "location"}


def test_model_copy_never_changes_a_shared_set() -> None:
    spec = load_spec_text(SPEC)
    a, b = spec.people[0], spec.people[1]
    copy = a.model_copy(update={"reports_to": "b"})
    assert "reports_to" in copy.model_fields_set
    assert "reports_to" not in a.model_fields_set and "reports_to" not in b.model_fields_set
