"""Fixtures of the survey tests; helpers live in survey_helpers."""

from .survey_helpers import admin, db_url, engine, pg_migrated, pg_server, quick_password_hashing

__all__ = ["admin", "db_url", "engine", "pg_migrated", "pg_server", "quick_password_hashing"]
