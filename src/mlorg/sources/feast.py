"""``feast``: a Feast registry, as ``feast registry-dump`` prints it -> features, with the teams that own them.

Every feature of a feature view (batch or stream) becomes a feature ``VIEW.FEATURE``; entity join
keys are not features. What the registry says maps to the spec like this:

- ``in_production``: the view is ``online`` and the registry shows an online store (its ``infra``
  lists the store's tables; ``--option online_store=yes|no`` says so for stores that keep none,
  such as Redis). A view that is not online is not available where models serve.
- ``freshness``: ``realtime`` for a stream or push source; otherwise the usual spacing of the
  view's materialization runs (two runs at least; one run says nothing about cadence).
- ``transformation``: an aggregation with a time window is a ``windowed_aggregate`` (``window`` set);
  one without a window aggregates over all history, a ``lifetime_aggregate``.
- ``owner``: the team a tag names (:data:`TEAM_TAGS`), else the view's ``owner`` when that is a team's
  name rather than a person's email. Tags named ``sensitivity`` and ``represents`` set those fields.
- ``ttl`` has no spec field; an online view whose ``ttl`` is shorter than its materialization spacing
  serves expired (missing) values between runs, which is noted.

A registry lists every feature served through it, so the fragment marks the features list
``complete`` (``--option features_list=partial`` if features also live elsewhere).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, get_args

from mlorg.errors import UsageError
from mlorg.sources import jsondoc
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import read_input, slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Feature, Freshness, Lists, Provenance, Sensitivity, Team, Transformation

TEAM_TAGS = ("team", "owning_team", "mlorg.team")
#: Source types whose rows arrive as events happen.
STREAM_TYPES = frozenset({"STREAM_KAFKA", "STREAM_KINESIS", "PUSH_SOURCE"})
#: Upper bound, in seconds, of the materialization spacing each freshness stands for.
CADENCE: tuple[tuple[int, Freshness], ...] = (
    (3600, "hourly"),
    (86400, "daily"),
    (7 * 86400, "weekly"),
    (31 * 86400, "monthly"),
)
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_SENSITIVITY = frozenset(get_args(Sensitivity))
#: Registry sections read, with what each holds.
VIEW_SECTIONS = ("featureViews", "streamFeatureViews")


@dataclass(frozen=True)
class _Settings:
    team_tags: tuple[str, ...]
    online_store: str
    features_list: str


def _settings(options: Mapping[str, str]) -> _Settings:
    store = options.get("online_store", "auto")
    if store not in ("auto", "yes", "no"):
        raise UsageError(f"--option online_store: expected auto, yes or no, got {shown(store)}")
    listed = options.get("features_list", "complete")
    if listed not in ("complete", "partial"):
        raise UsageError(f"--option features_list: expected complete or partial, got {shown(listed)}")
    tags: tuple[str, ...] = TEAM_TAGS
    if "team_tags" in options:
        tags = tuple(t.strip() for t in options["team_tags"].split(",") if t.strip())
        if not tags:
            raise UsageError("--option team_tags: give one or more comma-separated names")
    return _Settings(tags, store, listed)


class FeastSource(Source):
    kind = "feast"
    summary = "Feast registry (`feast registry-dump` JSON): features, online availability, freshness, owners."
    options: ClassVar[Mapping[str, str]] = {
        "team_tags": f"Tag keys naming a view's owning team, first found wins (default {','.join(TEAM_TAGS)}).",
        "online_store": "auto (default: the registry's infra shows it), yes or no.",
        "features_list": "complete (default: the registry holds every feature) or partial.",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        settings = _settings(options.settings)
        reader = _Reader(settings)
        for path in inputs:
            text = read_input(path, "registry dump (run `feast registry-dump > registry.json` in the repository)")
            reader.read(jsondoc.loads(text, path), path, text)
        return reader.fragment()


def _seconds(value: Any) -> float | None:
    """A protobuf JSON duration (``"3600s"``) in seconds, None if it is not one."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    return float(match.group(1)) if match else None


def _window(seconds: float) -> str:
    """A spec duration (``15m``, ``6h``, ``30d``, ``12w``) for a window, in the largest unit that divides it."""
    minutes = max(1, round(seconds / 60))
    for unit, size in (("w", 7 * 1440), ("d", 1440), ("h", 60)):
        if minutes % size == 0 and minutes // size < 1_000_000:
            return f"{minutes // size}{unit}"
    return f"{min(minutes, 999_999)}m"


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class _Reader:
    """Reads one or more registry dumps; collects features, teams and notes."""

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        self.features: dict[str, Feature] = {}
        self.teams: dict[str, Team] = {}
        self.notes: list[str] = []
        self.unowned: list[str] = []
        self.expiring: list[str] = []
        self.once: list[str] = []
        self.skipped: list[str] = []

    def read(self, data: Any, label: str, text: str) -> None:
        check = jsondoc.Checker(label, text)
        if not check.expect(data, dict, (), "a JSON object (the output of `feast registry-dump`)"):
            check.done()
        if not any(section in data for section in (*VIEW_SECTIONS, "project", "entities")):
            check.problem((), "no featureViews, entities or project: not the output of `feast registry-dump`")
            check.done()
        project = data.get("project", "")
        infra = data.get("infra", [])
        check.expect(infra, list, ("infra",), "a list of online store tables")
        tables = {t.get("name") for t in infra if isinstance(t, dict)} if isinstance(infra, list) else set()
        store = {"yes": True, "no": False}.get(self.settings.online_store, bool(tables) or None)
        for section in VIEW_SECTIONS:
            views = data.get(section, [])
            if not check.expect(views, list, (section,), "a list of feature views"):
                continue
            for i, view in enumerate(views):
                self._view(check, view, (section, i), section, label, str(project), store)
        for section in ("onDemandFeatureViews",):
            others = data.get(section)
            if isinstance(others, list) and others:
                self.skipped.append(f"{len(others)} on-demand feature views")
        check.done()

    def _view(
        self,
        check: jsondoc.Checker,
        view: Any,
        at: tuple[str | int, ...],
        section: str,
        label: str,
        project: str,
        store: bool | None,
    ) -> None:
        if not check.expect(view, dict, at, "a feature view (an object with spec and meta)"):
            return
        spec, meta = view.get("spec"), view.get("meta", {})
        if not check.expect(spec, dict, (*at, "spec"), "the view's spec (an object)"):
            return
        if not check.expect(meta, dict, (*at, "meta"), "the view's meta (an object)"):
            return
        name = spec.get("name")
        if not isinstance(name, str) or not slug(name):
            check.problem((*at, "spec", "name"), f"expected the view's name, got {shown(name)}")
            return
        features = spec.get("features", [])
        if not check.expect(features, list, (*at, "spec", "features"), "a list of features"):
            return
        keys = {c.get("name") for c in spec.get("entityColumns", []) if isinstance(c, dict)}
        tags = spec.get("tags", {})
        if not check.expect(tags, dict, (*at, "spec", "tags"), "a mapping of tag names to values"):
            return
        owner = self._owner(spec, tags, label, name)
        aggregations = self._aggregations(check, spec.get("aggregations", []), (*at, "spec", "aggregations"))
        freshness, spacing = self._freshness(check, section, spec, meta, at, name)
        ttl = _seconds(spec.get("ttl"))
        online = spec.get("online", False) is True
        if online and ttl and spacing and ttl < spacing:
            self.expiring.append(f"{name} (ttl {_window(ttl)}, materialized every {_window(spacing)})")
        in_production = False if not online else store
        sensitivity = str(tags.get("sensitivity", "")).lower() or None
        if sensitivity is not None and sensitivity not in _SENSITIVITY:
            self.notes.append(f"view {name}: sensitivity={shown(tags['sensitivity'])} is not one of "
                              f"{', '.join(sorted(_SENSITIVITY))}; left out")  # fmt: skip
            sensitivity = None
        represents = tuple(sorted({r.strip() for r in str(tags.get("represents", "")).split(",") if r.strip()}))
        description = spec.get("description") if isinstance(spec.get("description"), str) else None
        for j, feature in enumerate(features):
            if not check.expect(feature, dict, (*at, "spec", "features", j), "a feature (an object with a name)"):
                continue
            fname = feature.get("name")
            if not isinstance(fname, str) or not slug(fname):
                check.problem((*at, "spec", "features", j, "name"), f"expected the feature's name, got {shown(fname)}")
                continue
            if fname in keys:
                continue
            ident = f"{slug(name)}.{slug(fname)}"
            transformation, window = aggregations.get(fname, (None, None))
            record = f"{project}/{name}:{fname}" if project else f"{name}:{fname}"
            if ident in self.features:
                self.notes.append(f"feature {name}:{fname} is listed twice; the first is kept")
                continue
            self.features[ident] = Feature(
                id=ident,
                description=description[:5000] if description else None,
                owner=owner,
                in_production=in_production,
                freshness=freshness,
                transformation=transformation,
                window=window,
                sensitivity=sensitivity,
                represents=represents or None,
                provenance=Provenance(system="feast", location=label, record=record),
            )

    def _owner(self, spec: dict[str, Any], tags: dict[str, Any], label: str, view: str) -> str | None:
        name = next((str(tags[k]).strip() for k in self.settings.team_tags if str(tags.get(k, "")).strip()), "")
        owner = spec.get("owner")
        if not name and isinstance(owner, str) and owner.strip() and not _EMAIL.match(owner.strip()):
            name = owner.strip()
        if not name:
            if isinstance(owner, str) and owner.strip():
                self.unowned.append(view)
            return None
        ident = slug(name)
        if not ident:
            return None
        if ident not in self.teams:
            provenance = Provenance(system="feast", location=label, record=f"{view} owner")
            self.teams[ident] = Team(id=ident, name=name[:200], kind=team_kind(name), provenance=provenance)
        return ident

    def _aggregations(
        self, check: jsondoc.Checker, value: Any, at: tuple[str | int, ...]
    ) -> dict[str, tuple[Transformation, str | None]]:
        """Feature name -> (transformation, window) for each aggregation of a view."""
        out: dict[str, tuple[Transformation, str | None]] = {}
        if not check.expect(value, list, at, "a list of aggregations"):
            return out
        for k, agg in enumerate(value):
            if not check.expect(agg, dict, (*at, k), "an aggregation (an object with a column)"):
                continue
            column = agg.get("name") or agg.get("column")
            if not isinstance(column, str) or not column:
                check.problem((*at, k, "column"), f"expected the aggregated column, got {shown(column)}")
                continue
            raw = agg.get("timeWindow")
            if raw is None:
                out[column] = ("lifetime_aggregate", None)
                continue
            seconds = _seconds(raw)
            if seconds is None:
                check.problem((*at, k, "timeWindow"), f"expected a duration like '3600s', got {shown(raw)}")
            elif seconds <= 0:
                out[column] = ("lifetime_aggregate", None)
            else:
                out.setdefault(column, ("windowed_aggregate", _window(seconds)))
        return out

    def _freshness(
        self,
        check: jsondoc.Checker,
        section: str,
        spec: dict[str, Any],
        meta: dict[str, Any],
        at: tuple[str | int, ...],
        name: str,
    ) -> tuple[Freshness | None, float | None]:
        """How fresh the view's data is when served, and the spacing of its materialization runs in seconds."""
        stream = spec.get("streamSource")
        if section == "streamFeatureViews" or (isinstance(stream, dict) and stream.get("type") in STREAM_TYPES):
            return "realtime", None
        intervals = meta.get("materializationIntervals", [])
        if not check.expect(intervals, list, (*at, "meta", "materializationIntervals"), "a list of intervals"):
            return None, None
        ends = []
        for k, interval in enumerate(intervals):
            end = _time(interval.get("endTime")) if isinstance(interval, dict) else None
            if end is None:
                check.problem((*at, "meta", "materializationIntervals", k, "endTime"), "expected an ISO 8601 time")
                continue
            ends.append(end)
        ends.sort()
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(ends) if b > a]
        if not gaps:
            if ends:
                self.once.append(name)
            return None, None
        spacing = statistics.median(gaps)
        freshness: Freshness = next((f for bound, f in CADENCE if spacing <= bound), "quarterly")
        return freshness, spacing

    def fragment(self) -> Fragment:
        notes = list(self.notes)
        if self.unowned:
            notes.append(
                "views whose owner is a person, with no team tag (add a 'team' tag or --option team_tags): "
                + ", ".join(sorted(self.unowned)[:20])
            )
        if self.expiring:
            notes.append(
                "online views whose ttl is shorter than the time between materializations serve missing values "
                "between runs: " + ", ".join(sorted(self.expiring)[:20])
            )
        if self.once:
            notes.append(
                "views materialized once, so their cadence (freshness) is unknown: " + ", ".join(sorted(self.once)[:20])
            )
        if self.skipped:
            notes.append("not read: " + ", ".join(self.skipped))
        listed = "complete" if self.settings.features_list == "complete" else "partial"
        return Fragment(
            system="feast",
            teams=tuple(self.teams.values()),
            features=tuple(self.features.values()),
            lists=Lists(features=listed),
            notes=tuple(notes),
        )
