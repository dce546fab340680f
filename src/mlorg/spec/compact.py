"""Let a validated spec share what it holds many equal copies of (issue 14: memory).

pydantic gives every model instance its own ``__pydantic_fields_set__``, the set of fields the spec
wrote down. mlorg reads it (an absent field is unknown, an explicit ``null`` is a statement), so it must
stay exact; but a 100,000-person spec has about 170,000 of these sets and only a few dozen distinct ones,
and they were half of the validated spec's memory (110 of 226 MiB). Instances with equal sets now share
one set object. Nothing mutates these sets in place: the models are frozen, and pydantic's
``model_copy`` copies the set before updating it.
"""

from __future__ import annotations

import typing
from functools import cache

from pydantic import BaseModel

_SETTER = object.__setattr__


@cache
def _nested(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` whose declared type can hold another model (directly or in a list)."""

    def holds_model(tp: object) -> bool:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return True
        return any(holds_model(arg) for arg in typing.get_args(tp))

    return tuple(name for name, info in cls.model_fields.items() if holds_model(info.annotation))


def share_fields_sets(root: BaseModel) -> None:
    """Make every model under ``root`` share one set object with each model whose fields-set is equal."""
    shared: dict[frozenset[str], set[str]] = {}
    todo: list[list[BaseModel]] = [[root]]
    while todo:
        models = todo.pop()
        prev: set[str] = set()
        for model in models:
            own = model.__pydantic_fields_set__
            if own != prev:  # neighbours in a list mostly wrote the same fields: one C-level comparison
                prev = shared.setdefault(frozenset(own), own)
            if prev is not own:
                _SETTER(model, "__pydantic_fields_set__", prev)
        for name in {n for kind in set(map(type, models)) for n in _nested(kind)}:
            for model in models:
                value = model.__dict__.get(name)
                if isinstance(value, BaseModel):
                    todo.append([value])
                elif isinstance(value, (tuple, list)) and value:
                    todo.append([v for v in value if isinstance(v, BaseModel)])
