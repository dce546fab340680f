"""``openlineage``: OpenLineage run events (NDJSON) -> which team's datasets feed which model's training.

Each line is one run event as the OpenLineage spec defines it (``job``, ``run``, ``inputs``,
``outputs``, each with ``facets``). A job whose name matches ``--option training=GLOB`` (default
``*train*``) trains a model: the model's id is the job's name without the words that say "train".
Its input datasets become the model's features, each owned by the team its ``ownership`` facet
names; the job's own ``ownership`` facet gives the model's ``built_by``. That is observed lineage,
which ``uncoordinated-upstream-data`` reads: a feature owned by a team the model's team shares no
forum with.

Ownership owners are free text in the spec; by convention ``team:NAME`` is a team and anything
else (``user:...``, an email) a person, which mlorg does not copy. Several events of one run
(START, RUNNING, COMPLETE) add up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import read_input, slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Feature, Model, Provenance, Team

DEFAULT_TRAINING = "*train*"
#: Events read at most; a hostile file cannot exhaust memory.
MAX_EVENTS = 1_000_000
_TRAIN_WORDS = re.compile(r"(^|[^a-z0-9])(train|training|trainer|fit)(?=$|[^a-z0-9])", re.IGNORECASE)


@dataclass
class _Job:
    namespace: str
    name: str
    line: int
    owner: str | None = None
    inputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # dataset key -> (namespace, name)


def _owner(facets: Any) -> str | None:
    """The first ``team:NAME`` owner of an ownership facet, as a team id."""
    if not isinstance(facets, dict):
        return None
    ownership = facets.get("ownership")
    owners = ownership.get("owners") if isinstance(ownership, dict) else None
    if not isinstance(owners, list):
        return None
    for owner in owners:
        name = owner.get("name") if isinstance(owner, dict) else None
        if isinstance(name, str) and name.lower().startswith("team:"):
            team = slug(name.split(":", 1)[1])
            if team:
                return team
    return None


def model_id(job: str) -> str:
    """``train_fraud_score`` and ``fraud_score.train`` -> ``fraud-score``."""
    return slug(_TRAIN_WORDS.sub(r"\1", job).replace("_", "-").replace(".", "-")) or slug(job) or "model"


class OpenLineageSource(Source):
    kind = "openlineage"
    summary = "OpenLineage run events (NDJSON): datasets feeding training jobs, with their owning teams."
    options: ClassVar[Mapping[str, str]] = {
        "training": f"Glob of job names that train a model (default: {DEFAULT_TRAINING}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        pattern = options.settings.get("training", DEFAULT_TRAINING)
        if not pattern.strip():
            raise UsageError("--option training: name a glob of job names, e.g. *train*")
        jobs: dict[tuple[str, str], _Job] = {}
        dataset_owner: dict[tuple[str, str], str] = {}
        dataset_line: dict[tuple[str, str], tuple[str, int]] = {}
        events = 0
        for path in inputs:
            events += _read_events(path, pattern.lower(), jobs, dataset_owner, dataset_line)
        return _fragment(jobs, dataset_owner, dataset_line, inputs, events)


def _read_events(
    path: str,
    pattern: str,
    jobs: dict[tuple[str, str], _Job],
    dataset_owner: dict[tuple[str, str], str],
    dataset_line: dict[tuple[str, str], tuple[str, int]],
) -> int:
    text = read_input(path)
    problems: list[Problem] = []
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        count += 1
        if count > MAX_EVENTS:
            raise SpecError.single(path, f"over {MAX_EVENTS:,} events; import fewer", number)
        try:
            event = json.loads(raw)
        except ValueError as exc:
            problems.append(Problem(path, number, "", f"not a JSON object: {exc}"))
            continue
        problem = _event(event, path, number, pattern, jobs, dataset_owner, dataset_line)
        if problem is not None:
            problems.append(problem)
        if len(problems) >= 50:
            break
    if problems:
        raise SpecError(problems)
    if count == 0:
        raise SpecError.single(path, "no run events: the file is empty")
    return count


def _event(
    event: Any,
    path: str,
    number: int,
    pattern: str,
    jobs: dict[tuple[str, str], _Job],
    dataset_owner: dict[tuple[str, str], str],
    dataset_line: dict[tuple[str, str], tuple[str, int]],
) -> Problem | None:
    if not isinstance(event, dict):
        return Problem(path, number, "", f"expected a run event (a JSON object), got {shown(event)}")
    job = event.get("job")
    if not isinstance(job, dict) or not isinstance(job.get("name"), str) or not job["name"].strip():
        return Problem(path, number, "job.name", "every run event names its job")
    namespace = job.get("namespace")
    if not isinstance(namespace, str):
        return Problem(path, number, "job.namespace", "every run event names its job's namespace")
    sides: dict[str, list[tuple[str, str]]] = {}
    for side in ("inputs", "outputs"):
        datasets = event.get(side, [])
        if not isinstance(datasets, list):
            return Problem(path, number, side, f"expected a list of datasets, got {shown(datasets)}")
        sides[side] = []
        for at, dataset in enumerate(datasets):
            if (
                not isinstance(dataset, dict)
                or not isinstance(dataset.get("name"), str)
                or not isinstance(dataset.get("namespace"), str)
            ):
                return Problem(path, number, f"{side}[{at}]", "a dataset needs a namespace and a name")
            key = (dataset["namespace"], dataset["name"])
            owner = _owner(dataset.get("facets"))
            if owner is not None:
                dataset_owner.setdefault(key, owner)
            dataset_line.setdefault(key, (path, number))
            sides[side].append(key)
    name = job["name"]
    if not fnmatchcase(name.lower(), pattern):
        return None
    entry = jobs.setdefault((namespace, name), _Job(namespace, name, number))
    entry.owner = entry.owner or _owner(job.get("facets"))
    for key in sides["inputs"]:
        entry.inputs[f"{key[0]}/{key[1]}"] = key
    return None


def _fragment(
    jobs: Mapping[tuple[str, str], _Job],
    dataset_owner: Mapping[tuple[str, str], str],
    dataset_line: Mapping[tuple[str, str], tuple[str, int]],
    inputs: Sequence[str],
    events: int,
) -> Fragment:
    location = ", ".join(inputs)
    notes: list[str] = []
    models: dict[str, Model] = {}
    features: dict[str, Feature] = {}
    feature_of: dict[tuple[str, str], str] = {}
    teams: set[str] = set()
    for (namespace, name), job in sorted(jobs.items()):
        mid = model_id(name)
        if mid in models:
            notes.append(f"several jobs train model {mid} ({namespace}/{name} among them); their inputs are joined")
        fids = []
        for key in sorted(job.inputs.values()):
            fid = feature_of.get(key)
            if fid is None:
                fid = _unique(slug(key[1].replace("/", "-")) or "dataset", features)
                feature_of[key] = fid
                owner = dataset_owner.get(key)
                if owner:
                    teams.add(owner)
                file, line = dataset_line[key]
                features[fid] = Feature(
                    id=fid,
                    description=f"dataset {key[0]}/{key[1]}"[:5000],
                    owner=owner,
                    provenance=Provenance(
                        system="openlineage", location=file, record=f"{key[0]}/{key[1]} (line {line})"
                    ),
                )
            fids.append(fid)
        if job.owner:
            teams.add(job.owner)
        previous = models.get(mid)
        joined = tuple(sorted(set(fids) | set(previous.features or ()) if previous else set(fids)))
        models[mid] = Model(
            id=mid,
            built_by=(previous.built_by if previous else None) or job.owner,
            features=joined,
            provenance=previous.provenance
            if previous
            else Provenance(system="openlineage", location=location, record=f"{namespace}/{name} (line {job.line})"),
        )
    if not jobs:
        notes.append(f"no job matched the training glob among {events:,} events; set it with --option training=GLOB")
    unowned = [f.id for f in features.values() if f.owner is None]
    if unowned:
        notes.append(f"{len(unowned)} datasets have no team:NAME owner in their ownership facet")
    team_items = tuple(
        Team(
            id=t,
            name=t,
            kind=team_kind(t.replace("-", " ")),
            provenance=Provenance(system="openlineage", location=location, record=f"team:{t}"),
        )
        for t in sorted(teams)
    )
    return Fragment(
        system="openlineage",
        teams=team_items,
        models=tuple(models.values()),
        features=tuple(features.values()),
        notes=tuple(notes),
    )


def _unique(base: str, taken: Mapping[str, object]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
