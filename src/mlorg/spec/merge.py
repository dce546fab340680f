"""Fragments written by ``mlorg import`` merged into a hand-written spec, before anything is validated.

The flow stays one-way (sources -> spec -> facts): fragments change the spec's data, never a fact.

- Items (teams, people, models, features, forums, initiatives) are matched by id. Imported people
  carry keyed pseudonyms, so the same person read from two systems (by email, or joined by the
  import's alias file) already has one id; ``--aliases`` at assess time maps a hand-written
  person's id to the ids imports gave them.
- The hand-written spec wins, field by field; each time it overrides an imported value that says
  otherwise, a note says so. Between two fragments the first given wins and the disagreement is a
  note: conflicts are reported, never resolved silently.
- Mapping sections (``organization``, ``lists``, ...) are filled key by key the same way.
- Observed ties (``collaboration.ties`` and ``collaboration.reviews``) are observations, not values
  that can disagree: the spec's and every fragment's are kept together (a git history and a chat
  export add up).
- Items keep their ``provenance``; :func:`hand_written` lists the fields the spec itself wrote on
  imported items, so evidence can name the system a value came from and only that.

The spec's own data is updated in place, so every line number of a problem in the spec still
points into the spec file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlorg.errors import Problem, SpecError
from mlorg.files import NamedAt, confined, label_for
from mlorg.spec.messages import shown

ITEM_SECTIONS = ("teams", "people", "models", "features", "forums", "initiatives")
#: Fields holding a person's id, rewritten when ``--aliases`` names a person's imported ids.
PERSON_FIELDS = {"people": ("id", "reports_to"), "models": ("owner", "escalation")}
#: Lists whose entries from the spec and every fragment add up instead of the first winning.
ADDED_UP = {("collaboration", "ties"), ("collaboration", "reviews")}
#: Keys compared without case or punctuation: two systems spelling a team's name differently agree.
_LOOSE = {"name"}
MAX_FRAGMENTS = 100


@dataclass
class Merged:
    """What merging added: notes for the user, and which fields of imported items the spec wrote itself."""

    fragments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hand_written: set[tuple[str, str, str]] = field(default_factory=set)
    #: Keys outside the item sections (``organization.headcount``, ``lists.people``) a fragment gave, by path.
    filled: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: Each fragment's label -> the system (and file or URL) it was imported from, for evidence.
    sources: dict[str, str] = field(default_factory=dict)


def fragment_paths(
    data: Mapping[str, Any],
    base_dir: Path | None,
    label: str,
    source: Any,
    allow_outside: Sequence[str | os.PathLike[str]] = (),
) -> list[tuple[str, Path]]:
    """The spec's ``imports:`` entries as (label, path); a bad entry is located.

    Like every path a spec names, each must stay in the spec's folder unless the command line
    allows another (:func:`mlorg.files.confined`), and must be a regular file.
    """
    imports = data.get("imports")
    if imports is None:
        return []
    if not isinstance(imports, list) or not all(isinstance(i, str) and i.strip() for i in imports):
        line = source.line(("imports",)) if source is not None else 0
        raise SpecError.single(label, f"expected a list of fragment files, got {shown(imports)}", line, "imports")
    out = []
    for at, entry in enumerate(imports):
        line = source.line(("imports", at)) if source is not None else 0
        target = confined(entry, base_dir, NamedAt(label, line, f"imports[{at}]"), allow_outside)
        if not target.is_file():
            message = f"no fragment file {shown(entry)} (read relative to the spec's folder)"
            raise SpecError.single(label, message, line, f"imports[{at}]")
        out.append((label_for(entry, label), target))
    return out


def apply(
    parsed: Any,
    base_dir: Path | None,
    label: str,
    fragments: Sequence[str | Path],
    aliases: Mapping[str, str] | None,
    allow_outside: Sequence[str | os.PathLike[str]] = (),
) -> Merged:
    """Merge the spec's ``imports:`` and the ``--with`` fragments (in that order) into ``parsed.data``, in place."""
    paths = fragment_paths(parsed.data, base_dir, label, parsed.source, allow_outside)
    for given in fragments:
        target = Path(given)
        if not target.is_file():
            raise SpecError.single(str(given), "no such fragment file")
        paths.append((str(given), target))
    return merge_into(parsed.data, load_fragments(paths), aliases)


def merge_into(
    spec: dict[str, Any],
    fragments: Sequence[tuple[str, dict[str, Any]]],
    aliases: Mapping[str, str] | None = None,
) -> Merged:
    """Merge fragment data (label, data) into the spec's data, in place; return the notes and hand-written fields."""
    merged = Merged(fragments=[label for label, _ in fragments])
    if len(fragments) > MAX_FRAGMENTS:
        raise SpecError.single(fragments[0][0], f"over {MAX_FRAGMENTS} fragments; merge fewer")
    renamed = [(label, _rename_people(data, aliases or {})) for label, data in fragments]
    # Fragments merge first among themselves (first given wins), then the spec over the result.
    imported: dict[str, Any] = {}
    origin: dict[tuple[str, ...], str] = {}
    for label, data in renamed:
        _fill(imported, data, (), label, origin, merged.notes)
        merged.sources[label] = fragment_source(label, data)
    outside = {path: label for path, label in origin.items() if path[0] not in ITEM_SECTIONS}
    _over(spec, imported, (), origin, merged, outside)
    return merged


def fragment_source(label: str, data: Mapping[str, Any]) -> str:
    """What a fragment as a whole was imported from: ``hris: people.csv`` when its items agree, else its file."""
    places: set[tuple[str, str | None]] = set()
    for section in ITEM_SECTIONS:
        items = data.get(section)
        for item in items if isinstance(items, list) else ():
            prov = item.get("provenance") if isinstance(item, dict) else None
            if isinstance(prov, dict) and isinstance(prov.get("system"), str):
                places.add((prov["system"], prov.get("location") if isinstance(prov.get("location"), str) else None))
    systems = {system for system, _ in places}
    if not systems:  # no items (ties only): `mlorg import` names the system in the organization's name
        org = data.get("organization")
        name = org.get("name") if isinstance(org, dict) else None
        if isinstance(name, str) and name.startswith("Imported from "):
            systems = {name.removeprefix("Imported from ")}
    if len(places) == 1:
        system, location = next(iter(places))
        return f"{system}: {location or label}"
    return f"{next(iter(systems))}: {label}" if len(systems) == 1 else label


def _rename_people(data: dict[str, Any], aliases: Mapping[str, str]) -> dict[str, Any]:
    """Imported person ids that ``--aliases`` maps to a hand-written id, rewritten everywhere they are used."""
    if not aliases:
        return data
    out = dict(data)
    collab = data.get("collaboration")
    if isinstance(collab, dict):
        renamed = dict(collab)
        for key, fields in (("ties", ("a", "b")), ("reviews", ("author",))):
            if isinstance(collab.get(key), list):
                renamed[key] = [
                    {k: aliases.get(v, v) if k in fields and isinstance(v, str) else v for k, v in item.items()}
                    if isinstance(item, dict)
                    else item
                    for item in collab[key]
                ]
        out["collaboration"] = renamed
    for section, fields in PERSON_FIELDS.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        out[section] = [
            {k: aliases.get(v, v) if k in fields and isinstance(v, str) else v for k, v in item.items()}
            if isinstance(item, dict)
            else item
            for item in items
        ]
    return out


def _same(key: str, a: Any, b: Any) -> bool:
    if key in _LOOSE and isinstance(a, str) and isinstance(b, str):
        return _loose(a) == _loose(b)
    return bool(a == b)


def _loose(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _is_id(part: str) -> bool:
    return part.startswith("\0")


def _show(path: tuple[str, ...]) -> str:
    """``teams[ml-platform].parent`` from the internal path ``('teams', '\\0ml-platform', 'parent')``."""
    out = ""
    for part in path:
        if _is_id(part):
            out += f"[{part[1:]}]"
        else:
            out += f".{part}" if out else part
    return out


def _fill(
    into: dict[str, Any],
    data: Mapping[str, Any],
    path: tuple[str, ...],
    label: str,
    origin: dict[tuple[str, ...], str],
    notes: list[str],
) -> None:
    """Fragment over the fragments before it: missing keys are added, differing values are a conflict note."""
    for key, value in data.items():
        if not path and key in ("version", "imports"):
            continue
        here = (*path, key)
        if not path and key in ITEM_SECTIONS and isinstance(value, list):
            items = into.setdefault(key, {})
            for item in value:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                ident = (*here, "\0" + item["id"])
                if ident not in origin:
                    origin[ident] = label
                    items[item["id"]] = {}
                _fill(items[item["id"]], item, ident, label, origin, notes)
            continue
        if key not in into:
            into[key] = list(value) if here in ADDED_UP and isinstance(value, list) else value
            origin[here] = label
        elif here in ADDED_UP and isinstance(into[key], list) and isinstance(value, list):
            into[key].extend(value)
        elif isinstance(into[key], dict) and isinstance(value, dict) and key != "provenance":
            _fill(into[key], value, here, label, origin, notes)
        elif key == "provenance" or here == ("organization", "name") or _same(key, into[key], value):
            continue
        else:
            notes.append(
                f"conflict: {_show(here)}: {origin[here]} says {shown(into[key])}, {label} says {shown(value)}; "
                f"{origin[here]} (given first) is kept"
            )


def _over(
    spec: dict[str, Any],
    imported: Mapping[str, Any],
    path: tuple[str, ...],
    origin: Mapping[tuple[str, ...], str],
    merged: Merged,
    outside: Mapping[tuple[str, ...], str],
) -> None:
    """The spec over what the fragments say: the spec's values stay; where they differ, a note says so.

    ``outside`` is ``origin`` without the item sections: where each key that the spec lacks came from.
    """
    for key, value in imported.items():
        here = (*path, key)
        if not path and key in ITEM_SECTIONS:
            _over_items(spec, key, value, origin, merged)
            continue
        if key not in spec:
            spec[key] = value
            given = _nearest(outside, here)
            if given is not None:  # the fragment that gave it, or the one that gave the mapping holding it
                merged.filled[here] = given
            merged.filled.update((at, label) for at, label in outside.items() if at[: len(here)] == here)
        elif here in ADDED_UP and isinstance(spec[key], list) and isinstance(value, list):
            spec[key].extend(value)  # in place: the spec's own ties keep their line numbers
        elif isinstance(spec[key], dict) and isinstance(value, dict):
            _over(spec[key], value, here, origin, merged, outside)
        elif here != ("organization", "name") and not _same(key, spec[key], value):
            kept, given_by = shown(spec[key]), _given_by(origin, here)
            merged.notes.append(f"the spec's {_show(here)} {kept} is kept over {shown(value)} from {given_by}")


def _nearest(origin: Mapping[tuple[str, ...], str], path: tuple[str, ...]) -> str | None:
    """The fragment that gave a value: the one recorded for its path or, when a fragment gave the whole
    mapping holding it (the first to give ``organization`` gave its ``headcount``), for the nearest one."""
    for end in range(len(path), 0, -1):
        if path[:end] in origin:
            return origin[path[:end]]
    return None


def _given_by(origin: Mapping[tuple[str, ...], str], path: tuple[str, ...]) -> str:
    return _nearest(origin, path) or "an imported fragment"


def _over_items(
    spec: dict[str, Any],
    section: str,
    imported: Mapping[str, dict[str, Any]],
    origin: Mapping[tuple[str, ...], str],
    merged: Merged,
) -> None:
    items = spec.get(section)
    if items is None:
        items = spec[section] = []
    if not isinstance(items, list):
        return  # the spec's own section is malformed: validation reports it at its line
    by_id = {item["id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}
    for ident, item in imported.items():
        own = by_id.get(ident)
        if own is None:
            items.append(item)
            continue
        merged.hand_written.update((section, ident, key) for key in own if key != "provenance")
        for key, value in item.items():
            if key not in own:
                own[key] = value
                continue
            if key != "provenance" and not _same(key, own[key], value):
                where = _given_by(origin, (section, "\0" + ident, key))
                merged.notes.append(
                    f"the spec's {section}[{ident}].{key} {shown(own[key])} is kept over {shown(value)} from {where}"
                )


def load_fragments(paths: Sequence[tuple[str, Path]]) -> list[tuple[str, dict[str, Any]]]:
    """Each fragment, validated on its own (its problems located in it), as data."""
    from mlorg.spec.loader import parse_spec, read_text, validate_spec

    out = []
    problems: list[Problem] = []
    for label, path in paths:
        parsed = parse_spec(read_text(path, label), label)
        try:
            validate_spec(parsed, path.parent)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        out.append((label, parsed.data))
    if problems:
        raise SpecError(problems)
    return out
