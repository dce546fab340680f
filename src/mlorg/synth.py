"""Synthetic but plausible organizations of any size, for demos, tests and benchmarks.

``generate(people, seed)`` returns spec text: a leadership team over divisions and departments,
product, ML, data, platform and support teams (about one team per ten people), named people with
roles, ML experience and reporting lines, models (about 5% of people), features (about 50%),
initiatives, forums, practices, rewards, culture and a change under way. The same ``people`` and
``seed`` always give the same bytes; the text is built directly as compact flow-style YAML, so a
100,000-person organization is written in a few seconds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from mlorg.spec.index import ML_ROLES
from mlorg.yaml_text import Value, flow, scalar

MAX_PEOPLE = 2_000_000
T = TypeVar("T")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Ada Aiko Alejandro Amara Ana Anders Aroha Ayesha Bao Beatriz Bilal Camille Chidi Chen Dara Deepa "
    "Diego Elif Emeka Emma Farah Femi Grace Hana Hugo Ines Ivan Jamal Jin Joao Kavya Kofi Lars Leila "
    "Lena Liam Lucia Mateo Maya Mei Nadia Nikhil Noor Olu Omar Priya Rafael Rania Ravi Sana Sofia Tariq "
    "Tomas Uma Vera Wei Yara Yusuf Zainab Zoe"
)
LAST_NAMES = _words(
    "Abebe Adeyemi Alvarez Andersen Bauer Bianchi Chen Costa Dubois Eriksen Fernandes Fischer Garcia "
    "Gupta Haddad Hansen Ibrahim Ito Jansen Kaur Kim Kowalski Larsen Lee Lopez Mensah Moreau Mukherjee "
    "Nakamura Ndlovu Nguyen Novak Okafor Olsen Osei Park Patel Pereira Petrov Quispe Rahman Reyes Rossi "
    "Sato Schmidt Silva Singh Sousa Suzuki Tanaka Torres Varga Wang Weber Yilmaz Zhang"
)
DOMAINS = _words(
    "commerce marketplace logistics payments growth content customer operations finance risk supply "
    "marketing mobile search ads trust identity analytics fulfilment pricing catalog partners"
)
TEAM_NOUNS: dict[str, tuple[str, ...]] = {
    "product": ("checkout", "cart", "onboarding", "storefront", "listings", "notifications", "accounts", "orders"),
    "ml": ("recs", "ranking", "forecasting", "fraud-ml", "pricing-ml", "personalization", "nlp", "vision"),
    "data": ("data", "analytics", "warehouse", "pipelines", "insights"),
    "platform": ("ml-platform", "data-platform", "infra", "feature-platform"),
    "research": ("research", "applied-research"),
    "design": ("design", "ux"),
    "it_ops": ("it-ops", "sre"),
    "business": ("sales", "finance-ops", "procurement", "partnerships", "support"),
}
# Share of the non-management teams of each kind.
KIND_SHARES: tuple[tuple[str, float], ...] = (
    ("product", 0.50),
    ("ml", 0.13),
    ("data", 0.10),
    ("platform", 0.05),
    ("research", 0.03),
    ("design", 0.06),
    ("it_ops", 0.05),
    ("business", 0.08),
)
# Roles of a team's members after its lead, with weights.
MEMBER_ROLES: dict[str, tuple[tuple[str, int], ...]] = {
    "leadership": (("executive", 3), ("business_analyst", 1)),
    "department": (("business_analyst", 2), ("product_manager", 1), ("lead_engineer", 1)),
    "product": (("product_engineer", 12), ("qa_engineer", 2), ("business_analyst", 1), ("data_scientist", 1)),
    "ml": (("ml_engineer", 6), ("data_scientist", 5), ("ml_researcher", 1), ("sre_ml", 1), ("data_engineer", 1)),
    "data": (("data_engineer", 5), ("data_scientist", 3), ("business_analyst", 2)),
    "platform": (("sre", 3), ("sre_ml", 2), ("ml_engineer", 2), ("product_engineer", 3)),
    "research": (("ml_researcher", 5), ("data_scientist", 2), ("ml_engineer", 1)),
    "design": (("product_engineer", 1),),
    "it_ops": (("sre", 1),),
    "business": (("business_analyst", 1),),
}
LEAD_ROLES: dict[str, tuple[str, ...]] = {
    "leadership": ("executive",),
    "department": ("executive",),
    "product": ("product_manager",),
    "ml": ("ml_engineer", "lead_engineer"),
    "data": ("data_engineer", "lead_engineer"),
    "platform": ("sre", "lead_engineer"),
    "research": ("ml_researcher",),
    "design": ("product_engineer",),
    "it_ops": ("sre",),
    "business": ("business_analyst",),
}
LEADERSHIP_EXTRA = ("head_of_data_science", "lead_engineer", "lead_product_manager")
TOOL_CHOICES: dict[str, tuple[str, ...]] = {
    "experiment_tracking": ("mlflow", "wandb", "neptune"),
    "model_registry": ("mlflow", "sagemaker", "vertex"),
    "pipeline_orchestration": ("airflow", "kubeflow", "dagster"),
}
ENTITIES = _words("user product order session merchant listing query cart store device campaign seller")
MEASURES = _words(
    "click_count_7d view_count_30d purchase_count price category age_days return_rate rating embedding "
    "country language spend_90d last_seen inventory_level margin_band dwell_time"
)
SENSITIVITY = (("none", 14), ("quasi_identifier", 3), ("personal", 2), ("sensitive", 1))
INITIATIVE_VERBS = _words("Predict Rank Recommend Forecast Detect Personalise Price Classify")
INITIATIVE_OBJECTS = _words("churn demand fraud search-results bundles delivery-times returns reviews")


@dataclass
class TeamPlan:
    id: str
    kind: str
    parent: str | None
    name: str
    members: list[str] = field(default_factory=list)


@dataclass
class Names:
    """Hands out unique ids derived from readable bases (``checkout``, ``checkout-2``...)."""

    used: dict[str, int] = field(default_factory=dict)

    def unique(self, base: str) -> str:
        if base not in self.used:
            self.used[base] = 1
            return base
        n = self.used[base]
        candidate = base
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used[base] = n
        self.used[candidate] = 1
        return candidate


class Generator:
    """Builds one organization; every random choice goes through one seeded ``Random``."""

    def __init__(self, people: int, seed: int, name: str | None) -> None:
        if not 1 <= people <= MAX_PEOPLE:
            raise ValueError(f"people must be between 1 and {MAX_PEOPLE:,}")
        self.n = people
        self.seed = seed
        self.rng = random.Random(seed)
        self.name = name or self._org_name()
        self.team_ids = Names()
        self.person_ids = Names()
        self.feature_ids = Names()
        self.teams: list[TeamPlan] = []
        self.by_kind: dict[str, list[TeamPlan]] = {}
        self.ml_teams_with_people: list[TeamPlan] = []
        self.teams_by_id: dict[str, TeamPlan] = {}

    # ---- small helpers -------------------------------------------------------------------
    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.rng.random() * len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, options: Sequence[tuple[str, int]]) -> str:
        total = sum(w for _, w in options)
        x = self.rng.random() * total
        for value, w in options:
            x -= w
            if x < 0:
                return value
        return options[-1][0]

    def _org_name(self) -> str:
        first = ("Northwind", "Bluefin", "Harbor", "Juniper", "Quill", "Tandem", "Lumen", "Cobalt", "Meadow")
        second = ("Retail", "Labs", "Logistics", "Markets", "Health", "Media", "Systems", "Commerce")
        return f"{self.pick(first)} {self.pick(second)}"

    # ---- teams ---------------------------------------------------------------------------
    def plan_teams(self) -> None:
        total = max(1, round(self.n / 10))
        self._add_team("leadership", "leadership", None, "Leadership team")
        rest = total - 1
        if rest <= 0:
            return
        departments = round(rest / 12) if rest >= 6 else 0
        divisions = math.ceil(departments / 15) if departments > 20 else 0
        work = rest - departments - divisions
        parents = ["leadership"]
        if divisions:
            parents = [
                self._add_team("department", self.team_ids.unique(f"{d}-division"), "leadership", f"{d} division").id
                for d in self._domains(divisions)
            ]
        if departments:
            parents = [
                self._add_team("department", self.team_ids.unique(d), parents[i % len(parents)], f"{d} department").id
                for i, d in enumerate(self._domains(departments))
            ]
        kinds = self._work_kinds(work)
        for i, kind in enumerate(kinds):
            parent = parents[i % len(parents)]
            noun = self.pick(TEAM_NOUNS[kind])
            prefix = parent.split("-division")[0] if parent != "leadership" else ""
            base = f"{prefix}-{noun}" if prefix else noun
            ident = self.team_ids.unique(base)
            self._add_team(kind, ident, parent, ident.replace("-", " ").capitalize())

    def _domains(self, count: int) -> list[str]:
        return [
            DOMAINS[i % len(DOMAINS)] + ("" if i < len(DOMAINS) else str(i // len(DOMAINS) + 1)) for i in range(count)
        ]

    def _work_kinds(self, work: int) -> list[str]:
        """Team kinds in proportion to ``KIND_SHARES``; small orgs get product and ML first."""
        if work <= 0:
            return []
        kinds: list[str] = []
        for kind, share in KIND_SHARES:
            kinds.extend([kind] * math.floor(work * share))
        order = ["product", "ml", "data", "platform", "business", "design", "it_ops", "research"]
        i = 0
        while len(kinds) < work:
            kinds.append(order[i % len(order)])
            i += 1
        self.rng.shuffle(kinds)
        return kinds

    def _add_team(self, kind: str, ident: str, parent: str | None, name: str) -> TeamPlan:
        team = TeamPlan(ident, kind, parent, name)
        self.teams.append(team)
        self.by_kind.setdefault(kind, []).append(team)
        return team

    # ---- people --------------------------------------------------------------------------
    def team_sizes(self) -> list[int]:
        """Leadership and management teams stay small; work teams share the rest unevenly."""
        left = self.n
        sizes = [0] * len(self.teams)
        for i, team in enumerate(self.teams):
            if team.kind == "leadership":
                sizes[i] = min(left, max(1, min(12, self.n // 40 + 2)))
            elif team.kind == "department":
                sizes[i] = min(left, 2)
            left -= sizes[i]
        work = [i for i, t in enumerate(self.teams) if t.kind not in ("leadership", "department")]
        if not work:
            sizes[0] += left
            return sizes
        weights = [0.5 + self.rng.random() for _ in work]
        scale = left / sum(weights)
        for i, w in zip(work, weights, strict=True):
            sizes[i] = int(w * scale)
        leftover = left - sum(sizes[i] for i in work)
        for k in range(leftover):
            sizes[work[k % len(work)]] += 1
        return sizes

    def people_lines(self) -> list[str]:
        sizes = self.team_sizes()
        leads: dict[str, str] = {}
        lines: list[str] = []
        for team, size in zip(self.teams, sizes, strict=True):
            for k in range(size):
                first, last = self.pick(FIRST_NAMES), self.pick(LAST_NAMES)
                ident = self.person_ids.unique(f"{first}.{last}".lower())
                if k == 0:
                    roles = [self.pick(LEAD_ROLES[team.kind])]
                    boss = leads.get(team.parent) if team.parent else None
                    leads[team.id] = ident
                else:
                    roles = [self.weighted(MEMBER_ROLES[team.kind])]
                    if team.kind == "leadership" and k <= len(LEADERSHIP_EXTRA) and self.n >= 200:
                        roles = [LEADERSHIP_EXTRA[k - 1]]
                    boss = leads[team.id]
                if team.kind == "design":
                    roles = []
                team.members.append(ident)
                person: dict[str, Value] = {"id": ident, "name": f"{first} {last}", "team": team.id}
                if roles:
                    person["roles"] = roles
                person["ml_experience"] = self._experience(roles, team.kind)
                person["reports_to"] = boss
                lines.append(f"  - {flow(person)}")
                does_ml = team.kind in ("ml", "research", "platform") or (roles and roles[0] in ML_ROLES)
                if does_ml and (not self.ml_teams_with_people or self.ml_teams_with_people[-1] is not team):
                    self.ml_teams_with_people.append(team)
        return lines

    def _experience(self, roles: list[str], kind: str) -> str | None:
        if any(r in ML_ROLES for r in roles):
            return "experienced" if self.chance(0.4) else "learning"
        if "product_manager" in roles and kind in ("ml", "research"):
            return self.pick(("experienced", "learning", "none"))
        return "none" if self.chance(0.4) else None

    # ---- models, features, initiatives ---------------------------------------------------
    def feature_lines(self, count: int) -> tuple[list[str], list[str]]:
        owners = self.by_kind.get("data", []) + self.by_kind.get("product", []) or self.teams
        ids: list[str] = []
        lines: list[str] = []
        for _ in range(count):
            ident = self.feature_ids.unique(f"{self.pick(ENTITIES)}_{self.pick(MEASURES)}")
            ids.append(ident)
            transformation = self.weighted(
                (("raw", 10), ("windowed_aggregate", 5), ("join", 3), ("lifetime_aggregate", 1), ("model_output", 1))
            )
            freshness = self.weighted((("realtime", 2), ("hourly", 2), ("daily", 5), ("weekly", 1)))
            needed = freshness if self.chance(0.8) else self.pick(("realtime", "hourly", "daily", "weekly"))
            feature: dict[str, Value] = {
                "id": ident,
                "owner": self.pick(owners).id,
                "in_production": self.chance(0.88) if self.chance(0.95) else None,
                "freshness": freshness,
                "needed_freshness": needed,
                "transformation": transformation,
                "window_days": self.pick((7, 28, 90)) if transformation == "windowed_aggregate" else None,
                "sensitivity": self.weighted(
                    (("none", 14), ("quasi_identifier", 3), ("personal", 2), ("sensitive", 1))
                ),
            }
            if ident.endswith(("inventory_level", "margin_band")) and self.chance(0.5):
                feature["represents"] = ["inventory" if "inventory" in ident else "margin"]
            lines.append(f"  - {flow(feature)}")
        return ids, lines

    def model_lines(self, count: int, features: list[str]) -> tuple[list[str], list[str]]:
        builders = self.by_kind.get("ml", []) + self.by_kind.get("research", [])
        builders = builders or self.ml_teams_with_people or self.teams
        operators = self.by_kind.get("platform", []) + self.by_kind.get("it_ops", [])
        shared = features[: max(1, len(features) // 100)]
        own = features[len(shared) :]
        per_model = max(1, len(own) // max(1, count))
        ids: list[str] = []
        lines: list[str] = []
        for k in range(count):
            team = builders[k % len(builders)]
            purpose = self.pick(("recommendation", "ranking", "pricing", "promotion", "forecasting", "classification"))
            ident = f"{team.id}-{purpose}-{k + 1}"
            ids.append(ident)
            chunk = own[k * per_model : k * per_model + min(per_model, 3 + int(self.rng.random() * 12))]
            uses = [f for f in shared[:2] if f not in chunk] + chunk if features else []
            operated = team.id if not operators or self.chance(0.75) else self.pick(operators).id
            monitoring = [m for m in ("latency", "quality", "drift", "fairness", "business") if self.chance(0.5)]
            model: dict[str, Value] = {
                "id": ident,
                "purpose": purpose,
                "status": self.weighted((("production", 10), ("development", 6), ("idea", 3), ("retired", 1))),
                "built_by": team.id,
                "operated_by": operated,
                "owner": (team.members[0] if team.members and self.chance(0.8) else None),
                "kpi": self.weighted((("business", 10), ("model", 7), ("none", 1))) if self.chance(0.9) else None,
                "monitoring": monitoring if self.chance(0.9) else None,
                "escalation": team.id if self.chance(0.6) else None,
                "features": uses,
            }
            lines.append(f"  - {flow(model)}")
        return ids, lines

    def initiative_lines(self, count: int, models: list[str]) -> list[str]:
        teams = self.by_kind.get("ml", []) + self.by_kind.get("product", []) or self.teams
        lines = []
        for k in range(count):
            team = self.pick(teams)
            involved = sorted({self.pick(teams).id for _ in range(1 + int(self.rng.random() * 3))})
            title = f"{self.pick(INITIATIVE_VERBS)} {self.pick(INITIATIVE_OBJECTS)}"
            initiative: dict[str, Value] = {
                "id": f"{title.lower().replace(' ', '-')}-{k + 1}",
                "title": title,
                "team": team.id,
                "status": self.weighted((("proposed", 5), ("in_progress", 3), ("shipped", 2), ("dropped", 1))),
                "metric": self.pick(("conversion", "revenue per session", "cost per order", "time to resolve")),
                "value": 1 + int(self.rng.random() * 5),
                "cost": 1 + int(self.rng.random() * 5),
                "criticality": self.pick(("low", "medium", "high", "critical")),
                "additive": self.chance(0.5),
                "greenfield": self.chance(0.4),
                "weeks": self.pick((4, 6, 8, 12, 16, 26, 52)),
                "success_likelihood": self.pick(("low", "medium", "high")),
                "departments": involved,
                "data_ready": self.chance(0.6),
                "models": [self.pick(models)] if models and self.chance(0.5) else None,
            }
            lines.append(f"  - {flow(initiative)}")
        return lines

    # ---- forums and the rest -------------------------------------------------------------
    def forum_lines(self) -> list[str]:
        forums: list[dict[str, Value]] = []
        children: dict[str, list[str]] = {}
        for t in self.teams:
            if t.parent:
                children.setdefault(t.parent, []).append(t.id)
        departments = self.by_kind.get("department", [])
        for d in departments:
            work = [k for k in children.get(d.id, []) if self.teams_by_id[k].kind != "department"]
            if work:
                forums.append(
                    {
                        "id": f"{d.id}-review",
                        "name": f"{d.name.capitalize()} product review",
                        "kind": "integration_point",
                        "cadence_days": self.pick((7, 14, 14, 28)),
                        "teams": [d.id, *work],
                    }
                )
        if not departments and len(self.teams) > 1:
            forums.append(
                {
                    "id": "product-review",
                    "name": "Product review",
                    "kind": "integration_point",
                    "cadence_days": 14,
                    "teams": [t.id for t in self.teams],
                }
            )
        ml = [t.id for t in self.ml_teams_with_people]
        if len(ml) >= 2:
            forums.append(
                {"id": "ml-guild", "name": "ML guild", "kind": "community_of_practice", "cadence_days": 28, "teams": ml}
            )
        forums.append(
            {
                "id": "leadership-review",
                "name": "Quarterly ML review",
                "kind": "leadership_review",
                "cadence_days": 91,
                "teams": ["leadership", *(t.id for t in departments if t.parent == "leadership")],
            }
        )
        if self.chance(0.5):
            forums.append(
                {"id": "ml-for-leaders", "name": "ML for leaders", "kind": "training", "teams": ["leadership"]}
            )
        return [f"  - {flow(f)}" for f in forums]

    def team_lines(self) -> list[str]:
        lines = []
        for t in self.teams:
            team: dict[str, Value] = {"id": t.id, "name": t.name, "kind": t.kind, "parent": t.parent}
            if t.kind in ("ml", "research", "platform"):
                team["function"] = (
                    "platform"
                    if t.kind == "platform"
                    else self.weighted((("business_metrics", 5), ("research", 2), ("undefined", 1)))
                )
                team["tools"] = {k: self.pick(v) for k, v in TOOL_CHOICES.items() if self.chance(0.7)} or None
                team["own_engineering"] = self.chance(0.6) if self.chance(0.8) else None
                team["experimentation_budget"] = self.chance(0.5) if self.chance(0.8) else None
            lines.append(f"  - {flow(team)}")
        return lines

    def sections(self, models: int) -> list[str]:
        big = self.n >= 1000
        ambition = "core" if big else self.pick(("experimental", "core"))
        strategy: dict[str, Value] = {
            "statement": "Use ML to make every customer interaction more relevant, measured in revenue.",
            "ml_ambition": ambition,
            "written": self.chance(0.7),
            "goals": ["Ship models that move product metrics", "Run every model with a named owner"],
            "leadership_ml_literacy": self.pick(("low", "medium", "high")),
            "ml_leader_in_leadership": self.chance(0.6),
            "business_constraints": ["inventory", "margin"],
            "opportunity_list": self.chance(0.7),
        }
        tooling = ["experiment_tracking", "model_registry", "pipeline_orchestration"]
        if big:
            tooling += ["feature_store", "data_catalog", "model_monitoring"]
        practices: dict[str, Value] = {
            "methodology": self.pick(("scrum", "kanban")),
            "tooling": tooling if models else ["notebook_repository"],
            "data_audit_done": self.chance(0.6),
            "ml_training_for_staff": self.chance(0.5),
            "prioritization_process": self.chance(0.6),
            "idea_intake": self.chance(0.5),
            "experimentation_budget": self.chance(0.5),
            "repeatable_process": self.chance(0.5) if models else False,
        }
        recognized = ("delivery", "business_impact", "reliability", "ml_learning", "knowledge_sharing")
        rewards = {"recognizes": [r for r in recognized if r == "delivery" or self.chance(0.5)]}
        per_team = {
            t.id: {"mean": round(2.5 + self.rng.random() * 4, 1), "respondents": max(1, len(t.members) // 2)}
            for t in self.ml_teams_with_people
            if len(t.members) >= 5
        }
        westrum: dict[str, Value] = {
            "mean": round(3 + self.rng.random() * 3, 1),
            "respondents": max(1, self.n * 3 // 10),
            "teams": per_team or None,
        }
        change: dict[str, Value] = {
            "announced": self.chance(0.6),
            "dimensions": [d for d in ("strategy", "structure", "processes", "rewards", "people") if self.chance(0.4)]
            or ["structure"],
            "communication_cadence_days": self.pick((14, 28)) if self.chance(0.6) else None,
            "timescale_weeks": self.pick((12, 26, 52)),
            "success_criteria": ["Every production model has an owner and drift monitoring"],
        }
        return [
            f"strategy: {flow(strategy)}",
            f"practices: {flow(practices)}",
            f"rewards: {flow(rewards)}",
            f"culture: {flow({'westrum': westrum})}",
            f"change: {flow(change)}",
        ]

    # ---- the whole file ------------------------------------------------------------------
    def text(self) -> str:
        self.plan_teams()
        self.teams_by_id = {t.id: t for t in self.teams}
        people = self.people_lines()
        n_features = round(self.n * 0.5)
        n_models = round(self.n * 0.05)
        feature_ids, features = self.feature_lines(n_features)
        model_ids, models = self.model_lines(n_models, feature_ids)
        initiatives = self.initiative_lines(max(1, round(self.n * 0.005)), model_ids)
        out = [
            f"# A synthetic organization made by `mlorg generate --people {self.n} --seed {self.seed}`.",
            "# Names, teams and figures are invented; use it for demos and benchmarks.",
            "version: 1",
            f"organization: {flow({'name': self.name, 'industry': 'online services', 'headcount': self.n})}",
            *self.sections(n_models),
            "teams:",
            *self.team_lines(),
            "people:",
            *people,
            "models:" if models else "models: []",
            *models,
            "features:" if features else "features: []",
            *features,
            "initiatives:",
            *initiatives,
            "forums:",
            *self.forum_lines(),
        ]
        return "\n".join(out) + "\n"


def generate(people: int, seed: int = 1, name: str | None = None) -> str:
    """Spec text for a synthetic organization of ``people`` named people (deterministic per seed)."""
    return Generator(people, seed, name).text()


__all__ = ["MAX_PEOPLE", "generate", "scalar"]
