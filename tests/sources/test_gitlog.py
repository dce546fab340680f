"""``mlorg.sources.gitlog``: commits, authors after .mailmap and changed paths from a real repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from git_support import EPOCH, Repo, git, git_env

from mlorg.errors import SpecError, UsageError
from mlorg.sources import gitlog
from mlorg.sources.gitlog import Commit, read_commits

MAILMAP = "Alice Adams <alice@corp.example> <alice@old.example>\n<bob@corp.example> <Bob.Builder@Laptop.local>\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Four authors (two of them under an old identity that .mailmap joins), paths with awkward characters."""
    r = Repo(tmp_path / "shop")
    r.commit("Alice A.", "alice@old.example", {"models/fraud/train.py": "1", ".mailmap": MAILMAP})
    r.commit("Bob", "Bob.Builder@Laptop.local", {"models/fraud/train.py": "2", "README.md": "x"})
    r.commit("Carol Chen", "carol@corp.example", {"pipelines/etl job.py": "1", "docs/notes\nwith newline.md": "n"})
    r.commit("Alice Adams", "alice@corp.example", {"models/recs/ranker.py": "1", "données/café.csv": "c"})
    r.commit("Dan", "", {"pipelines/etl job.py": "2"})
    return r


def test_commits_newest_first_with_mailmap_identities_and_paths(repo: Repo) -> None:
    commits = read_commits(repo.path)
    assert [(c.name, c.email, c.timestamp) for c in commits] == [
        ("Dan", "", EPOCH + 4 * 86_400),
        ("Alice Adams", "alice@corp.example", EPOCH + 3 * 86_400),
        ("Carol Chen", "carol@corp.example", EPOCH + 2 * 86_400),
        ("Bob", "bob@corp.example", EPOCH + 86_400),
        ("Alice Adams", "alice@corp.example", EPOCH),
    ]
    assert [c.paths for c in commits] == [
        ("pipelines/etl job.py",),
        ("données/café.csv", "models/recs/ranker.py"),
        ("docs/notes\nwith newline.md", "pipelines/etl job.py"),
        ("README.md", "models/fraud/train.py"),
        (".mailmap", "models/fraud/train.py"),
    ]
    assert commits[0].identity == "git:Dan"
    assert {c.identity for c in commits[1:]} == {"alice@corp.example", "bob@corp.example", "carol@corp.example"}
    assert all(len(c.sha) == 40 for c in commits)


def test_max_commits_and_since_bound_the_read(repo: Repo) -> None:
    assert [c.name for c in read_commits(repo.path, max_commits=2)] == ["Dan", "Alice Adams"]
    since = f"@{EPOCH + 2 * 86_400}"
    assert [c.name for c in read_commits(repo.path, since=since)] == ["Dan", "Alice Adams", "Carol Chen"]
    assert [c.name for c in read_commits(repo.path, paths=["models"])] == ["Alice Adams", "Bob", "Alice Adams"]


def test_merges_are_left_out_unless_asked(repo: Repo) -> None:
    env = git_env(repo.path.parent)
    env.update(GIT_AUTHOR_NAME="Erin", GIT_AUTHOR_EMAIL="erin@corp.example")
    env.update(GIT_COMMITTER_NAME="Erin", GIT_COMMITTER_EMAIL="erin@corp.example")
    git(repo.path, "checkout", "-q", "-b", "side", "HEAD~1")
    repo.commit("Erin", "erin@corp.example", {"side.txt": "s"})
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--no-ff", "-m", "merge side", "side", env=env)
    plain = read_commits(repo.path)
    assert len(plain) == 6 and "Erin" in {c.name for c in plain}
    with_merges = read_commits(repo.path, merges=True)
    assert len(with_merges) == 7
    assert with_merges[0] == Commit(with_merges[0].sha, "Erin", "erin@corp.example", with_merges[0].timestamp, ())


def test_bare_clone_reads_mailmap_from_head(repo: Repo, tmp_path: Path) -> None:
    bare = tmp_path / "shop.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True, env=git_env(tmp_path))
    assert [c.email for c in read_commits(bare)] == [c.email for c in read_commits(repo.path)]


def test_empty_repository_has_no_commits(tmp_path: Path) -> None:
    assert read_commits(Repo(tmp_path / "empty").path) == []


def _message(exc: pytest.ExceptionInfo[SpecError]) -> str:
    return str(exc.value)


def test_located_errors(tmp_path: Path, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    cases = {
        str(tmp_path / "nowhere"): "no such folder; expected a git repository",
        str(tmp_path / "file.txt"): "not a folder; expected a git repository",
        str(plain): "not a git repository",
    }
    for target, message in cases.items():
        with pytest.raises(SpecError) as exc:
            read_commits(target)
        assert _message(exc) == f"{target}: {message}"
    with pytest.raises(SpecError) as exc:
        read_commits(repo.path, rev="no-such-branch")
    assert _message(exc) == f"{repo.path}: no revision 'no-such-branch' in the repository"
    with pytest.raises(UsageError, match="not a revision: '--output=x'"):
        read_commits(repo.path, rev="--output=x")
    with pytest.raises(UsageError, match="max commits must be at least 1, got 0"):
        read_commits(repo.path, max_commits=0)
    monkeypatch.setattr(gitlog, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(SpecError) as exc:
        read_commits(repo.path)
    assert _message(exc) == f"{repo.path}: the history is over the 100-byte limit; read fewer commits"


def test_missing_git_is_one_message(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(SpecError) as exc:
        read_commits(repo.path)
    assert _message(exc) == f"{repo.path}: cannot read the history: git is not installed (or not on PATH)"
