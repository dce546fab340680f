"""``mlflow``: an MLflow model registry -> models, with the teams and owners its tags name.

Read over MLflow's REST API (``GET /api/2.0/mlflow/registered-models/search``, page by page) or
from that answer saved to a file; the ``mlflow`` package is not needed. Each registered model
becomes a model. Its status comes from the registry: a version holding a production alias
(:data:`PRODUCTION_ALIASES`) or in the ``Production`` stage makes it ``production``; versions
all ``Archived`` make it ``retired``; anything else is ``development``.

Tags map to spec fields by the convention in :data:`TAGS` (each overridable with ``--option``):
the team tag gives ``built_by`` (and ``operated_by`` unless a tag says otherwise), the owner tag
names the accountable person (pseudonymous, placed in the model's team). Tags named after a spec
field (``purpose``, ``status``, ``kpi``, ``monitoring``) set it when their value is one the spec
allows; any other value is noted, never guessed. A registry lists every model registered in it,
so the fragment marks the models list ``complete`` (``--option models_list=partial`` if models
also live elsewhere).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, get_args

from mlorg.errors import SpecError, UsageError
from mlorg.sources import jsondoc
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import fetch, is_url, read_input, slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Kpi, Lists, Model, ModelPurpose, ModelStatus, Monitoring, Person, Provenance, Team

SEARCH = "/api/2.0/mlflow/registered-models/search"
#: The largest page MLflow serves for this search.
PAGE_SIZE = 1000
#: Registered models read from one server at most (a hostile server cannot page forever).
MAX_MODELS = 200_000
#: Aliases that mean "this version serves" (MLflow 2.9+ replaced stages with aliases).
PRODUCTION_ALIASES = ("champion", "production", "prod", "live")
#: Option -> the tag keys it reads by default, first match wins.
TAGS: dict[str, tuple[str, ...]] = {
    "team_tags": ("team", "owning_team", "mlorg.team"),
    "owner_tags": ("owner", "mlorg.owner"),
    "operator_tags": ("operated_by", "mlorg.operated_by"),
}
#: Spec fields a tag of the same name (or ``mlorg.`` + name) sets, with the values allowed.
FIELD_TAGS: dict[str, frozenset[str]] = {
    "purpose": frozenset(get_args(ModelPurpose)),
    "status": frozenset(get_args(ModelStatus)),
    "kpi": frozenset(get_args(Kpi)),
    "monitoring": frozenset(get_args(Monitoring)),
}


@dataclass(frozen=True)
class _Convention:
    team: tuple[str, ...]
    owner: tuple[str, ...]
    operator: tuple[str, ...]
    production: frozenset[str]
    models_list: str
    page_size: int


@dataclass
class _Registered:
    """One registered model as the registry gave it, checked."""

    name: str
    tags: dict[str, str]
    aliases: tuple[str, ...]
    stages: tuple[str, ...]
    location: str
    notes: list[str] = field(default_factory=list)


def _names(value: str, option: str) -> tuple[str, ...]:
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    if not names:
        raise UsageError(f"--option {option}: give one or more comma-separated names")
    return names


def _convention(settings: Mapping[str, str]) -> _Convention:
    size = settings.get("page_size", str(PAGE_SIZE))
    if not size.isdigit() or not 1 <= int(size) <= PAGE_SIZE:
        raise UsageError(f"--option page_size: expected a whole number from 1 to {PAGE_SIZE}, got {shown(size)}")
    models_list = settings.get("models_list", "complete")
    if models_list not in ("complete", "partial"):
        raise UsageError(f"--option models_list: expected complete or partial, got {shown(models_list)}")
    tags = {key: _names(settings[key], key) if key in settings else default for key, default in TAGS.items()}
    aliases = settings.get("production_aliases")
    production = _names(aliases, "production_aliases") if aliases is not None else PRODUCTION_ALIASES
    return _Convention(
        team=tags["team_tags"],
        owner=tags["owner_tags"],
        operator=tags["operator_tags"],
        production=frozenset(a.lower() for a in production),
        models_list=models_list,
        page_size=int(size),
    )


class MlflowSource(Source):
    kind = "mlflow"
    summary = "MLflow model registry (server URL or saved search JSON): models, owners and teams from tags."
    options: ClassVar[Mapping[str, str]] = {
        "team_tags": f"Tag keys naming a model's team, first found wins (default {','.join(TAGS['team_tags'])}).",
        "owner_tags": f"Tag keys naming the accountable person (default {','.join(TAGS['owner_tags'])}).",
        "operator_tags": f"Tag keys naming the team that runs it (default {','.join(TAGS['operator_tags'])}).",
        "production_aliases": f"Aliases meaning 'serves in production' (default {','.join(PRODUCTION_ALIASES)}).",
        "models_list": "complete (default: the registry holds every model) or partial.",
        "page_size": f"Models per request to a server (default {PAGE_SIZE}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        convention = _convention(options.settings)
        registered: list[_Registered] = []
        for source in inputs:
            if is_url(source):
                registered.extend(_read_server(source, convention.page_size, options.timeout))
            else:
                text = read_input(source)
                registered.extend(_read_page(jsondoc.loads(text, source), source, text, ""))
        return _fragment(registered, convention, options)


def _search_url(base: str) -> str:
    """The search endpoint under a server URL (which may carry a path prefix, or be the endpoint itself)."""
    parts = urllib.parse.urlsplit(base)
    path = parts.path.rstrip("/")
    if not path.endswith(SEARCH):
        path += SEARCH
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _read_server(base: str, page_size: int, timeout: float) -> list[_Registered]:
    endpoint = _search_url(base)
    out: list[_Registered] = []
    token = ""
    seen: set[str] = set()
    page = 1
    while True:
        query = {"max_results": str(page_size), **({"page_token": token} if token else {})}
        url = f"{endpoint}?{urllib.parse.urlencode(query)}"
        data = jsondoc.answer(url, fetch(url, timeout), "an MLflow tracking server")
        for reg in _read_page(data, endpoint, None, f"page {page}"):
            reg.location = base
            out.append(reg)
        token = data.get("next_page_token") or ""
        if not token:
            return out
        if not isinstance(token, str):
            raise SpecError.single(endpoint, f"page {page}: next_page_token: expected text, got {shown(token)}")
        if token in seen or len(out) > MAX_MODELS:
            why = "repeats a page token" if token in seen else f"lists over {MAX_MODELS:,} models"
            raise SpecError.single(endpoint, f"page {page}: the server {why}; stopped reading")
        seen.add(token)
        page += 1


def _read_page(data: Any, label: str, text: str | None, prefix: str) -> list[_Registered]:
    """The registered models of one search answer, every malformed record reported at once."""
    check = jsondoc.Checker(label, text, prefix)
    out: list[_Registered] = []
    if not check.expect(data, dict, (), "a JSON object with 'registered_models' (an MLflow search answer)"):
        check.done()
    models = data.get("registered_models", [])
    if check.expect(models, list, ("registered_models",), "a list of registered models"):
        for i, item in enumerate(models):
            at: tuple[str | int, ...] = ("registered_models", i)
            if not check.expect(item, dict, at, "a registered model (an object)"):
                continue
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                check.problem((*at, "name"), f"expected the model's name, got {shown(name)}")
                continue
            tags = _pairs(check, item.get("tags", []), (*at, "tags"), "key", "value")
            aliases = _pairs(check, item.get("aliases", []), (*at, "aliases"), "alias", "version")
            stages: list[str] = []
            versions = item.get("latest_versions", [])
            if check.expect(versions, list, (*at, "latest_versions"), "a list of versions"):
                for j, version in enumerate(versions):
                    if check.expect(version, dict, (*at, "latest_versions", j), "a model version (an object)"):
                        stage = version.get("current_stage", "None")
                        if check.expect(stage, str, (*at, "latest_versions", j, "current_stage"), "a stage name"):
                            stages.append(stage)
            out.append(_Registered(name.strip(), tags, tuple(aliases), tuple(stages), label))
    check.done()
    return out


def _pairs(check: jsondoc.Checker, value: Any, at: tuple[str | int, ...], key: str, val: str) -> dict[str, str]:
    """MLflow's ``[{key: ..., value: ...}]`` lists (tags, aliases) as a mapping."""
    out: dict[str, str] = {}
    if not check.expect(value, list, at, f"a list of {{{key}, {val}}} objects"):
        return out
    for j, pair in enumerate(value):
        if not check.expect(pair, dict, (*at, j), f"an object with {key!r} and {val!r}"):
            continue
        k, v = pair.get(key), pair.get(val, "")
        if not isinstance(k, str) or not k:
            check.problem((*at, j, key), f"expected a name, got {shown(k)}")
        elif not isinstance(v, str | int):
            check.problem((*at, j, val), f"expected text, got {shown(v)}")
        else:
            out[k] = str(v)
    return out


def _first(tags: Mapping[str, str], keys: Sequence[str]) -> tuple[str, str]:
    """The first of ``keys`` with a value among the tags, and that value (``("", "")`` if none)."""
    for key in keys:
        value = tags.get(key, "").strip()
        if value:
            return key, value
    return "", ""


def _fragment(registered: list[_Registered], convention: _Convention, options: ImportOptions) -> Fragment:
    notes: list[str] = []
    teams: dict[str, Team] = {}
    people: dict[str, Person] = {}
    models: list[Model] = []
    used: dict[str, str] = {}
    unowned: list[str] = []
    ignored: list[str] = []
    moved: list[str] = []

    def team(reg: _Registered, keys: Sequence[str]) -> str | None:
        key, name = _first(reg.tags, keys)
        if not name:
            return None
        ident = slug(name)
        if not ident:
            ignored.append(f"{reg.name}: {key}={shown(name)}")
            return None
        if ident not in teams:
            provenance = Provenance(system="mlflow", location=reg.location, record=f"{reg.name} tag {key}")
            teams[ident] = Team(id=ident, name=name, kind=team_kind(name), provenance=provenance)
        return ident

    names: set[str] = set()
    for reg in sorted(registered, key=lambda r: r.name):
        if reg.name in names:
            notes.append(f"model {shown(reg.name)} is listed twice; the first is kept")
            continue
        names.add(reg.name)
        ident = slug(reg.name) or "model"
        if ident in used:
            n = 2
            while f"{ident}-{n}" in used:
                n += 1
            notes.append(
                f"models {shown(used[ident])} and {shown(reg.name)} share the id {ident!r}; one is {ident}-{n}"
            )
            ident = f"{ident}-{n}"
        used[ident] = reg.name
        provenance = Provenance(system="mlflow", location=reg.location, record=reg.name)
        built_by = team(reg, convention.team)
        operated_by = team(reg, convention.operator) or built_by
        owner_key, owner_tag = _first(reg.tags, convention.owner)
        owner = None
        if owner_tag:
            owner = options.people.person(owner_tag)
            if owner is None or built_by is None:
                unowned.append(reg.name)
                owner = None
            elif owner not in people:
                people[owner] = Person(
                    id=owner,
                    team=built_by,
                    provenance=Provenance(system="mlflow", location=reg.location, record=f"{reg.name} tag {owner_key}"),
                )
            elif people[owner].team != built_by:
                moved.append(reg.name)
        values: dict[str, Any] = {}
        for name, allowed in FIELD_TAGS.items():
            raw = reg.tags.get(name) or reg.tags.get(f"mlorg.{name}")
            if raw is None:
                continue
            words = [w.strip().lower() for w in raw.split(",") if w.strip()] if name == "monitoring" else [raw.lower()]
            bad = [w for w in words if w not in allowed]
            if bad or not words:
                ignored.append(f"{reg.name}: {name}={shown(raw)} (not one of {', '.join(sorted(allowed))})")
                continue
            values[name] = tuple(sorted(set(words))) if name == "monitoring" else words[0]
        status = values.pop("status", None) or _status(reg, convention.production)
        models.append(
            Model(
                id=ident,
                name=reg.name,
                status=status,
                built_by=built_by,
                operated_by=operated_by,
                owner=owner,
                provenance=provenance,
                **values,
            )
        )
    if unowned:
        notes.append(
            f"owner tags left out where the model has no team tag to place the owner in: {', '.join(unowned[:20])}"
            + (" ..." if len(unowned) > 20 else "")
        )
    if moved:
        notes.append(f"an owner owns models of several teams; placed in the first team's: {', '.join(moved[:20])}")
    if ignored:
        more = " ..." if len(ignored) > 20 else ""
        notes.append(f"tag values left out, the spec has no such value: {'; '.join(ignored[:20])}{more}")
    return Fragment(
        system="mlflow",
        teams=tuple(teams.values()),
        people=tuple(people.values()),
        models=tuple(models),
        lists=Lists(models="complete" if convention.models_list == "complete" else "partial"),
        notes=tuple(notes),
    )


def _status(reg: _Registered, production: frozenset[str]) -> ModelStatus:
    if any(a.lower() in production for a in reg.aliases) or "Production" in reg.stages:
        return "production"
    if reg.stages and all(s == "Archived" for s in reg.stages) and not reg.aliases:
        return "retired"
    return "development"
