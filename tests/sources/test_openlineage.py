"""``mlorg import openlineage``: run events -> models, the datasets that feed them, and the teams that own those."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fragment_support import by_id, load_fragment, make_key

from mlorg.sources.openlineage import model_id

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.9.1/integration/airflow"
SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"


def _owners(*names: str) -> dict[str, Any]:
    return {
        "ownership": {
            "_producer": PRODUCER,
            "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/OwnershipJobFacet.json#/$defs/OwnershipJobFacet",
            "owners": [{"name": n, "type": "MAINTAINER"} for n in names],
        }
    }


def _event(kind: str, run: str, job: str, job_owner: str | None, inputs: list[tuple[str, str | None]]) -> str:
    return json.dumps(
        {
            "eventType": kind,
            "eventTime": "2024-05-01T10:00:00.000Z",
            "run": {"runId": run},
            "job": {"namespace": "airflow", "name": job, "facets": _owners(job_owner) if job_owner else {}},
            "inputs": [
                {"namespace": "postgres://warehouse:5432", "name": n, "facets": _owners(o) if o else {}}
                for n, o in inputs
            ],
            "outputs": [{"namespace": "s3://models", "name": job}],
            "producer": PRODUCER,
            "schemaURL": SCHEMA,
        }
    )


EVENTS = "\n".join(
    [
        _event("START", "r1", "train_fraud_score", "team:ml-platform", [("public.transactions", "team:payments")]),
        _event(
            "COMPLETE",
            "r1",
            "train_fraud_score",
            "team:ml-platform",
            [("public.transactions", "team:payments"), ("public.devices", "user:dana@example.com")],
        ),
        _event("COMPLETE", "r2", "recs.training", "team:recs", [("public.transactions", "team:payments")]),
        _event("COMPLETE", "r3", "nightly_export", "team:data-eng", [("public.orders", "team:orders")]),
        "",
    ]
)


def test_model_ids_from_job_names() -> None:
    assert model_id("train_fraud_score") == "fraud-score"
    assert model_id("recs.training") == "recs"
    assert model_id("Trainer") == "trainer"


def _import(run_cli, tmp_path: Path, text: str, *extra: str):  # type: ignore[no-untyped-def]
    src = tmp_path / "events.ndjson"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lineage.yaml"
    result = run_cli("import", "openlineage", str(src), "-o", str(out), "--key-file", str(make_key(tmp_path)), *extra)
    return result, out, src


def test_lineage_to_models_features_and_owners(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out, src = _import(run_cli, tmp_path, EVENTS)
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    models = by_id(frag["models"])
    assert models["fraud-score"]["built_by"] == "ml-platform"
    assert models["fraud-score"]["features"] == ["public.devices", "public.transactions"]
    assert models["recs"]["features"] == ["public.transactions"]
    assert models["fraud-score"]["provenance"] == {
        "system": "openlineage",
        "location": str(src),
        "record": "airflow/train_fraud_score (line 1)",
    }
    features = by_id(frag["features"])
    assert features["public.transactions"]["owner"] == "payments"
    assert "owner" not in features["public.devices"]  # a person, not a team
    assert set(by_id(frag["teams"])) == {"ml-platform", "payments", "recs"}
    assert "nightly_export" not in json.dumps(frag)  # not a training job
    assert "mlorg: note: 1 datasets have no team:NAME owner in their ownership facet" in result.stderr


def test_observed_lineage_drives_uncoordinated_upstream_data(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = _import(run_cli, tmp_path, EVENTS)
    spec = tmp_path / "org.yaml"
    spec.write_text(
        "version: 2\norganization: {name: Acme}\n"
        "forums:\n- {id: ml-sync, kind: integration_point, teams: [ml-platform, recs]}\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(spec), "--with", str(out), "-f", "json")
    assert result.code == 0, result.stderr
    hits = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "uncoordinated-upstream-data"]
    assert {f["subject"] for f in hits} == {"feature:public.transactions"}
    origins = {e.get("provenance") for f in hits for e in f["evidence"]}
    assert any(o and o.startswith("openlineage: ") for o in origins)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"job": {"namespace": "a", "name": "t"}}\n{not json\n',
            "{f}:2: not a JSON object: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[1, 2]\n", "{f}:1: expected a run event (a JSON object), got a list"),
        ('{"job": {"namespace": "a"}}\n', "{f}:1: job.name: every run event names its job"),
        (
            '{"job": {"namespace": "a", "name": "train"}, "inputs": {"name": "x"}}\n',
            "{f}:1: inputs: expected a list of datasets, got a mapping",
        ),
        (
            '{"job": {"namespace": "a", "name": "train"}, "inputs": [{"name": "x"}]}\n',
            "{f}:1: inputs[0]: a dataset needs a namespace and a name",
        ),
        ("\n\n", "{f}: no run events: the file is empty"),
    ],
)
def test_bad_events_are_located(text: str, message: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out, src = _import(run_cli, tmp_path, text)
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == message.replace("{f}", str(src))


def test_event_count_is_bounded(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from mlorg.sources import openlineage

    monkeypatch.setattr(openlineage, "MAX_EVENTS", 2)
    result, out, src = _import(run_cli, tmp_path, EVENTS)
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == f"{src}:3: over 2 events; import fewer"
