"""``mlorg import openlineage URL``: the run events a Marquez server received, read through its API.

Marquez is a Java service with its own PostgreSQL, not installable here. The test serves, on loopback,
the answers Marquez's API gives for ``GET /api/v1/events/lineage`` as its OpenAPI specification
(``spec/openapi.yml``, ``LineageEventList``: ``events`` and ``totalCount``) and its resource
(``limit``/``offset`` paging, ``sortDirection``, ``before`` defaulting to 2030) define them:
``data/marquez_lineage_events.json`` holds the whole list in Marquez's default order (newest first) and
the server cuts the page each request asks for. It is a stand-in built from that documentation, not a
recording of a running Marquez.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fragment_support import by_id, load_fragment, make_key
from real_tools import free_port

DATA = Path(__file__).parent / "data"
ANSWER = json.loads((DATA / "marquez_lineage_events.json").read_text(encoding="utf-8"))


class Marquez(BaseHTTPRequestHandler):
    """``GET /api/v1/events/lineage`` as Marquez answers it; ``mode`` breaks it on purpose."""

    url: ClassVar[str] = ""
    asked: ClassVar[list[dict[str, str]]] = []
    mode: ClassVar[str] = "marquez"

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        type(self).asked.append({"path": parts.path, **query})
        if parts.path != "/api/v1/events/lineage":
            return self._answer(404, b'{"code":404,"message":"HTTP 404 Not Found"}')
        if self.mode == "html":
            return self._answer(200, b"<html>Sign in</html>")
        if self.mode == "deep":  # a hostile answer: nesting past what any decoder recursion allows
            return self._answer(200, b"[" * 200_000 + b"]" * 200_000)
        if self.mode == "deep-error":  # and the same in an error's body, which is read for its message
            return self._answer(500, b"[" * 30_000 + b"]" * 30_000)
        if self.mode == "shape":
            return self._answer(200, b'{"lineage": []}')
        if self.mode == "error":
            return self._answer(500, b'{"code":500,"message":"There was an error processing your request."}')
        events: list[Any] = list(ANSWER["events"])  # newest first, as stored
        if query.get("sortDirection", "desc") == "asc":
            events.reverse()
        limit, offset = int(query.get("limit", "100")), int(query.get("offset", "0"))
        if self.mode == "stuck":
            offset = 0  # a server that ignores the offset
        if self.mode == "bad-event":
            events[1] = {**events[1], "job": {"namespace": "airflow"}}
        body = {"events": events[offset : offset + limit], "totalCount": len(events)}
        self._answer(200, json.dumps(body).encode())

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def marquez() -> Iterator[type[Marquez]]:
    class Handler(Marquez):
        asked: ClassVar[list[dict[str, str]]] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield Handler
    server.shutdown()
    server.server_close()


def _import(run_cli, tmp_path: Path, source: str, *extra: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "lineage.yaml"
    out.unlink(missing_ok=True)
    result = run_cli("import", "openlineage", source, "-o", str(out), "--key-file", str(make_key(tmp_path)), *extra)
    return result, out


def test_marquez_events_page_by_page_match_the_same_events_from_a_file(marquez, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, marquez.url, "--option", "page_size=2")
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    # three pages of two, oldest first, asking for every event Marquez has (its own default stops at 2030)
    assert [(a["offset"], a["limit"], a["sortDirection"], a["before"]) for a in marquez.asked] == [
        ("0", "2", "asc", "9999-12-31T00:00:00Z"),
        ("2", "2", "asc", "9999-12-31T00:00:00Z"),
        ("4", "2", "asc", "9999-12-31T00:00:00Z"),
    ]
    models, features = by_id(frag["models"]), by_id(frag["features"])
    assert models["fraud-score"]["built_by"] == "ml-platform"
    assert models["fraud-score"]["features"] == ["public.devices", "public.transactions"]
    assert models["fraud-score"]["provenance"] == {
        "system": "openlineage",
        "location": marquez.url,
        "record": "airflow/train_fraud_score (event 1)",
    }
    assert features["public.transactions"]["owner"] == "payments"
    assert features["public.transactions"]["provenance"]["record"] == (
        "postgres://warehouse:5432/public.transactions (event 1)"
    )
    assert set(by_id(frag["teams"])) == {"ml-platform", "payments", "recs"}
    # the same events as an NDJSON export, oldest first, give the same organization
    ndjson = tmp_path / "events.ndjson"
    ndjson.write_text("".join(json.dumps(e) + "\n" for e in reversed(ANSWER["events"])), encoding="utf-8")
    again, from_file = _import(run_cli, tmp_path, str(ndjson))
    assert again.code == 0, again.stderr
    same = load_fragment(from_file)

    def without_provenance(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in item.items() if k != "provenance"} for item in items]

    for section in ("teams", "models", "features"):
        assert without_provenance(same[section]) == without_provenance(frag[section]), section
    assert same["models"][0]["provenance"]["record"].endswith("(line 1)")


@pytest.mark.parametrize("suffix", ["/", "/api/v1", "/api/v1/", "/api/v1/events/lineage?after=2026-01-01T00:00:00Z"])
def test_server_root_api_root_or_the_list_itself(suffix: str, marquez, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, marquez.url + suffix)
    assert result.code == 0, result.stderr
    assert {a["path"] for a in marquez.asked} == {"/api/v1/events/lineage"}
    assert len(marquez.asked) == 1  # five events fit Marquez's default page of 100
    if "after" in suffix:
        assert marquez.asked[0]["after"] == "2026-01-01T00:00:00Z"  # the user's filter is kept
    assert len(load_fragment(out)["models"]) == 2


def test_unreachable_refusing_and_strange_servers(marquez, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    endpoint = f"{marquez.url}/api/v1/events/lineage?before=9999-12-31T00%3A00%3A00Z&sortDirection=asc&limit=100"
    cases = [
        ("html", f"{endpoint}&offset=0: the answer is not JSON; is this a Marquez server?"),
        ("deep", f"{endpoint}&offset=0: the answer is not JSON; is this a Marquez server?"),
        ("deep-error", f"{endpoint}&offset=0: the server refused: HTTP 500 Internal Server Error\n"),
        ("shape", f"{endpoint}&offset=0: expected Marquez's list of lineage events (an object with 'events' and "),
        ("error", f"{endpoint}&offset=0: the server refused: HTTP 500 Internal Server Error ('There was an error "),
        ("bad-event", f"{endpoint}&offset=0: events[1].job.name: every run event names its job"),
    ]
    for mode, message in cases:
        marquez.mode = mode
        result, out = _import(run_cli, tmp_path, marquez.url)
        assert result.code == 2 and not out.exists(), (mode, result.stderr)
        assert (result.stderr.splitlines()[0] + "\n").startswith(message), (mode, result.stderr)
    marquez.mode = "stuck"
    result, out = _import(run_cli, tmp_path, marquez.url, "--option", "page_size=2")
    assert result.code == 2 and not out.exists()
    assert "offset=2: page 2: the server repeats the previous page; stopped reading" in result.stderr
    closed = f"http://127.0.0.1:{free_port()}"
    result, out = _import(run_cli, tmp_path, closed)
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0].startswith(f"{closed}/api/v1/events/lineage?")
    assert ": cannot reach the server: " in result.stderr.splitlines()[0]
    result, out = _import(run_cli, tmp_path, marquez.url, "--option", "page_size=0")
    assert result.code == 2 and not out.exists()
    assert "--option page_size: expected a whole number from 1 to 10000, got '0'" in result.stderr
    assert "Traceback" not in result.stderr
