"""Survey instruments as package data: each YAML file in ``instruments/`` is one questionnaire.

Content lives in data so a wording change needs no code change. Every item has an id (the CSV
column name), its text, a scale and what it ``measures`` (constructs such as ``star.processes``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

ItemId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(Frozen):
    """An integer agreement scale; ``labels`` names some or all points."""

    min: int = Field(ge=0, le=100)
    max: int = Field(ge=1, le=100)
    labels: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("scale max must be above min")
        return self

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.min, self.max + 1))

    @property
    def span(self) -> int:
        return self.max - self.min

    def describe(self) -> str:
        return f"{self.min}-{self.max}"


class SpecFact(Frozen):
    """A spec field an item speaks to: a boolean, or whether a list ``contains`` a value."""

    field: str = Field(description="Dotted path into the spec, e.g. `practices.data_audit_done`.")
    contains: str | None = Field(None, description="For list fields: the value agreement implies is present.")


class Item(Frozen):
    id: ItemId
    text: str = Field(min_length=1, max_length=500)
    measures: tuple[str, ...] = Field(min_length=1)
    spec_fact: SpecFact | None = None


class Instrument(Frozen):
    id: ItemId
    title: str
    source: str
    description: str
    scale: Scale
    items: tuple[Item, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> Instrument:
        ids = [i.id for i in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"instrument {self.id}: duplicate item ids")
        return self


@cache
def instruments() -> tuple[Instrument, ...]:
    """Every bundled instrument, sorted by id; item ids are unique across all of them."""
    folder = resources.files("mlorg.survey.instruments")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found.append(Instrument.model_validate(yaml.safe_load(entry.read_text(encoding="utf-8"))))
    ids = [item.id for inst in found for item in inst.items]
    if len(ids) != len(set(ids)):  # pragma: no cover - guarded by tests on the package data
        raise ValueError("item ids must be unique across instruments")
    return tuple(sorted(found, key=lambda i: i.id))


def instrument(instrument_id: str) -> Instrument | None:
    return next((i for i in instruments() if i.id == instrument_id), None)


@cache
def item_index() -> dict[str, tuple[Instrument, Item]]:
    """Item id -> (its instrument, the item), for every bundled item."""
    return {item.id: (inst, item) for inst in instruments() for item in inst.items}
