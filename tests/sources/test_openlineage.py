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
    tmp_path.mkdir(exist_ok=True)
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
            "{f}:2: not valid JSON: expected a key in double quotes (column 2)",
        ),
        ("[1, 2]\n", "{f}:1: [0]: expected a run event (a JSON object), got 1"),
        (  # once an internal error (exit 3): the decoder's recursion, past a thousand levels on one line
            '{"job": {"namespace": "a", "name": "t"}}\n{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
            "{f}:2: nests too deep to be a run event",
        ),
        (
            '[\n {"job": {"namespace": "a", "name": "t"}},\n {"job": {"namespace": "a"}}\n]\n',
            "{f}:3: [1].job.name: every run event names its job",
        ),
        (
            '{"events": [\n  {"job": {"namespace": "a", "name": "t"}},\n  {"job": {"name": "t"}}\n]}',
            "{f}:3: events[1].job.namespace: every run event names its job's namespace",
        ),
        (
            '{\n  "job": {"namespace": "a", "name": "train"},\n  "inputs": {"name": "x"}\n}\n',
            "{f}:3: inputs: expected a list of datasets, got a mapping",
        ),
        (
            '{\n  "job": {"namespace": "a", "name": "train"},\n  "inputs": [}\n',
            "{f}:3: not valid JSON: expected a value (column 14)",
        ),
        (
            '{\n  "totalCount": 0\n}\n',
            "{f}:1: expected run events: one JSON object a line, a JSON list of them, or Marquez's answer "
            "(an object with 'events')",
        ),
        ("[]", "{f}:1: no run events: the list is empty"),
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


@pytest.mark.parametrize("form", ["list", "marquez-answer", "one-event"])
def test_events_written_as_one_json_document_read_like_the_lines(
    form: str,
    tmp_path: Path,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    """A list of events, Marquez's answer saved to a file, or one event pretty-printed: the same fragment
    as the same events one a line, each event's record naming where it is in the document."""
    events = [json.loads(line) for line in EVENTS.splitlines() if line]
    if form == "one-event":
        events = events[:1]
    _, lines_out, _ = _import(run_cli, tmp_path / "lines", "\n".join(map(json.dumps, events)))
    document: Any = {"list": events, "marquez-answer": {"events": events, "totalCount": len(events)}}.get(
        form, events[0]
    )
    result, out, _ = _import(run_cli, tmp_path / "doc", json.dumps(document, indent=2))
    assert result.code == 0, result.stderr
    want, got = load_fragment(lines_out), load_fragment(out)
    for frag in (want, got):  # the same records, but in another file, and where in it said otherwise
        for items in frag.values():
            for item in items if isinstance(items, list) else ():
                if "provenance" in item:
                    item["provenance"].pop("location")
                    item["provenance"]["record"] = item["provenance"]["record"].split(" (")[0]
    assert got == want
    record = load_fragment(out)["models"][0]["provenance"]["record"]
    assert record == "airflow/train_fraud_score (event 1)"


def test_event_count_is_bounded(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from mlorg.sources import openlineage

    monkeypatch.setattr(openlineage, "MAX_EVENTS", 2)
    result, out, src = _import(run_cli, tmp_path, EVENTS)
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == f"{src}:3: over 2 events; import fewer"
