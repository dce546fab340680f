"""``mlorg import git-review``: CODEOWNERS teams that review each other's code, from a real git repository.

The repository is built with real ``git`` commands: a CODEOWNERS file giving ``models/`` to the ML team
and ``shop/`` to the shop team, commits by people of both teams (some with ``Reviewed-by:`` and
``Approved-by:`` trailers) and a bot. The fragment is then assessed with a spec placing the people.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from fragment_support import load_fragment, make_key
from git_support import EPOCH, Repo, git, git_env

from mlorg.sources.people import PersonIds

KEY = b"test-key-0123456789abcdef"
CODEOWNERS = """\
# owners
/models/ @acme/ml-team
/shop/   @acme/shop
/docs/   @somebody
"""


def pid(identity: str) -> str:
    found = PersonIds(KEY).person(identity)
    assert found is not None
    return found


def build_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Ada", "ada@example.com", {".github/CODEOWNERS": CODEOWNERS, "models/train.py": "1"})
    repo.commit(
        "Bo", "bo@example.com", {"models/train.py": "2"}, "Tune the model\n\nReviewed-by: Ada <ada@example.com>\n"
    )
    repo.commit("Ada", "ada@example.com", {"shop/cart.py": "1", "models/train.py": "3"})
    repo.commit(
        "Cy",
        "cy@example.com",
        {"shop/cart.py": "2", "models/score.py": "1"},
        "Cart scoring\n\nApproved-by: Ada <ADA@example.com>\nReviewed-by: Bo <bo@example.com>\n",
    )
    repo.commit("Cy", "cy@example.com", {"shop/cart.py": "3"}, "Own code\n\nReviewed-by: Cy <cy@example.com>\n")
    repo.commit("Bo", "bo@example.com", {"docs/readme.md": "x"})
    repo.commit("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", {"models/train.py": "4"})
    return repo


def test_changes_to_another_teams_code_and_review_trailers(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = build_repo(tmp_path / "repo")
    out = tmp_path / "review.yaml"
    result = run_cli("import", "git-review", str(repo.path), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 0, result.stderr
    assert "commits by bots add no reviews (1 commit)" in result.stderr
    frag = load_fragment(out)
    reviews = {(r["author"], r["team"]): r for r in frag["collaboration"]["reviews"]}
    ada, bo, cy = pid("ada@example.com"), pid("bo@example.com"), pid("cy@example.com")
    # a commit counts once per owning team, however many of its files that team owns
    assert {k: r.get("changes", 1) for k, r in reviews.items()} == {
        (ada, "ml-team"): 2,
        (ada, "shop"): 1,
        (bo, "ml-team"): 1,
        (cy, "ml-team"): 1,
        (cy, "shop"): 2,
    }
    assert reviews[(cy, "ml-team")]["provenance"] == {
        "system": "git-review",
        "location": str(repo.path),
        "record": "models/score.py (CODEOWNERS line 2)",
    }
    ties = {(t["a"], t["b"]): t for t in frag["collaboration"]["ties"]}
    # trailers name reviewers: Ada reviewed Bo and Cy, Bo reviewed Cy; Cy's own name on Cy's commit is no tie
    assert set(ties) == {tuple(sorted(p)) for p in ((ada, bo), (ada, cy), (bo, cy))}
    assert all(t["channel"] == "review" and t["provenance"]["system"] == "git-review" for t in ties.values())
    text = out.read_text(encoding="utf-8")
    assert "ada@example.com" not in text and "Ada" not in text, "pseudonymous by default"


def test_review_ties_join_teams_when_assessed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = build_repo(tmp_path / "repo")
    key = str(make_key(tmp_path))
    frag = tmp_path / "review.yaml"
    assert run_cli("import", "git-review", str(repo.path), "-o", str(frag), "--key-file", key).code == 0
    spec = {
        "version": 2,
        "organization": {"name": "Reviewed Co", "headcount": 3},
        "teams": [{"id": "ml-team", "kind": "ml"}, {"id": "shop", "kind": "product"}],
        "people": [
            {"id": pid("ada@example.com"), "team": "ml-team", "roles": ["ml_engineer"]},
            {"id": pid("bo@example.com"), "team": "ml-team", "roles": ["data_scientist"]},
            {"id": pid("cy@example.com"), "team": "shop", "roles": ["product_engineer"]},
        ],
        "forums": [],
        "settings": {"thresholds": {"privacy_floor": 1}},
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = run_cli("assess", str(path), "--with", str(frag), "--format", "json")
    assert result.code in (0, 1), result.stderr
    out = json.loads(result.stdout)
    collab = out["collaboration"]
    # across teams: Ada changed shop's code once, Cy changed the ML team's once; own-team changes are no ties
    assert collab["review_changes"] == 2 and collab["unplaced_reviews"] == 0
    assert collab["review_links"] == [{"a": "ml-team", "b": "shop", "ties": 2}]
    # with the trailer ties (Ada-Cy and Bo-Cy cross teams), ML and shop are seen working together: 2 + 2 ties
    integration = next(m for m in out["structure"]["mitigations"] if m["id"] == "integration_point")
    assert integration["in_place"] is True
    assert integration["evidence"][0]["path"] == "collaboration.ties" and integration["evidence"][0]["value"] == 4
    assert not [f for f in out["findings"] if f["rule"] in ("no-integration-point", "siloed-ml-team")]

    markdown = run_cli("assess", str(path), "--with", str(frag), "--format", "markdown")
    assert "Teams that review each other's code (CODEOWNERS)" in markdown.stdout
    assert "| ml-team | shop | 2 |" in markdown.stdout


def test_reviews_alone_make_the_link(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Without trailers and without any other tie, CODEOWNERS reviews still join the two teams."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Ada", "ada@example.com", {"CODEOWNERS": CODEOWNERS})
    for i in range(3):
        repo.commit("Ada", "ada@example.com", {"shop/cart.py": str(i)})
    repo.commit("Cy", "cy@example.com", {"shop/cart.py": "x"})
    key = str(make_key(tmp_path))
    frag = tmp_path / "review.yaml"
    assert run_cli("import", "git-review", str(repo.path), "-o", str(frag), "--key-file", key).code == 0
    assert "ties" not in load_fragment(frag)["collaboration"]
    spec = {
        "version": 2,
        "organization": {"name": "Reviewed Co"},
        "teams": [{"id": "ml-team", "kind": "ml"}, {"id": "shop", "kind": "product"}],
        "people": [
            {"id": pid("ada@example.com"), "team": "ml-team", "roles": ["ml_engineer"]},
            {"id": pid("cy@example.com"), "team": "shop", "roles": ["product_engineer"]},
        ],
        "forums": [],
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    out = json.loads(run_cli("assess", str(path), "--with", str(frag), "--format", "json").stdout)
    assert out["collaboration"]["review_changes"] == 3
    assert out["collaboration"]["review_links"] == [], "two one-person teams are under the privacy floor"
    assert not [f for f in out["findings"] if f["rule"] == "siloed-ml-team"], "3 reviews reach network_min_link_ties"


def test_no_codeowners_file_is_a_located_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = Repo(tmp_path / "repo")
    repo.commit("Ada", "ada@example.com", {"a.py": "1"})
    out = tmp_path / "review.yaml"
    result = run_cli("import", "git-review", str(repo.path), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 2
    assert f"{repo.path}: no CODEOWNERS file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists(), "nothing half-written"


def _merge(repo: Repo, who: str, email: str, branch: str, message: str) -> None:
    env = git_env(repo.path.parent)
    when = f"@{EPOCH + 86_400 * repo.count} +0000"
    repo.count += 1
    env.update(
        GIT_AUTHOR_NAME=who,
        GIT_AUTHOR_EMAIL=email,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_NAME=who,
        GIT_COMMITTER_EMAIL=email,
        GIT_COMMITTER_DATE=when,
    )
    git(repo.path, "merge", "-q", "--no-ff", "-m", message, branch, env=env)


def test_pull_request_merges_tie_the_merger_to_the_authors(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = Repo(tmp_path / "repo")
    repo.commit("Ada", "ada@example.com", {"CODEOWNERS": CODEOWNERS, "models/train.py": "1"})
    git(repo.path, "checkout", "-q", "-b", "feature")
    repo.commit("Bo", "bo@example.com", {"shop/cart.py": "1"})
    repo.commit("Cy", "cy@example.com", {"shop/cart.py": "2"})
    git(repo.path, "checkout", "-q", "main")
    _merge(repo, "Ada", "ada@example.com", "feature", "Merge pull request #7 from acme/feature\n\nCart")
    git(repo.path, "checkout", "-q", "-b", "local")
    repo.commit("Di", "di@example.com", {"shop/cart.py": "3"})
    git(repo.path, "checkout", "-q", "main")
    _merge(repo, "Ada", "ada@example.com", "local", "Merge branch 'local'")  # not a request: no tie
    key = str(make_key(tmp_path))
    out = tmp_path / "review.yaml"
    result = run_cli("import", "git-review", str(repo.path), "-o", str(out), "--key-file", key)
    assert result.code == 0, result.stderr
    assert "1 pull or merge request merge read" in result.stderr
    ties = {(t["a"], t["b"]): t for t in load_fragment(out)["collaboration"]["ties"]}
    ada, bo, cy = pid("ada@example.com"), pid("bo@example.com"), pid("cy@example.com")
    assert set(ties) == {tuple(sorted((ada, bo))), tuple(sorted((ada, cy)))}
    assert all(t["channel"] == "review" and len(t["provenance"]["record"]) == 12 for t in ties.values())

    off = tmp_path / "off.yaml"
    assert (
        run_cli("import", "git-review", str(repo.path), "-o", str(off), "--key-file", key, "--option", "merges=no").code
        == 0
    )
    assert "ties" not in load_fragment(off)["collaboration"]
    bad = run_cli("import", "git-review", str(repo.path), "--key-file", key, "--option", "merges=maybe")
    assert bad.code == 2 and "--option merges: expected yes or no, got 'maybe'" in bad.stderr
