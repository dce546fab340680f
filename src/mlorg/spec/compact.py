"""Let a validated spec share what it holds many equal copies of (issue 14: memory).

pydantic gives every model instance its own ``__pydantic_fields_set__``, the set of fields the spec
wrote down. mlorg reads it (an absent field is unknown, an explicit ``null`` is a statement), so it must
stay exact; but a 100,000-person spec has about 170,000 of these sets and only a few dozen distinct ones,
and they were half of the validated spec's memory (110 of 226 MiB). Instances with equal sets now share
one set object. Nothing mutates these sets in place: the models are frozen, and pydantic's
``model_copy`` copies the set before updating it.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from itertools import repeat
from operator import attrgetter

from pydantic import BaseModel

from mlorg.model_types import models_in

_SETTER = object.__setattr__
_FIELDS_SET = attrgetter("__pydantic_fields_set__")


@cache
def _nested(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` whose declared type can hold another model (directly or in a list)."""

    return tuple(name for name, info in cls.model_fields.items() if models_in(info.annotation))


def share_fields_sets(root: BaseModel) -> None:
    """Make every model under ``root`` share one set object with each model whose fields-set is equal."""
    shared: dict[frozenset[str], set[str]] = {}
    todo: list[list[BaseModel]] = [[root]]
    while todo:
        models = todo.pop()
        # three C-level passes, no Python step per model: each set, the one set kept per distinct value,
        # and that set put in its place
        own = list(map(_FIELDS_SET, models))
        kept = map(shared.setdefault, map(frozenset, own), own)
        deque(map(_SETTER, models, repeat("__pydantic_fields_set__"), kept), 0)
        for name in {n for kind in set(map(type, models)) for n in _nested(kind)}:
            # mostly None (``provenance`` of a hand-written spec): filtered out in C before any Python step
            for value in filter(None, map(attrgetter(name), models)):
                if isinstance(value, BaseModel):
                    todo.append([value])
                elif isinstance(value, (tuple, list)):
                    kinds = set(map(type, value))  # one kind of model per list, bar a few unions with text
                    if len(kinds) == 1 and issubclass(kinds.pop(), BaseModel):
                        todo.append(list(value))
                    else:
                        todo.append([v for v in value if isinstance(v, BaseModel)])
