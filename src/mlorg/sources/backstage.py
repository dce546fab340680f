"""``backstage``: a Backstage software catalog -> teams, people and models with owners.

Read as Backstage defines its entities: multi-document YAML files of ``kind: Group | User |
Component | System | Resource``, or a Backstage instance over its catalog API
(``GET {base}/api/catalog/entities``, paged). Entity references are ``[kind:][namespace/]name``,
compared without case; the kind a reference may leave out depends on the field (``spec.owner``
and ``spec.parent`` name groups, ``spec.members`` users), the namespace defaults to the
referring entity's own.

- ``Group`` -> a team: ``spec.parent`` and ``spec.children`` place it (either side is enough),
  ``spec.profile.displayName`` names it.
- ``User`` -> a person in their first group (``spec.memberOf``, or a group's ``spec.members``).
- ``Component`` whose ``spec.type`` names a model (``--option model-types``) -> a model; a group
  ``spec.owner`` is ``built_by``, a user owner is ``owner``; ``spec.lifecycle`` gives ``status``.
- Other components, systems and resources are counted in a note: mlorg has no field for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.sources import jsondoc
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import fetch, is_url, read_input, slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Model, ModelStatus, Person, Provenance, Team

KINDS = ("group", "user", "component", "system", "resource", "api", "domain", "location", "template")
DEFAULT_MODEL_TYPES = "model,ml-model,machine-learning-model,ml-service"
LIFECYCLE: dict[str, ModelStatus] = {
    "experimental": "development",
    "development": "development",
    "production": "production",
    "deprecated": "retired",
}
#: Entities read at most (files and API pages together): a hostile catalog cannot exhaust memory.
MAX_ENTITIES = 200_000
PAGE = 500
_MARKER = re.compile(r"^(---|\.\.\.)(\s|$)")
_REF = re.compile(r"^(?:([A-Za-z][A-Za-z0-9_-]*):)?(?:([A-Za-z0-9][A-Za-z0-9._-]*)/)?([A-Za-z0-9][A-Za-z0-9._-]*)$")


@dataclass
class _Entity:
    kind: str
    namespace: str
    name: str
    data: dict[str, Any]
    where: str  # file:line or URL#index, for provenance and messages
    file: str
    line: int
    lines: Any = None  # SourceMap of its document, for located problems
    offset: int = 0

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"

    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    def line_of(self, *path: str | int) -> int:
        if self.lines is None:
            return 0
        return int(self.lines.line(path)) + self.offset


@dataclass
class _Catalog:
    entities: dict[str, _Entity] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class BackstageSource(Source):
    kind = "backstage"
    summary = "Backstage catalog files or a Backstage URL: groups, users, and components that are models."
    options: ClassVar[Mapping[str, str]] = {
        "model-types": f"Comma-separated Component spec.type values that are models (default: {DEFAULT_MODEL_TYPES}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        types = {t.strip().lower() for t in options.settings.get("model-types", DEFAULT_MODEL_TYPES).split(",")}
        types.discard("")
        if not types:
            raise UsageError("--option model-types: name at least one component type")
        catalog = _Catalog()
        for source in inputs:
            entities = _from_url(source, options.timeout) if is_url(source) else _from_file(source, catalog)
            for entity in entities:
                if entity.ref in catalog.entities:
                    first = catalog.entities[entity.ref]
                    catalog.problems.append(
                        Problem(
                            entity.file,
                            entity.line,
                            "metadata.name",
                            f"{entity.ref} is also in {first.file} ({first.where})",
                        )
                    )
                    continue
                catalog.entities[entity.ref] = entity
                if len(catalog.entities) > MAX_ENTITIES:
                    raise SpecError.single(source, f"over {MAX_ENTITIES:,} entities; import fewer files")
        if catalog.problems:
            raise SpecError(catalog.problems[:50])
        return _fragment(catalog, types, options)


# ---- reading ---------------------------------------------------------------------------------


def _documents(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each YAML document: split at ``---`` / ``...`` markers at the start of a line."""
    lines = text.splitlines(keepends=True)
    start = 0
    for i, line in enumerate(lines):
        if _MARKER.match(line) and i > start:
            yield start, "".join(lines[start:i])
            start = i
    yield start, "".join(lines[start:])


def _has_content(chunk: str) -> bool:
    for line in chunk.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _MARKER.match(stripped + " "):
            return True
    return False


def _from_file(path: str, catalog: _Catalog) -> list[_Entity]:
    from mlorg.spec.document import parse

    text = read_input(path)
    out: list[_Entity] = []
    for offset, chunk in _documents(text):
        if not _has_content(chunk):
            continue
        body = chunk if not chunk.startswith("...") else chunk.split("\n", 1)[-1]
        try:
            doc = parse(body, path)
        except SpecError as exc:
            raise SpecError([_shift(p, offset) for p in exc.problems]) from None
        if doc.problems:
            raise SpecError([_shift(p, offset) for p in doc.problems])
        line = offset + 1
        entity = _entity(doc.data, path, line, catalog, doc.source, offset)
        if entity is not None:
            out.append(entity)
        if len(out) > MAX_ENTITIES:
            raise SpecError.single(path, f"over {MAX_ENTITIES:,} entities; import fewer files")
    return out


def _shift(problem: Problem, offset: int) -> Problem:
    return Problem(problem.file, problem.line + offset if problem.line else 0, problem.path, problem.message)


def _from_url(base: str, timeout: float) -> list[_Entity]:
    """Every entity of a Backstage instance, a page at a time, from ``/api/catalog/entities``."""
    from urllib.parse import urlencode

    root = base.rstrip("/")
    endpoint = root if root.endswith("/api/catalog/entities") else f"{root}/api/catalog/entities"
    out: list[_Entity] = []
    catalog = _Catalog()
    offset = 0
    while True:
        query = [("filter", f"kind={k}") for k in ("group", "user", "component", "system", "resource")]
        url = f"{endpoint}?{urlencode([*query, ('limit', PAGE), ('offset', offset)])}"
        page = jsondoc.answer(url, fetch(url, timeout), "a Backstage catalog API")
        if not isinstance(page, list):
            raise SpecError.single(url, "expected a JSON list of entities (is this a Backstage catalog API?)")
        for i, item in enumerate(page):
            entity = _entity(item, url, 0, catalog, None, 0, record=f"entity {offset + i + 1}")
            if entity is not None:
                out.append(entity)
        if catalog.problems:
            raise SpecError(catalog.problems[:50])
        if len(page) < PAGE:
            return out
        offset += PAGE
        if offset > MAX_ENTITIES:
            raise SpecError.single(endpoint, f"over {MAX_ENTITIES:,} entities; filter the catalog")


def _entity(
    data: Any, file: str, line: int, catalog: _Catalog, source: Any, offset: int, record: str = ""
) -> _Entity | None:
    """One entity's identity, checked the way Backstage checks it; a problem is recorded, not raised."""

    def problem(path: str, message: str, *keys: str | int) -> None:
        at = (int(source.line(keys)) + offset) if source is not None and keys else line
        label = f"{file} ({record})" if record else file
        catalog.problems.append(Problem(label, at, path, message))

    if not isinstance(data, dict):
        problem("", f"expected a catalog entity (a mapping with kind and metadata), got {shown(data)}")
        return None
    kind = data.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        problem("kind", "every entity needs a kind (Group, User, Component, ...)")
        return None
    kind = kind.strip().lower()
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        problem("metadata.name", "every entity needs metadata.name", "metadata")
        return None
    name = metadata["name"].strip().lower()
    namespace = metadata.get("namespace", "default")
    if not isinstance(namespace, str) or not _REF.match(name) or not _REF.match(str(namespace)):
        problem("metadata.name", f"not a valid entity name {shown(metadata['name'])}", "metadata", "name")
        return None
    if kind not in KINDS:
        return None  # an API, domain or a kind of the organization's own: nothing mlorg reads
    spec = data.get("spec")
    if spec is not None and not isinstance(spec, dict):
        problem("spec", f"expected a mapping, got {shown(spec)}", "spec")
        return None
    if source is not None:
        line = int(source.line(("metadata", "name"))) + offset
    where = record or f"line {line}"
    entity = _Entity(kind, namespace.lower(), name, data, where, file, line, source, offset)
    for key, default_kind, many in _REFS.get(kind, ()):
        value = (spec or {}).get(key)
        if value is None:
            continue
        values = value if many else [value]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            expected = "a list of entity references" if many else "an entity reference"
            problem(f"spec.{key}", f"expected {expected}, got {shown(value)}", "spec", key)
            return None
        for at, v in enumerate(values):
            if parse_ref(v, default_kind, entity.namespace) is None:
                keys: tuple[str | int, ...] = ("spec", key, at) if many else ("spec", key)
                problem(f"spec.{key}", f"not an entity reference {shown(v)} (expected [kind:][namespace/]name)", *keys)
                return None
    return entity


#: Entity kind -> (spec field, kind a reference there may leave out, whether it is a list).
_REFS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "group": (("parent", "group", False), ("children", "group", True), ("members", "user", True)),
    "user": (("memberOf", "group", True),),
    "component": (("owner", "group", False), ("system", "system", False)),
    "system": (("owner", "group", False),),
    "resource": (("owner", "group", False),),
}


def parse_ref(ref: str, default_kind: str, default_namespace: str = "default") -> str | None:
    """``kind:namespace/name`` of an entity reference written in any of Backstage's three forms, or None."""
    match = _REF.match(ref.strip())
    if match is None:
        return None
    kind, namespace, name = match.groups()
    return f"{(kind or default_kind).lower()}:{(namespace or default_namespace).lower()}/{name.lower()}"


# ---- building the fragment -------------------------------------------------------------------


def _fragment(catalog: _Catalog, model_types: set[str], options: ImportOptions) -> Fragment:
    entities = catalog.entities
    groups = {ref: e for ref, e in entities.items() if e.kind == "group"}
    users = {ref: e for ref, e in entities.items() if e.kind == "user"}
    team_ids = _team_ids(groups)
    notes: list[str] = []

    def ref_of(e: _Entity, key: str, default_kind: str) -> list[str]:
        value = e.spec().get(key)
        values = value if isinstance(value, list) else ([value] if isinstance(value, str) else [])
        return [r for v in values if (r := parse_ref(v, default_kind, e.namespace)) is not None]

    # Parents, from either side.
    parent: dict[str, str] = {}
    clashes: list[str] = []
    for ref, g in sorted(groups.items()):
        for p in ref_of(g, "parent", "group"):
            parent[ref] = p
        for child in ref_of(g, "children", "group"):
            if parent.setdefault(child, ref) != ref:
                clashes.append(child)
    missing = sorted({p for p in parent.values() if p not in groups})
    if missing:
        notes.append(f"groups named as parents but not in the catalog (left out): {', '.join(missing[:10])}")
    has_children = set(parent.values())
    teams = []
    for ref, g in sorted(groups.items()):
        spec = g.spec()
        profile = _mapping(spec.get("profile"))
        title = g.data["metadata"].get("title")
        display = profile.get("displayName") or title or g.name
        display = display if isinstance(display, str) and display.strip() else g.name
        teams.append(
            Team(
                id=team_ids[ref],
                name=display.strip()[:200],
                kind=team_kind(f"{display} {g.name.replace('-', ' ')}", has_children=ref in has_children),
                parent=team_ids.get(parent.get(ref, "")),
                provenance=Provenance(system="backstage", location=g.file, record=ref),
            )
        )
    if clashes:
        notes.append(f"groups with two parents (the first by name is kept): {', '.join(sorted(set(clashes))[:10])}")
    # Membership, from either side.
    member_of: dict[str, list[str]] = {}
    for ref, u in users.items():
        member_of[ref] = [g for g in ref_of(u, "memberOf", "group") if g in groups]
    for ref, g in sorted(groups.items()):
        for m in ref_of(g, "members", "user"):
            if m in users and ref not in member_of[m]:
                member_of[m].append(ref)
    people: list[Person] = []
    person_id: dict[str, str] = {}
    no_group: list[str] = []
    several: list[str] = []
    for ref, u in sorted(users.items()):
        spec = u.spec()
        profile = _mapping(spec.get("profile"))
        email = profile.get("email") if isinstance(profile.get("email"), str) else None
        pid = options.people.person(email, f"backstage:{u.name}") or u.name
        person_id[ref] = pid
        if not member_of[ref]:
            no_group.append(pid)
            continue
        if len(member_of[ref]) > 1:
            several.append(pid)
        name = profile.get("displayName") if isinstance(profile.get("displayName"), str) else None
        people.append(
            Person(
                id=pid,
                name=options.people.name(name),
                team=team_ids[member_of[ref][0]],
                provenance=Provenance(
                    system="backstage", location=u.file, record=ref if options.people.keep_names else u.where
                ),  # a user's ref is their name: kept only with --keep-names
            )
        )
    if no_group:
        notes.append(f"{len(no_group)} users belong to no group in the catalog and are left out")
    if several:
        notes.append(f"{len(several)} users belong to several groups; each is placed in the first listed")
    listed = {p.id for p in people}
    models: list[Model] = []
    skipped: dict[str, int] = {}
    for ref, c in sorted(entities.items()):
        if c.kind != "component":
            if c.kind not in ("group", "user"):
                skipped[c.kind] = skipped.get(c.kind, 0) + 1
            continue
        spec = c.spec()
        ctype = str(spec.get("type", "")).strip().lower()
        if ctype not in model_types:
            skipped["component"] = skipped.get("component", 0) + 1
            continue
        owners = ref_of(c, "owner", "group")
        built_by = owner = None
        if owners and owners[0] in groups:
            built_by = team_ids[owners[0]]
        elif owners and owners[0] in users and person_id.get(owners[0]) in listed:
            owner = person_id[owners[0]]
        elif owners:
            notes.append(f"{ref}: owner {owners[0]} is not in the catalog; left out")
        lifecycle = str(spec.get("lifecycle", "")).strip().lower()
        title = c.data["metadata"].get("title")
        models.append(
            Model(
                id=slug(c.name) or "model",
                name=title.strip()[:200] if isinstance(title, str) and title.strip() else None,
                status=LIFECYCLE.get(lifecycle),
                built_by=built_by,
                owner=owner,
                provenance=Provenance(system="backstage", location=c.file, record=ref),
            )
        )
    if skipped:
        counted = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(skipped.items()))
        types = ", ".join(sorted(model_types))
        notes.append(f"read but not used: {counted} (components are models when spec.type is one of: {types})")
    _unique_models(models)
    return Fragment(
        system="backstage", teams=tuple(teams), people=tuple(people), models=tuple(models), notes=tuple(notes)
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _team_ids(groups: Mapping[str, _Entity]) -> dict[str, str]:
    """Group ref -> team id: the name, prefixed by the namespace outside ``default`` or where names clash."""
    names: dict[str, int] = {}
    for g in groups.values():
        names[g.name] = names.get(g.name, 0) + 1
    out = {}
    for ref, g in groups.items():
        plain = g.namespace == "default" and names[g.name] == 1
        out[ref] = slug(g.name if plain else f"{g.namespace}-{g.name}") or "group"
    return out


def _unique_models(models: list[Model]) -> None:
    seen: dict[str, str] = {}
    for m in models:
        record = m.provenance.record if m.provenance else ""
        if m.id in seen:
            raise SpecError.single(
                m.provenance.location or "" if m.provenance else "",
                f"components {seen[m.id]} and {record} get the same model id {shown(m.id)}; rename one",
            )
        seen[m.id] = record or ""
