"""JSON: the stable contract of DESIGN §6 (and everything else the assessment holds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_json

from mlorg.assessment import Assessment

#: Items serialized per call when a list is streamed: large enough that the per-call cost vanishes,
#: small enough that a batch's bytes are a few hundred kilobytes.
BATCH = 512


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
            yield nested(to_json(value, indent=2), indent + 2)
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
        part = nested(to_json(data, indent=2), indent)
        yield (b"[" if start == 0 else b",") + part[1:-close]  # b"[\n    {...},\n    {...}\n  ]" -> its items
    yield b"\n" + b" " * indent + b"]"
