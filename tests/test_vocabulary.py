"""The version 2 role vocabulary: every role has a display name and a source, and the new roles
describe who is there without ever becoming something the roles analysis asks for."""

from __future__ import annotations

from typing import get_args

import mlorg
from mlorg import knowledge
from mlorg.spec.models import Role

NEW_ROLES = ("designer", "product_marketing", "engineering_manager", "analyst")


def test_every_role_has_one_catalogue_entry_with_a_name() -> None:
    catalogue = knowledge.roles().catalogue
    assert [r.id for r in catalogue] == list(get_args(Role))
    assert all(r.name and r.description for r in catalogue)
    assert knowledge.roles().name("product_marketing") == "Product marketing"
    assert knowledge.roles().name("analyst") == "Analyst or BI developer"


def test_new_roles_fill_no_function_and_are_never_hired() -> None:
    info = knowledge.roles()
    in_functions = {r for f in info.functions for r in (*f.roles, *f.partial_roles, *f.small_org_stand_ins)}
    assert in_functions.isdisjoint(NEW_ROLES)
    assert {h.role for h in info.hires}.isdisjoint(NEW_ROLES)


def test_an_organization_listing_the_new_roles_is_not_asked_for_them() -> None:
    spec = mlorg.load_spec_text(
        """\
version: 2
organization: {name: Shop, headcount: 120}
teams:
  - {id: storefront, kind: product, staffing: {designer: 3, product_marketing: 2, engineering_manager: 1}}
  - {id: bi, kind: data, staffing: {analyst: 4}}
people:
  - {id: eve, team: storefront, roles: [designer]}
  - {id: al, team: bi, roles: [analyst], leads_ml: false}
"""
    )
    result = mlorg.assess(spec)
    assert not [h for h in result.hiring_plan if h.role in NEW_ROLES]
    assert set(result.roles.coverage).isdisjoint(NEW_ROLES)
    # an analyst or BI developer does not run a line of business (rml-ch13): no business analyst is covered
    assert result.roles.coverage["business_analyst"].count == 0
