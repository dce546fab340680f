"""A commented starter spec built from a handful of answers (what ``mlorg init`` asks).

The starter states what the leader told us and nothing else. A question answered "unsure" stays
out of the spec as a commented line marked *unknown*; a field the interview never asked about
stays out as a commented line marked *not asked*. Unknown is not false: the assessment lists
those fields as open questions instead of guessing. Counts the leader gave (ML staff by role,
how many are experienced, models in production) are written as counts, not as invented people
or models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mlorg.spec.models import SPEC_VERSION
from mlorg.yaml_text import scalar

Tri = Literal["yes", "no", "unsure"]
COMMENT_COLUMN = 40


@dataclass(frozen=True)
class Answers:
    """The interview's answers; the defaults are what ``mlorg init --defaults`` uses."""

    name: str = "My organization"
    industry: str | None = None  # None: not given
    headcount: int = 50
    ml_focus: Literal["implementation", "research", "both"] = "implementation"
    regulated_personal_data: Tri = "unsure"
    ml_ambition: Literal["none", "experimental", "core", "everywhere"] = "experimental"
    strategy_written: Tri = "unsure"
    leadership_ml_literacy: Literal["low", "medium", "high", "unsure"] = "unsure"
    ml_leader_in_leadership: Tri = "unsure"
    has_ml_team: Tri = "no"
    data_scientists: int = 1
    ml_engineers: int = 0
    experienced_ml_people: int = 0
    production_models: int = 0
    integration_forum: Tri = "unsure"

    @property
    def ml_people(self) -> int:
        return self.data_scientists + self.ml_engineers


def _tri(answer: Tri) -> str | None:
    return {"yes": "true", "no": "false"}.get(answer)


def _line(text: str, comment: str) -> str:
    return f"{text}{' ' * max(1, COMMENT_COLUMN - len(text))}# {comment}"


def _field(key: str, value: str | None, comment: str, indent: str = "  ") -> str:
    """``key: value  # comment``, or a commented-out line that marks an open question."""
    if value is None:
        return _line(f"{indent}# {key}:", f"unknown: {comment}")
    return _line(f"{indent}{key}: {value}", comment)


def _not_asked(key: str, comment: str, indent: str = "  ") -> str:
    """A field the interview did not ask about: left out, so it reads as unknown, never as "no"."""
    return _line(f"{indent}# {key}:", f"not asked: {comment}")


def starter_spec(a: Answers) -> str:
    """Spec text for the answers: valid as written, with comments on how to refine it."""
    lines = [
        f"# Starter spec for {a.name}, written by `mlorg init`. Refine it, then run `mlorg assess` on it.",
        "# It says only what you answered. Lines marked 'unknown' are questions you were unsure about;",
        "# lines marked 'not asked' are fields the interview did not cover. Both stay out of the spec",
        "# (a missing field is an open question, never a 'no'): fill them in when you know.",
        "# Every section and field is described in docs/spec.md; `mlorg schema` prints the JSON Schema.",
        f"version: {SPEC_VERSION}",
        "",
        "organization:",
        f"  name: {scalar(a.name)}",
        _field("industry", None if a.industry is None else scalar(a.industry), "what the organization does"),
        _field("headcount", str(a.headcount), "total staff"),
        _field("ml_focus", a.ml_focus, "implementation | research | both"),
        _field(
            "regulated_personal_data",
            _tri(a.regulated_personal_data),
            "is data about people (customers, patients, staff) regulated?",
        ),
        "",
        "strategy:",
        _not_asked("statement", "what ML should do for the organization, in a sentence or two"),
        _field("ml_ambition", a.ml_ambition, "none | experimental | core | everywhere"),
        _field("written", _tri(a.strategy_written), "is the ML strategy, with goals, written down?"),
        _not_asked("goals", "what ML should achieve, as a list"),
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
        _not_asked("business_constraints", "what demand-shaping models must respect, e.g. [inventory, margin]"),
        *_teams(a),
        *_people(),
        *_models(a),
        *_forums(a),
        "",
        "# Not asked either, and worth describing when you can: features (model inputs), initiatives",
        "# (ML project ideas), practices, rewards, culture (a Westrum survey result) and change.",
    ]
    return "\n".join(lines) + "\n"


def _ml_home(a: Answers) -> str:
    """The team the ML staff are counted on: the ML team if there is one, else product and engineering."""
    return "ml" if a.has_ml_team == "yes" else "product"


def _staffing(a: Answers) -> list[str]:
    """The ML staff as the leader counted them: by role, and how many of them are experienced."""
    roles = f"{{data_scientist: {a.data_scientists}, ml_engineer: {a.ml_engineers}}}"
    where = "" if a.has_ml_team == "yes" else "; where they sit was not asked: move them to their teams"
    return [
        _line(f"    staffing: {roles}", f"ML staff by role{where}"),
        _line(f"    experienced_ml: {a.experienced_ml_people}", "of them, how many have shipped ML to production"),
    ]


def _teams(a: Answers) -> list[str]:
    lines = [
        "",
        "# kinds: leadership | department | product | ml | data | platform | research | design | it_ops | business",
        "teams:",
        "  - {id: leadership, name: Leadership team, kind: leadership}",
        "  - id: product",
        "    name: Product and engineering",
        "    kind: product",
        "    parent: leadership",
    ]
    if _ml_home(a) == "product":
        lines += _staffing(a)
    if a.has_ml_team == "yes":
        lines += [
            "  - id: ml",
            "    name: Machine learning",
            "    kind: ml",
            "    parent: leadership",
            _not_asked("function", "research | business_metrics | platform | undefined", "    "),
            *_staffing(a),
        ]
    elif a.has_ml_team == "unsure":
        lines.append(
            _line(
                "  # - {id: ml, name: Machine learning, kind: ml, parent: leadership}", "unknown: is there an ML team?"
            )
        )
    return lines


def _people() -> list[str]:
    return [
        "",
        "# roles: executive | product_manager | data_scientist | ml_engineer | designer | analyst | ... (docs/spec.md)",
        _not_asked("people", "list key people: {id, team, roles, ml_experience, reports_to}", ""),
    ]


def _models(a: Answers) -> list[str]:
    return [
        "",
        "counts:",
        _line(f"  models: {{production: {a.production_models}}}", "models in production, listed below or not"),
        _not_asked("models", "list them: {id, purpose, status, built_by, operated_by, features}", ""),
    ]


def _forums(a: Answers) -> list[str]:
    teams = "[product, ml]" if a.has_ml_team == "yes" else "[product]"
    forum = f"{{id: product-review, name: Product review, kind: integration_point, teams: {teams}}}"
    if a.integration_forum == "yes":
        return ["", "forums:", _line(f"  - {forum}", "cadence_days and other forums not asked")]
    if a.integration_forum == "no":
        return ["", _line("forums: []", "no regular meeting where ML and product people decide together")]
    return ["", "# forums:   # unknown: where do ML and product teams meet? For example:", f"#   - {forum}"]
