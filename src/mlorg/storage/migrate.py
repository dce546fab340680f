"""Bring a database's schema up to date by running the packaged Alembic migrations."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from mlorg.storage.base import default_url, make_engine


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("mlorg.storage").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", (url or default_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head", *, engine: Engine | None = None) -> None:
    """Apply every migration up to ``revision`` (default: all) to the database at ``url``."""
    owned = engine is None
    eng = engine or make_engine(url)
    try:
        with eng.begin() as conn:
            cfg = alembic_config(str(eng.url.render_as_string(hide_password=False)))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if owned:
            eng.dispose()
