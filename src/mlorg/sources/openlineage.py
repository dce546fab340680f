"""``openlineage``: OpenLineage run events (NDJSON, or a Marquez server) -> which team's datasets feed which
model's training.

Each line is one run event as the OpenLineage spec defines it (``job``, ``run``, ``inputs``,
``outputs``, each with ``facets``); a file written as one JSON document holds the same events as a list,
as Marquez's answer (``events``), or is one event, pretty-printed. A Marquez URL is read through
Marquez's list of the events it received (``GET /api/v1/events/lineage``, an object with ``events`` and
``totalCount``), page by page with ``limit`` and ``offset``, oldest first, so the events are the same ones
a file export would hold.

A job whose name matches ``--option training=GLOB`` (default ``*train*``) trains a model: the model's id
is the job's name without the words that say "train". Its input datasets become the model's features,
each owned by the team its ``ownership`` facet names; the job's own ``ownership`` facet gives the model's
``built_by``. That is observed lineage, which ``uncoordinated-upstream-data`` reads: a feature owned by a
team the model's team shares no forum with.

Ownership owners are free text in the spec; by convention ``team:NAME`` is a team and anything
else (``user:...``, an email) a person, which mlorg does not copy. Several events of one run
(START, RUNNING, COMPLETE) add up.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.sources import jsondoc
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import fetch, is_url, read_input, slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Feature, Model, Provenance, Team
from mlorg.spec.source import PathPart, parse_path

DEFAULT_TRAINING = "*train*"
#: Events read at most; a hostile file or server cannot exhaust memory.
MAX_EVENTS = 1_000_000
#: Marquez's list of received events, under its API root (``/api/v1``).
EVENTS_PATH = "/api/v1/events/lineage"
#: Events per request to Marquez (its own default page).
PAGE_SIZE = 100
#: Marquez answers only events before this time unless asked (its default is 2030-01-01): ask for all.
BEFORE = "9999-12-31T00:00:00Z"
_TRAIN_WORDS = re.compile(r"(^|[^a-z0-9])(train|training|trainer|fit)(?=$|[^a-z0-9])", re.IGNORECASE)


@dataclass
class _Job:
    namespace: str
    name: str
    at: str  # where it was first seen: "line 3" of a file, "event 3" of a server's list
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
    summary = "OpenLineage run events (NDJSON or a JSON list): datasets feeding training jobs, with their owning teams."
    options: ClassVar[Mapping[str, str]] = {
        "training": f"Glob of job names that train a model (default: {DEFAULT_TRAINING}).",
        "page_size": f"Events per request to a Marquez server (default {PAGE_SIZE}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        pattern = options.settings.get("training", DEFAULT_TRAINING)
        if not pattern.strip():
            raise UsageError("--option training: name a glob of job names, e.g. *train*")
        page_size = _page_size(options.settings.get("page_size"))
        lineage = _Lineage(pattern.lower())
        for source in inputs:
            if is_url(source):
                _read_marquez(source, page_size, options.timeout, lineage)
            else:
                _read_events(source, lineage)
        return _fragment(lineage, inputs)


def _page_size(value: str | None) -> int:
    if value is None:
        return PAGE_SIZE
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise UsageError(f"--option page_size: expected a whole number from 1 to 10000, got {value!r}")
    return int(value)


@dataclass
class _Lineage:
    """What the events read so far say: training jobs, and each dataset's owner and first sighting."""

    pattern: str
    jobs: dict[tuple[str, str], _Job] = field(default_factory=dict)
    dataset_owner: dict[tuple[str, str], str] = field(default_factory=dict)
    dataset_seen: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> (location, at)
    events: int = 0


def _read_events(path: str, lineage: _Lineage) -> None:
    """A file of run events: one JSON object a line as the transports write them, or the same events as one
    JSON document (a list of events, one event over several lines, or Marquez's answer saved to a file)."""
    text = read_input(path)
    whole = _whole_document(text, path)
    if whole is not None:
        _read_listed(whole, text, path, lineage)
        return
    problems: list[Problem] = []
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        count += 1
        lineage.events += 1
        if lineage.events > MAX_EVENTS:
            raise SpecError.single(path, f"over {MAX_EVENTS:,} events; import fewer", number)
        try:
            event = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, number, "", jsondoc.syntax_message(exc)))
            continue
        except RecursionError:  # nesting a thousand levels deep on one line: no event is written so
            problems.append(Problem(path, number, "", "nests too deep to be a run event"))
            continue
        problem = _event(event, lineage, path, f"line {number}")
        if problem is not None:
            problems.append(Problem(path, number, *problem))
        if len(problems) >= 50:
            break
    if problems:
        raise SpecError(problems)
    if count == 0:
        raise SpecError.single(path, "no run events: the file is empty")


def _whole_document(text: str, path: str) -> Any | None:
    """The file read as one JSON document when it is written as one: it opens with ``[``, or its first line is
    not a JSON value by itself (``{`` alone, as a pretty-printer starts); None for one event a line."""
    stripped = text.lstrip()
    if not stripped:
        return None
    if not stripped.startswith("["):
        try:
            json.loads(stripped.split("\n", 1)[0])
        except ValueError:
            pass
        else:
            return None  # a line that is a value by itself: one event a line
    return jsondoc.loads(text, path)


def _read_listed(document: Any, text: str, path: str, lineage: _Lineage) -> None:
    """The events of a file holding one JSON document, each problem located at its line."""
    # where the events sit in the document: a list's entries, Marquez's ``events``; None: the one event is it
    prefix: tuple[PathPart, ...] | None
    if isinstance(document, list):
        events, prefix = document, ()
    elif isinstance(document, dict) and isinstance(document.get("events"), list):
        events, prefix = document["events"], ("events",)
    elif isinstance(document, dict) and "job" in document:
        events, prefix = [document], None
    else:
        raise SpecError.single(
            path,
            "expected run events: one JSON object a line, a JSON list of them, or Marquez's answer "
            "(an object with 'events')",
            1,
        )
    checker = jsondoc.Checker(path, text)
    for at, (name, message) in _each_event(events, lineage, path, 1, f"over {MAX_EVENTS:,} events; import fewer"):
        where = () if prefix is None else (*prefix, at)
        checker.problem((*where, *(parse_path(name) if name else ())), message)
    checker.done()
    if not events:
        raise SpecError.single(path, "no run events: the list is empty", 1)


def events_url(base: str, offset: int, limit: int) -> str:
    """Marquez's list of received events under a server URL (its root, its ``/api/v1``, or the list itself).

    Query parameters the user gave (``after``, ``before``) are kept; the page is asked for oldest first.
    """
    parts = urllib.parse.urlsplit(base)
    path = parts.path.rstrip("/")
    if path.endswith("/api/v1"):
        path = path.removesuffix("/api/v1")
    if not path.endswith(EVENTS_PATH):
        path += EVENTS_PATH
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.setdefault("before", BEFORE)
    query.update(sortDirection="asc", limit=str(limit), offset=str(offset))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, urllib.parse.urlencode(query), ""))


def _read_marquez(base: str, page_size: int, timeout: float, lineage: _Lineage) -> None:
    """Every event a Marquez server received, page by page; a bad answer is one message naming the URL."""
    offset = page = 0
    previous: bytes | None = None
    while True:
        page += 1
        url = events_url(base, offset, page_size)
        body = fetch(url, timeout)
        data = jsondoc.answer(url, body, "a Marquez server")
        events = data.get("events") if isinstance(data, dict) else None
        total = data.get("totalCount") if isinstance(data, dict) else None
        if not isinstance(events, list) or not isinstance(total, int) or isinstance(total, bool):
            raise SpecError.single(
                url, "expected Marquez's list of lineage events (an object with 'events' and 'totalCount')"
            )
        if events and body == previous:
            raise SpecError.single(url, f"page {page}: the server repeats the previous page; stopped reading")
        previous = body
        problems = []
        too_many = f"over {MAX_EVENTS:,} events; import fewer (narrow them with ?after=...)"
        for at, (name, message) in _each_event(events, lineage, base, offset + 1, too_many, url):
            problems.append(Problem(url, 0, f"events[{at}]" + (f".{name}" if name else ""), message))
            if len(problems) >= 50:
                break
        if problems:
            raise SpecError(problems)
        offset += len(events)
        if len(events) < page_size or offset >= total:
            break
    if offset == 0:
        raise SpecError.single(events_url(base, 0, page_size), "no run events: the server has received none")


def _each_event(
    events: list[Any], lineage: _Lineage, location: str, first: int, too_many: str, label: str | None = None
) -> Iterator[tuple[int, tuple[str, str]]]:
    """Read ``events`` (numbered from ``first``) into ``lineage``; yield each bad one's position and problem.
    Past :data:`MAX_EVENTS` in all, ``too_many`` is the one problem, named after ``label`` (else ``location``)."""
    for at, event in enumerate(events):
        lineage.events += 1
        if lineage.events > MAX_EVENTS:
            raise SpecError.single(label or location, too_many)
        problem = _event(event, lineage, location, f"event {first + at}")
        if problem is not None:
            yield at, problem


def _event(event: Any, lineage: _Lineage, location: str, at: str) -> tuple[str, str] | None:
    """Read one run event into ``lineage``; a problem is (field, message), placed by the caller."""
    if not isinstance(event, dict):
        return "", f"expected a run event (a JSON object), got {shown(event)}"
    job = event.get("job")
    if not isinstance(job, dict) or not isinstance(job.get("name"), str) or not job["name"].strip():
        return "job.name", "every run event names its job"
    namespace = job.get("namespace")
    if not isinstance(namespace, str):
        return "job.namespace", "every run event names its job's namespace"
    sides: dict[str, list[tuple[str, str]]] = {}
    for side in ("inputs", "outputs"):
        datasets = event.get(side, [])
        if datasets is None:  # Marquez stores the event as received, absent lists as null
            datasets = []
        if not isinstance(datasets, list):
            return side, f"expected a list of datasets, got {shown(datasets)}"
        sides[side] = []
        for i, dataset in enumerate(datasets):
            if (
                not isinstance(dataset, dict)
                or not isinstance(dataset.get("name"), str)
                or not isinstance(dataset.get("namespace"), str)
            ):
                return f"{side}[{i}]", "a dataset needs a namespace and a name"
            key = (dataset["namespace"], dataset["name"])
            owner = _owner(dataset.get("facets"))
            if owner is not None:
                lineage.dataset_owner.setdefault(key, owner)
            lineage.dataset_seen.setdefault(key, (location, at))
            sides[side].append(key)
    name = job["name"]
    if not fnmatchcase(name.lower(), lineage.pattern):
        return None
    entry = lineage.jobs.setdefault((namespace, name), _Job(namespace, name, at))
    entry.owner = entry.owner or _owner(job.get("facets"))
    for key in sides["inputs"]:
        entry.inputs[f"{key[0]}/{key[1]}"] = key
    return None


def _fragment(lineage: _Lineage, inputs: Sequence[str]) -> Fragment:
    jobs, dataset_owner, events = lineage.jobs, lineage.dataset_owner, lineage.events
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
                file, seen = lineage.dataset_seen[key]
                features[fid] = Feature(
                    id=fid,
                    description=f"dataset {key[0]}/{key[1]}"[:5000],
                    owner=owner,
                    provenance=Provenance(system="openlineage", location=file, record=f"{key[0]}/{key[1]} ({seen})"),
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
            else Provenance(system="openlineage", location=location, record=f"{namespace}/{name} ({job.at})"),
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
