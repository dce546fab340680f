"""Persistence shared by the survey web app and assessment snapshots (SQLAlchemy 2)."""
