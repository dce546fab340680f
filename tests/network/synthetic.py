"""A synthetic organization with observed ties, with or without a planted silo and a planted bridge.

Five teams of eight: two ML teams (``ml``, central, and ``vision``), two product teams and a sales
team. Everyone works with every teammate. Without plants, each ML person also works with one
person in each product or business team, spread evenly, so ML-to-business work runs through all
of them. The planted **silo** cuts ``vision`` off: its only outside tie is one to an ``ml`` peer.
The planted **bridge** gives all of ``ml``'s business ties to one person, ``ml-0``.
"""

from __future__ import annotations

from typing import Any

SIZE = 8
ML_TEAMS = ("ml", "vision")
BUSINESS = ("shop", "search", "sales")


def person(team: str, i: int) -> str:
    return f"{team}-{i}"


def spec(*, silo: bool, bridge: bool, forums: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    teams: list[dict[str, Any]] = [{"id": "ml", "kind": "ml", "function": "business_metrics"}]
    teams.append({"id": "vision", "kind": "ml", "function": "business_metrics"})
    teams += [{"id": "shop", "kind": "product"}, {"id": "search", "kind": "product"}]
    teams.append({"id": "sales", "kind": "business"})
    people: list[dict[str, Any]] = []
    for t in ML_TEAMS:
        people += [{"id": person(t, i), "team": t, "roles": ["ml_engineer"]} for i in range(SIZE)]
    for t in BUSINESS:
        people += [{"id": person(t, i), "team": t, "roles": ["product_engineer"]} for i in range(SIZE)]
    ties: list[dict[str, Any]] = []

    def tie(a: str, b: str, channel: str = "code", weight: float = 1) -> None:
        ties.append({"a": a, "b": b, "weight": weight, "channel": channel})

    for t in (*ML_TEAMS, *BUSINESS):
        for i in range(SIZE):
            for j in range(i + 1, SIZE):
                tie(person(t, i), person(t, j), "chat", 3)
    for k, b in enumerate(BUSINESS):
        for i in range(SIZE):
            target = person(b, (i + k) % SIZE)
            tie(person("ml", 0 if bridge else i), target)
            if not silo:
                tie(person("vision", i), person(b, (i + k + 3) % SIZE))
    if silo:
        tie(person("vision", 0), person("ml", 1), "chat")
    else:
        for i in range(SIZE):
            tie(person("vision", i), person("ml", i), "chat")
    return {
        "version": 2,
        "organization": {"name": "Synthetic Co", "headcount": 40},
        "teams": teams,
        "people": people,
        "forums": forums if forums is not None else [],
        "collaboration": {"period": "2026-Q3", "ties": ties},
    }
