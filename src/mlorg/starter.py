"""A commented starter spec built from a handful of answers (what ``mlorg init`` asks).

The starter only states what the leader told us. Every question answered "unsure" stays out of
the spec as a commented line to fill in later: unknown is not false, and the assessment lists
those fields as open questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mlorg.yaml_text import scalar

Tri = Literal["yes", "no", "unsure"]
MAX_LISTED_ML_PEOPLE = 12  # beyond this the starter counts ML staff in the team's `staffing`
MAX_LISTED_MODELS = 20


@dataclass(frozen=True)
class Answers:
    """The interview's answers; the defaults are what ``mlorg init --defaults`` uses."""

    name: str = "My organization"
    headcount: int = 50
    ml_focus: Literal["implementation", "research", "both"] = "implementation"
    ml_ambition: Literal["none", "experimental", "core", "everywhere"] = "experimental"
    strategy_written: Tri = "unsure"
    leadership_ml_literacy: Literal["low", "medium", "high", "unsure"] = "unsure"
    ml_leader_in_leadership: Tri = "unsure"
    has_ml_team: Tri = "no"
    ml_people: int = 1
    experienced_ml_people: int = 0
    production_models: int = 0
    integration_forum: Tri = "unsure"


def _tri(answer: Tri) -> str | None:
    return {"yes": "true", "no": "false"}.get(answer)


def _field(key: str, value: str | None, comment: str, indent: str = "  ") -> str:
    """``key: value  # comment``, or a commented-out line that marks an open question."""
    line = f"{indent}# {key}:" if value is None else f"{indent}{key}: {value}"
    note = f"unknown: {comment}" if value is None else comment
    return f"{line}{' ' * max(1, 36 - len(line))}# {note}"


def starter_spec(a: Answers) -> str:
    """Spec text for the answers: valid as written, with comments on how to refine it."""
    lines = [
        f"# Starter spec for {a.name}, written by `mlorg init`. Refine it, then run `mlorg assess` on it.",
        "# Leave out what you do not know: a missing field is an open question, never a 'no'.",
        "# Every section and field is described in docs/spec.md; `mlorg schema` prints the JSON Schema.",
        "version: 1",
        "",
        "organization:",
        f"  name: {scalar(a.name)}",
        _field("headcount", str(a.headcount), "total staff"),
        _field("ml_focus", a.ml_focus, "implementation | research | both"),
        "",
        "strategy:",
        "  # statement: what ML should do for the organization, in a sentence or two",
        _field("ml_ambition", a.ml_ambition, "none | experimental | core | everywhere"),
        _field("written", _tri(a.strategy_written), "is the ML strategy, with goals, written down?"),
        _field(
            "leadership_ml_literacy",
            None if a.leadership_ml_literacy == "unsure" else a.leadership_ml_literacy,
            "low | medium | high",
        ),
        _field(
            "ml_leader_in_leadership",
            _tri(a.ml_leader_in_leadership),
            "does someone speak for ML in the leadership team?",
        ),
        *_teams(a),
        *_people(a),
        *_models(a),
        *_forums(a),
        "",
        "# Also worth describing when you can: features (model inputs), initiatives (ML project ideas),",
        "# practices, rewards, culture (a Westrum survey result) and change. See docs/spec.md.",
    ]
    return "\n".join(lines) + "\n"


def _ml_team(a: Answers) -> str:
    return "ml" if a.has_ml_team == "yes" else "product"


def _staffing(a: Answers, team: str) -> str:
    """ML staff too many to list by name are counted on their team (aggregate staffing)."""
    if a.ml_people <= MAX_LISTED_ML_PEOPLE or _ml_team(a) != team:
        return ""
    return f", staffing: {{ml_engineer: {a.ml_people}}}, experienced_ml: {a.experienced_ml_people}"


def _teams(a: Answers) -> list[str]:
    lines = [
        "",
        "# kinds: leadership | department | product | ml | data | platform | research | design | it_ops | business",
        "teams:",
        "  - {id: leadership, name: Leadership team, kind: leadership}",
        "  - {id: product, name: Product and engineering, kind: product, parent: leadership"
        f"{_staffing(a, 'product')}}}",
    ]
    if a.has_ml_team == "yes":
        function = "research" if a.ml_focus == "research" else "business_metrics"
        lines.append(
            f"  - {{id: ml, name: Machine learning, kind: ml, parent: leadership, function: {function}"
            f"{_staffing(a, 'ml')}}}   # function: research | business_metrics | platform | undefined"
        )
    elif a.has_ml_team == "unsure":
        lines.append(
            "  # - {id: ml, name: Machine learning, kind: ml, parent: leadership}   # unknown: is there an ML team?"
        )
    return lines


def _people(a: Answers) -> list[str]:
    lines = [
        "",
        "# roles: executive | product_manager | data_scientist | ml_engineer | sre_ml | ... (see docs/spec.md)",
    ]
    if a.ml_people == 0:
        return [*lines, "people: []   # no one works on ML yet; list key people here"]
    if a.ml_people > MAX_LISTED_ML_PEOPLE:
        return [*lines, f"people: []   # list key people here; the {a.ml_people} ML staff are counted on their team"]
    lines.append("people:")
    for i in range(a.ml_people):
        experience = "experienced" if i < a.experienced_ml_people else "learning"
        role = "ml_engineer" if i % 2 == 0 else "data_scientist"
        lines.append(
            f"  - {{id: ml-person-{i + 1}, team: {_ml_team(a)}, roles: [{role}], ml_experience: {experience}}}"
        )
    return lines


def _models(a: Answers) -> list[str]:
    if a.production_models == 0:
        return ["", "models: []   # no model in production yet"]
    lines = ["", "models:"]
    for i in range(min(a.production_models, MAX_LISTED_MODELS)):
        lines.append(f"  - {{id: model-{i + 1}, status: production, built_by: {_ml_team(a)}}}")
    if a.production_models > MAX_LISTED_MODELS:
        lines.append(f"  # ... and {a.production_models - MAX_LISTED_MODELS} more in production: list them here")
    return lines


def _forums(a: Answers) -> list[str]:
    teams = "[leadership, product, ml]" if a.has_ml_team == "yes" else "[leadership, product]"
    forum = f"{{id: product-review, name: Product review, kind: integration_point, cadence_days: 14, teams: {teams}}}"
    if a.integration_forum == "yes":
        return ["", "forums:", f"  - {forum}"]
    if a.integration_forum == "no":
        return ["", "forums: []   # no regular forum where ML and product teams meet"]
    return ["", "# forums:   # unknown: where do ML and product teams meet? For example:", f"#   - {forum}"]
