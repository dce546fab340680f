"""Uniqueness of ids and resolution of every cross-reference in a spec.

Runs on the raw parsed data (not the validated models) so that reference problems are
reported in the same pass as type problems: a leader sees everything wrong at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
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


def check_references(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Every duplicate id, dangling reference and hierarchy cycle, located."""
    problems: list[Problem] = []
    hint = _Hints()

    def problem(loc: tuple[PathPart, ...], message: str) -> None:
        problems.append(Problem(source.file, source.line(loc), format_path(loc), message))

    ids: dict[str, dict[str, int]] = {}
    for section in SECTIONS:
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
