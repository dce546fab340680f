"""Snapshots, history and the migration that creates their table."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect

import mlorg
from conftest import EXAMPLE, ROOT
from mlorg.errors import UsageError
from mlorg.storage import snapshots
from report_fixtures import rich_assessment

MIGRATION = ROOT / "src" / "mlorg" / "storage" / "migrations" / "versions" / "0002_snapshots.py"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return snapshots.open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.fixture
def yarnit() -> mlorg.Assessment:
    return mlorg.assess(mlorg.load_spec(EXAMPLE))


def test_store_and_resolve_by_number_and_label(engine: Engine, yarnit: mlorg.Assessment) -> None:
    first = snapshots.store(engine, yarnit, "h1", "2025-q1", now=datetime(2025, 1, 2, 3, 4, tzinfo=UTC))
    second = snapshots.store(engine, rich_assessment(yarnit), "h2")
    assert (first.seq, second.seq) == (1, 2)
    assert snapshots.resolve(engine, "snapshot:1").label == "2025-q1"
    assert snapshots.resolve(engine, "snapshot:2025-q1").seq == 1
    got = snapshots.resolve(engine, "snapshot:2")
    assert got.data["maturity"]["stage"] == "building" and got.spec_hash == "h2"
    assert first.created_at == datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    assert [s.seq for s in snapshots.list_snapshots(engine, "YarnIt")] == [1, 2]
    assert snapshots.list_snapshots(engine, "Someone else") == []


@pytest.mark.parametrize(
    ("label", "message"),
    [("", "must not be empty"), ("42", "all digits"), ("a\x1bb", "control characters"), ("x" * 201, "longer")],
)
def test_bad_labels_are_refused(engine: Engine, yarnit: mlorg.Assessment, label: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        snapshots.store(engine, yarnit, "h", label)
    assert snapshots.list_snapshots(engine) == []


def test_label_is_unique_per_organization(engine: Engine, yarnit: mlorg.Assessment) -> None:
    snapshots.store(engine, yarnit, "h", "base")
    with pytest.raises(UsageError, match="already used"):
        snapshots.store(engine, yarnit, "h", "base")
    other = yarnit.model_copy(update={"organization": yarnit.organization.model_copy(update={"name": "Other"})})
    snapshots.store(engine, other, "h", "base")  # another organization may reuse it
    with pytest.raises(UsageError, match="several organizations"):
        snapshots.resolve(engine, "snapshot:base")
    with pytest.raises(UsageError, match="no snapshot 'nope'"):
        snapshots.resolve(engine, "snapshot:nope")


def test_spec_hash_ignores_layout_but_not_content() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    a = snapshots.spec_hash(mlorg.load_spec_text(text))
    assert a == snapshots.spec_hash(mlorg.load_spec_text("# a comment\n" + text))
    assert a != snapshots.spec_hash(mlorg.load_spec_text(text.replace("headcount: 180", "headcount: 181")))
    assert len(a) == 64


def reflect(engine: Engine) -> dict[str, object]:
    insp = inspect(engine)
    return {
        "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns("snapshots")],
        "pk": insp.get_pk_constraint("snapshots")["constrained_columns"],
        "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints("snapshots")),
        "indexes": sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes("snapshots")),
    }


def test_migration_creates_the_same_table_as_the_model(tmp_path: Path) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (module.revision, module.down_revision) == ("0002_snapshots", "0001_survey")
    migrated = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    with migrated.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
    modelled = create_engine(f"sqlite:///{tmp_path / 'modelled.db'}")
    snapshots.ensure_schema(modelled)
    assert reflect(migrated) == reflect(modelled)
    with migrated.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.downgrade()
    assert not inspect(migrated).has_table("snapshots")


# --- CLI ------------------------------------------------------------------------------------------


def test_snapshot_history_and_report_history_from_the_cli(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    res = run_cli("snapshot", str(EXAMPLE), "--label", "before", "--database-url", db)
    assert res.code == 0 and "stored snapshot #1 (before) of YarnIt" in res.stdout
    assert run_cli("snapshot", str(EXAMPLE), "--database-url", db).code == 0
    again = run_cli("snapshot", str(EXAMPLE), "--label", "before", "--database-url", db)
    assert again.code == 2 and "already used" in again.stderr

    text = run_cli("history", "--database-url", db)
    assert text.code == 0
    lines = text.stdout.splitlines()
    assert lines[0].split()[:5] == ["#", "label", "taken", "(UTC)", "organization"]
    assert lines[1].split()[0:2] == ["1", "before"] and lines[2].split()[0] == "2"

    data = json.loads(run_cli("history", "--database-url", db, "--format", "json").stdout)
    assert [r["seq"] for r in data] == [1, 2]
    assert data[0]["findings"].keys() == {"critical", "high", "medium", "low", "info"}
    assert set(data[0]["star_model"]) == {"strategy", "structure", "processes", "rewards", "people"}
    assert "| 1 | before |" in run_cli("history", "--database-url", db, "-f", "markdown").stdout

    out = tmp_path / "r.html"
    assert run_cli("report", str(EXAMPLE), "--database-url", db, "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="history"' in page and 'id="chart-history-star"' in page and "#1 before" in page


def test_history_on_an_empty_database(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("history", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}")
    assert res.code == 0 and "No snapshots yet" in res.stdout


OTHER_DATABASE = (
    "mlorg: database URL '{url}': mlorg keeps its data in SQLite or PostgreSQL; "
    "give sqlite:///path/to/file or postgresql://user@host/name\n"
)
IN_MEMORY = "mlorg: database URL '{url}' names an in-memory database, which keeps nothing; name a file: sqlite:///path/to/file\n"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuchdriver://x", OTHER_DATABASE),
        ("mysql://ann:pw@db.example/mlorg", OTHER_DATABASE),  # a real dialect whose driver is not installed
        ("sqlite://", IN_MEMORY),
        ("sqlite:///:memory:", IN_MEMORY),
    ],
)
@pytest.mark.parametrize("command", ["history", "snapshot", "serve"])
def test_a_database_mlorg_cannot_keep_data_in_is_refused_before_anything_runs(
    run_cli,
    command: str,
    url: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    """An in-memory database once took a snapshot and said so; MySQL failed with an internal error (exit 3)."""
    res = run_cli(command, "--database-url", url)
    shown = url.replace("ann:pw@", "***@")  # a password never reaches the terminal
    assert res.code == 2 and res.stderr == message.format(url=shown), res.stderr


def test_an_unopenable_database_is_named_with_what_went_wrong(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.db"
    bad.write_text("not a database\n" * 100, encoding="utf-8")
    for command in ("history", "serve"):
        res = run_cli(command, "--database-url", f"sqlite:///{bad}")
        assert (
            res.code == 2
            and res.stderr == f"mlorg: cannot open the database (SQLite file {bad}): file is not a database\n"
        )
    missing = tmp_path / "no" / "such" / "folder.db"
    res = run_cli("history", "--database-url", f"sqlite:///{missing}")
    assert res.stderr == f"mlorg: cannot open the database (SQLite file {missing}): No such file or directory\n"


def test_a_missing_postgresql_driver_says_how_to_install_it(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails as if it were not installed
    res = run_cli("history", "--database-url", "postgresql+psycopg://ann@127.0.0.1:1/mlorg")
    assert res.code == 2
    assert res.stderr == (
        "mlorg: the database driver is not installed (psycopg); for PostgreSQL: pip install 'mlorg[postgres]'\n"
    )


def test_database_errors_never_echo_a_password(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import mlorg.storage.base as base

    def fail(url: str | None = None) -> Engine:
        raise OSError(f"could not connect to {url}\nmore detail")

    monkeypatch.setattr(base, "make_engine", fail)
    with pytest.raises(UsageError) as exc:
        snapshots.open_database("postgresql://bob:s3cret@db.example/mlorg")
    assert "s3cret" not in str(exc.value) and "postgresql://***@db.example/mlorg" in str(exc.value)


def test_snapshot_and_history_say_which_database(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "named.db"
    db = f"sqlite:///{path}"
    res = run_cli("snapshot", str(EXAMPLE), "--database-url", db)
    assert res.code == 0 and f"mlorg: database: SQLite file {path}\n" in res.stderr
    res = run_cli("history", "--database-url", db)
    assert res.code == 0 and res.stderr == f"mlorg: database: SQLite file {path}\n"


def test_a_server_database_is_named_without_its_password() -> None:
    from mlorg.storage.base import describe

    assert describe("postgresql+psycopg://ann:s3cret@db.example:5432/mlorg") == (
        "postgresql+psycopg://ann:***@db.example:5432/mlorg"
    )
    assert describe("sqlite://") == "an in-memory SQLite database"


def test_history_of_an_unknown_organization_lists_those_it_has(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "orgs.db"
    db = f"sqlite:///{path}"
    empty = run_cli("history", "--database-url", db, "--org", "YarnIt")
    assert empty.code == 2 and f"no snapshots in SQLite file {path} yet" in empty.stderr
    assert run_cli("snapshot", str(EXAMPLE), "--database-url", db).code == 0
    res = run_cli("history", "--database-url", db, "--org", "Yarnit")
    assert res.code == 2
    assert (
        f"mlorg: no snapshots of 'Yarnit' in SQLite file {path}; it has snapshots of: YarnIt; did you mean 'YarnIt'?"
        in res.stderr
    )
    assert run_cli("history", "--database-url", db, "--org", "YarnIt").code == 0
