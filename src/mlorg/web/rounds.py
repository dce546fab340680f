"""A round's answers kept between dashboard views, brought up to date with only the answers new since.

Building a dashboard from scratch reads and decodes every answer of the round and parses the
round's spec; with 10,000 answers that was most of a second. Here each server process keeps, per
round, the parsed spec and the answers it has read (an LRU of :data:`MAX_ROUNDS` rounds). A view
reads the round's row and its team links' rows; each link row carries its answer count, raised in
the transaction that stores an answer (:func:`mlorg.web.store.submit_batch`). A link whose count
differs from the answers already read has new ones: only that link's answer ids are read, and only
the answers not seen before are fetched and decoded. Since every process compares against the
database on every view, several server processes behind one proxy each stay correct; a changed
spec text starts the round afresh.

Answers carry no arrival order (random ids, no timestamps, see ``survey_tables``), and none is
added for this: the answers are kept as rows of a numpy matrix that grows as they come, and are
scored in a canonical order of their content (one sort of a byte key per answer, then each new answer
placed into that order), so every process builds bit-identical figures from the same answers,
whichever order it read them in.

What is derived from the answers (scores, the assessment) is computed once per state of the
answers, by :meth:`Snapshot.derived`, from the whole set: the scores' spreads and Cronbach's alpha
are not updated exactly (bit for bit) by adding rows, and re-scoring the cached matrix is
vectorised and takes milliseconds, so a full re-score on change keeps one code path for every figure
and for the privacy floor.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import numpy as np
from pydantic_core import from_json
from sqlalchemy import Engine, Text, cast, select

from mlorg.errors import SpecError
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization
from mlorg.storage.survey_tables import SurveyAnswer, SurveyLink, SurveyRound
from mlorg.survey.catalog import item_index
from mlorg.survey.responses import Responses
from mlorg.web import store

MAX_ROUNDS = 16
_CHUNK = 500  # ids per IN (...) when fetching new answers

T = TypeVar("T")


class Answers:
    """A round's answers as read so far: one row per answer over every item of the catalog (NaN
    where unanswered), with its team and role; grows as answers are added, in any order."""

    def __init__(self) -> None:
        self.names = tuple(item_index())
        self.column = {name: j for j, name in enumerate(self.names)}
        self.matrix = np.full((0, len(self.names)), np.nan)
        self.points = np.zeros((0, len(self.names)), dtype=np.uint8)  # value + 1, 0 where unanswered
        self.used = np.zeros(len(self.names), dtype=bool)  # items anyone answered
        self.teams = _Names()
        self.roles = _Names()
        self.count = 0
        self._sorted: _Sorted | None = None

    def add(self, rows: Sequence[tuple[str, str | None, Mapping[str, int]]]) -> None:
        """Add answers given as (team, role, {item: value}); item ids must be in the catalog, values
        scale points (0 to 100)."""
        n, k = self.count, len(rows)
        if n + k > self.matrix.shape[0]:  # room for twice as many, so adding one at a time stays cheap
            size = max(2 * (n + k), 64)
            matrix = np.full((size, len(self.names)), np.nan)
            matrix[:n] = self.matrix[:n]
            points = np.zeros((size, len(self.names)), dtype=np.uint8)
            points[:n] = self.points[:n]
            self.matrix, self.points = matrix, points
            self.teams.grow(size)
            self.roles.grow(size)
        cols = [self.column[item] for _, _, values in rows for item in values]
        vals = np.array([v for _, _, values in rows for v in values.values()], dtype=np.int64)
        at = np.repeat(np.arange(n, n + k), [len(values) for _, _, values in rows])
        self.matrix[at, cols] = vals
        self.points[at, cols] = vals + 1
        self.used[cols] = True
        self.teams.add(n, [team for team, _, _ in rows])
        self.roles.add(n, [role for _, role, _ in rows])
        self.count = n + k

    def responses(self, label: str) -> Responses:
        """The answers as :class:`Responses`, rows in a canonical order of their content.

        The order (team, role, then each item's value in catalog order, unanswered first) depends on
        the answers only, never on the order they were read in, so every process computes the same
        figures, bit for bit, from the same answers. Each answer becomes one fixed-width byte string
        (team and role codes big-endian, then a byte per item), and one sort of those byte strings
        (numpy compares them as bytes) gives the order.

        The order found is kept: when answers were added since and no new team, role or item came
        with them, only the new answers' byte strings are placed among the kept ones (a binary
        search each), and the rows are inserted where they go, rather than sorting every answer
        again. The same comparison of the same byte strings places them, so the rows come out as
        one sort of all of them gives.

        The values are kept column-major: scoring takes each instrument's items (columns) and sums
        them item by item, which then reads contiguous memory; the figures are the same either way.
        """
        n = self.count
        teams, team = self.teams.sorted_codes(n)
        roles, role = self.roles.sorted_codes(n)
        used = np.flatnonzero(self.used)
        made_of = (teams, roles, used.tobytes())  # what the byte strings are made of
        kept = self._sorted
        if kept is not None and kept.made_of == made_of:
            new = np.arange(kept.count, n)
            keys = self._keys(new, team, role, used)
            ranked = np.argsort(keys)
            new, keys = new[ranked], keys[ranked]
            at = np.searchsorted(kept.keys, keys)  # equal byte strings: equal answers, either order
            order = np.insert(kept.order, at, new)
            sorted_keys = np.insert(kept.keys, at, keys)
            values = np.insert(kept.values, at, self.matrix[new[:, None], used], axis=0)
        else:
            every = np.arange(n)
            sorted_keys = self._keys(every, team, role, used)
            order = np.argsort(sorted_keys)
            sorted_keys = sorted_keys[order]
            values = np.asfortranarray(self.matrix[order[:, None], used])  # column-major: see below
        self._sorted = _Sorted(made_of, n, sorted_keys, order, values)
        return Responses(
            label,
            tuple(self.names[j] for j in used),
            values,
            team[order],
            teams,
            role[order],
            roles,
        )

    def _keys(
        self,
        rows: np.ndarray[Any, np.dtype[np.int64]],
        team: np.ndarray[Any, np.dtype[np.int64]],
        role: np.ndarray[Any, np.dtype[np.int64]],
        used: np.ndarray[Any, np.dtype[np.int64]],
    ) -> np.ndarray[Any, np.dtype[np.void]]:
        """One fixed-width byte string per row: team and role codes (big-endian), then a byte per item."""
        k = len(rows)
        key = np.concatenate(
            [
                (team[rows] + 1).astype(">u4").view(np.uint8).reshape(k, 4),
                (role[rows] + 1).astype(">u4").view(np.uint8).reshape(k, 4),
                self.points[rows[:, None], used],
            ],
            axis=1,
        )
        return np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1])))[:, 0]


@dataclass(frozen=True)
class _Sorted:
    """The canonical order as last found (see :meth:`Answers.responses`): the first ``count`` rows'
    byte strings in order, the rows in that order, and their values (used items only)."""

    made_of: tuple[tuple[str, ...], tuple[str, ...], bytes]
    count: int
    keys: np.ndarray[Any, np.dtype[np.void]]
    order: np.ndarray[Any, np.dtype[np.int64]]
    values: np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class LinkRow:
    id: int
    team_id: str
    invitations: int | None
    answers: int


@dataclass
class _Entry:
    spec_text: str
    spec_label: str
    spec: Organization
    thresholds: Thresholds
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[int, set[str]] = field(default_factory=dict)  # answer ids read, per link id
    answers: Answers = field(default_factory=Answers)
    version: int = 0  # raised whenever answers are added
    derived: dict[str, Any] = field(default_factory=dict)  # name -> value, for ``version``
    responses: Responses | None = None


@dataclass(frozen=True)
class Snapshot:
    """One view's state of a round: the round's row and links as read now, the cached spec and
    answers brought up to date with them."""

    view: store.RoundView
    links: tuple[LinkRow, ...]
    spec: Organization
    thresholds: Thresholds
    responses: Responses
    version: int
    _entry: _Entry

    def link_views(self) -> list[store.LinkView]:
        return [store.LinkView(link.team_id, link.answers, link.invitations) for link in self.links]

    def derived(self, name: str, build: Callable[[Snapshot], T]) -> T:
        """``build(self)``, computed once per state of the answers (and of the spec) and kept.

        Concurrent views of one round wait for a single build rather than each doing it.
        """
        entry = self._entry
        with entry.lock:
            if entry.version == self.version and name in entry.derived:
                return entry.derived[name]  # type: ignore[no-any-return]
            value = build(self)
            if entry.version == self.version:
                entry.derived[name] = value
            return value


class RoundCache:
    """Per-round cached answers of one database; thread-safe."""

    def __init__(self, max_rounds: int = MAX_ROUNDS) -> None:
        self.max_rounds = max_rounds
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.answers_read = 0  # answers fetched and decoded so far (the tests read it)

    def snapshot(self, engine: Engine, round_id: str) -> Snapshot:
        """The round now; :class:`store.NotFound` if there is no such round."""
        view, links = _read_round(engine, round_id)
        entry = self._entry(view)
        with entry.lock:
            stale = [link for link in links if link.answers != len(entry.seen.get(link.id, ()))]
            if stale:
                self._catch_up(engine, entry, stale, round_id)
            if entry.responses is None:
                entry.responses = entry.answers.responses(f"survey round {round_id}")
            return Snapshot(view, links, entry.spec, entry.thresholds, entry.responses, entry.version, entry)

    def _entry(self, view: store.RoundView) -> _Entry:
        with self._lock:
            entry = self._entries.get(view.id)
            if entry is not None and entry.spec_text == view.spec_text and entry.spec_label == view.spec_label:
                self._entries.move_to_end(view.id)
                return entry
        # Parsed outside the cache's lock (a large spec takes a while); a concurrent first view may
        # parse it too, and the last one kept wins: both are the same spec.
        from mlorg.engine import effective_settings

        spec = store.stored_spec(view.spec_text, view.spec_label)
        entry = _Entry(view.spec_text, view.spec_label, spec, effective_settings(spec, None).thresholds)
        with self._lock:
            self._entries[view.id] = entry
            self._entries.move_to_end(view.id)
            while len(self._entries) > self.max_rounds:
                self._entries.popitem(last=False)
        return entry

    def _catch_up(self, engine: Engine, entry: _Entry, stale: Sequence[LinkRow], round_id: str) -> None:
        """Read the answers of ``stale`` links that ``entry`` has not seen; add them in order."""
        a = SurveyAnswer.__table__.c
        answer = select(a.id, a.link_id, a.role, cast(a["values"], Text))
        team_of = {link.id: link.team_id for link in stale}
        fresh = [link.id for link in stale if not entry.seen.get(link.id)]
        partial = [link.id for link in stale if entry.seen.get(link.id)]
        fetched: list[Any] = []
        with engine.connect() as conn:
            if fresh:  # nothing read of these links yet: all their answers at once
                fetched += conn.execute(answer.where(a.link_id.in_(fresh))).all()
            if partial:  # only the ids first, then just the answers not seen before
                ids = conn.execute(select(a.id, a.link_id).where(a.link_id.in_(partial))).all()
                wanted = [answer_id for answer_id, link_id in ids if answer_id not in entry.seen[link_id]]
                for start in range(0, len(wanted), _CHUNK):
                    chunk = wanted[start : start + _CHUNK]
                    fetched += conn.execute(answer.where(a.id.in_(chunk))).all()
        # The values' JSON text decoded by pydantic-core's parser: a few times faster than the json module.
        fetched = [(answer_id, link_id, role, from_json(text)) for answer_id, link_id, role, text in fetched]
        known = entry.answers.column
        unknown = {k for *_, values in fetched for k in values if k not in known}
        if unknown:  # as from_records says it; nothing is added
            raise SpecError.single(f"survey round {round_id}", f"unknown item ids: {', '.join(sorted(unknown))}")
        new_rows: list[tuple[str, str | None, Mapping[str, int]]] = []
        for answer_id, link_id, role, values in fetched:
            seen = entry.seen.setdefault(link_id, set())
            if answer_id not in seen:
                seen.add(answer_id)
                new_rows.append((team_of[link_id], role, values))
        if not new_rows:
            return
        entry.answers.add(new_rows)
        self.answers_read += len(new_rows)
        entry.version += 1
        entry.derived.clear()
        entry.responses = None


def _read_round(engine: Engine, round_id: str) -> tuple[store.RoundView, tuple[LinkRow, ...]]:
    """The round's row and its links' rows (with their answer counts), in one connection."""
    r, link = SurveyRound.__table__.c, SurveyLink.__table__.c
    with engine.connect() as conn:
        row = conn.execute(select(SurveyRound.__table__).where(r.id == round_id)).first()
        if row is None:
            raise store.NotFound
        links = conn.execute(
            select(link.id, link.team_id, link.invitations, link.answers)
            .where(link.round_id == round_id)
            .order_by(link.team_id)
        ).all()
    view = store.RoundView(
        row.id, row.title, row.spec_label, row.spec_text, tuple(row.instruments.split()), row.created_on, row.closed
    )
    return view, tuple(LinkRow(*x) for x in links)


class _Names:
    """A column of names (teams or roles) as codes in first-seen order, -1 for none; re-coded in
    name order, vectorised, when the answers are scored."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.code: dict[str, int] = {}
        self.codes = np.zeros(0, dtype=np.int64)

    def grow(self, size: int) -> None:
        codes = np.full(size, -1, dtype=np.int64)
        codes[: len(self.codes)] = self.codes
        self.codes = codes

    def add(self, at: int, values: Sequence[str | None]) -> None:
        for value in {v for v in values if v and v not in self.code}:
            self.code[value] = len(self.names)
            self.names.append(value)
        self.codes[at : at + len(values)] = [self.code[v] if v else -1 for v in values]

    def sorted_codes(self, n: int) -> tuple[tuple[str, ...], np.ndarray[Any, np.dtype[np.int64]]]:
        ordered = tuple(sorted(self.names))
        rank = np.empty(len(self.names) + 1, dtype=np.int64)
        rank[[self.code[name] for name in ordered]] = np.arange(len(ordered))
        rank[-1] = -1  # code -1 (none) indexes the last slot
        return ordered, rank[self.codes[:n]]


_caches: WeakKeyDictionary[Engine, RoundCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Engine) -> RoundCache:
    """The round cache of this engine (one per engine, shared by every app on it)."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = RoundCache()
        return cache
