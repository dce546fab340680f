"""Group commit for answers: one writer thread per server process stores submissions in batches.

A respondent's POST hands its answers to :class:`AnswerWriter` and waits for the outcome. The
writer takes every submission waiting in its queue (up to ``max_batch``) and stores them with
:func:`mlorg.web.store.submit_batch` in one transaction, so the database syncs its log to disk
once per batch instead of once per answer; while one commit is under way the next batch gathers,
so under load batches grow by themselves and an answer alone is written at once (no added delay).
Nothing is acknowledged before its batch committed: a killed server loses no answer it confirmed.

The writer has a connection of its own (a one-connection pool beside the app's), so a POST never
waits for a database connection behind dashboard builds or other reads. The thread and its
connection go away after ``idle_seconds`` without submissions and come back with the next one.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from mlorg.web import store

log = logging.getLogger("mlorg.web")

MAX_BATCH = 128
IDLE_SECONDS = 10.0


@dataclass
class _Job:
    submission: store.Submission
    done: Future[str]


class AnswerWriter:
    """Stores submissions in batches on a thread of its own; :meth:`submit` returns a future."""

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH, idle_seconds: float = IDLE_SECONDS) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.idle_seconds = idle_seconds
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.batches = 0  # how many transactions stored how many submissions (the tests read these)
        self.submissions = 0

    def submit(self, submission: store.Submission) -> Future[str]:
        """Queue a submission; the future gives ``"stored"`` or ``"duplicate"``, or raises
        :class:`store.NotFound`, :class:`store.Closed`, :class:`store.Full` or a database error."""
        job = _Job(submission, Future())
        with self._lock:
            self._queue.put(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mlorg-answer-writer", daemon=True)
                self._thread.start()
        return job.done

    def _run(self) -> None:
        engine = _own_engine(self.engine)
        try:
            while True:
                try:
                    first = self._queue.get(timeout=self.idle_seconds)
                except queue.Empty:
                    with self._lock:
                        if self._queue.empty():
                            self._thread = None
                            return
                    continue
                batch = [first]
                while len(batch) < self.max_batch:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                self._write(engine, batch)
        finally:
            if engine is not self.engine:
                engine.dispose()

    def _write(self, engine: Engine, batch: list[_Job]) -> None:
        try:
            outcomes = store.submit_batch(engine, [job.submission for job in batch])
        except Exception as exc:  # every waiting request must get an answer
            if len(batch) > 1:
                # Nothing of the batch was stored (its transaction rolled back): store each alone, so
                # one submission that fails (or a lost connection, retried on a fresh one) fails only itself.
                log.warning("answer batch of %d failed (%s); storing them one by one", len(batch), type(exc).__name__)
                for job in batch:
                    self._write(engine, [job])
                return
            if isinstance(exc, IntegrityError):  # the same form stored by another process meanwhile
                self._settle(batch[0], "duplicate")
            else:
                batch[0].done.set_exception(exc)
            return
        self.batches += 1
        self.submissions += len(batch)
        for job, outcome in zip(batch, outcomes, strict=True):
            self._settle(job, outcome)

    @staticmethod
    def _settle(job: _Job, outcome: store.Outcome) -> None:
        if isinstance(outcome, Exception):
            job.done.set_exception(outcome)
        else:
            job.done.set_result(outcome)


def _own_engine(engine: Engine) -> Engine:
    """A one-connection engine on the same database (an in-memory SQLite database cannot be shared:
    its own engine then)."""
    from mlorg.storage.base import make_engine

    database = engine.url.database
    if engine.dialect.name == "sqlite" and (not database or database == ":memory:"):
        return engine
    return make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
