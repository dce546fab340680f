"""Build result objects from values that are already valid, without pydantic's per-object validation.

At 100,000 people the analyses build some 100,000 result objects, and validating each one was most
of their cost. :func:`build` sets the fields directly, the way ``model_construct`` does, but faster.
It does not coerce, so a caller passes exactly what validation would produce: tuples (not lists),
floats (not ints) for float fields, model instances (not dicts); omitted fields take their defaults
and are left out of ``model_fields_set``, as with the constructor. Tests set :data:`CHECK`, which
builds every object both ways and insists the two are identical, types and field order included.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from mlorg.results import Evidence, bare, bare_many

M = TypeVar("M", bound=BaseModel)

#: Tests turn this on: every :func:`build` then validates too and compares (slow; never in production).
CHECK = False

_MISSING: Any = object()
_TEMPLATES: dict[type[BaseModel], dict[str, Any]] = {}
#: Per class, the one ``model_fields_set`` shared by every object built with all its fields. Safe to
#: share: the models are frozen, and pydantic copies the set before changing it (``model_copy``).
_ALL_SET: dict[type[BaseModel], set[str]] = {}


def _template(cls: type[BaseModel]) -> dict[str, Any]:
    """Field name -> default, in declaration order (a required field maps to a sentinel)."""
    fields = cls.model_fields
    if cls.__pydantic_post_init__ or any(f.default_factory is not None for f in fields.values()):
        raise TypeError(f"{cls.__name__} needs validation to be built (post-init or default factory)")
    if not cls.model_config.get("frozen"):
        raise TypeError(f"{cls.__name__} is not frozen: its objects cannot share a fields set")
    out = {name: (_MISSING if f.is_required() else f.default) for name, f in fields.items()}
    _TEMPLATES[cls] = out
    _ALL_SET[cls] = set(out)
    return out


def build(cls: type[M], /, **values: Any) -> M:
    """``cls(**values)`` for values that are already valid and of the validated types."""
    template = _TEMPLATES.get(cls) or _template(cls)
    fields = template.copy()
    fields.update(values)
    if CHECK:
        return _checked(cls, values, fields, set(values))
    return bare(cls, fields, set(values))


def build_all(cls: type[M], values: dict[str, Any], /, given: set[str] | None = None) -> M:
    """:func:`build` for a dict that holds every field in declaration order (it becomes the object's own).

    ``given`` is what ``model_fields_set`` would be: the fields a constructor call would name (the
    rest hold their defaults); every field when omitted. It is shared, so pass a constant.
    """
    shared = given if given is not None else _ALL_SET.get(cls)
    if shared is None:
        _template(cls)
        shared = _ALL_SET[cls]
    if CHECK:
        return _checked(cls, {k: v for k, v in values.items() if k in shared}, values, shared)
    return bare(cls, values, shared)


def build_many(cls: type[M], rows: list[dict[str, Any]], /, given: set[str] | None = None) -> list[M]:
    """:func:`build_all` for many dicts of every field at once (C-level passes, no Python step per object)."""
    shared = given if given is not None else _ALL_SET.get(cls)
    if shared is None:
        _template(cls)
        shared = _ALL_SET[cls]
    if CHECK:
        return [_checked(cls, {k: v for k, v in values.items() if k in shared}, values, shared) for values in rows]
    return bare_many(cls, rows, shared)


def _checked(cls: type[M], kwargs: dict[str, Any], fields: dict[str, Any], fields_set: set[str]) -> M:
    """Build both ways and insist they agree: the constructor with ``kwargs``, and ``fields`` set directly."""
    validated = cls(**kwargs)
    template = _TEMPLATES.get(cls) or _template(cls)
    if list(fields) != list(template) or _MISSING in fields.values():
        raise AssertionError(f"{cls.__name__}: fields {list(fields)} are not {list(template)}")
    m = bare(cls, fields, fields_set)
    problem = difference(validated, m)
    if problem:
        raise AssertionError(f"{cls.__name__}: built differs from validated at {problem}")
    return m


def difference(a: object, b: object, where: str = "") -> str | None:
    """Where two values differ in value, type or order (None when identical); models compare field by field."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert isinstance(b, BaseModel)
        if a.model_fields_set != b.model_fields_set:
            return f"{where}: fields set {sorted(a.model_fields_set)} vs {sorted(b.model_fields_set)}"
        return difference(a.__dict__, b.__dict__, where)
    if isinstance(a, dict):
        assert isinstance(b, dict)
        if list(a) != list(b):
            return f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            found = difference(a[k], b[k], f"{where}.{k}")
            if found:
                return found
        return None
    if isinstance(a, (tuple, list)):
        assert isinstance(b, (tuple, list))
        if len(a) != len(b):
            return f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} vs {b!r}"


_PATH_VALUE = {"path", "value"}


def evidence_row(path: str, value: Any) -> dict[str, Any]:
    """The fields of :func:`evidence`, for building many at once (:func:`evidence_many`)."""
    return {"path": path, "value": value, "note": None, "provenance": None}


def evidence_many(rows: list[dict[str, Any]]) -> list[Evidence]:
    """:func:`evidence` for many :func:`evidence_row` dicts at once."""
    return build_many(Evidence, rows, _PATH_VALUE)


def evidence(path: str, value: Any) -> Evidence:
    """``Evidence(path=path, value=value)``, the commonest evidence, built directly."""
    return build_all(Evidence, {"path": path, "value": value, "note": None, "provenance": None}, _PATH_VALUE)
