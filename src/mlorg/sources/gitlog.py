"""A repository's history read by running ``git log``: who changed which paths, and when.

Shared by the ``codeowners`` importer (who really changes the code a team owns) and the
collaboration network (people who change the same files). It runs the real ``git`` so that
``.mailmap``, packed history and every object format work as git defines them, and parses the
NUL-separated output (``-z``), so paths with spaces, quotes or newlines arrive intact.

The read is bounded: at most ``max_commits`` commits (newest first) and at most
:data:`~mlorg.sources.support.MAX_IMPORT_BYTES` of output. Every failure (no git, not a
repository, an unknown revision) is one :class:`~mlorg.errors.SpecError` naming the folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mlorg.errors import SpecError, UsageError
from mlorg.sources.support import MAX_IMPORT_BYTES

#: Commits read when the caller sets no bound (newest first).
DEFAULT_MAX_COMMITS = 200_000
#: Longest author name or email kept; a longer one is cut (a hostile history cannot bloat the output).
MAX_IDENTITY = 200

_HEADER = re.compile(r"\x1e([0-9a-f]{40,64})\x1f(.*)\x1f(.*)\x1f(-?[0-9]+)\Z", re.DOTALL)
_FORMAT = "--format=%x1e%H%x1f%aN%x1f%aE%x1f%at"
#: With review trailers: one more field, the values of ``Reviewed-by:``/``Approved-by:`` as written
#: (``Name <email>``; read by git's own trailer parser), separated by a byte no name holds.
_HEADER_TRAILERS = re.compile(
    r"\x1e([0-9a-f]{40,64})\x1f([^\x1f]*)\x1f([^\x1f]*)\x1f(-?[0-9]+)\x1f([^\x1f]*)\Z", re.DOTALL
)
REVIEW_TRAILERS = ("Reviewed-by", "Approved-by")
_FORMAT_TRAILERS = (
    _FORMAT + "%x1f%(trailers:" + ",".join(f"key={k}" for k in REVIEW_TRAILERS) + ",valueonly,unfold,separator=%x1d)"
)
_CHUNK = 1 << 20
#: A parsed header: sha, author name, author email, author time, review trailer values.
_Head = tuple[str, str, str, int, tuple[str, ...]]
#: Variables that would point git at another repository than the one named.
_GIT_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)


@dataclass(frozen=True)
class Commit:
    """One commit as ``git log`` reports it, after ``.mailmap``.

    ``name`` and ``email`` are the author's (``%aN``/``%aE``, so mailmap applies); ``timestamp``
    is the author date in Unix seconds; ``paths`` are the files the commit changed, relative to
    the repository's root, in git's order (a merge lists none).
    """

    sha: str
    name: str
    email: str
    timestamp: int
    paths: tuple[str, ...]
    reviewers: tuple[str, ...] = ()  # ``Reviewed-by:``/``Approved-by:`` values, when asked for

    @property
    def identity(self) -> str:
        """How to tell authors apart: the email without case, else ``git:NAME`` for a commit with no email."""
        return self.email.lower() if self.email else f"git:{self.name}"


def read_commits(
    repo: str | Path,
    *,
    max_commits: int = DEFAULT_MAX_COMMITS,
    since: str | None = None,
    rev: str = "HEAD",
    paths: Sequence[str] = (),
    merges: bool = False,
    trailers: bool = False,
) -> list[Commit]:
    """Every commit :func:`iter_commits` yields, as a list."""
    return list(
        iter_commits(repo, max_commits=max_commits, since=since, rev=rev, paths=paths, merges=merges, trailers=trailers)
    )


def iter_commits(
    repo: str | Path,
    *,
    max_commits: int = DEFAULT_MAX_COMMITS,
    since: str | None = None,
    rev: str = "HEAD",
    paths: Sequence[str] = (),
    merges: bool = False,
    trailers: bool = False,
) -> Iterator[Commit]:
    """Commits reachable from ``rev``, newest first, as they stream out of ``git log``.

    ``since`` is anything ``git log --since`` takes (``2024-01-01``, ``6 months ago``); ``paths``
    limits the history to commits touching them; merges are left out unless ``merges``; with
    ``trailers`` each commit carries the people its review trailers name. A repository with no
    commits yet yields nothing.
    """
    label = str(repo)
    if max_commits < 1:
        raise UsageError(f"max commits must be at least 1, got {max_commits}")
    if rev.startswith("-") or not rev.strip():
        raise UsageError(f"not a revision: '{rev}'")
    folder = Path(repo)
    if not folder.exists():
        raise SpecError.single(label, "no such folder; expected a git repository")
    if not folder.is_dir():
        raise SpecError.single(label, "not a folder; expected a git repository")
    git = shutil.which("git")
    if git is None:
        raise SpecError.single(label, "cannot read the history: git is not installed (or not on PATH)")
    args = [git, "--no-pager", "-C", str(folder), "log", "--use-mailmap", "-z", "--name-only", "--no-renames"]
    args += ["--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-color"]
    args.append(_FORMAT_TRAILERS if trailers else _FORMAT)
    args.append(f"--max-count={max_commits}")
    if since:
        args.append(f"--since={since}")
    if not merges:
        args.append("--no-merges")
    args += ["--end-of-options", rev, "--", *paths]
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, env=env)
        except OSError as exc:
            raise SpecError.single(label, f"cannot run git: {exc.strerror or exc}") from None
        try:
            assert proc.stdout is not None
            yield from _parse(proc.stdout, label, _HEADER_TRAILERS if trailers else _HEADER)
            code = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]
        if code != 0:
            errors.seek(0)
            _fail(label, rev, errors.read(4096).decode("utf-8", "replace"))


def _parse(stream: IO[bytes], label: str, pattern: re.Pattern[str] = _HEADER) -> Iterator[Commit]:
    """Commits from ``git log -z --name-only`` output: a header token, then one token per path.

    The first path of a commit follows the header's newline; later ones stand alone.
    """
    total = 0
    rest = b""
    current: _Head | None = None
    files: list[str] = []
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > MAX_IMPORT_BYTES:
            raise SpecError.single(
                label, f"the history is over the {MAX_IMPORT_BYTES:,}-byte limit; read fewer commits"
            )
        tokens = (rest + chunk).split(b"\0")
        rest = tokens.pop()
        for raw in tokens:
            header = _header(raw, pattern)
            if header is not None:
                if current is not None:
                    yield _commit(current, files)
                current, files = header, []
            elif raw and current is not None:
                files.append(_path(raw[1:] if not files and raw.startswith(b"\n") else raw))
    if rest:
        header = _header(rest, pattern)
        if header is not None:
            if current is not None:
                yield _commit(current, files)
            current, files = header, []
        elif current is not None:
            files.append(_path(rest[1:] if not files and rest.startswith(b"\n") else rest))
    if current is not None:
        yield _commit(current, files)


#: Most review trailers kept per commit (a hostile message cannot bloat the read).
MAX_REVIEWERS = 20


def _header(raw: bytes, pattern: re.Pattern[str] = _HEADER) -> _Head | None:
    if not raw.startswith(b"\x1e"):
        return None
    match = pattern.match(raw.decode("utf-8", "replace"))
    if match is None:
        return None
    sha, name, email, when = match.groups()[:4]
    reviewers: tuple[str, ...] = ()
    if pattern.groups > 4:
        values = (v.strip()[:MAX_IDENTITY] for v in match.group(5).split("\x1d"))
        reviewers = tuple(dict.fromkeys(v for v in values if v))[:MAX_REVIEWERS]
    return sha, name.strip()[:MAX_IDENTITY], email.strip()[:MAX_IDENTITY], int(when), reviewers


def _path(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _commit(header: _Head, files: list[str]) -> Commit:
    sha, name, email, when, reviewers = header
    return Commit(sha, name, email, when, tuple(f for f in files if f), reviewers)


def _fail(label: str, rev: str, stderr: str) -> None:
    said = " ".join(line.strip() for line in stderr.strip().splitlines()[:2]).removeprefix("fatal: ")
    unknown = ("unknown revision", "bad revision", "ambiguous argument", "Not a valid object name")
    if "does not have any commits yet" in stderr or (rev == "HEAD" and any(u in stderr for u in unknown)):
        return  # a repository with no commits yet
    if "not a git repository" in stderr:
        raise SpecError.single(label, "not a git repository")
    if any(u in stderr for u in unknown):
        raise SpecError.single(label, f"no revision '{rev}' in the repository")
    raise SpecError.single(label, f"git failed: {said or 'no reason given'}")


def _git_run(repo: str | Path, args: Sequence[str], label: str) -> subprocess.CompletedProcess[bytes]:
    """Run one short git command in ``repo`` (not a stream); the caller reads its exit code."""
    folder = Path(repo)
    if not folder.is_dir():
        raise SpecError.single(label, "no such folder; expected a git repository")
    git = shutil.which("git")
    if git is None:
        raise SpecError.single(label, "cannot read the history: git is not installed (or not on PATH)")
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        return subprocess.run(
            [git, "--no-pager", "-C", str(folder), *args], capture_output=True, stdin=subprocess.DEVNULL, env=env
        )
    except OSError as exc:
        raise SpecError.single(label, f"cannot run git: {exc.strerror or exc}") from None


def list_files(repo: str | Path, rev: str = "HEAD", max_files: int = 1_000_000) -> list[str]:
    """Paths of every file in the tree of ``rev`` (``git ls-tree``; bare repositories too), at most ``max_files``."""
    label = str(repo)
    if rev.startswith("-") or not rev.strip():
        raise UsageError(f"not a revision: '{rev}'")
    done = _git_run(repo, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", rev], label)
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        _fail(label, rev, stderr)
        return []
    names = [p.decode("utf-8", "replace") for p in done.stdout.split(b"\0") if p]
    if len(names) > max_files:
        raise SpecError.single(label, f"the tree has over {max_files:,} files; name fewer folders")
    return names


def read_blob(repo: str | Path, rev: str, path: str, max_bytes: int) -> str | None:
    """The text of ``path`` in the tree of ``rev``, or None when it is not there; over ``max_bytes`` is an error."""
    label = str(repo)
    done = _git_run(repo, ["cat-file", "-s", f"{rev}:{path}"], label)
    if done.returncode != 0:
        return None
    if int(done.stdout.strip() or 0) > max_bytes:
        raise SpecError.single(f"{label}/{path}", f"the file is over the {max_bytes:,}-byte limit")
    done = _git_run(repo, ["cat-file", "blob", f"{rev}:{path}"], label)
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").removeprefix("\ufeff")


@dataclass(frozen=True)
class RequestMerge:
    """A merge commit that records an accepted pull or merge request, and who wrote what it merged.

    ``name``/``email`` are the merger's (``.mailmap`` applied); ``authors`` the distinct (name, email)
    of the non-merge commits it brought in (``first-parent..second-parent``), at most ``max_each``.
    """

    sha: str
    name: str
    email: str
    authors: tuple[tuple[str, str], ...]


#: GitHub's merge commit subject, and GitLab's (whose body ends with "See merge request group/project!N").
_GITHUB_MERGE = re.compile(r"Merge pull request #[0-9]+ ")
_GITLAB_MERGE = re.compile(r"Merge branch '.*' into '.*'")


def request_merges(
    repo: str | Path,
    *,
    rev: str = "HEAD",
    since: str | None = None,
    max_merges: int = 2_000,
    max_each: int = 500,
) -> list[RequestMerge]:
    """The newest ``max_merges`` merges of pull or merge requests reachable from ``rev``, newest first.

    One ``git log`` lists the merges; one more per merge lists the authors it brought in, so the
    cost is bounded by ``max_merges`` runs of git. Other merges (a branch merged by hand) are skipped.
    """
    label = str(repo)
    if rev.startswith("-") or not rev.strip():
        raise UsageError(f"not a revision: '{rev}'")
    args = ["log", "--merges", "--use-mailmap", "-z", "--no-color", f"--max-count={max_merges}"]
    args.append("--format=%H%x1f%P%x1f%aN%x1f%aE%x1f%s%x1f%b")
    if since:
        args.append(f"--since={since}")
    done = _git_run(repo, [*args, "--end-of-options", rev], label)
    if done.returncode != 0:
        _fail(label, rev, done.stderr.decode("utf-8", "replace"))
        return []
    if len(done.stdout) > MAX_IMPORT_BYTES:
        raise SpecError.single(label, f"the merges' messages are over the {MAX_IMPORT_BYTES:,}-byte limit; use since")
    out: list[RequestMerge] = []
    for record in done.stdout.split(b"\0"):
        fields = record.decode("utf-8", "replace").split("\x1f")
        if len(fields) < 6:
            continue
        sha, parents, name, email, subject, body = fields[0].strip(), fields[1].split(), *fields[2:5], fields[5]
        github = _GITHUB_MERGE.match(subject) is not None
        gitlab = _GITLAB_MERGE.match(subject) is not None and "See merge request " in body
        if len(parents) != 2 or not (github or gitlab):
            continue
        merged = _git_run(
            repo,
            [
                "log",
                "--no-merges",
                "--use-mailmap",
                "-z",
                f"--max-count={max_each}",
                "--format=%aN%x1f%aE",
                "--end-of-options",
                f"{parents[0]}..{parents[1]}",
            ],
            label,
        )
        if merged.returncode != 0:
            _fail(label, sha, merged.stderr.decode("utf-8", "replace"))
            continue
        authors: dict[tuple[str, str], None] = {}
        for raw in merged.stdout.split(b"\0"):
            parts = raw.decode("utf-8", "replace").strip().split("\x1f")
            if len(parts) == 2:
                authors[(parts[0].strip()[:MAX_IDENTITY], parts[1].strip()[:MAX_IDENTITY])] = None
        out.append(RequestMerge(sha, name.strip()[:MAX_IDENTITY], email.strip()[:MAX_IDENTITY], tuple(authors)))
    return out
