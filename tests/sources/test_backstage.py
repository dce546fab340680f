"""``mlorg import backstage``: catalog files and a catalog API on loopback, entity references in all three forms."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from fragment_support import by_id, load_fragment, make_key

from mlorg.sources.backstage import parse_ref
from mlorg.sources.people import PersonIds

DATA = Path(__file__).parent / "data"
ORG, COMPONENTS = DATA / "backstage-org.yaml", DATA / "backstage-components.yaml"
KEY = b"test-key-0123456789abcdef"


def _import(run_cli, tmp_path: Path, *sources: str, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    out = tmp_path / "catalog.yaml"
    args = ("import", "backstage", *sources, "-o", str(out), "--key-file", str(make_key(tmp_path)), *extra)
    return run_cli(*args), out


@pytest.mark.parametrize(
    ("name", "has_children", "kind"),
    [
        ("Recommendations ML", False, "ml"),
        ("Personalization tribe", True, "department"),  # a unit of product squads is no ML team
        ("Data & AI", True, "department"),
        ("Infrastructure", False, "platform"),
        ("Retail sales", True, "business"),  # an ML team inside it is embedded in the business
        ("Executive", True, "leadership"),
        ("Engineering", True, "department"),
        ("Checkout", False, "product"),
        ("Customer operations", False, "business"),  # the business words outrank a generic "operations"
        ("Sales ops", False, "business"),
        ("Operations", False, "it_ops"),
        ("Security operations", False, "it_ops"),
        ("ML ops", False, "ml"),
    ],
)
def test_a_unit_with_teams_under_it_keeps_only_a_leadership_or_business_kind(
    name: str, has_children: bool, kind: str
) -> None:
    from mlorg.sources.support import team_kind

    assert team_kind(name, has_children=has_children) == kind


def test_entity_references_in_every_form() -> None:
    assert parse_ref("ml-platform", "group") == "group:default/ml-platform"
    assert parse_ref("default/ml-platform", "group") == "group:default/ml-platform"
    assert parse_ref("Group:Default/ML-Platform", "user") == "group:default/ml-platform"
    assert parse_ref("user:janelle.dawe", "group", "ops") == "user:ops/janelle.dawe"
    assert parse_ref("ml platform", "group") is None


def _check_catalog(frag: dict, location_org: str, location_components: str) -> None:  # type: ignore[type-arg]
    teams = by_id(frag["teams"])
    assert {t: (v["kind"], v.get("parent")) for t, v in teams.items()} == {
        "acme-corp": ("department", None),
        "infrastructure": ("department", "acme-corp"),  # a group with teams under it
        "ml-platform": ("ml", "infrastructure"),
        "data-science": ("ml", "acme-corp"),
    }
    assert teams["ml-platform"]["name"] == "ML Platform" and teams["acme-corp"]["name"] == "ACME Corp"
    assert teams["ml-platform"]["provenance"] == {
        "system": "backstage",
        "location": location_org,
        "record": "group:default/ml-platform",
    }
    ids = PersonIds(KEY)
    breanna, janelle = ids.person("breanna-davison@example.com"), ids.person("janelle-dawe@example.com")
    people = by_id(frag["people"])
    assert {p: v["team"] for p, v in people.items()} == {breanna: "ml-platform", janelle: "data-science"}
    assert all("name" not in v for v in people.values())
    models = by_id(frag["models"])
    assert models["fraud-score"] == {
        "id": "fraud-score",
        "name": "Fraud score",
        "status": "production",
        "built_by": "ml-platform",
        "provenance": {
            "system": "backstage",
            "location": location_components,
            "record": "component:default/fraud-score",
        },
    }
    assert models["churn-predictor"]["owner"] == janelle and models["churn-predictor"]["status"] == "development"
    assert "built_by" not in models["churn-predictor"]


def test_catalog_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, str(ORG), str(COMPONENTS))
    assert result.code == 0, result.stderr
    _check_catalog(load_fragment(out), str(ORG), str(COMPONENTS))
    notes = [line.removeprefix("mlorg: note: ") for line in result.stderr.splitlines() if "note:" in line]
    assert notes == [
        "1 users belong to no group in the catalog and are left out",
        "read but not used: 1 api, 1 component, 1 resource, 1 system "
        "(components are models when spec.type is one of: machine-learning-model, ml-model, ml-service, model)",
    ]


def test_model_types_option(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, str(ORG), str(COMPONENTS), extra=("--option", "model-types=website"))
    assert result.code == 0, result.stderr
    # The website's owner (guests) is not in the catalog: the model is kept without an owner, and that is said.
    assert set(by_id(load_fragment(out)["models"])) == {"example-website"}
    assert (
        "mlorg: note: component:default/example-website: owner group:default/guests is not in the catalog; left out"
        in result.stderr
    )


class _Catalog(BaseHTTPRequestHandler):
    entities: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 200
    body: ClassVar[bytes | None] = None  # an answer to give instead of the entities

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path != "/api/catalog/entities" or self.status != 200:
            self.send_error(self.status if self.status != 200 else 404, "Not Found")
            return
        kinds = {f.split("=", 1)[1] for f in query.get("filter", [])}
        chosen = [e for e in self.entities if e["kind"].lower() in kinds]
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        body = self.body if self.body is not None else json.dumps(chosen[offset : offset + limit]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def backstage(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A catalog API on loopback, serving the two files' entities (plus 600 more users, so it pages)."""
    from mlorg.sources import backstage as module

    entities = [e for f in (ORG, COMPONENTS) for e in yaml.safe_load_all(f.read_text(encoding="utf-8")) if e]
    entities += [{"kind": "User", "metadata": {"name": f"u{i}"}, "spec": {"memberOf": []}} for i in range(600)]
    _Catalog.entities, _Catalog.status, _Catalog.body = entities, 200, None
    monkeypatch.setattr(module, "PAGE", 250)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Catalog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("body", [b"<html>Sign in</html>", b"[" * 200_000 + b"]" * 200_000], ids=["html", "deep"])
def test_an_answer_that_is_not_a_catalog_is_one_message(backstage: str, body: bytes, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Nesting past the decoder's recursion once ended in an internal error (exit 3)."""
    _Catalog.body = body
    result, out = _import(run_cli, tmp_path, backstage)
    assert result.code == 2 and not out.exists()
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{backstage}/api/catalog/entities?filter=kind%3Dgroup&")
    assert first.endswith(": the answer is not JSON; is this a Backstage catalog API?")


def test_catalog_api(backstage: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, backstage + "/")
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    teams = by_id(frag["teams"])
    location = teams["ml-platform"]["provenance"]["location"]
    assert location.startswith(f"{backstage}/api/catalog/entities?filter=kind%3Dgroup&")
    assert "mlorg: note: 601 users belong to no group in the catalog and are left out" in result.stderr
    fraud = by_id(frag["models"])["fraud-score"]
    assert fraud["built_by"] == "ml-platform" and fraud["provenance"]["record"] == "component:default/fraud-score"


def test_catalog_api_refusing_and_unreachable(backstage: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _Catalog.status = 403
    result, out = _import(run_cli, tmp_path, backstage)
    assert result.code == 2 and not out.exists()
    url = (
        f"{backstage}/api/catalog/entities?filter=kind%3Dgroup&filter=kind%3Duser&filter=kind%3Dcomponent"
        "&filter=kind%3Dsystem&filter=kind%3Dresource&limit=250&offset=0"
    )
    assert result.stderr.splitlines()[0] == f"{url}: the server refused: HTTP 403 Not Found"
    result, out = _import(run_cli, tmp_path, "http://127.0.0.1:9/backstage")
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0].endswith(": cannot reach the server: connection refused")


BAD = [
    (
        "kind: Group\nmetadata: {name: a}\nspec: {children: []}\n---\nkind: Group\nmetadata: {name: b\n",
        "{f}:6: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)",
    ),
    (
        "# one\n---\nkind: Component\nmetadata:\n  name: m\nspec:\n  type: model\n  owner: group:default/ml platform\n",
        "{f}:8: spec.owner: not an entity reference 'group:default/ml platform' (expected [kind:][namespace/]name)",
    ),
    ("kind: Group\nmetadata: {title: x}\n", "{f}:2: metadata.name: every entity needs metadata.name"),
    (
        "kind: Group\nmetadata: {name: a}\n---\nkind: group\nmetadata: {name: A}\n",
        "{f}:5: metadata.name: group:default/a is also in {f} (line 2)",
    ),
    (
        "kind: User\nmetadata: {name: a}\nspec:\n  memberOf: team-a\n",
        "{f}:4: spec.memberOf: expected a list of entity references, got 'team-a'",
    ),
    (
        "- just\n- a list\n",
        "{f}:1: expected a catalog entity (a mapping with kind and metadata), got a list",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_catalogs_are_located(text: str, message: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "catalog-info.yaml"
    src.write_text(text, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(src))
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == message.replace("{f}", str(src))
