"""Which pydantic models a type annotation names, and which models a model reaches through its fields.

One walk for the three places that need it: the spec reference (every model a reader meets), the
fields-set sharing (which fields can hold a model) and the JSON writer (which models an assessment holds).
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models ``annotation`` names, through ``Optional``, unions, tuples, dicts and ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in models_in(arg)]


def reachable(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model reachable from it through field types, each once, in the order a reader meets them."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for f in model.model_fields.values():
            for inner in models_in(f.annotation):
                visit(inner)

    visit(root)
    return seen
