"""Tables of the survey web app: rounds, per-team links, anonymous answers, and the admin's login.

Nothing stored with an answer identifies who gave it: an answer row holds its round, its team link,
an optional role and the values, under a random id (no autoincrement, so row order reveals nothing
about when it came in), with no IP address, user agent or timestamp. ``submission_key`` is a hash
of the random token of the form that was rendered, so a double submit counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mlorg.storage.base import Base


class AppSecret(Base):
    """Server-side secrets (the HMAC key that signs CSRF and form tokens), created on first start."""

    __tablename__ = "app_secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class AdminAccount(Base):
    """The one administrator; the password is kept only as an argon2 hash."""

    __tablename__ = "admin_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    password_hash: Mapped[str] = mapped_column(String(255))


class AdminSession(Base):
    """A signed-in admin browser; the cookie holds the token, the table only its SHA-256."""

    __tablename__ = "admin_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SurveyRound(Base):
    """One survey of one organization spec; closed rounds refuse answers."""

    __tablename__ = "survey_round"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    spec_label: Mapped[str] = mapped_column(String(200))
    spec_text: Mapped[str] = mapped_column(Text)
    instruments: Mapped[str] = mapped_column(String(200), doc="Space-separated instrument ids asked.")
    created_on: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyLink(Base):
    """The shareable link of one team in one round; the URL carries a token, the table only its SHA-256."""

    __tablename__ = "survey_link"
    __table_args__ = (
        UniqueConstraint("round_id", "team_id", name="uq_survey_link_round_team"),
        UniqueConstraint("token_hash", name="uq_survey_link_token_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64))
    invitations: Mapped[int | None] = mapped_column(
        Integer, nullable=True, doc="How many answers the link takes (the team's size); null before 0004."
    )
    answers: Mapped[int] = mapped_column(
        Integer,
        default=0,
        server_default="0",
        doc="Answers stored through the link, counted in the transaction that stores each one.",
    )


class SurveyAnswer(Base):
    """One respondent's answers: ``values`` maps item id to the scale point chosen."""

    __tablename__ = "survey_answer"
    # The answer ids of a link, read from the index alone: the dashboard cache reads them to find the
    # answers it has not seen (``mlorg.web.rounds``), without visiting each answer's row.
    __table_args__ = (Index("ix_survey_answer_link_id_id", "link_id", "id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("survey_link.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(50), nullable=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)


class LoginThrottle(Base):
    """Failed sign-ins per account and per client, shared by every server process on the database.

    ``key`` is ``account:<id>`` or ``client:<HMAC of the address>`` (no address is stored in clear);
    times are seconds since the epoch, so every database compares them alike.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)
