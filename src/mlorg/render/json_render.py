"""JSON: the stable contract of DESIGN §6 (and everything else the assessment holds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

import orjson
from pydantic import BaseModel
from pydantic_core import to_json

from mlorg.assessment import Assessment
from mlorg.model_types import reachable

#: Items serialized per call when a list is streamed: large enough that the per-call cost vanishes,
#: small enough that a batch's bytes are a few hundred kilobytes.
BATCH = 512


#: orjson's layout is pydantic-core's ``indent=2``; dates, dataclasses and subclasses of built-in types
#: are handed to :func:`_plain_fields`, which refuses them, so pydantic-core writes those values
_ORJSON = (
    orjson.OPT_INDENT_2
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def dumps(value: Any) -> bytes:
    """``to_json(value, indent=2)``, byte for byte, written by orjson where it can be: about twice as fast.

    orjson writes text, numbers, lists and mappings exactly as pydantic-core does (checked for every
    character and for random floats; where the installed releases differ, :func:`_agrees` turns orjson
    off), and result models as their fields (:func:`_plain_fields`).
    Whatever it cannot write the same way (a date, an integer past 64 bits, a model that serializes
    differently from its fields) makes it raise, and pydantic-core writes the whole value instead.
    The one difference: a float that is not finite becomes ``null``, where pydantic-core wrote
    ``Infinity`` or ``NaN``, which are not JSON. No result holds one (spec numbers are bounded).
    """
    if _agrees():
        try:
            return orjson.dumps(value, default=_plain_fields, option=_ORJSON)
        except orjson.JSONEncodeError:
            pass
    return to_json(value, indent=2)


#: Where two releases may write a value differently: floats on each side of the switch to exponents
#: (orjson wrote ``1e16`` before 3.11.9 and ``1e+16`` after; pydantic-core changed likewise), control
#: characters, non-ASCII text, empty containers, the 64-bit edges.
_PROBE = [
    [1e-4, 1e-5, 1e-6, 1e-7, 2.5e-8, 5e-324, 0.1, -0.0, 1.5, 1e15, 1e16, 1e17, 1e22, 1.7596799983890588e137],
    ['\x00\x1f\x7f\u2028"\\/é🎉', ""],
    [[], {}, {"a": [{}]}, 2**63 - 1, -(2**63), True, None],
]


@cache
def _agrees() -> bool:
    """Whether the installed orjson and pydantic-core write the probe alike (checked once).

    If not, pydantic-core writes everything: the bytes never depend on which writer ran.
    """
    return orjson.dumps(_PROBE, option=_ORJSON) == to_json(_PROBE, indent=2)


def _plain_fields(value: Any) -> dict[str, Any]:
    """A result model's fields, for orjson; anything else is refused (``TypeError``)."""
    if type(value) in _plain_models():
        fields: dict[str, Any] = value.__dict__
        return fields
    raise TypeError(type(value).__name__)


@cache
def _plain_models() -> frozenset[type[BaseModel]]:
    """The models an assessment holds whose serialized form is their ``__dict__``: every field, in order.

    Left out: a model with an alias, an excluded or computed field, a serializer, extra fields or a root;
    and a model that subclasses another one the assessment holds, since a field typed as the parent
    writes only the parent's fields.
    """
    found = reachable(Assessment)
    return frozenset(
        m for m in found if _serializes_as_dict(m) and not any(p is not m and issubclass(m, p) for p in found)
    )


def _serializes_as_dict(model: type[BaseModel]) -> bool:
    decorators = model.__pydantic_decorators__
    return not (
        model.model_computed_fields
        or decorators.field_serializers
        or decorators.model_serializers
        or model.model_config.get("extra") == "allow"
        or getattr(model, "__pydantic_root_model__", False)
        or any(key.startswith("ser_json") for key in model.model_config)
        or any(
            f.alias
            or f.serialization_alias
            or f.exclude
            or getattr(f, "exclude_if", None)
            or any("Serializer" in type(m).__name__ for m in f.metadata)
            for f in model.model_fields.values()
        )
    )


def render(assessment: Assessment) -> str:
    return b"".join(render_chunks(assessment)).decode("utf-8")


def render_chunks(assessment: Assessment) -> Iterator[bytes]:
    """The document as UTF-8 chunks, byte for byte what serializing it whole with ``indent=2`` gives.

    Streamed a field at a time, long lists a batch at a time, so a 100,000-person assessment's tens
    of megabytes never sit in memory at once (with the serializer's own buffer, that was twice the
    document on top of everything else).
    """
    yield from model_chunks(assessment, 0)
    yield b"\n"


def model_chunks(model: BaseModel, indent: int) -> Iterator[bytes]:
    """A model that sits ``indent`` spaces in, field by field; nested models likewise, long lists in batches.

    Field by field equals the whole: results declare no aliases, exclusions or custom serializers.
    """
    names = type(model).model_fields
    if not names:
        yield b"{}"
        return
    pad = b"\n" + b" " * (indent + 2)
    opening = b"{" + pad
    for name in names:
        value = getattr(model, name)
        yield opening + to_json(name) + b": "
        if isinstance(value, BaseModel):
            yield from model_chunks(value, indent + 2)
        elif isinstance(value, tuple) and len(value) > BATCH:
            yield from list_chunks(value, indent + 2)
        else:
            yield nested(dumps(value), indent + 2)
        opening = b"," + pad
    yield b"\n" + b" " * indent + b"}"


def nested(doc: bytes, indent: int) -> bytes:
    """``doc`` (serialized with ``indent=2`` at the top level) as it reads ``indent`` spaces further in.

    Exact: JSON text never holds a raw newline inside a string, so every newline is layout.
    """
    return doc.replace(b"\n", b"\n" + b" " * indent) if indent else doc


def list_chunks(
    items: Sequence[Any], indent: int, convert: Callable[[Any], Any] | None = None, batch: int | None = None
) -> Iterator[bytes]:
    """A list that sits ``indent`` spaces in, serialized ``batch`` items per call: ``[``, the items, ``]``.

    ``convert`` turns an item into what is serialized, a batch at a time, so the converted items never
    all exist at once either.
    """
    if not items:
        yield b"[]"
        return
    close = len(b"\n]") + indent
    batch = batch or BATCH
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        data = [convert(x) for x in part] if convert is not None else list(part)
        part = nested(dumps(data), indent)
        yield (b"[" if start == 0 else b",") + part[1:-close]  # b"[\n    {...},\n    {...}\n  ]" -> its items
    yield b"\n" + b" " * indent + b"]"
