"""Assessment snapshots: an organization's assessment stored over time, to see whether a change works.

A snapshot keeps the whole assessment JSON (so later versions can still read what was concluded),
a hash of the spec it came from, an optional label and a sequence number. The time it was taken
is stored for history tables only; no deterministic output ever prints it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from mlorg.assessment import Assessment
from mlorg.errors import UsageError
from mlorg.render.escape import one_line, printable
from mlorg.spec.models import Organization
from mlorg.storage.base import Base

LABEL_MAX = 200
REF_PREFIX = "snapshot:"


class Snapshot(Base):
    """One stored assessment (table created by migration ``0002_snapshots``)."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("organization", "label", name="uq_snapshots_organization_label"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str | None] = mapped_column(String(LABEL_MAX), nullable=True)
    spec_hash: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    assessment: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class StoredSnapshot:
    """A snapshot as read back: ``data`` is the assessment JSON as it was stored."""

    seq: int
    organization: str
    label: str | None
    spec_hash: str
    schema_version: str
    created_at: datetime
    data: dict[str, Any]
    readable: bool = True

    @property
    def name(self) -> str:
        """How outputs refer to it: ``#3 (2024-q1)``."""
        return f"#{self.seq}" + (f" ({self.label})" if self.label else "")


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the latest schema with the packaged Alembic migrations.

    Snapshots share the survey app's database, so both go through the same migration history.
    """
    from mlorg.storage.migrate import upgrade

    upgrade(engine=engine)


def spec_hash(spec: Organization) -> str:
    """SHA-256 of the spec's canonical JSON: the same content hashes alike however the YAML is laid out."""
    return hashlib.sha256(spec.model_dump_json().encode("utf-8")).hexdigest()


def check_label(label: str | None) -> str | None:
    if label is None:
        return None
    if not label.strip():
        raise UsageError("--label must not be empty")
    if len(label) > LABEL_MAX:
        raise UsageError(f"--label is longer than {LABEL_MAX} characters")
    if label.isdigit():
        raise UsageError(f"--label '{label}' is all digits, which `snapshot:N` reads as a sequence number")
    if printable(label) != label:
        raise UsageError("--label must not contain control characters")
    return label


def store(
    engine: Engine, assessment: Assessment, digest: str, label: str | None = None, now: datetime | None = None
) -> StoredSnapshot:
    """Store an assessment; return it with its sequence number. A label is unique per organization."""
    label = check_label(label)
    row = Snapshot(
        organization=assessment.organization.name,
        label=label,
        spec_hash=digest,
        schema_version=assessment.schema_version,
        created_at=now or datetime.now(UTC),
        assessment=assessment.model_dump_json(),
    )
    try:
        with Session(engine) as session, session.begin():
            session.add(row)
            session.flush()
            stored = _read(row)
    except IntegrityError as exc:
        raise UsageError(
            f"label '{label}' is already used by a snapshot of {assessment.organization.name}; choose another"
        ) from exc
    return stored


def list_snapshots(engine: Engine, organization: str | None = None) -> list[StoredSnapshot]:
    """Snapshots in the order they were taken, optionally of one organization only."""
    query = select(Snapshot).order_by(Snapshot.seq)
    if organization is not None:
        query = query.where(Snapshot.organization == organization)
    with Session(engine) as session:
        return [_read(row) for row in session.scalars(query)]


def organizations(engine: Engine) -> list[str]:
    """The organizations that have snapshots, by name."""
    with Session(engine) as session:
        return sorted(session.scalars(select(Snapshot.organization).distinct()))


def resolve(engine: Engine, ref: str) -> StoredSnapshot:
    """``snapshot:N`` (sequence number) or ``snapshot:LABEL``; a label used by several organizations is ambiguous."""
    key = ref.removeprefix(REF_PREFIX)
    with Session(engine) as session:
        if key.isdigit():
            rows = list(session.scalars(select(Snapshot).where(Snapshot.seq == int(key))))
        else:
            rows = list(session.scalars(select(Snapshot).where(Snapshot.label == key).order_by(Snapshot.seq)))
        found = [_read(r) for r in rows]
    if not found:
        raise UsageError(f"no snapshot '{key}'; run `mlorg history` to list them")
    if len(found) > 1:
        orgs = ", ".join(s.organization for s in found)
        raise UsageError(f"label '{key}' is used by snapshots of several organizations ({orgs}); use snapshot:N")
    if not found[0].readable:
        raise UsageError(
            f"snapshot {one_line(found[0].name)} holds no readable assessment (its row was changed outside mlorg);"
            " take a new snapshot"
        )
    return found[0]


def _read(row: Snapshot) -> StoredSnapshot:
    """A row as stored; an assessment altered outside mlorg reads as empty and not ``readable``."""
    try:
        data = json.loads(row.assessment)
    except (ValueError, RecursionError):
        data = None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return StoredSnapshot(
        seq=row.seq,
        organization=row.organization,
        label=row.label,
        spec_hash=row.spec_hash,
        schema_version=row.schema_version,
        created_at=created,
        data=data if isinstance(data, dict) else {},
        readable=isinstance(data, dict),
    )


def open_database(url: str | None) -> Engine:
    """The survey app's database (``--database-url``, ``MLORG_DATABASE_URL`` or the default SQLite file)."""
    from mlorg.storage.base import database_error, make_engine

    try:
        engine = make_engine(url)
        ensure_schema(engine)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise database_error(url, exc) from exc
    return engine
