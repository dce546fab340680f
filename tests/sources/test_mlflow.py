"""``mlorg import mlflow``: a real MLflow tracking server on loopback, its saved search JSON, bad input.

The server test needs MLflow, which mlorg does not depend on: ``.ci/run`` installs it into its own
environment and names that environment's Python in ``MLORG_TEST_MLFLOW_PYTHON``. The ``mlflow_url``
fixture (``tests/conftest.py``, ``real_tools.py``) starts ``mlflow server`` with a SQLite backend on a free
loopback port and fills the registry with the MLflow client (``data/mlflow_fill.py``, run by that Python).
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fragment_support import assert_refused, by_id, load_fragment, make_key
from real_tools import free_port

DATA = Path(__file__).parent / "data"
SAVED = DATA / "mlflow_search.json"


def _import(run_cli, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "mlflow.yaml"
    out.unlink(missing_ok=True)
    result = run_cli("import", "mlflow", *args, "-o", str(out), "--key-file", str(make_key(tmp_path)))
    return result, out


def _check_registry(frag: dict, location: str) -> None:  # type: ignore[type-arg]
    """What the registry ``data/mlflow_fill.py`` writes must become, wherever it was read from."""
    models = by_id(frag["models"])
    assert frag["lists"] == {"models": "complete"}
    fraud = models["fraud-score"]
    assert fraud["status"] == "production"  # the champion alias
    assert fraud["purpose"] == "classification" and fraud["monitoring"] == ["drift", "latency"]
    assert fraud["built_by"] == fraud["operated_by"] == "risk-ml"
    assert fraud["provenance"] == {"system": "mlflow", "location": location, "record": "fraud-score"}
    people = by_id(frag["people"])
    owner = people[fraud["owner"]]
    assert fraud["owner"].startswith("p-") and owner["team"] == "risk-ml"
    assert owner["provenance"]["record"] == "fraud-score tag owner"
    forecast = models["demand-forecast"]
    assert forecast["status"] == "development"  # a candidate alias does not serve
    assert (forecast["built_by"], forecast["operated_by"]) == ("forecasting", "ml-platform")
    assert models["old-ranker"]["status"] == "retired"  # every version archived
    assert models["pricing"]["status"] == "production"  # a version in the Production stage
    assert "purpose" not in models["pricing"] and "owner" not in models["pricing"]
    assert models["churn-model-v2"] == {
        "id": "churn-model-v2",
        "name": "Churn Model v2",
        "status": "development",
        "provenance": {"system": "mlflow", "location": location, "record": "Churn Model v2"},
    }
    teams = by_id(frag["teams"])
    assert teams["risk-ml"]["kind"] == "ml" and teams["risk-ml"]["name"] == "Risk ML"
    assert teams["risk-ml"]["provenance"]["record"] == "fraud-score tag team"
    assert "people_list" not in teams["risk-ml"]  # a registry does not list a team's people


def test_real_server_pages_and_saved_answer(mlflow_url: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # a page size of 3 makes the importer follow next_page_token through the 9 registered models
    result, out = _import(run_cli, tmp_path, mlflow_url, "--option", "page_size=3")
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    _check_registry(frag, mlflow_url)
    assert sorted(by_id(frag["models"])) == [
        "bulk-000", "bulk-001", "bulk-002", "bulk-003", "churn-model-v2", "demand-forecast", "fraud-score",
        "old-ranker", "pricing",
    ]  # fmt: skip
    assert "pricing: purpose='dynamic pricing' (not one of" in result.stderr
    assert "no team tag to place the owner in: pricing" in result.stderr
    # the same answer saved to a file reads the same, and the default page size gives it in one page
    with urllib.request.urlopen(f"{mlflow_url}/api/2.0/mlflow/registered-models/search?max_results=1000") as answer:
        saved = tmp_path / "search.json"
        saved.write_bytes(answer.read())
    again, out2 = _import(run_cli, tmp_path, str(saved))
    assert again.code == 0, again.stderr
    frag2 = load_fragment(out2)
    _check_registry(frag2, str(saved))
    assert len(frag2["models"]) == 9
    # a path prefix that is not MLflow's: the server's own refusal, named with the URL
    refused, out3 = _import(run_cli, tmp_path, f"{mlflow_url}/not-mlflow")
    assert refused.code == 2 and not out3.exists()
    assert f"{mlflow_url}/not-mlflow/api/2.0/mlflow/registered-models/search?max_results=1000: " in refused.stderr
    assert "the server refused: HTTP 404" in refused.stderr


def test_saved_answer_everywhere(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The committed answer was saved from a real server filled by ``data/mlflow_fill.py``."""
    result, out = _import(run_cli, tmp_path, str(SAVED))
    assert result.code == 0, result.stderr
    _check_registry(load_fragment(out), str(SAVED))
    first = out.read_bytes()
    assert _import(run_cli, tmp_path, str(SAVED))[0].code == 0
    assert out.read_bytes() == first  # same input, same bytes


def test_convention_is_overridable(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    args = ["--option", "team_tags=owner", "--option", "owner_tags=nobody", "--option", "production_aliases=candidate"]
    result, out = _import(run_cli, tmp_path, str(SAVED), *args, "--option", "models_list=partial", "--keep-names")
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    models = by_id(frag["models"])
    assert models["fraud-score"]["built_by"] == "alice-example.com"  # the owner tag now names a team
    assert models["fraud-score"]["status"] == "development"  # champion is no longer a production alias
    assert models["demand-forecast"]["status"] == "production"
    assert "owner" not in models["fraud-score"] and "people" not in frag
    assert frag["lists"] == {"models": "partial"}


def test_same_id_twice_and_the_same_model_in_two_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "page.json"
    src.write_text('{"registered_models": [{"name": "Fraud Score"}, {"name": "fraud-score"}]}', encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(src), str(src))
    assert result.code == 0, result.stderr
    models = by_id(load_fragment(out)["models"])
    assert sorted(models) == ["fraud-score", "fraud-score-2"]
    assert models["fraud-score"]["name"] == "Fraud Score" and models["fraud-score-2"]["name"] == "fraud-score"
    assert "models 'Fraud Score' and 'fraud-score' share the id 'fraud-score'; one is fraud-score-2" in result.stderr
    assert "model 'Fraud Score' is listed twice; the first is kept" in result.stderr


class _Refusing(BaseHTTPRequestHandler):
    """A loopback server that answers every request with a fixed status and body."""

    status = 403
    body = b'{"error_code": "PERMISSION_DENIED", "message": "User lacks permission"}'

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[type[_Refusing]]:
    class Handler(_Refusing):
        pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield Handler
    server.shutdown()
    server.server_close()


def test_refusing_unreachable_and_strange_servers(http_server, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    url = http_server.url
    endpoint = f"{url}/api/2.0/mlflow/registered-models/search?max_results=1000"
    result, out = _import(run_cli, tmp_path, url)
    assert result.code == 2 and not out.exists()
    assert f"{endpoint}: the server refused: HTTP 403 Forbidden ('User lacks permission')" in result.stderr
    http_server.status, http_server.body = 200, b"<html>Sign in</html>"
    result, out = _import(run_cli, tmp_path, url)
    assert result.code == 2 and not out.exists()
    assert f"{endpoint}: the answer is not JSON; is this an MLflow tracking server?" in result.stderr
    http_server.body = b'{"registered_models": [{"name": "a"}], "next_page_token": "again"}'
    result, out = _import(run_cli, tmp_path, url)
    assert result.code == 2 and not out.exists()
    assert "registered-models/search: page 2: the server repeats a page token; stopped reading" in result.stderr
    http_server.body = b'{"registered_models": [{"name": "a", "tags": [{"key": 3}]}]}'
    result, out = _import(run_cli, tmp_path, url)
    assert result.code == 2 and not out.exists()
    assert "registered-models/search: page 1: registered_models[0].tags[0].key: expected a name, got 3" in (
        result.stderr
    )
    closed = f"http://127.0.0.1:{free_port()}"
    result, out = _import(run_cli, tmp_path, closed)
    assert result.code == 2 and not out.exists()
    assert f"{closed}/api/2.0/mlflow/registered-models/search?max_results=1000: cannot reach the server: " in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


BAD = [
    ("syntax.json", '{"registered_models": [\n  {"name": "a",}\n]}', "syntax.json:2: not valid JSON: "),
    ("list.json", "[1, 2]", "list.json:1: expected a JSON object with 'registered_models'"),
    (
        "models.json",
        '{"registered_models": "fraud"}',
        "models.json:1: registered_models: expected a list of registered models, got 'fraud'",
    ),
    (
        "name.json",
        '{"registered_models": [\n  {"name": "a"},\n  {"tags": []}\n]}',
        "name.json:3: registered_models[1].name: expected the model's name, got null",
    ),
    (
        "tags.json",
        '{"registered_models": [\n  {"name": "a",\n   "tags": [\n     {"key": "team", "value": ["x"]}]}]}',
        "tags.json:4: registered_models[0].tags[0].value: expected text, got a list",
    ),
    (
        "stage.json",
        '{"registered_models": [{"name": "a",\n  "latest_versions": [\n    {"current_stage": 5}]}]}',
        "stage.json:3: registered_models[0].latest_versions[0].current_stage: expected a stage name, got 5",
    ),
    ("deep.json", "[" * 200 + "]" * 200, "deep.json: nests deeper than 64 levels"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_saved_answers(name: str, text: str, message: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(src))
    assert_refused(result, out, message, tmp_path)


def test_bad_options(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (("--option", "page_size=0"), "--option page_size: expected a whole number from 1 to 1000, got '0'"),
        (("--option", "models_list=some"), "--option models_list: expected complete or partial, got 'some'"),
        (("--option", "team_tags= , "), "--option team_tags: give one or more comma-separated names"),
        (("--map", "a=b"), "--map: 'mlflow' has no columns to map"),
    ]
    for args, message in cases:
        result, out = _import(run_cli, tmp_path, str(SAVED), *args)
        assert result.code == 2 and message in result.stderr, result.stderr
        assert not out.exists()


def test_saved_answer_is_an_unedited_server_answer() -> None:
    """Guard the committed fixture: it stays what MLflow returned (its keys and shapes), not a hand-made file."""
    data = json.loads(SAVED.read_text(encoding="utf-8"))
    assert set(data) == {"registered_models"}
    for model in data["registered_models"]:
        assert {"name", "creation_timestamp", "last_updated_timestamp"} <= set(model)
        for version in model.get("latest_versions", []):
            assert {"version", "current_stage", "status", "source"} <= set(version)
