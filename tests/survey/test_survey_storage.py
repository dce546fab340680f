"""Migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, text


def test_upgrade_creates_the_declared_schema(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from mlorg.storage.migrate import alembic_config
    from mlorg.storage.schema import metadata

    url = engine.url.render_as_string(hide_password=False)
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    tables = set(inspect(engine).get_table_names())
    assert {"survey_round", "survey_link", "survey_answer", "admin_account", "admin_session", "app_secret"} <= tables


def test_first_revision_is_0001_survey_and_upgrade_is_idempotent(db_url: str) -> None:
    from alembic.script import ScriptDirectory

    from mlorg.storage.migrate import alembic_config, upgrade

    script = ScriptDirectory.from_config(alembic_config(db_url))
    bases = script.get_bases()
    assert bases == ["0001_survey"]
    upgrade(db_url)
    upgrade(db_url)


def test_answers_table_holds_nothing_that_identifies_a_respondent(engine) -> None:  # type: ignore[no-untyped-def]
    columns = {c["name"] for c in inspect(engine).get_columns("survey_answer")}
    assert columns == {"id", "round_id", "link_id", "role", "values", "submission_key"}


def test_sqlite_is_wal_with_full_sync(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    upgrade(url)
    eng = make_engine(url)
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    eng.dispose()


def test_migrations_ship_inside_the_package() -> None:
    from importlib import resources

    folder = resources.files("mlorg.storage").joinpath("migrations")
    assert folder.joinpath("env.py").is_file()
    assert any(p.name.endswith("0001_survey.py") for p in folder.joinpath("versions").iterdir())
