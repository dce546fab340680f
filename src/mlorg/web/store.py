"""Every database operation of the web app, each in its own short transaction.

Submissions are stored by :func:`submit_batch`: the app's writer (:mod:`mlorg.web.writer`) puts the
answers that arrive while a commit is under way into the next transaction together (group commit),
and answers each respondent only after that commit, so whatever was acknowledged survives a killed
server, and the database syncs once per batch rather than once per answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.spec.loader import load_spec_text
from mlorg.spec.models import Organization
from mlorg.storage.survey_tables import (
    AdminAccount,
    AdminSession,
    AppSecret,
    LoginThrottle,
    SurveyAnswer,
    SurveyLink,
    SurveyRound,
)
from mlorg.survey.catalog import instrument, instruments
from mlorg.survey.responses import Responses
from mlorg.survey.scoring import visible_groups
from mlorg.web import throttle
from mlorg.web.security import digest, hash_password, new_token, password_problem, verify_password

SESSION_HOURS = 8
MAX_INVITATIONS = 100_000
ADMIN_ID = 1


class NotFound(Exception):
    """No such link or round."""


class Closed(Exception):
    """The round is closed; answers are refused."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def server_secret(engine: Engine) -> str:
    """The HMAC key, created on first use; concurrent first starts agree on one."""
    with Session(engine) as s:
        row = s.get(AppSecret, "hmac")
        if row is not None:
            return row.value
    try:
        with Session(engine) as s, s.begin():
            s.add(AppSecret(name="hmac", value=secrets.token_hex(32)))
    except IntegrityError:
        pass
    with Session(engine) as s:
        row = s.get(AppSecret, "hmac")
        assert row is not None
        return row.value


# --- admin ---------------------------------------------------------------------------------


def set_admin_password(engine: Engine, password: str) -> None:
    """Set the admin password (checked by :func:`password_problem`); signs every browser out and
    lifts any sign-in throttling, so the admin can always get back in from the command line."""
    problem = password_problem(password)
    if problem is not None:
        raise UsageError(problem)
    hashed = hash_password(password)
    with Session(engine) as s, s.begin():
        account = s.get(AdminAccount, ADMIN_ID)
        if account is None:
            s.add(AdminAccount(id=ADMIN_ID, password_hash=hashed))
        else:
            account.password_hash = hashed
        s.execute(delete(AdminSession))  # a new password signs every browser out
        s.execute(delete(LoginThrottle))


def admin_exists(engine: Engine) -> bool:
    with Session(engine) as s:
        return s.get(AdminAccount, ADMIN_ID) is not None


class Throttled(Exception):
    """Too many failed sign-ins: ``wait`` seconds must pass before the next attempt is checked."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"wait {wait:.0f} s")
        self.wait = wait


def sign_in(engine: Engine, password: str, client: str = "") -> str | None:
    """A new session token if the password is right, else None; :class:`Throttled` while waiting.

    ``client`` is a pseudonymous key of the client's address (the app passes an HMAC of it). The
    attempt is counted against the account and the client before the password is checked.
    """
    limits = [throttle.Limit(f"account:{ADMIN_ID}", throttle.ACCOUNT_FREE)]
    if client:
        limits.append(throttle.Limit(f"client:{client}"[:80], throttle.CLIENT_FREE))
    wait = throttle.begin_attempt(engine, limits)
    if wait > 0:
        raise Throttled(wait)
    with Session(engine) as s:
        account = s.get(AdminAccount, ADMIN_ID)
        stored = account.password_hash if account else None
    if stored is None or not verify_password(stored, password):
        return None
    throttle.succeeded(engine, limits)
    token = new_token()
    now = utcnow()
    with Session(engine) as s, s.begin():
        s.execute(delete(AdminSession).where(AdminSession.expires_at < now))
        s.add(AdminSession(token_hash=digest(token), expires_at=now + dt.timedelta(hours=SESSION_HOURS)))
    return token


def session_valid(engine: Engine, token: str | None) -> bool:
    if not token or len(token) > 200:
        return False
    with Session(engine) as s:
        row = s.get(AdminSession, digest(token))
        if row is None:
            return False
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
        return expires > utcnow()


def sign_out(engine: Engine, token: str | None) -> None:
    if token:
        with Session(engine) as s, s.begin():
            s.execute(delete(AdminSession).where(AdminSession.token_hash == digest(token)))


# --- rounds --------------------------------------------------------------------------------


def parse_spec(text: str, label: str) -> Organization:
    """Validate a pasted or uploaded spec; a :class:`SpecError` lists every problem.

    The server reads no file a spec names: an ``imports:`` section is refused at its line
    (:func:`mlorg.spec.loader.load_spec_text` without a folder), so the round holds the whole spec.
    """
    return load_spec_text(text, label)


def stored_spec(text: str, label: str) -> Organization:
    """A round's stored spec, read again for its dashboard or export.

    Rounds stored before ``imports:`` was refused kept the section without merging it; they read as they
    did then instead of failing now.
    """
    from mlorg.spec.loader import edited, validate_spec
    from mlorg.spec.loader import parse_spec as parse_text

    parsed = parse_text(text, label)
    if "imports" not in parsed.data:
        return validate_spec(parsed)
    parsed.data.pop("imports")
    return validate_spec(edited(parsed))


@dataclass(frozen=True)
class NewRound:
    """A round just created: its id and each team's link token, which only this value ever holds
    (the database keeps the tokens' hashes), so the admin must copy the links now."""

    id: str
    tokens: dict[str, str]


def create_round(
    engine: Engine,
    title: str,
    spec_text: str,
    spec_label: str,
    chosen: Sequence[str],
    invitations: Mapping[str, int] | None = None,
) -> NewRound:
    """Validate the spec, then store the round and one link per team that has a size.

    A team's link takes at most as many answers as the team has people: ``invitations[team]`` when
    given (never more than the spec's ``headcount``), else the spec's ``headcount``. A team with
    neither gets no link (the dashboard says so). The counts are fixed once the round exists.
    """
    spec = parse_spec(spec_text, spec_label)
    if not spec.teams:
        raise SpecError.single(spec_label, "the spec lists no teams; each team gets its own survey link")
    counts = team_invitations(spec, invitations or {}, spec_label)
    if not counts:
        raise SpecError.single(
            "invitations",
            "no team has a size: give each team to survey a `headcount` in the spec, or an invitation count here",
        )
    known = [i.id for i in instruments()]
    asked = [i for i in known if i in set(chosen)] or known
    round_id = secrets.token_hex(8)
    with Session(engine) as s, s.begin():
        s.add(
            SurveyRound(
                id=round_id,
                title=title.strip()[:200] or spec.organization.name[:200],
                spec_label=spec_label[:200],
                spec_text=spec_text,
                instruments=" ".join(asked),
                created_on=utcnow().date(),
                closed=False,
            )
        )
        s.flush()
        tokens = {team_id: new_token() for team_id in sorted(counts)}
        for team_id, n in sorted(counts.items()):
            s.add(SurveyLink(round_id=round_id, team_id=team_id, token_hash=digest(tokens[team_id]), invitations=n))
    return NewRound(round_id, tokens)


def new_link(engine: Engine, round_id: str, team_id: str) -> str:
    """Replace a team's link with a new one (the old stops working); answers and count are kept."""
    token = new_token()
    with Session(engine) as s, s.begin():
        link = s.scalars(
            select(SurveyLink).where(SurveyLink.round_id == round_id, SurveyLink.team_id == team_id).with_for_update()
        ).first()
        if link is None:
            raise NotFound
        link.token_hash = digest(token)
    return token


def team_invitations(spec: Organization, given: Mapping[str, int], label: str) -> dict[str, int]:
    """How many answers each team's link takes; :class:`SpecError` lists every bad count given."""
    by_id = {t.id: t for t in spec.teams}
    problems = [
        Problem("invitations", 0, team_id, "is not a team of the spec") for team_id in sorted(set(given) - set(by_id))
    ]
    counts: dict[str, int] = {}
    for team_id, team in sorted(by_id.items()):
        n = given.get(team_id)
        if n is None:
            if team.headcount:
                counts[team_id] = team.headcount
            continue
        if n < 1 or n > MAX_INVITATIONS:
            problems.append(Problem("invitations", 0, team_id, f"{n} is not a count from 1 to {MAX_INVITATIONS}"))
        elif team.headcount is not None and n > team.headcount:
            problems.append(
                Problem(
                    "invitations", 0, team_id, f"{n} is more than the team's headcount ({team.headcount}) in {label}"
                )
            )
        else:
            counts[team_id] = n
    if problems:
        raise SpecError(problems)
    return counts


@dataclass(frozen=True)
class RoundView:
    id: str
    title: str
    spec_label: str
    spec_text: str
    instruments: tuple[str, ...]
    created_on: dt.date
    closed: bool


def _view(r: SurveyRound) -> RoundView:
    return RoundView(r.id, r.title, r.spec_label, r.spec_text, tuple(r.instruments.split()), r.created_on, r.closed)


def list_rounds(engine: Engine) -> list[tuple[RoundView, int]]:
    with Session(engine) as s:
        counts = dict(s.execute(select(SurveyAnswer.round_id, func.count()).group_by(SurveyAnswer.round_id)).all())
        rounds = s.scalars(select(SurveyRound).order_by(SurveyRound.created_on.desc(), SurveyRound.title)).all()
        return [(_view(r), int(counts.get(r.id, 0))) for r in rounds]


def get_round(engine: Engine, round_id: str) -> RoundView:
    with Session(engine) as s:
        r = s.get(SurveyRound, round_id)
        if r is None:
            raise NotFound
        return _view(r)


def close_round(engine: Engine, round_id: str) -> bool:
    """Stop the round taking answers (a submission in flight re-reads the flag and is rolled back).
    True if it was open."""
    return _set_closed(engine, round_id, True)


def reopen_round(engine: Engine, round_id: str) -> bool:
    """Let a closed round take answers again; answers and links are as they were. True if it was closed."""
    return _set_closed(engine, round_id, False)


def _set_closed(engine: Engine, round_id: str, closed: bool) -> bool:
    with Session(engine) as s, s.begin():
        r = s.get(SurveyRound, round_id, with_for_update=True)
        if r is None:
            raise NotFound
        changed = bool(r.closed) != closed
        r.closed = closed
        return changed


@dataclass(frozen=True)
class LinkView:
    """A team's link as the dashboard shows it: counts only (the token is not stored)."""

    team_id: str
    answers: int
    invitations: int | None = None


def links(engine: Engine, round_id: str) -> list[LinkView]:
    """Each team's link and how many answers it has collected (counts only)."""
    with Session(engine) as s:
        rows = s.scalars(select(SurveyLink).where(SurveyLink.round_id == round_id).order_by(SurveyLink.team_id)).all()
        return [LinkView(link.team_id, link.answers, link.invitations) for link in rows]


def link_round(engine: Engine, link_token: str) -> tuple[RoundView, LinkView]:
    """The round a respondent link belongs to, and the link's team, count and answers so far."""
    if not link_token or len(link_token) > 64:
        raise NotFound
    with Session(engine) as s:
        row = s.execute(
            select(SurveyRound, SurveyLink)
            .join(SurveyLink, SurveyLink.round_id == SurveyRound.id)
            .where(SurveyLink.token_hash == digest(link_token))
        ).first()
        if row is None:
            raise NotFound
        link = row[1]
        return _view(row[0]), LinkView(link.team_id, link.answers, link.invitations)


# --- answers -------------------------------------------------------------------------------


class Full(Exception):
    """The link has taken as many answers as its team has invitations."""


@dataclass(frozen=True)
class Submission:
    """One respondent's form as the app read it: the link, the form's nonce, a role and the values."""

    link_token: str
    nonce: str
    role: str | None
    values: dict[str, int]


Outcome = Literal["stored", "duplicate"] | NotFound | Closed | Full


def submit(
    engine: Engine, link_token: str, nonce: str, role: str | None, values: dict[str, int]
) -> Literal["stored", "duplicate"]:
    """Store one respondent's answers in a transaction of its own (the app batches them instead:
    :class:`mlorg.web.writer.AnswerWriter`); raises :class:`NotFound`, :class:`Closed` or :class:`Full`."""
    try:
        (outcome,) = submit_batch(engine, [Submission(link_token, nonce, role, values)])
    except IntegrityError:  # the same form stored by another process at the same moment
        return "duplicate"
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def submit_batch(engine: Engine, batch: Sequence[Submission]) -> list[Outcome]:
    """Store several submissions in ONE transaction (one commit, one sync to disk); an outcome each.

    Every check comes before the submission writes anything, so one refused submission never
    spoils the others. Per submission, in link-id order (two server processes batching answers
    for the same links lock them in the same order, so they cannot deadlock): a write to the
    link's row takes its row lock on PostgreSQL (SQLite has one writer at a time), so answers
    through one link are counted one after another; a repeated form token is ``"duplicate"``
    (it counts once); the round's ``closed`` flag is read under a share lock, which a closing
    admin waits for, so no answer lands after the round closed; a link that has taken
    ``invitations`` answers is :class:`Full`. Then the answer is inserted and the link's count
    raised. The caller acknowledges only after the commit, so an acknowledged answer is durable.
    """
    with engine.connect() as conn:
        hashes = sorted({digest(sub.link_token) for sub in batch if sub.link_token and len(sub.link_token) <= 64})
        found = {
            row.token_hash: (row.id, row.round_id)
            for row in conn.execute(
                select(SurveyLink.token_hash, SurveyLink.id, SurveyLink.round_id).where(
                    SurveyLink.token_hash.in_(hashes)
                )
            )
        }
        conn.commit()  # the write transaction below starts with a write (SQLite takes its lock there)
        outcomes: list[Outcome] = [NotFound() for _ in batch]
        order = sorted((found[h][0], n) for n, sub in enumerate(batch) if (h := digest(sub.link_token)) in found)
        with conn.begin():
            for link_id, n in order:
                sub = batch[n]
                round_id = found[digest(sub.link_token)][1]
                key = digest(sub.nonce)
                conn.execute(update(SurveyLink).where(SurveyLink.id == link_id).values(answers=SurveyLink.answers))
                if conn.scalar(select(SurveyAnswer.id).where(SurveyAnswer.submission_key == key)) is not None:
                    outcomes[n] = "duplicate"
                    continue
                closed = conn.scalar(
                    select(SurveyRound.closed).where(SurveyRound.id == round_id).with_for_update(read=True)
                )
                if closed:
                    outcomes[n] = Closed()
                    continue
                cap, used = conn.execute(
                    select(SurveyLink.invitations, SurveyLink.answers).where(SurveyLink.id == link_id)
                ).one()
                if cap is not None and used >= cap:
                    outcomes[n] = Full()
                    continue
                conn.execute(
                    insert(SurveyAnswer).values(
                        id=secrets.token_hex(16),
                        round_id=round_id,
                        link_id=link_id,
                        role=sub.role,
                        values=sub.values,
                        submission_key=key,
                    )
                )
                conn.execute(update(SurveyLink).where(SurveyLink.id == link_id).values(answers=SurveyLink.answers + 1))
                outcomes[n] = "stored"
    return outcomes


def nonce_used(engine: Engine, nonce: str) -> bool:
    """Whether an answer was stored under this form token already."""
    with Session(engine) as s:
        return s.scalar(select(SurveyAnswer.id).where(SurveyAnswer.submission_key == digest(nonce))) is not None


def round_responses(engine: Engine, round_id: str) -> Responses:
    """The round's answers as :class:`Responses`, for scoring and assessment, read afresh (the
    dashboard keeps them between views instead: :mod:`mlorg.web.rounds`, in the same order)."""
    from mlorg.web.rounds import Answers

    with Session(engine) as s:
        rows = s.execute(
            select(SurveyLink.team_id, SurveyAnswer.role, SurveyAnswer.values)
            .join(SurveyLink, SurveyLink.id == SurveyAnswer.link_id)
            .where(SurveyAnswer.round_id == round_id)
        ).all()
    label = f"survey round {round_id}"
    answers = Answers()
    unknown = {k for *_, values in rows for k in values if k not in answers.column}
    if unknown:
        raise SpecError.single(label, f"unknown item ids: {', '.join(sorted(unknown))}")
    answers.add([(t, r, v) for t, r, v in rows])
    return answers.responses(label)


def export_csv(engine: Engine, round_id: str, floor: int) -> str:
    """The answers as an import-ready CSV, with the privacy floor applied.

    Teams below the floor (and any team whose figures could otherwise be worked out by
    subtraction) have their team cell blanked; roles are blanked the same way within each team.
    Rows are sorted by content, so row order says nothing about when anyone answered.
    """
    view = get_round(engine, round_id)
    res = round_responses(engine, round_id)
    item_ids = [item.id for iid in view.instruments if (inst := instrument(iid)) for item in inst.items]
    col = {item_id: j for j, item_id in enumerate(res.items)}
    team_counts: dict[str, int] = {}
    for code in res.team.tolist():
        if code >= 0:
            team_counts[res.teams[code]] = team_counts.get(res.teams[code], 0) + 1
    shown_teams = visible_groups(team_counts, res.count, floor)
    rows: list[list[str]] = []
    role_counts: dict[tuple[str, str], int] = {}
    for r in range(res.count):
        team = res.teams[res.team[r]] if res.team[r] >= 0 else ""
        role = res.roles[res.role[r]] if res.role[r] >= 0 else ""
        if role and team in shown_teams:
            role_counts[(team, role)] = role_counts.get((team, role), 0) + 1
    shown_roles: set[tuple[str, str]] = set()
    for team in shown_teams:
        per_role = {role: n for (t, role), n in role_counts.items() if t == team}
        shown_roles |= {(team, role) for role in visible_groups(per_role, team_counts[team], floor)}
    for r in range(res.count):
        team = res.teams[res.team[r]] if res.team[r] >= 0 else ""
        role = res.roles[res.role[r]] if res.role[r] >= 0 else ""
        cells = []
        for item_id in item_ids:
            j = col.get(item_id)
            v = res.values[r, j] if j is not None else float("nan")
            cells.append("" if v != v else str(int(v)))
        shown_team = team if team in shown_teams else ""
        shown_role = role if (team, role) in shown_roles else ""
        rows.append([shown_team, shown_role, *cells])
    rows.sort()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["team", "role", *item_ids])
    writer.writerows(rows)
    return buf.getvalue()
