"""One organization from all six systems: HR export, Backstage catalog, CODEOWNERS with its git history, a real
MLflow server, a real Feast repository and OpenLineage events, merged with ``mlorg assess --with``.

Every team, person, model and feature comes from those systems; the findings name each system as a source;
and where two systems disagree the merge reports it instead of choosing silently. MLflow and Feast run for
real (``real_tools.py``): without ``MLORG_TEST_MLFLOW_PYTHON`` / ``MLORG_TEST_FEAST_PYTHON`` the test skips
and says so; ``.ci/run`` sets both.
"""

from __future__ import annotations

import json
from pathlib import Path

from fragment_support import make_key
from git_support import Repo

SYSTEMS = {"hris", "backstage", "codeowners", "mlflow", "feast", "openlineage"}
HR = (
    "Employee ID,Work Email,Job Title,Department,Division,Manager ID\n"
    "1,ada@example.com,CEO,Executive,,\n"
    "2,alice@example.com,Machine Learning Engineer,Risk ML,Engineering,1\n"
    "3,bob@example.com,Data Scientist,Forecasting,Engineering,2\n"
    "4,carol@example.com,Product Manager,Pricing,Product,1\n"
    "5,dana@example.com,Data Engineer,Growth Data,Engineering,1\n"
    "6,erin@example.com,Software Engineer,Payments,Engineering,1\n"
)
CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: ml-platform}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: risk-ml}
spec: {type: team, parent: research, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: research}
spec: {type: department, children: [risk-ml]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: fraud-score}
spec: {type: ml-model, lifecycle: production, owner: group:default/ml-platform}
"""
PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.9.1/integration/airflow"


def _owned(name: str) -> dict[str, object]:
    return {"ownership": {"_producer": PRODUCER, "owners": [{"name": name, "type": "MAINTAINER"}]}}


def _lineage() -> str:
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2026-01-02T10:00:00.000Z",
        "run": {"runId": "0e6f5f4c-6a39-4b1e-9d51-2b1f4c1f0a01"},
        "job": {"namespace": "airflow", "name": "train_ltv", "facets": _owned("team:risk-ml")},
        "inputs": [
            {"namespace": "postgres://warehouse:5432", "name": "public.payments", "facets": _owned("team:payments")}
        ],
        "outputs": [{"namespace": "s3://models", "name": "ltv"}],
        "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    }
    return json.dumps(event) + "\n"


def test_six_systems_make_one_organization(mlflow_url: str, registry_dump: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = str(make_key(tmp_path))
    (tmp_path / "people.csv").write_text(HR, encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "events.ndjson").write_text(_lineage(), encoding="utf-8")
    shop = Repo(tmp_path / "shop")
    shop.commit(
        "Alice",
        "alice@example.com",
        {".github/CODEOWNERS": "*  @acme/payments\n/models/search-ranker/  @acme/search\n", "README.md": "shop\n"},
    )
    shop.commit("Bob", "bob@example.com", {"models/search-ranker/train.py": "print('train')\n"})
    inputs = {
        "hris": str(tmp_path / "people.csv"),
        "backstage": str(tmp_path / "catalog.yaml"),
        "codeowners": str(shop.path),
        "mlflow": mlflow_url,
        "feast": str(registry_dump),
        "openlineage": str(tmp_path / "events.ndjson"),
    }
    fragments = []
    for kind, source in inputs.items():
        out = tmp_path / f"{kind}.yaml"
        result = run_cli("import", kind, source, "-o", str(out), "--key-file", key)
        assert result.code == 0, (kind, result.stderr)
        fragments += ["--with", str(out)]
    spec = tmp_path / "org.yaml"
    # No system lists forums: the leader says there are none, so rules on coordination can decide.
    spec.write_text("version: 2\norganization: {name: Acme}\nforums: []\n", encoding="utf-8")
    result = run_cli("assess", str(spec), *fragments, "-f", "json")
    assert result.code == 0, result.stderr
    out = json.loads(result.stdout)

    # Everything came from the systems: the spec names only the organization and its (absent) forums.
    from mlorg.spec.loader import load_spec

    merged = load_spec(spec, fragments=fragments[1::2])
    items = (*merged.teams, *merged.people, *merged.models, *merged.features)
    assert items and all(item.provenance is not None for item in items)
    assert {item.provenance.system for item in items if item.provenance} == SYSTEMS
    assert out["organization"]["headcount"] == 6  # the HR export, given first

    # Findings name every system their facts came from.
    named = {e["provenance"].partition(":")[0] for f in out["findings"] for e in f["evidence"] if e["provenance"]}
    assert named >= SYSTEMS, SYSTEMS - named
    # Observed lineage: risk-ml trains on the payments team's table with no forum between them.
    upstream = [f for f in out["findings"] if f["rule"] == "uncoordinated-upstream-data"]
    assert [f["subject"] for f in upstream] == ["feature:public.payments"]
    assert any((e["provenance"] or "").startswith("openlineage: ") for e in upstream[0]["evidence"])

    # Where two systems disagree, the merge says so and keeps the first given.
    hris, backstage, mlflow = (str(tmp_path / f"{k}.yaml") for k in ("hris", "backstage", "mlflow"))
    notes = out["organization"]["import_notes"]
    assert (
        f"conflict: teams[risk-ml].parent: {hris} says 'engineering', {backstage} says 'research'; "
        f"{hris} (given first) is kept"
    ) in notes
    assert (
        f"conflict: models[fraud-score].built_by: {backstage} says 'ml-platform', {mlflow} says 'risk-ml'; "
        f"{backstage} (given first) is kept"
    ) in notes
    assert [line for line in result.stderr.splitlines() if "note: conflict:" in line] == [
        f"mlorg: note: {n}" for n in notes if n.startswith("conflict:")
    ]
    # People join across systems by email: MLflow's owner of fraud-score is the HR export's alice.
    alice = next(p for p in merged.people if p.provenance and p.provenance.record == "line 3")
    assert {m.id: m.owner for m in merged.models}["fraud-score"] == alice.id
