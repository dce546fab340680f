"""``mlorg import feast``: a real feature repository applied with the real ``feast`` CLI, its saved dump, bad input.

Feast is no dependency of mlorg: ``.ci/run`` installs it into its own environment and names that
environment's Python in ``MLORG_TEST_FEAST_PYTHON``. The ``registry_dump`` fixture (``tests/conftest.py``,
``real_tools.py``) copies ``data/feast_repo`` (a ``feature_store.yaml`` and definitions), writes its
parquet data, runs ``feast apply``, two ``feast materialize`` runs a day apart, and reads what ``feast
registry-dump`` prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fragment_support import assert_refused, by_id, load_fragment, make_key

DATA = Path(__file__).parent / "data"
SAVED = DATA / "feast_registry_dump.json"


def _import(run_cli, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "feast.yaml"
    out.unlink(missing_ok=True)
    result = run_cli("import", "feast", *args, "-o", str(out), "--key-file", str(make_key(tmp_path)))
    return result, out


def _check(frag: dict[str, Any], location: str) -> None:
    """What ``data/feast_repo`` must become, wherever the dump was read from."""
    features = by_id(frag["features"])
    assert sorted(features) == [
        "customer_clicks.clicks",
        "customer_clicks.spend",
        "customer_orders.orders_7d",
        "customer_orders.spend_7d",
        "customer_recent.orders_1d",
        "customer_risk.chargebacks",
    ]  # fmt: skip  (customer_id, the entity's join key, is no feature)
    orders = features["customer_orders.orders_7d"]
    assert orders == {
        "id": "customer_orders.orders_7d",
        "description": "Orders and spend per customer, from the daily batch.",
        "owner": "growth-data",
        "in_production": True,
        "freshness": "daily",  # two materializations a day apart
        "provenance": {"system": "feast", "location": location, "record": "shop/customer_orders:orders_7d"},
    }
    clicks, spend = features["customer_clicks.clicks"], features["customer_clicks.spend"]
    assert (clicks["transformation"], clicks["window"], clicks["freshness"]) == ("windowed_aggregate", "1h", "realtime")
    assert spend["transformation"] == "lifetime_aggregate" and "window" not in spend  # no window: all history
    risk = features["customer_risk.chargebacks"]
    assert risk["in_production"] is False and risk["sensitivity"] == "personal" and risk["owner"] == "risk-data"
    assert "freshness" not in risk  # never materialized
    recent = features["customer_recent.orders_1d"]
    assert recent["owner"] == "growth-data"  # the view's owner is a team's name, not an email
    assert recent["represents"] == ["inventory", "margin"]
    teams = by_id(frag["teams"])
    assert teams["growth-data"] == {
        "id": "growth-data",
        "name": "Growth Data",
        "kind": "data",
        "provenance": {"system": "feast", "location": location, "record": "customer_orders owner"},
    }
    assert frag["lists"] == {"features": "complete"}


def test_real_feature_repository(registry_dump: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, str(registry_dump))
    assert result.code == 0, result.stderr
    _check(load_fragment(out), str(registry_dump))
    assert "customer_recent (ttl 6h, materialized every 1d)" in result.stderr


def test_saved_dump_everywhere(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The committed dump is the real output of ``feast registry-dump`` for ``data/feast_repo``."""
    result, out = _import(run_cli, tmp_path, str(SAVED))
    assert result.code == 0, result.stderr
    _check(load_fragment(out), str(SAVED))
    text = out.read_text(encoding="utf-8")
    assert "# note: online views whose ttl is shorter than the time between materializations" in text
    first = out.read_bytes()
    assert _import(run_cli, tmp_path, str(SAVED))[0].code == 0 and out.read_bytes() == first


def test_online_store_option_and_overrides(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # without the registry's infra section, online availability is unknown unless the user says
    data = json.loads(SAVED.read_text(encoding="utf-8"))
    del data["infra"]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(data), encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(bare))
    assert result.code == 0, result.stderr
    features = by_id(load_fragment(out)["features"])
    assert "in_production" not in features["customer_orders.orders_7d"]
    assert features["customer_risk.chargebacks"]["in_production"] is False  # offline-only is known either way
    result, out = _import(run_cli, tmp_path, str(bare), "--option", "online_store=yes")
    assert by_id(load_fragment(out)["features"])["customer_orders.orders_7d"]["in_production"] is True
    args = ("--option", "online_store=no", "--option", "team_tags=nope", "--option", "features_list=partial")
    result, out = _import(run_cli, tmp_path, str(SAVED), *args)
    frag = load_fragment(out)
    features = by_id(frag["features"])
    assert features["customer_orders.orders_7d"]["in_production"] is False
    assert "owner" not in features["customer_orders.orders_7d"]  # the owner is a person, the team tag unread
    assert features["customer_recent.orders_1d"]["owner"] == "growth-data"
    assert frag["lists"] == {"features": "partial"}
    assert "views whose owner is a person, with no team tag" in result.stderr


def _view(**spec: Any) -> str:
    base = {"name": "v", "features": [{"name": "f", "valueType": "INT64"}]}
    return json.dumps({"project": "p", "featureViews": [{"meta": {}, "spec": {**base, **spec}}]}, indent=2)


BAD = [
    (
        "syntax.json",
        '{"project": "p",\n "featureViews": [}',
        "syntax.json:2: not valid JSON: expected a value (column 19)",
    ),
    ("deep.json", "[" * 65 + "]" * 65, "deep.json: nests deeper than 64 levels, deeper than any export mlorg reads"),
    ("other.json", '{"registered_models": []}', "other.json:1: no featureViews, entities or project: not the output"),
    ("list.json", "[]", "list.json:1: expected a JSON object (the output of `feast registry-dump`)"),
    ("views.json", '{"project": "p", "featureViews": {"a": 1}}', "views.json:1: featureViews: expected a list of"),
    ("name.json", _view(name=""), "name.json:7: featureViews[0].spec.name: expected the view's name, got ''"),
    (
        "feature.json",
        _view(features=[{"valueType": "INT64"}]),
        "feature.json:9: featureViews[0].spec.features[0].name: expected the feature's name, got null",
    ),
    (
        "window.json",
        _view(aggregations=[{"column": "f", "function": "sum", "timeWindow": "an hour"}]),
        "window.json:18: featureViews[0].spec.aggregations[0].timeWindow: expected a duration like '3600s'",
    ),
    (
        "interval.json",
        json.dumps(
            {
                "project": "p",
                "featureViews": [
                    {"meta": {"materializationIntervals": [{"endTime": "soon"}]}, "spec": {"name": "v", "features": []}}
                ],
            },
            indent=2,
        ),
        "interval.json:8: featureViews[0].meta.materializationIntervals[0].endTime: expected an ISO 8601 time",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_dumps(name: str, text: str, message: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(src))
    assert_refused(result, out, message, tmp_path)


def test_a_feature_repository_itself_is_refused_with_how_to_dump_it(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    repo.mkdir()
    result, out = _import(run_cli, tmp_path, str(repo))
    assert_refused(
        result,
        out,
        "repo: is a directory, not a registry dump (run `feast registry-dump > registry.json` in the repository)",
        tmp_path,
    )


def test_bad_options(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (("--option", "online_store=maybe"), "--option online_store: expected auto, yes or no, got 'maybe'"),
        (("--option", "features_list=most"), "--option features_list: expected complete or partial, got 'most'"),
        (("--option", "team_tags=,"), "--option team_tags: give one or more comma-separated names"),
    ]
    for args, message in cases:
        result, out = _import(run_cli, tmp_path, str(SAVED), *args)
        assert result.code == 2 and message in result.stderr, result.stderr
        assert not out.exists()
