"""``mlorg import codeowners``: GitHub and GitLab CODEOWNERS on real repositories, with who changes each model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fragment_support import by_id, load_fragment, make_key
from git_support import Repo

from mlorg.errors import SpecError
from mlorg.sources.codeowners import owners_of, parse

GITHUB = """\
# Default owners
*       @acme/platform-infra
/models/        @acme/ml-platform
/models/fraud/  @acme/risk-ml alice@corp.example
/models/fraud/README.md @bob
pipelines/**/*.sql @acme/data-eng
"""

GITLAB = """\
* @acme/platform-infra

[Models][2] @acme/ml-platform
models/
models/fraud/ @acme/risk/risk-ml
!models/fraud/notebooks/

^[Data quality] @acme/data-eng
pipelines/
models/**/*.sql
"""


@pytest.fixture
def shop(tmp_path: Path) -> Repo:
    """A monorepo with two models and a pipeline, changed by four people (one under two emails, joined by .mailmap)."""
    r = Repo(tmp_path / "shop")
    r.commit("Alice", "alice@old.example", {".mailmap": "Alice <alice@corp.example> <alice@old.example>\n"})
    r.commit("Alice", "alice@old.example", {"models/fraud/train.py": "1", "models/fraud/README.md": "r"})
    r.commit("Bob", "bob@corp.example", {"models/fraud/train.py": "2", "models/fraud/notebooks/eda.ipynb": "{}"})
    r.commit("Alice", "alice@corp.example", {"models/recs/ranker.py": "1", "models/recs/features.sql": "s"})
    r.commit("Carol", "carol@corp.example", {"pipelines/recs/load.sql": "1", "pipelines/recs/dag.py": "d"})
    r.commit("Dan", "dan@corp.example", {"app/main.py": "1"})
    return r


def _import(run_cli, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "code.yaml"
    result = run_cli("import", "codeowners", *args, "-o", str(out), "--key-file", str(make_key(tmp_path)))
    return result, out


def test_github_codeowners_and_history(shop: Repo, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (shop.path / ".github").mkdir()
    (shop.path / ".github" / "CODEOWNERS").write_text(GITHUB, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    teams = by_id(frag["teams"])
    assert set(teams) == {"platform-infra", "ml-platform", "risk-ml", "data-eng"}
    assert teams["ml-platform"]["kind"] == "ml" and teams["data-eng"]["kind"] == "data"
    assert teams["risk-ml"]["provenance"] == {
        "system": "codeowners",
        "location": str(shop.path / ".github" / "CODEOWNERS"),
        "record": "@acme/risk-ml (line 4)",
    }
    models = by_id(frag["models"])
    assert set(models) == {"fraud", "recs"}
    # fraud: train.py and the notebook are risk-ml's; README.md is @bob's alone (a person, not a team).
    assert models["fraud"]["built_by"] == "risk-ml"
    # recs: models/recs/* is ml-platform's; pipelines/recs/load.sql is data-eng's, dag.py falls back to the default.
    assert models["recs"]["built_by"] == "ml-platform"
    assert models["recs"]["provenance"]["record"] == "models/recs, pipelines/recs (line 3)"
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert any(
        "owners that are people, not teams, are not copied" in n and "@bob, alice@corp.example" in n for n in notes
    )
    fraud = next(n for n in notes if "model fraud " in n)
    assert "risk-ml owns 2 of 3 files" in fraud
    assert "2 commits by 2 people in the history read" in fraud  # Alice's old email is joined by .mailmap
    recs = next(n for n in notes if "model recs " in n)
    assert "ml-platform owns 2 of 4 files; data-eng owns 1 of 4 files; platform-infra owns 1 of 4 files" in recs


def test_gitlab_sections_defaults_optional_and_exclusions(shop: Repo, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (shop.path / ".gitlab").mkdir()
    (shop.path / ".gitlab" / "CODEOWNERS").write_text(GITLAB, encoding="utf-8")
    rules = parse(GITLAB, "CODEOWNERS")
    assert owners_of(rules, "models/fraud/train.py") == {
        "": ("@acme/platform-infra",),
        "models": ("@acme/risk/risk-ml",),
    }
    assert owners_of(rules, "models/fraud/notebooks/eda.ipynb") == {"": ("@acme/platform-infra",)}
    assert owners_of(rules, "models/recs/features.sql") == {
        "": ("@acme/platform-infra",),
        "models": ("@acme/ml-platform",),
        "data quality": ("@acme/data-eng",),
    }
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    assert set(by_id(frag["teams"])) == {"platform-infra", "ml-platform", "risk-ml", "data-eng"}
    models = by_id(frag["models"])
    assert models["fraud"]["built_by"] == "platform-infra"  # owns all 3 files; risk-ml 2 (the notebook is excluded)
    assert models["recs"]["built_by"] == "platform-infra"


def test_single_names_as_gitlab_groups_and_bare_repository(shop: Repo, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from git_support import git, git_env

    (shop.path / "CODEOWNERS").write_text("[Models] @ml-team\nmodels/\n", encoding="utf-8")
    git(shop.path, "add", "CODEOWNERS")
    shop.commit("Dan", "dan@corp.example", {"CODEOWNERS": "[Models] @ml-team\nmodels/\n"})
    bare = tmp_path / "shop.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(shop.path), str(bare)], check=True, env=git_env(tmp_path))
    result, out = _import(run_cli, tmp_path, str(bare), "--option", "single-names=teams", "--option", "models=models/*")
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    assert by_id(frag["models"])["recs"]["built_by"] == "ml-team"
    assert by_id(frag["teams"])["ml-team"]["provenance"]["location"] == f"{bare}/CODEOWNERS"


def test_bad_codeowners_lines_are_located(shop: Repo, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    bad = "models/ @acme/ml\n[Broken\n[Models][two] @x\nmodels/fraud/ bob\n/pipelines/[a-z @acme/data\n"
    (shop.path / "CODEOWNERS").write_text(bad, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 2
    where = shop.path / "CODEOWNERS"
    assert result.stderr.splitlines()[:4] == [
        f"{where}:2: section: not a section heading: '[Broken'",
        f"{where}:3: section: approvals must be a whole number, got 'two'",
        f"{where}:4: owners: 'bob' is not an owner (@user, @org/team, @@role or an email)",
        f"{where}:5: pattern: not a valid pattern '/pipelines/[a-z': unterminated character class in pattern "
        "/pipelines/[a-z",
    ]
    assert not out.exists()


def test_missing_file_repository_and_huge_file(shop: Repo, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines() == [
        f"{shop.path}: no CODEOWNERS file (.github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS, "
        ".gitlab/CODEOWNERS); name it with --option file=PATH",
        "mlorg: 1 problem found; nothing was written",
    ]
    plain = tmp_path / "plain"
    plain.mkdir()
    result, out = _import(run_cli, tmp_path, str(plain))
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == f"{plain}: not a git repository"
    (shop.path / "CODEOWNERS").write_text("* @acme/x\n" * 400_000, encoding="utf-8")
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 2 and not out.exists()
    assert (
        result.stderr.splitlines()[0] == f"{shop.path / 'CODEOWNERS'}: the file is over GitHub's 3,145,728-byte limit"
    )
    result, out = _import(run_cli, tmp_path, str(shop.path), "--option", "max-commits=0")
    assert result.code == 2
    assert "--option max-commits: expected a whole number of at least 1, got '0'" in result.stderr


def test_parse_collects_problems_not_tracebacks() -> None:
    with pytest.raises(SpecError) as exc:
        parse("^[] @x\n", "C")
    assert str(exc.value) == "C:1: section: not a section heading: '^[] @x'"


def test_matching_work_is_bounded(shop: Repo, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from mlorg.sources import codeowners

    (shop.path / "CODEOWNERS").write_text(GITHUB, encoding="utf-8")
    monkeypatch.setattr(codeowners, "MAX_PATTERN_CHECKS", 20)
    result, out = _import(run_cli, tmp_path, str(shop.path))
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == (
        f"{shop.path / 'CODEOWNERS'}: 5 rules over 7 model files is over the 20 pattern checks mlorg makes; "
        "name fewer folders with --option models=GLOB"
    )
