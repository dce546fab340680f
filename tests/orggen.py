"""A deterministic generator of large organizations, private to tests and benchmarks.

``generate(100_000)`` gives 100,000 named people in 10,000 teams (20 departments of 25 groups),
5,000 models, 50,000 features, forums, initiatives and per-team culture results.
"""

from __future__ import annotations

from typing import Any

from mlorg.spec.models import Organization

KINDS = ("product", "product", "product", "ml", "data", "platform", "product", "design", "business", "research")
ROLES = (
    "product_engineer",
    "product_engineer",
    "product_manager",
    "data_engineer",
    "data_scientist",
    "ml_engineer",
    "sre",
    "qa_engineer",
    "business_analyst",
    "product_engineer",
)


def generate(people: int) -> dict[str, Any]:
    n_teams = max(people // 10, 4)
    n_depts = max(n_teams // 500, 2)
    groups_per_dept = max(min(25, n_teams // n_depts // 4), 1)
    teams: list[dict[str, Any]] = [{"id": "leadership", "name": "Leadership", "kind": "leadership"}]
    for d in range(n_depts):
        teams.append({"id": f"d{d}", "name": f"Department {d}", "kind": "department", "parent": "leadership"})
        for g in range(groups_per_dept):
            teams.append({"id": f"d{d}-g{g}", "name": f"Group {d}.{g}", "kind": "department", "parent": f"d{d}"})
    leaf_ids = []
    for t in range(n_teams):
        d, g = t % n_depts, (t // n_depts) % groups_per_dept
        kind = KINDS[t % len(KINDS)]
        team: dict[str, Any] = {"id": f"t{t}", "name": f"Team {t}", "kind": kind, "parent": f"d{d}-g{g}"}
        if kind == "ml":
            team["tools"] = {"experiment_tracking": "mlflow" if t % 3 else "wandb"}
        teams.append(team)
        leaf_ids.append(f"t{t}")
    persons = [
        {
            "id": f"p{i}",
            "name": f"Person {i}",
            "team": leaf_ids[i % n_teams],
            "roles": [ROLES[(i // n_teams) % 10]],
            "ml_experience": ("experienced", "learning", "none")[i % 3],
        }
        for i in range(people)
    ]
    n_features = max(people // 2, 1)
    features = [
        {
            "id": f"f{i}",
            "owner": leaf_ids[(i * 7) % n_teams],
            "in_production": i % 11 != 0,
            "freshness": ("realtime", "hourly", "daily", "weekly")[i % 4],
            "needed_freshness": ("realtime", "hourly", "daily", "weekly")[(i + 1) % 4],
            "transformation": ("raw", "windowed_aggregate", "lifetime_aggregate", "join")[i % 4],
            "sensitivity": ("none", "quasi_identifier", "personal", "none")[i % 4],
        }
        for i in range(n_features)
    ]
    n_models = max(people // 20, 1)
    models = [
        {
            "id": f"m{i}",
            "name": f"Model {i}",
            "status": ("production", "development")[i % 2],
            "built_by": leaf_ids[(i * 10 + 3) % n_teams],
            "operated_by": leaf_ids[(i * 10 + 6) % n_teams],
            "kpi": ("business", "model")[i % 2],
            "monitoring": ["latency"] if i % 2 else ["latency", "drift"],
            "features": [f"f{(i * 10 + k) % n_features}" for k in range(10)],
        }
        for i in range(n_models)
    ]
    initiatives = [
        {
            "id": f"i{i}",
            "title": f"Initiative {i}",
            "team": leaf_ids[i % n_teams],
            "status": "proposed",
            "value": 1 + i % 5,
            "cost": 1 + (i * 3) % 5,
            "weeks": 4 + i % 40,
        }
        for i in range(max(people // 500, 4))
    ]
    forums = [
        {
            "id": f"forum{i}",
            "name": f"Forum {i}",
            "kind": ("integration_point", "community_of_practice")[i % 2],
            "cadence_days": 14,
            "teams": [leaf_ids[(i * 13 + k * 101) % n_teams] for k in range(6)],
        }
        for i in range(max(n_teams // 20, 1))
    ]
    westrum_teams = {
        leaf_ids[i]: {"mean": round(2.0 + (i % 50) / 10, 1), "respondents": i % 9} for i in range(0, n_teams, 5)
    }
    return {
        "version": 1,
        "organization": {"name": f"Generated org of {people}", "headcount": people, "ml_focus": "both"},
        "strategy": {"ml_ambition": "core", "written": True},
        "teams": teams,
        "people": persons,
        "models": models,
        "features": features,
        "initiatives": initiatives,
        "forums": forums,
        "culture": {"westrum": {"mean": 4.2, "respondents": people // 3, "teams": westrum_teams}},
    }


def generate_spec(people: int) -> Organization:
    return Organization.model_validate(generate(people))
