"""Real git repositories for the importer tests: commits by several authors, at fixed times."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

#: A fixed clock: the first commit is at this Unix time, each later one a day after the last.
EPOCH = 1_700_000_000


def git_env(home: Path) -> dict[str, str]:
    """An environment where no user or system git configuration (signing, hooks, templates) applies."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    return env


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env=dict(env) if env is not None else git_env(repo.parent),
    )
    return done.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


class Repo:
    """A repository the test fills commit by commit; ``commit`` writes files and commits them as an author."""

    def __init__(self, path: Path) -> None:
        self.path = init_repo(path)
        self.count = 0

    def commit(self, author: str, email: str, files: Mapping[str, str], message: str = "change") -> str:
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        git(self.path, "add", "-A", "--", *files)
        when = f"@{EPOCH + 86_400 * self.count} +0000"
        self.count += 1
        env = git_env(self.path.parent)
        env.update(
            GIT_AUTHOR_NAME=author,
            GIT_AUTHOR_EMAIL=email,
            GIT_AUTHOR_DATE=when,
            GIT_COMMITTER_NAME=author,
            GIT_COMMITTER_EMAIL=email,
            GIT_COMMITTER_DATE=when,
        )
        git(self.path, "commit", "-q", "--no-verify", "-m", message, env=env)
        return git(self.path, "rev-parse", "HEAD").strip()
