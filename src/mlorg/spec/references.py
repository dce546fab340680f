"""Uniqueness of ids and resolution of every cross-reference in a spec.

Runs on the raw parsed data (not the validated models) so that reference problems are
reported in the same pass as type problems: a leader sees everything wrong at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from mlorg.errors import Problem
from mlorg.spec.source import PathPart, SourceMap, format_path

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


def check_references(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Every duplicate id, dangling reference and hierarchy cycle, located."""
    problems: list[Problem] = []

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
                    f"duplicate {SINGULAR[section]} id '{ident}' (first defined on line {first})",
                )
            else:
                seen[ident] = i
        ids[section] = seen

    for section, refs in REFERENCES.items():
        for i, item in _items(data, section):
            for field, targets, is_list in refs:
                value = item.get(field)
                values: list[tuple[tuple[PathPart, ...], Any]]
                if is_list:
                    values = (
                        [((section, i, field, j), v) for j, v in enumerate(value)] if isinstance(value, list) else []
                    )
                else:
                    values = [((section, i, field), value)] if value is not None else []
                for loc, ref in values:
                    if not isinstance(ref, str):
                        continue
                    if any(ref in ids[t] for t in targets):
                        continue
                    known = [k for t in targets for k in ids[t]]
                    kinds = " or ".join(SINGULAR[t] for t in targets)
                    problem(loc, f"unknown {kinds} '{ref}'{_hint(ref, known)}")

    problems.extend(_cycles(data, source, "teams", "parent", ids["teams"]))
    problems.extend(_cycles(data, source, "people", "reports_to", ids["people"]))
    problems.extend(_culture_teams(data, source, ids["teams"]))
    problems.extend(_settings(data, source))
    return problems


def _hint(word: str, known: list[str]) -> str:
    if len(known) > 50_000:  # get_close_matches is quadratic-ish; keep huge specs fast
        return ""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


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


def _culture_teams(data: dict[str, Any], source: SourceMap, teams: dict[str, int]) -> list[Problem]:
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
                    f"unknown team '{key}'{_hint(key, list(teams))}",
                )
            )
    return problems


def _settings(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Rule slugs and threshold names in ``settings`` must exist."""
    settings = data.get("settings")
    if not isinstance(settings, dict):
        return []
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
                    f"unknown {what} '{name}'{_hint(name, known)}",
                )
            )

    ignore = settings.get("ignore")
    if isinstance(ignore, list):
        for i, entry in enumerate(ignore):
            if isinstance(entry, str):
                check(("settings", "ignore", i), entry, slugs, "rule")
            elif isinstance(entry, dict):
                check(("settings", "ignore", i, "rule"), entry.get("rule"), slugs, "rule")
    for key in ("severity", "thresholds"):
        section = settings.get(key)
        if isinstance(section, dict):
            known = slugs if key == "severity" else list(Thresholds.model_fields)
            for name in section:
                check(("settings", key, name), name, known, "rule" if key == "severity" else "threshold")
    return problems
