"""Where the facts behind an answer came from, when they were imported.

Every answer carries evidence, each a breadcrumb into the spec (``teams[3].parent``, ``people``,
``organization.headcount``). After fragments are merged (:mod:`mlorg.spec.merge`) a breadcrumb may lead to
a value no one wrote in the spec: then the evidence names the system, the file or URL and the record it
was read from, so a leader can check it where it lives. Findings and every analysis result get the same
treatment; a value the spec wrote itself names nothing.

- An item's field (``models[0].status``): the item's own provenance, unless the spec wrote that field.
- A whole section (``people``): every system its items came from, and "the spec" for the ones written there.
- Anything else (``organization.headcount``, ``lists.people``): the fragment that gave the key the spec lacked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from itertools import repeat
from operator import attrgetter, is_not
from typing import Any, TypeVar

from pydantic import BaseModel

from mlorg.results import Evidence
from mlorg.spec.models import Organization

ITEM_SECTIONS = ("teams", "people", "models", "features", "forums", "initiatives")
_ITEM_PATH = re.compile(r"^(teams|people|models|features|forums|initiatives)\[(\d+)\](?:\.([A-Za-z_]+))?")
_INDEX = re.compile(r"\[[^\]]*\]")
#: Systems named for a whole section before "and N more".
MAX_SOURCES = 4

T = TypeVar("T")
_PROVENANCE = attrgetter("provenance")


def _any_provenance(items: Sequence[Any]) -> bool:
    """Does any item name a provenance? Read in C (``map``, ``is_not``): sections hold 100,000 items."""
    try:
        return any(map(is_not, map(_PROVENANCE, items), repeat(None)))
    except AttributeError:  # an item without the field
        return any(getattr(item, "provenance", None) is not None for item in items)


class Origins:
    """The provenance of one merged spec, read by breadcrumb; build it with :meth:`of`."""

    def __init__(self, spec: Organization) -> None:
        self.spec = spec
        merged = spec._imports
        self.hand: frozenset[tuple[str, str, str]] = (
            frozenset(merged.hand_written) if merged is not None else frozenset()
        )
        self.filled: dict[tuple[str, ...], str] = dict(merged.filled) if merged is not None else {}
        self.sources: dict[str, str] = dict(merged.sources) if merged is not None else {}

    @classmethod
    def of(cls, spec: Organization) -> Origins | None:
        """None when nothing in the spec came from elsewhere, so evidence is left exactly as it is."""
        if spec._imports is None and not any(_any_provenance(getattr(spec, section)) for section in ITEM_SECTIONS):
            return None
        return cls(spec)

    def where(self, path: str) -> str | None:
        """``SYSTEM: FILE-OR-URL (RECORD)`` for the value at ``path``, or None when the spec wrote it."""
        match = _ITEM_PATH.match(path)
        if match is not None:
            section, at, field = match.group(1), int(match.group(2)), match.group(3) or "id"
            items = getattr(self.spec, section)
            item = items[at] if at < len(items) else None
            prov = getattr(item, "provenance", None)
            if item is None or prov is None or (section, item.id, field) in self.hand:
                return None
            where = f"{prov.system}: {prov.location}" if prov.location else str(prov.system)
            return where + (f" ({prov.record})" if prov.record else "")
        if path in ITEM_SECTIONS:
            return self._section(path)
        keys = tuple(_INDEX.sub("", part) for part in path.split("."))
        for end in range(len(keys), 0, -1):
            label = self.filled.get(keys[:end])
            if label is not None:
                return self.sources.get(label, label)
        return None

    def _section(self, section: str) -> str | None:
        return self._sections.get(section)

    @cached_property
    def _sections(self) -> dict[str, str]:
        out = {}
        for section in ITEM_SECTIONS:
            places: dict[str, None] = {}
            by_hand = False
            for item in getattr(self.spec, section):
                prov = getattr(item, "provenance", None)
                if prov is None or (section, item.id, "id") in self.hand:
                    by_hand = True
                else:
                    places[f"{prov.system}: {prov.location}" if prov.location else str(prov.system)] = None
            if not places:
                continue
            named = sorted(places)
            text = "; ".join(named[:MAX_SOURCES])
            if len(named) > MAX_SOURCES:
                text += f" and {len(named) - MAX_SOURCES} more"
            out[section] = text + ("; the spec" if by_hand else "")
        return out

    def evidence(self, evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        """The same evidence, each item naming where its value came from (an item that already does is kept)."""
        out = []
        changed = False
        for e in evidence:
            if e.provenance is None:
                where = self.where(e.path)
                if where is not None:
                    e = e.model_copy(update={"provenance": where})
                    changed = True
            out.append(e)
        return tuple(out) if changed else evidence

    def result(self, obj: T) -> T:
        """``obj`` (an analysis result, a plan, an assessment) with every evidence in it given its provenance."""
        return self._walk(obj)  # type: ignore[no-any-return]

    def _walk(self, obj: Any) -> Any:
        if isinstance(obj, Evidence):
            return self.evidence((obj,))[0]
        if isinstance(obj, BaseModel):
            changes = {}
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                new = self._walk(value)
                if new is not value:
                    changes[name] = new
            return obj.model_copy(update=changes) if changes else obj
        if isinstance(obj, tuple | list):
            if not obj or isinstance(obj[0], str | int | float):
                return obj
            walked = [self._walk(v) for v in obj]
            if all(a is b for a, b in zip(walked, obj, strict=True)):
                return obj
            return tuple(walked) if isinstance(obj, tuple) else walked
        if isinstance(obj, dict):
            new_items = {k: self._walk(v) for k, v in obj.items()}
            return new_items if any(new_items[k] is not v for k, v in obj.items()) else obj
        return obj
