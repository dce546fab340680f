"""``git-review``: CODEOWNERS and git history -> teams that review each other's code, and who reviewed whom.

CODEOWNERS makes the owning team review every change to the paths it owns. So a commit that changes
a path owned by team A is a piece of work A reviewed; when its author belongs to team B, A and B
review each other's code. The importer writes, per (author, owning team), how many commits the
author made to that team's code (``collaboration.reviews``); the author's team comes from the spec
when it is assessed, so the same fragment joins whatever HR export places people, and changes to
the author's own team's code are left out then.

Where commits carry ``Reviewed-by:`` or ``Approved-by:`` trailers (Gerrit, kernel-style and many
merge bots write them), the reviewer is known by name: each such commit adds one to a person-to-
person tie of channel ``review`` between author and reviewer (``collaboration.ties``).

Merge commits of pull or merge requests (GitHub's "Merge pull request #N", GitLab's "See merge
request") record who accepted the change: the merger is tied (channel ``review``) to each author of
the commits the merge brought in, once per request. ``--option merges=no`` leaves them out (a team
whose merges are pressed by whoever is around gains nothing from them). Squash merges carry no
reviewer and add nothing but their author's change.

Ownership is the CODEOWNERS file at ``--option rev`` (default HEAD), applied to the whole history
read: a rule added last month also claims last year's changes (the file's history is not replayed).
Bots are skipped as in ``git-collab``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from email.utils import parseaddr
from typing import ClassVar

from mlorg.errors import SpecError, UsageError
from mlorg.render.words import count
from mlorg.sources import codeowners, gitlog
from mlorg.sources.gitcollab import BOT_MARKERS
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.spec.models import Provenance, Review, Tie

DEFAULT_MAX_COMMITS = 100_000
DEFAULT_MAX_MERGES = 2_000
#: Rules times distinct paths changed: the bound on matching work (a hostile file cannot stall the import).
MAX_PATTERN_CHECKS = 200_000_000


class GitReviewSource(Source):
    kind: ClassVar[str] = "git-review"
    summary: ClassVar[str] = (
        "A repository's CODEOWNERS and git history: teams that review each other's code, and review trailers."
    )
    options: ClassVar[Mapping[str, str]] = {
        "file": "CODEOWNERS path inside the repository (default: .github/, root, docs/, .gitlab/).",
        "rev": "Revision whose CODEOWNERS and history are read (default: HEAD).",
        "max-commits": f"Newest commits read (default: {DEFAULT_MAX_COMMITS:,}).",
        "since": "Read only commits after this date (anything git log --since takes).",
        "single-names": "What a @name without a slash is: people (GitHub users, the default) or teams (GitLab).",
        "merges": "yes (default) or no: tie whoever merged a pull or merge request to the authors it brought in.",
        "max-merges": f"Newest pull or merge request merges read (default: {DEFAULT_MAX_MERGES:,}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        settings = options.settings
        single = settings.get("single-names", "people")
        if single not in ("people", "teams"):
            raise UsageError(f"--option single-names: expected people or teams, got '{single}'")
        raw = settings.get("max-commits", str(DEFAULT_MAX_COMMITS))
        if not raw.isdigit() or int(raw) < 1:
            raise UsageError(f"--option max-commits: expected a whole number of at least 1, got '{raw}'")
        merges = settings.get("merges", "yes")
        if merges not in ("yes", "no"):
            raise UsageError(f"--option merges: expected yes or no, got '{merges}'")
        max_merges = settings.get("max-merges", str(DEFAULT_MAX_MERGES))
        if not max_merges.isdigit() or int(max_merges) < 1:
            raise UsageError(f"--option max-merges: expected a whole number of at least 1, got '{max_merges}'")
        changes: dict[tuple[str, str], int] = defaultdict(int)
        changes_at: dict[tuple[str, str], tuple[str, str]] = {}
        reviewed: dict[tuple[str, str], int] = defaultdict(int)
        reviewed_at: dict[tuple[str, str], tuple[str, str]] = {}
        notes: list[str] = []
        for repo in inputs:
            _read_repo(
                repo, int(raw), single == "teams", options, (changes, changes_at), (reviewed, reviewed_at), notes
            )
            if merges == "yes":
                _read_merges(repo, int(max_merges), options, (reviewed, reviewed_at), notes)
        reviews = tuple(
            Review(
                author=author,
                team=team,
                changes=n,
                provenance=Provenance(
                    system="git-review", location=changes_at[(author, team)][0], record=changes_at[(author, team)][1]
                ),
            )
            for (author, team), n in sorted(changes.items())
        )
        ties = tuple(
            Tie(
                a=a,
                b=b,
                weight=float(n),
                channel="review",
                provenance=Provenance(
                    system="git-review", location=reviewed_at[(a, b)][0], record=reviewed_at[(a, b)][1]
                ),
            )
            for (a, b), n in sorted(reviewed.items())
        )
        return Fragment(system="git-review", ties=ties, reviews=reviews, notes=tuple(notes))


Tally = tuple[dict[tuple[str, str], int], dict[tuple[str, str], tuple[str, str]]]


def _read_repo(
    repo: str,
    max_commits: int,
    single_is_team: bool,
    options: ImportOptions,
    changes: Tally,
    reviewed: Tally,
    notes: list[str],
) -> None:
    settings = options.settings
    rev = settings.get("rev", "HEAD")
    label, text = codeowners.codeowners_text(repo, rev, settings.get("file"))
    rules = codeowners.parse(text, label)

    owners: dict[str, tuple[tuple[str, int], ...]] = {}  # path -> (team id, CODEOWNERS line) of its owning teams

    def owning(path: str) -> tuple[tuple[str, int], ...]:
        found = owners.get(path)
        if found is None:
            if (len(owners) + 1) * max(len(rules), 1) > MAX_PATTERN_CHECKS:
                raise SpecError.single(
                    label,
                    f"{len(rules):,} rules over more than {len(owners):,} changed paths is over the "
                    f"{MAX_PATTERN_CHECKS:,} pattern checks mlorg makes; read fewer commits with --option since=DATE",
                )
            teams: dict[str, int] = {}
            for rule in codeowners.deciding(rules, path):
                for owner in rule.owners:
                    if codeowners.owner_is_team(owner, single_is_team):
                        teams.setdefault(codeowners.team_id(owner), rule.line)
            found = owners[path] = tuple(teams.items())
        return found

    people: dict[str, str | None] = {}
    commits = skipped = 0
    for commit in gitlog.iter_commits(
        repo, max_commits=max_commits, since=settings.get("since"), rev=rev, trailers=True
    ):
        ident = commit.identity
        if any(marker in ident for marker in BOT_MARKERS) or "[bot]" in commit.name:
            skipped += 1
            continue
        if ident not in people:
            people[ident] = options.people.person(commit.email or None, f"git:{commit.name}")
        author = people[ident]
        if author is None:
            continue
        commits += 1
        teams: dict[str, tuple[str, int]] = {}
        for path in commit.paths:
            for team, line in owning(path):
                teams.setdefault(team, (path, line))
        for team, (path, line) in teams.items():
            key = (author, team)
            changes[0][key] += 1
            changes[1].setdefault(key, (repo, f"{path} (CODEOWNERS line {line})"))
        for value in commit.reviewers:
            name, email = parseaddr(value)
            reviewer = options.people.person(email or None, f"git:{name or value}")
            if reviewer is None or reviewer == author:
                continue
            _tie(reviewed, author, reviewer, repo, commit.sha)
    if skipped:
        notes.append(f"{repo}: commits by bots add no reviews ({count(skipped, 'commit')})")
    if commits and not any(owners.values()):
        notes.append(f"{label}: no team owns any path changed in the {count(commits, 'commit')} read")


def _tie(reviewed: Tally, x: str, y: str, repo: str, sha: str) -> None:
    """One more review tie between two people, remembering the first commit that showed it."""
    pair = (min(x, y), max(x, y))
    reviewed[0][pair] += 1
    reviewed[1].setdefault(pair, (repo, sha[:12]))


def _bot(name: str, email: str) -> bool:
    ident = email.lower() if email else f"git:{name}"
    return any(marker in ident for marker in BOT_MARKERS) or "[bot]" in name


def _read_merges(repo: str, max_merges: int, options: ImportOptions, reviewed: Tally, notes: list[str]) -> None:
    """Whoever merged a pull or merge request, tied to each author of the commits it brought in."""
    settings = options.settings
    found = gitlog.request_merges(
        repo, rev=settings.get("rev", "HEAD"), since=settings.get("since"), max_merges=max_merges
    )
    for merge in found:
        if _bot(merge.name, merge.email):
            continue
        merger = options.people.person(merge.email or None, f"git:{merge.name}")
        if merger is None:
            continue
        for name, email in merge.authors:
            if _bot(name, email):
                continue
            author = options.people.person(email or None, f"git:{name}")
            if author is None or author == merger:
                continue
            _tie(reviewed, author, merger, repo, merge.sha)
    if found:
        notes.append(f"{repo}: {count(len(found), 'pull or merge request merge')} read")
