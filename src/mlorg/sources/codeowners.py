"""``codeowners``: a repository's CODEOWNERS file and git history -> teams, and models with the team that owns them.

The file is read as GitHub and GitLab define it: the last matching pattern wins; GitLab
``[Section]`` / ``^[Optional section]`` / ``[Section][2]`` headings, each read on its own (a file
gets owners from every section), with the section's default owners for entries that name none,
and ``!pattern`` exclusions. Patterns are matched by the ``codeowners`` package (a port of the
matcher GitHub's and GitLab's rules are tested against); the file's structure (sections,
defaults, owners, line numbers for every problem) is read here, because no maintained parser
reads GitLab's section defaults or reports where a line is wrong.

Folders matching ``--option models=GLOB,...`` (default ``models/*,pipelines/*``) are models; a
model's ``built_by`` is the team that owns most of its files. ``git log`` (with ``.mailmap``)
tells who actually changes each model: that goes into the notes, with pseudonymous ids.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import ClassVar

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.sources import gitlog
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import slug, team_kind
from mlorg.spec.messages import shown
from mlorg.spec.models import Model, Provenance, Team

#: Where GitHub and GitLab look for the file, in the order they look.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
#: GitHub ignores a CODEOWNERS file over 3 MB; so does mlorg (it bounds a hostile file too).
MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024
DEFAULT_MODEL_FOLDERS = "models/*,pipelines/*"
DEFAULT_MAX_COMMITS = 100_000
#: Rules times files in model folders: the bound on matching work (a hostile file cannot stall the import).
MAX_PATTERN_CHECKS = 200_000_000

_SECTION = re.compile(r"^(\^)?\[([^\]]*)\](?:\[([^\]]*)\])?(.*)$")
_TEAM = re.compile(r"^@[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
_USER = re.compile(r"^@[A-Za-z0-9_.-]+$")
_ROLE = re.compile(r"^@@[A-Za-z_]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPLIT = re.compile(r"(?:\\.|\S)+")


@dataclass(frozen=True)
class Rule:
    """One entry: a pattern, its owners (the section's defaults when it names none), where it was written."""

    line: int
    section: str
    pattern: str
    regex: re.Pattern[str]
    owners: tuple[str, ...]
    exclude: bool = False


def _regex(pattern: str) -> re.Pattern[str]:
    from codeowners import path_to_regex

    return path_to_regex(pattern)


def parse(text: str, label: str) -> list[Rule]:
    """Every rule of a CODEOWNERS file, in file order; a malformed line is a located problem (all are reported)."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    section = ""  # entries before any heading form their own, unnamed section
    defaults: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("[", "^[")):
            heading = _SECTION.match(line)
            if heading is None or not heading.group(2).strip():
                problems.append(Problem(label, number, "section", f"not a section heading: {shown(line[:80])}"))
                continue
            count = heading.group(3)
            if count is not None and not (count.isdigit() and int(count) >= 1):
                problems.append(
                    Problem(label, number, "section", f"approvals must be a whole number, got {shown(count)}")
                )
                continue
            owners, bad = _owners(heading.group(4))
            if bad:
                problems.append(Problem(label, number, "owners", _not_owner(bad)))
                continue
            section, defaults = heading.group(2).strip().lower(), owners
            continue
        tokens = _SPLIT.findall(line)
        pattern = tokens[0]
        owners, bad = _owners(" ".join(tokens[1:]))
        if bad:
            problems.append(Problem(label, number, "owners", _not_owner(bad)))
            continue
        exclude = pattern.startswith("!")
        if exclude:
            pattern = pattern[1:]
        try:
            regex = _regex(pattern.replace("\\ ", " "))
        except (ValueError, re.error, IndexError) as exc:
            problems.append(Problem(label, number, "pattern", f"not a valid pattern {shown(pattern)}: {exc}"))
            continue
        rules.append(Rule(number, section, pattern, regex, owners or defaults, exclude))
        if len(problems) >= 50:
            break
    if problems:
        raise SpecError(problems)
    return rules


def _owners(text: str) -> tuple[tuple[str, ...], str]:
    """The owners written on a line (a ``#`` starts a comment), and the first token that is not an owner."""
    owners: list[str] = []
    for token in text.split():
        if token.startswith("#"):
            break
        if not (_TEAM.match(token) or _USER.match(token) or _ROLE.match(token) or _EMAIL.match(token)):
            return (), token
        owners.append(token)
    return tuple(owners), ""


def _not_owner(token: str) -> str:
    return f"{shown(token[:80])} is not an owner (@user, @org/team, @@role or an email)"


def owners_of(rules: Sequence[Rule], path: str) -> dict[str, tuple[str, ...]]:
    """Section -> owners of ``path``: the last matching rule of each section (an exclusion leaves it unowned)."""
    return {rule.section: rule.owners for rule in _deciding(rules, path)}


def _deciding(rules: Sequence[Rule], path: str) -> list[Rule]:
    """The rule that decides ``path`` in each section, when it gives owners (not an exclusion, not empty)."""
    found: list[Rule] = []
    decided: set[str] = set()
    for rule in reversed(rules):
        if rule.section in decided or rule.regex.search(path) is None:
            continue
        decided.add(rule.section)
        if not rule.exclude and rule.owners:
            found.append(rule)
    return found


class CodeownersSource(Source):
    kind = "codeowners"
    summary = "A repository's CODEOWNERS (GitHub or GitLab) and git history: teams, models and their owning team."
    options: ClassVar[Mapping[str, str]] = {
        "file": "CODEOWNERS path inside the repository (default: .github/, root, docs/, .gitlab/).",
        "models": f"Comma-separated globs of model folders (default: {DEFAULT_MODEL_FOLDERS}).",
        "rev": "Revision whose tree and history are read (default: HEAD).",
        "max-commits": f"Newest commits read (default: {DEFAULT_MAX_COMMITS:,}).",
        "since": "Read only commits after this date (anything git log --since takes).",
        "single-names": "What a @name without a slash is: people (GitHub users, the default) or teams (GitLab).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        settings = options.settings
        globs = [g.strip().strip("/") for g in settings.get("models", DEFAULT_MODEL_FOLDERS).split(",") if g.strip()]
        if not globs:
            raise UsageError("--option models: name at least one folder glob, e.g. models/*")
        max_commits = _whole(settings.get("max-commits"), DEFAULT_MAX_COMMITS)
        single = settings.get("single-names", "people")
        if single not in ("people", "teams"):
            raise UsageError(f"--option single-names: expected people or teams, got '{single}'")
        teams: dict[str, Team] = {}
        models: dict[str, Model] = {}
        notes: list[str] = []
        for repo in inputs:
            _read_repo(repo, globs, max_commits, single == "teams", options, teams, models, notes)
        return Fragment(
            system="codeowners", teams=tuple(teams.values()), models=tuple(models.values()), notes=tuple(notes)
        )


def _whole(value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"--option max-commits: expected a whole number of at least 1, got '{value}'")
    return int(value)


def _codeowners_text(repo: str, rev: str, named: str | None) -> tuple[str, str]:
    """The file's label (for messages) and text: from the working tree, else from the tree of ``rev``."""
    candidates = [named] if named else list(LOCATIONS)
    for rel in candidates:
        on_disk = Path(repo) / rel
        label = str(on_disk)
        if on_disk.is_file():
            if on_disk.stat().st_size > MAX_CODEOWNERS_BYTES:
                raise SpecError.single(label, f"the file is over GitHub's {MAX_CODEOWNERS_BYTES:,}-byte limit")
            from mlorg.spec.loader import read_text

            return label, read_text(on_disk, label, MAX_CODEOWNERS_BYTES)
        text = gitlog.read_blob(repo, rev, rel, MAX_CODEOWNERS_BYTES)
        if text is not None:
            return label, text
    where = named or ", ".join(LOCATIONS)
    raise SpecError.single(repo, f"no CODEOWNERS file ({where}); name it with --option file=PATH")


def _glob_index(path: str, globs: Sequence[list[str]]) -> int:
    """Which glob (by position) matches the folder at the start of ``path``; ``len(globs)`` for none."""
    parts = path.split("/")
    for at, segments in enumerate(globs):
        n = len(segments)
        if len(parts) >= n and all(fnmatchcase(parts[i], segments[i]) for i in range(n)):
            return at
    return len(globs)


def _model_folder(path: str, globs: Sequence[list[str]]) -> str | None:
    parts = path.split("/")
    for segments in globs:
        n = len(segments)
        if len(parts) > n and all(fnmatchcase(parts[i], segments[i]) for i in range(n)):
            return "/".join(parts[:n])
    return None


def _read_repo(
    repo: str,
    globs: Sequence[str],
    max_commits: int,
    single_is_team: bool,
    options: ImportOptions,
    teams: dict[str, Team],
    models: dict[str, Model],
    notes: list[str],
) -> None:
    settings = options.settings
    rev = settings.get("rev", "HEAD")
    files = gitlog.list_files(repo, rev)
    label, text = _codeowners_text(repo, rev, settings.get("file"))
    rules = parse(text, label)

    def is_team(owner: str) -> bool:
        return bool(_TEAM.match(owner)) or (single_is_team and bool(_USER.match(owner)))

    # Teams: every team the file names, wherever it names it.
    for rule in rules:
        for owner in rule.owners:
            if is_team(owner):
                tid = _team_id(owner)
                if tid not in teams:
                    name = owner.rsplit("/", 1)[-1].lstrip("@")
                    teams[tid] = Team(
                        id=tid,
                        name=name,
                        kind=team_kind(name.replace("-", " ").replace("_", " ")),
                        provenance=Provenance(
                            system="codeowners", location=label, record=f"{owner} (line {rule.line})"
                        ),
                    )
    people_owners = sorted({o for r in rules for o in r.owners if not is_team(o) and not o.startswith("@@")})
    if people_owners:
        shown_people = ", ".join(people_owners[:10]) + (" ..." if len(people_owners) > 10 else "")
        notes.append(
            f"{label}: owners that are people, not teams, are not copied (import an HR export to place them): "
            f"{shown_people}"
        )
    # Models: the folders the globs match, and who owns their files.
    split_globs = [g.split("/") for g in globs]
    folders: dict[str, list[str]] = defaultdict(list)
    model_files: dict[str, list[str]] = defaultdict(list)
    for path in files:
        folder = _model_folder(path, split_globs)
        if folder is None:
            continue
        mid = slug(folder.rsplit("/", 1)[-1])
        if not mid:
            continue
        if folder not in folders[mid]:
            folders[mid].append(folder)
        model_files[mid].append(path)
    checks = len(rules) * sum(len(f) for f in model_files.values())
    if checks > MAX_PATTERN_CHECKS:
        raise SpecError.single(
            label,
            f"{len(rules):,} rules over {checks // max(len(rules), 1):,} model files is over the "
            f"{MAX_PATTERN_CHECKS:,} pattern checks mlorg makes; name fewer folders with --option models=GLOB",
        )
    if not folders:
        notes.append(f"{repo}: no folder matches {', '.join(globs)}; name model folders with --option models=GLOB")
    changes = _changes(repo, rev, max_commits, settings.get("since"), folders, options)
    for mid in sorted(folders):
        owned: Counter[str] = Counter()
        primary: Counter[str] = Counter()  # files in a folder the first matching glob names (models/ over pipelines/)
        first_line: dict[str, int] = {}
        first_glob = min(_glob_index(f, split_globs) for f in folders[mid])
        for path in model_files[mid]:
            in_primary = _glob_index(path, split_globs) == first_glob
            for section_rule in _deciding(rules, path):
                for owner in section_rule.owners:
                    if is_team(owner):
                        tid = _team_id(owner)
                        owned[tid] += 1
                        primary[tid] += in_primary
                        first_line[tid] = min(first_line.get(tid, section_rule.line), section_rule.line)
        ranked = sorted(owned.items(), key=lambda kv: (-kv[1], -primary[kv[0]], kv[0]))
        built_by = ranked[0][0] if ranked else None
        where = ", ".join(folders[mid])
        record = where + (f" (line {first_line[built_by]})" if built_by else "")
        if mid in models:
            notes.append(f"{repo}: model {mid} is also in another repository; the first is kept")
            continue
        models[mid] = Model(
            id=mid,
            built_by=built_by,
            provenance=Provenance(system="codeowners", location=label, record=record),
        )
        total = len(model_files[mid])
        if not ranked:
            ownership = f"no team owns its {total} files in CODEOWNERS"
        else:
            ownership = "; ".join(f"{t} owns {n} of {total} files" for t, n in ranked[:3])
        notes.append(f"model {mid} ({where}): {ownership}; {_change_summary(changes.get(mid))}")


def _team_id(owner: str) -> str:
    return slug(owner.rsplit("/", 1)[-1].lstrip("@")) or "unnamed-team"


# Shared with ``git-review``, which reads the same file the same way.
codeowners_text = _codeowners_text
deciding = _deciding
team_id = _team_id


def owner_is_team(owner: str, single_is_team: bool) -> bool:
    """``@org/team`` is a team; a bare ``@name`` is one only when ``single-names=teams`` (GitLab groups)."""
    return bool(_TEAM.match(owner)) or (single_is_team and bool(_USER.match(owner)))


def _changes(
    repo: str,
    rev: str,
    max_commits: int,
    since: str | None,
    folders: Mapping[str, list[str]],
    options: ImportOptions,
) -> dict[str, Counter[str]]:
    """Model -> commits per author (pseudonymous id) among the commits read that touch its folders."""
    if not folders:
        return {}
    by_folder = {folder: mid for mid, fs in folders.items() for folder in fs}
    depth = {folder.count("/") + 1 for folder in by_folder}
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for commit in gitlog.iter_commits(repo, max_commits=max_commits, since=since, rev=rev):
        touched: set[str] = set()
        for path in commit.paths:
            parts = path.split("/")
            for n in depth:
                mid = by_folder.get("/".join(parts[:n])) if len(parts) > n else None
                if mid is not None:
                    touched.add(mid)
        if touched:
            author = options.people.person(commit.email or None, f"git:{commit.name}") or "unknown"
            for mid in touched:
                out[mid][author] += 1
    return out


def _change_summary(authors: Counter[str] | None) -> str:
    if not authors:
        return "no commits to it in the history read"
    commits = sum(authors.values())
    top = ", ".join(f"{a} ({n})" for a, n in sorted(authors.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    people = "1 person" if len(authors) == 1 else f"{len(authors)} people"
    return f"{commits} commit{'s' if commits != 1 else ''} by {people} in the history read, most by {top}"
