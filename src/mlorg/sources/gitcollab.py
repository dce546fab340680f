"""``git-collab``: a repository's history -> collaboration ties between people who change the same files.

Two authors who change the same file within ``--option window_days=N`` (default 14) of each other
are working on the same thing: each such pair of changes adds one to their tie's weight. History is
read with :mod:`mlorg.sources.gitlog` (real ``git log``, ``.mailmap`` applied, bounded). A file that
more than ``--option max_file_authors=N`` (default 30) people changed in the history read (a
changelog, a lock file) says little about who works together: it adds no ties, and a note says how
many such files there were. Authors are known by their email (pseudonymous unless ``--keep-names``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

from mlorg.errors import UsageError
from mlorg.render.words import count
from mlorg.sources.gitlog import DEFAULT_MAX_COMMITS, iter_commits
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.spec.models import Provenance, Tie

DEFAULTS = {"window_days": 14, "max_file_authors": 30, "max_commits": DEFAULT_MAX_COMMITS}
#: Authors that are machines, not colleagues.
BOT_MARKERS = ("[bot]", "noreply@github.com", "dependabot", "renovate")


def _int_option(options: ImportOptions, key: str, low: int) -> int:
    raw = options.settings.get(key, str(DEFAULTS[key]))
    if not raw.isdigit() or int(raw) < low:
        raise UsageError(f"--option {key}={raw}: expected a whole number of at least {low}")
    return int(raw)


class GitCollabSource(Source):
    kind: ClassVar[str] = "git-collab"
    summary: ClassVar[str] = "A git repository: people who change the same files within a window, as ties."
    options: ClassVar[dict[str, str]] = {
        "window_days": "Changes to one file this many days apart or closer tie their authors (default 14).",
        "max_file_authors": "Files changed by more authors than this add no ties (default 30).",
        "max_commits": f"Most commits read per repository, newest first (default {DEFAULT_MAX_COMMITS:,}).",
        "since": "Read only commits after this date (anything `git log --since` takes).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        window = _int_option(options, "window_days", 0) * 86_400
        max_authors = _int_option(options, "max_file_authors", 2)
        max_commits = _int_option(options, "max_commits", 1)
        since = options.settings.get("since")
        weights: dict[tuple[str, str], float] = {}
        where: dict[tuple[str, str], tuple[str, str]] = {}
        notes: list[str] = []
        for repo in inputs:
            crowded = _read_repo(repo, options, window, max_authors, max_commits, since, weights, where)
            if crowded:
                notes.append(
                    f"{repo}: files changed by more than {max_authors} authors add no ties ({count(crowded, 'file')})"
                )
        ties = tuple(
            Tie(
                a=a,
                b=b,
                weight=w,
                channel="code",
                provenance=Provenance(system="git-collab", location=where[(a, b)][0], record=where[(a, b)][1]),
            )
            for (a, b), w in sorted(weights.items())
        )
        return Fragment(system="git-collab", ties=ties, notes=tuple(notes))


def _read_repo(
    repo: str,
    options: ImportOptions,
    window: int,
    max_authors: int,
    max_commits: int,
    since: str | None,
    weights: dict[tuple[str, str], float],
    where: dict[tuple[str, str], tuple[str, str]],
) -> int:
    changes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    people: dict[str, str | None] = {}
    for commit in iter_commits(repo, max_commits=max_commits, since=since):
        ident = commit.identity
        if any(marker in ident for marker in BOT_MARKERS) or "[bot]" in commit.name:
            continue
        if ident not in people:
            people[ident] = options.people.person(ident)
        person = people[ident]
        if person is None:
            continue
        for path in commit.paths:
            changes[path].append((commit.timestamp, person))
    crowded = 0
    for path in sorted(changes):
        events = sorted(changes[path])
        if len({p for _, p in events}) > max_authors:
            crowded += 1
            continue
        start = 0
        for i, (t, person) in enumerate(events):
            while events[start][0] < t - window:
                start += 1
            for j in range(start, i):
                other = events[j][1]
                if other == person:
                    continue
                key = (min(person, other), max(person, other))
                weights[key] = weights.get(key, 0.0) + 1.0
                where.setdefault(key, (repo, path))
    return crowded
