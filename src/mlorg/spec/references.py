"""Uniqueness of ids and resolution of every cross-reference in a spec.

Runs on the raw parsed data (not the validated models) so that reference problems are
reported in the same pass as type problems: a leader sees everything wrong at once.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterator
from itertools import chain, repeat
from typing import Any

from mlorg.errors import Problem
from mlorg.spec.messages import did_you_mean, shown
from mlorg.spec.source import PathPart, SourceMap, format_path

HINT_BUDGET = 200  # did-you-mean hints per run: each scans every id, so a broken huge spec stays fast

# section -> (field, target sections, is_list)
REFERENCES: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {
    "teams": [("parent", ("teams",), False)],
    "people": [("team", ("teams",), False), ("reports_to", ("people",), False)],
    "models": [
        ("built_by", ("teams",), False),
        ("operated_by", ("teams",), False),
        ("owner", ("people",), False),
        ("escalation", ("teams", "people"), False),
        ("features", ("features",), True),
    ],
    "features": [("owner", ("teams",), False)],
    "initiatives": [
        ("team", ("teams",), False),
        ("departments", ("teams",), True),
        ("models", ("models",), True),
    ],
    "forums": [("teams", ("teams",), True)],
}
SECTIONS = ("teams", "people", "models", "features", "initiatives", "forums")
SINGULAR = {
    "teams": "team",
    "people": "person",
    "models": "model",
    "features": "feature",
    "initiatives": "initiative",
    "forums": "forum",
}


def _field(items: Any, name: str) -> list[Any] | None:
    """``item.get(name)`` of every item of list ``items`` in one C-level pass; None unless all are mappings."""
    if type(items) is not list:
        return None
    try:
        return list(map(dict.get, items, repeat(name)))
    except TypeError:  # an entry that is not a mapping: the full checks below say what they must
        return None


def _unique_ids(items: Any) -> dict[str, int] | None:
    """Id -> position when every entry is a mapping with a text id and no id repeats (a valid spec), else None.

    The common case settled with C-level passes; anything else goes to the loop that names each problem.
    """
    idents = _field(items, "id")
    if idents is None:
        return None
    try:
        "".join(idents)  # the cheapest proof that every id is text
    except TypeError:
        return None
    seen = dict(zip(idents, range(len(idents)), strict=True))
    return seen if len(seen) == len(idents) else None


def _all_known(values: list[Any], valid: list[dict[str, int]], is_list: bool) -> bool:
    """Whether no text among ``values`` (each a list of them with ``is_list``) is missing from all of ``valid``."""
    try:
        refs = set(chain.from_iterable(v for v in values if type(v) is list)) if is_list else set(values)
    except TypeError:  # an unhashable value: not a reference, but let the loop look at it
        return False
    for known in valid:  # one at a time: ``difference(*valid)`` walks every id of every target section
        refs = refs.difference(known)
    return all(type(ref) is not str for ref in refs)


def _items(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


class _Hints:
    """Did-you-mean hints, up to a budget."""

    def __init__(self) -> None:
        self.left = HINT_BUDGET

    def __call__(self, word: str, known: Collection[str]) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return did_you_mean(word, list(known))


def check_references(
    data: dict[str, Any], source: SourceMap, ids_out: dict[str, dict[str, int]] | None = None
) -> list[Problem]:
    """Every duplicate id, dangling reference and hierarchy cycle, located.

    ``ids_out`` receives each section's id -> position (of the first entry with that id), which the
    loader hands on to the spec's index rather than have it built twice.
    """
    problems: list[Problem] = []
    hint = _Hints()

    def problem(loc: tuple[PathPart, ...], message: str) -> None:
        problems.append(Problem(source.file, source.line(loc), format_path(loc), message))

    ids: dict[str, dict[str, int]] = {}
    for section in SECTIONS:
        unique = _unique_ids(data.get(section))
        if unique is not None:
            ids[section] = unique
            continue
        seen: dict[str, int] = {}
        for i, item in _items(data, section):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                first = source.line((section, seen[ident], "id"))
                problem(
                    (section, i, "id"),
                    f"duplicate {SINGULAR[section]} id {shown(ident)} (first defined on line {first})",
                )
            else:
                seen[ident] = i
        ids[section] = seen

    for section, refs in REFERENCES.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for field, targets, is_list in refs:
            values = _field(items, field)
            if values is not None and _all_known(values, [ids[t] for t in targets], is_list):
                continue  # nothing dangles: the usual case, without a Python step per entry
            valid = ids[targets[0]] if len(targets) == 1 else {k: 0 for t in targets for k in ids[t]}
            kinds = " or ".join(SINGULAR[t] for t in targets)

            def dangling(
                loc: tuple[PathPart, ...], ref: str, valid: dict[str, int] = valid, kinds: str = kinds
            ) -> None:
                problem(loc, f"unknown {kinds} {shown(ref)}{hint(ref, valid)}")

            # one tight loop per reference field: this runs once per person, model and feature
            for i, item in enumerate(items):
                value = item.get(field) if type(item) is dict else None
                if value is None:
                    continue
                if not is_list:
                    if type(value) is str and value not in valid:
                        dangling((section, i, field), value)
                elif type(value) is list:
                    for j, ref in enumerate(value):
                        if type(ref) is str and ref not in valid:
                            dangling((section, i, field, j), ref)

    if ids_out is not None:
        ids_out.update(ids)
    problems.extend(_constraint_models(data, source, ids["models"], hint))
    problems.extend(_windows(data, source))
    problems.extend(_cycles(data, source, "teams", "parent", ids["teams"]))
    problems.extend(_cycles(data, source, "people", "reports_to", ids["people"]))
    problems.extend(_culture_teams(data, source, ids["teams"], hint))
    settings = data.get("settings")
    if isinstance(settings, dict):
        problems.extend(check_settings(settings, source, ("settings",)))
    return problems


def _cycles(data: dict[str, Any], source: SourceMap, section: str, field: str, index: dict[str, int]) -> list[Problem]:
    """Report each cycle in a parent-style hierarchy once, at its first member."""
    if _acyclic(data.get(section), field, index):
        return []
    parent: dict[str, str] = {}
    for _, item in _items(data, section):
        ident, up = item.get("id"), item.get(field)
        if isinstance(ident, str) and isinstance(up, str) and up in index:
            parent[ident] = up
    state: dict[str, int] = {}  # 1 = being walked, 2 = done
    problems = []
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            first = min(cycle, key=lambda n: index[n])
            loc: tuple[PathPart, ...] = (section, index[first], field)
            problems.append(
                Problem(
                    source.file,
                    source.line(loc),
                    format_path(loc),
                    f"{field} forms a cycle: {' -> '.join([*cycle, cycle[0]])}",
                )
            )
        for n in path:
            state[n] = 2
    return problems


def _acyclic(items: Any, field: str, index: dict[str, int]) -> bool:
    """True when the hierarchy surely has no cycle, found without a Python step per entry (False: look).

    Only when entry ``i`` is the one with id ``i`` in ``index`` (ids unique). Each entry points to its
    parent's position, a root to a sink past the end. Parents listed before their children settle it
    (positions only fall along a chain). Otherwise, with the sink pointing to itself, composing the
    pointers with themselves reaches the ancestor 2, 4, 8... steps up, so after k rounds every entry
    reaches the sink exactly when no chain is longer than 2**k and none loops; a loop never does.
    """
    ups = _field(items, field)
    if ups is None or len(index) != len(ups):
        return False
    sink = len(ups)
    try:
        pointers = list(map(index.get, ups, repeat(sink)))
    except TypeError:  # an unhashable parent: not a reference
        return False
    if sum(map(operator.lt, pointers, range(sink))) + pointers.count(sink) == sink:
        return True
    pointers.append(sink)
    for _ in range(sink.bit_length() + 1):
        if pointers.count(sink) == len(pointers):
            return True
        pointers = list(map(pointers.__getitem__, pointers))
    return False


def _constraint_models(data: dict[str, Any], source: SourceMap, models: dict[str, int], hint: _Hints) -> list[Problem]:
    """A business constraint scoped to models must name models the spec lists."""
    strategy = data.get("strategy")
    declared = strategy.get("business_constraints") if isinstance(strategy, dict) else None
    if not isinstance(declared, list):
        return []
    problems = []
    for i, item in enumerate(declared):
        scoped = item.get("models") if isinstance(item, dict) else None
        if not isinstance(scoped, list):
            continue
        for j, ref in enumerate(scoped):
            if isinstance(ref, str) and ref not in models:
                loc: tuple[PathPart, ...] = ("strategy", "business_constraints", i, "models", j)
                problems.append(
                    Problem(
                        source.file,
                        source.line(loc),
                        format_path(loc),
                        f"unknown model {shown(ref)}{hint(ref, models)}",
                    )
                )
    return problems


def _windows(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """``window`` and version 1's ``window_days`` say the same thing: a feature gives one of them."""
    for name in ("window", "window_days"):
        given = _field(data.get("features"), name)
        if given is not None and given.count(None) == len(given):
            return []  # no feature gives it, so none gives both
    problems = []
    for i, item in _items(data, "features"):
        if item.get("window") is not None and item.get("window_days") is not None:
            loc: tuple[PathPart, ...] = ("features", i, "window_days")
            problems.append(
                Problem(
                    source.file,
                    source.line(loc),
                    format_path(loc),
                    "give `window` or `window_days`, not both (`window_days: N` is `window: Nd`)",
                )
            )
    return problems


def _culture_teams(data: dict[str, Any], source: SourceMap, teams: dict[str, int], hint: _Hints) -> list[Problem]:
    culture = data.get("culture")
    westrum = culture.get("westrum") if isinstance(culture, dict) else None
    per_team = westrum.get("teams") if isinstance(westrum, dict) else None
    if not isinstance(per_team, dict):
        return []
    problems = []
    for key in per_team:
        if isinstance(key, str) and key not in teams:
            loc: tuple[PathPart, ...] = ("culture", "westrum", "teams", key)
            problems.append(
                Problem(
                    source.file,
                    source.line(loc),
                    format_path(loc),
                    f"unknown team {shown(key)}{hint(key, teams)}",
                )
            )
    return problems


def check_settings(settings: dict[str, Any], source: SourceMap, prefix: tuple[PathPart, ...]) -> list[Problem]:
    """Rule slugs and threshold names in a ``settings`` section (or ``--config`` file) must exist."""
    from mlorg.rules.registry import all_slugs
    from mlorg.settings import Thresholds

    slugs = all_slugs()
    problems = []

    def check(loc: tuple[PathPart, ...], name: Any, known: list[str], what: str) -> None:
        if isinstance(name, str) and name not in known:
            problems.append(
                Problem(
                    source.file,
                    source.line(loc),
                    format_path(loc),
                    f"unknown {what} {shown(name)}{did_you_mean(name, known)}",
                )
            )

    ignore = settings.get("ignore")
    if isinstance(ignore, list):
        for i, entry in enumerate(ignore):
            if isinstance(entry, str):
                check((*prefix, "ignore", i), entry, slugs, "rule")
            elif isinstance(entry, dict):
                check((*prefix, "ignore", i, "rule"), entry.get("rule"), slugs, "rule")
    for key in ("severity", "thresholds"):
        section = settings.get(key)
        if isinstance(section, dict):
            known = slugs if key == "severity" else list(Thresholds.model_fields)
            for name in section:
                check((*prefix, key, name), name, known, "rule" if key == "severity" else "threshold")
    return problems
