"""``mlorg import git-collab | pairs | slack``: collaboration ties with provenance and pseudonyms, then assessed.

The git repository is real (several authors, fixed clocks), the Slack export is a folder in the
export's own shape, and the pairs CSV uses Viva Insights' person-to-person column names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from fragment_support import load_fragment, make_key
from git_support import Repo

from mlorg.sources.people import PersonIds

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KEY = b"test-key-0123456789abcdef"


def pid(identity: str) -> str:
    found = PersonIds(KEY).person(identity)
    assert found is not None
    return found


def ties_of(frag: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Ties by pair; a weight of 1 is the spec's default and is left out of the fragment."""
    return {(t["a"], t["b"]): {"weight": 1, **t} for t in frag["collaboration"]["ties"]}


def pair(x: str, y: str) -> tuple[str, str]:
    a, b = pid(x), pid(y)
    return (min(a, b), max(a, b))


def build_repo(path: Path) -> Repo:
    repo = Repo(path)
    # ada and bo work on the model together; cy changes the shop page with ada a week later;
    # di touches the model file long after everyone else (outside the 14-day window)
    repo.commit("Ada", "ada@example.com", {"model/train.py": "1", "README.md": "a"})
    repo.commit("Bo", "bo@example.com", {"model/train.py": "2"})
    repo.commit("Ada", "ada@example.com", {"model/train.py": "3", "shop/page.py": "1"})
    for _ in range(5):
        repo.commit("Ada", "ada@example.com", {"notes.md": f"{_}"})
    repo.commit("Cy", "cy@example.com", {"shop/page.py": "2"})
    for _ in range(30):
        repo.commit("Bo", "bo@example.com", {"bo.md": f"{_}"})
    repo.commit("Di", "DI@example.com", {"model/train.py": "4"})
    repo.commit("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", {"model/train.py": "5"})
    return repo


def test_git_collab_ties_people_who_change_the_same_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = build_repo(tmp_path / "repo")
    out = tmp_path / "git.yaml"
    result = run_cli("import", "git-collab", str(repo.path), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 0, result.stderr
    ties = ties_of(load_fragment(out))
    # ada-bo: bo's change pairs with ada's first and ada's second (both within 14 days) -> 2 shared changes
    assert ties[pair("ada@example.com", "bo@example.com")]["weight"] == 2
    assert ties[pair("ada@example.com", "cy@example.com")]["weight"] == 1
    assert set(ties) == {pair("ada@example.com", "bo@example.com"), pair("ada@example.com", "cy@example.com")}
    tie = ties[pair("ada@example.com", "bo@example.com")]
    assert tie["channel"] == "code"
    assert tie["provenance"] == {"system": "git-collab", "location": str(repo.path), "record": "model/train.py"}
    text = out.read_text(encoding="utf-8")
    assert "ada" not in text.split("version:", 1)[1], "pseudonymous by default"


def test_git_collab_window_is_an_option(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = build_repo(tmp_path / "repo")
    out = tmp_path / "git.yaml"
    key = str(make_key(tmp_path))
    result = run_cli(
        "import", "git-collab", str(repo.path), "-o", str(out), "--key-file", key, "--option", "window_days=60"
    )
    assert result.code == 0, result.stderr
    ties = ties_of(load_fragment(out))
    assert pair("bo@example.com", "di@example.com") in ties  # di's late change is inside a 60-day window
    bad = run_cli("import", "git-collab", str(repo.path), "--key-file", key, "--option", "window_days=soon")
    assert bad.code == 2 and "--option window_days=soon: expected a whole number" in bad.stderr


def test_slack_export_gives_reply_and_shared_channel_ties(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "slack.yaml"
    key = str(make_key(tmp_path))
    result = run_cli(
        "import",
        "slack",
        str(FIXTURES / "slack"),
        "-o",
        str(out),
        "--key-file",
        key,
        "--option",
        "max_channel_people=3",
    )
    assert result.code == 0, result.stderr
    ties = ties_of(load_fragment(out))
    ada, bo, cy, di = "ada@example.com", "bo@example.com", "cy@example.com", "slack:U04"
    # ml-guild: one reply (bo -> ada) and both posted; shop-launch: ada replied to cy's thread (parent found
    # by thread_ts), cy replied to di, and the three posted; general has four posters (over 3): no ties
    assert ties[pair(ada, bo)]["weight"] == 2
    assert ties[pair(ada, cy)]["weight"] == 2
    assert ties[pair(cy, di)]["weight"] == 2
    assert ties[pair(ada, di)]["weight"] == 1
    assert pair(bo, cy) not in ties
    assert "channels with more than 3 posters add no shared-channel ties (1 channel: general)" in result.stderr
    assert all(t["channel"] == "chat" and t["provenance"]["system"] == "slack" for t in ties.values())
    assert "gone" not in out.read_text(encoding="utf-8")


def test_slack_export_with_a_broken_day_file_names_it(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "export"
    export.mkdir()
    for name in ("users.json", "channels.json"):
        (export / name).write_text((FIXTURES / "slack" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (export / "general").mkdir()
    (export / "general" / "2026-03-02.json").write_text('[{"user": "U01",', encoding="utf-8")
    out = tmp_path / "slack.yaml"
    result = run_cli("import", "slack", str(export), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 2
    assert result.stderr.splitlines()[0] == (
        f"{export}/general/2026-03-02.json:1: not valid JSON: expected a key in double quotes (column 17)"
    )
    assert not out.exists()


def test_slack_export_nesting_past_the_limit_is_refused_in_our_words(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "export"
    export.mkdir()
    (export / "users.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (export / "channels.json").write_text((FIXTURES / "slack" / "channels.json").read_text(encoding="utf-8"))
    out = tmp_path / "slack.yaml"
    result = run_cli("import", "slack", str(export), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == (
        f"{export}/users.json: nests deeper than 64 levels, deeper than any export mlorg reads"
    )


def test_slack_export_reads_no_file_linked_from_outside_it(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A link inside the export to another of its files is read; a link out of it is refused, by name."""
    export, outside = tmp_path / "export", tmp_path / "private"
    export.mkdir()
    outside.mkdir()
    for name in ("users.json", "channels.json"):
        (export / name).write_text((FIXTURES / "slack" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (export / "general").mkdir()
    (export / "general" / "2026-03-02.json").write_text('[{"user": "U01", "ts": "1.0"}]', encoding="utf-8")
    (export / "general" / "2026-03-03.json").symlink_to(export / "general" / "2026-03-02.json")
    key = str(make_key(tmp_path))
    assert run_cli("import", "slack", str(export), "-o", str(tmp_path / "ok.yaml"), "--key-file", key).code == 0
    (outside / "secret.json").write_text('[{"user": "U02", "ts": "2.0"}]', encoding="utf-8")
    (export / "general" / "2026-03-04.json").symlink_to(outside / "secret.json")
    out = tmp_path / "slack.yaml"
    result = run_cli("import", "slack", str(export), "-o", str(out), "--key-file", key)
    assert result.code == 2 and not out.exists()
    assert result.stderr.splitlines()[0] == (
        f"{export}/general/2026-03-04.json: links to a file outside the export; copy the file into it"
    )


VIVA = (
    "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Meeting_hours,Email_count,"
    "PrimaryCollaborator_Organization\n"
    "ada@example.com,bo@example.com,2026-03-02,1.5,4,ML\n"
    "bo@example.com,ada@example.com,2026-03-09,0.5,0,ML\n"
    "ada@example.com,cy@example.com,2026-03-02,,2,ML\n"
    "cy@example.com,cy@example.com,2026-03-02,3,3,Shop\n"
)


def test_pairs_export_in_viva_insights_shape(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "p2p.csv"
    src.write_text(VIVA, encoding="utf-8")
    out = tmp_path / "pairs.yaml"
    result = run_cli("import", "pairs", str(src), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 0, result.stderr
    ties = [(t["a"], t["b"], t["channel"], t.get("weight", 1)) for t in load_fragment(out)["collaboration"]["ties"]]
    ab, ac = pair("ada@example.com", "bo@example.com"), pair("ada@example.com", "cy@example.com")
    assert sorted(ties) == sorted([(*ab, "email", 4), (*ab, "meeting", 2), (*ac, "email", 2)])
    assert "1 row named the same person twice or nobody; skipped" in result.stderr


def test_pairs_map_names_other_columns_and_bad_cells_are_located(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "p2p.csv"
    src.write_text("who,whom,minutes together\nada@example.com,bo@example.com,lots\n", encoding="utf-8")
    key = str(make_key(tmp_path))
    missing = run_cli("import", "pairs", str(src), "--key-file", key)
    assert missing.code == 2 and "no column for person a" in missing.stderr
    bad = run_cli(
        "import",
        "pairs",
        str(src),
        "--key-file",
        key,
        "--map",
        "who=a",
        "--map",
        "whom=b",
        "--map",
        "minutes together=meeting",
    )
    assert bad.code == 2
    assert f"{src}:2: minutes together: expected a number, got 'lots'" in bad.stderr


def test_imported_ties_are_assessed_with_the_teams(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """git history and a Slack export, imported, joined to a spec that places the same (pseudonymous) people."""
    repo = build_repo(tmp_path / "repo")
    key = str(make_key(tmp_path))
    git_out, slack_out = tmp_path / "git.yaml", tmp_path / "slack.yaml"
    assert run_cli("import", "git-collab", str(repo.path), "-o", str(git_out), "--key-file", key).code == 0
    assert run_cli("import", "slack", str(FIXTURES / "slack"), "-o", str(slack_out), "--key-file", key).code == 0
    ties = load_fragment(git_out)["collaboration"]["ties"] + load_fragment(slack_out)["collaboration"]["ties"]
    spec = {
        "version": 2,
        "organization": {"name": "Imported Co", "headcount": 4},
        "teams": [{"id": "ml", "kind": "ml"}, {"id": "shop", "kind": "product"}],
        "people": [
            {"id": pid("ada@example.com"), "team": "ml", "roles": ["ml_engineer"]},
            {"id": pid("bo@example.com"), "team": "ml", "roles": ["data_scientist"]},
            {"id": pid("cy@example.com"), "team": "shop", "roles": ["product_engineer"]},
            {"id": pid("slack:U04"), "team": "shop", "roles": ["product_manager"]},
        ],
        "collaboration": {"ties": ties},
        "settings": {"thresholds": {"privacy_floor": 2}},
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = run_cli("assess", str(path), "--format", "json")
    assert result.code in (0, 1), result.stderr
    collab = json.loads(result.stdout)["collaboration"]
    assert collab["people"] == 4 and collab["unplaced_ties"] == 0
    teams = {t["team"]: t for t in collab["teams"]}
    # ada-bo inside; everyone shares #general (4 posters, under the default 50), so both ML people are
    # tied to both shop people
    assert (teams["ml"]["ties_inside"], teams["ml"]["ties_outside"]) == (1, 4)
    assert teams["ml"]["ml_business_ties"] == 4
    assert collab["links"] == [{"a": "ml", "b": "shop", "ties": 4}]


def test_assess_with_merges_the_ties_of_every_fragment(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`mlorg assess SPEC --with git.yaml --with slack.yaml`: both fragments' ties add up with the spec's own."""
    repo = build_repo(tmp_path / "repo")
    key = str(make_key(tmp_path))
    git_out, slack_out = tmp_path / "git.yaml", tmp_path / "slack.yaml"
    assert run_cli("import", "git-collab", str(repo.path), "-o", str(git_out), "--key-file", key).code == 0
    assert run_cli("import", "slack", str(FIXTURES / "slack"), "-o", str(slack_out), "--key-file", key).code == 0
    ada, bo, cy, di = (pid(i) for i in ("ada@example.com", "bo@example.com", "cy@example.com", "slack:U04"))
    spec = {
        "version": 2,
        "organization": {"name": "Imported Co", "headcount": 5},
        "teams": [{"id": "ml", "kind": "ml"}, {"id": "shop", "kind": "product"}],
        "people": [
            {"id": ada, "team": "ml", "roles": ["ml_engineer"]},
            {"id": bo, "team": "ml", "roles": ["data_scientist"]},
            {"id": cy, "team": "shop", "roles": ["product_engineer"]},
            {"id": di, "team": "shop", "roles": ["product_manager"]},
            {"id": "eve", "team": "shop", "roles": ["product_manager"]},
        ],
        "collaboration": {"ties": [{"a": "eve", "b": ada, "channel": "meeting"}]},
        "settings": {"thresholds": {"privacy_floor": 2}},
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = run_cli("assess", str(path), "--with", str(git_out), "--with", str(slack_out), "--format", "json")
    assert result.code in (0, 1), result.stderr
    collab = json.loads(result.stdout)["collaboration"]
    # ada-bo, ada-cy (git and slack), ada-di, bo-cy, bo-di, cy-di (slack) and eve-ada (the spec's own)
    assert (collab["people"], collab["ties"]) == (5, 7)
    teams = {t["team"]: t for t in collab["teams"]}
    assert (teams["ml"]["ties_inside"], teams["ml"]["ties_outside"]) == (1, 5)


def test_merge_adds_up_ties_and_renames_their_people_by_alias() -> None:
    from mlorg.spec.merge import merge_into

    spec: dict[str, Any] = {"collaboration": {"ties": [{"a": "ada", "b": "bo"}]}}
    git = {"collaboration": {"ties": [{"a": "p-1", "b": "p-2", "channel": "code"}]}}
    chat = {"collaboration": {"ties": [{"a": "p-1", "b": "p-3", "channel": "chat"}]}}
    merged = merge_into(spec, [("git.yaml", git), ("chat.yaml", chat)], {"p-1": "ada"})
    assert spec["collaboration"]["ties"] == [
        {"a": "ada", "b": "bo"},
        {"a": "ada", "b": "p-2", "channel": "code"},
        {"a": "ada", "b": "p-3", "channel": "chat"},
    ]
    assert merged.notes == [], "ties add up; they never conflict"
