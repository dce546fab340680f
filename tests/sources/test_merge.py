"""``mlorg assess --with FRAGMENT`` and ``imports:``: the spec wins, conflicts are told, evidence names its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fragment_support import make_key

HR = (
    "Employee ID,Work Email,Job Title,Department,Division,Manager ID\n"
    "1,ada@example.com,CEO,Executive,,\n"
    "2,alan@example.com,Machine Learning Engineer,ML Platform,Engineering,1\n"
    "3,grace@example.com,Data Scientist,ML Platform,Engineering,2\n"
    "4,linus@example.com,Software Engineer,Checkout,Engineering,1\n"
)
CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: ml-platform}
spec: {type: team, parent: research, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: research}
spec: {type: department, children: [ml-platform]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: fraud-score}
spec: {type: ml-model, lifecycle: production, owner: ml-platform}
"""
SPEC = "version: 2\norganization: {name: Acme}\nstrategy: {ml_ambition: core, written: true}\n"


def _fragments(tmp_path: Path, run_cli) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    key = str(make_key(tmp_path))
    (tmp_path / "people.csv").write_text(HR, encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    hr, bs = tmp_path / "hr.yaml", tmp_path / "bs.yaml"
    assert run_cli("import", "hris", str(tmp_path / "people.csv"), "-o", str(hr), "--key-file", key).code == 0
    assert run_cli("import", "backstage", str(tmp_path / "catalog.yaml"), "-o", str(bs), "--key-file", key).code == 0
    return hr, bs


def _assess(run_cli, spec: Path, *args: str) -> tuple[dict, str]:  # type: ignore[no-untyped-def,type-arg]
    result = run_cli("assess", str(spec), "-f", "json", *args)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def _plan(out: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {h["role"]: h["status"] for h in out["hiring_plan"]}


def test_hr_import_proves_a_role_missing_where_a_hand_written_list_only_omits_it(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    hr, _ = _fragments(tmp_path, run_cli)
    spec = tmp_path / "org.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    imported, _ = _assess(run_cli, spec, "--with", str(hr))
    assert _plan(imported)["product_manager"] == "hire"
    # The same four people written by hand: a sample of the organization, so the missing PM is only asked about.
    by_hand = tmp_path / "by-hand.yaml"
    by_hand.write_text(
        SPEC + "teams:\n- {id: executive, kind: leadership}\n- {id: ml-platform, kind: ml}\n"
        "- {id: checkout, kind: product}\npeople:\n- {id: ada, team: executive, roles: [executive]}\n"
        "- {id: alan, team: ml-platform, roles: [ml_engineer]}\n"
        "- {id: grace, team: ml-platform, roles: [data_scientist]}\n"
        "- {id: linus, team: checkout, roles: [product_engineer]}\n",
        encoding="utf-8",
    )
    written, _ = _assess(run_cli, by_hand)
    assert _plan(written)["product_manager"] == "confirm"
    # An export of four people from a company of 220 covers its teams, not the company: the PM may sit
    # in a team it did not export. ML roles are still read against the ML staff it names.
    company = tmp_path / "company.yaml"
    company.write_text(SPEC.replace("{name: Acme}", "{name: Acme, headcount: 220}"), encoding="utf-8")
    partial, _ = _assess(run_cli, company, "--with", str(hr))
    assert _plan(partial)["product_manager"] == "confirm"
    assert _plan(partial).get("data_scientist") == _plan(imported).get("data_scientist")


def test_a_value_inside_a_mapping_a_fragment_gave_whole_names_that_fragment(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The HR fragment gives `organization` as a whole; the spec's own headcount note names the fragment."""
    hr, _ = _fragments(tmp_path, run_cli)
    spec = tmp_path / "org.yaml"
    spec.write_text(SPEC.replace("{name: Acme}", "{name: Acme, headcount: 220}") + "imports: [hr.yaml]\n")
    out, _ = _assess(run_cli, spec)
    assert out["organization"]["import_notes"] == [f"the spec's organization.headcount 220 is kept over 4 from {hr}"]


def test_spec_wins_conflicts_are_told_and_evidence_names_its_source(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    hr, bs = _fragments(tmp_path, run_cli)
    spec = tmp_path / "org.yaml"
    spec.write_text(
        SPEC + "imports: [hr.yaml]\nteams:\n- {id: checkout, kind: product, name: Checkout squad}\n"
        "models:\n- {id: fraud-score, purpose: classification}\n"
        "rewards: {recognizes: [delivery]}\n",  # rewards-ignore-reliability cites the imported model's status
        encoding="utf-8",
    )
    out, stderr = _assess(run_cli, spec, "--with", str(bs))
    org = out["organization"]
    assert org["imports"] == [str(hr), str(bs)]
    assert org["import_notes"] == [
        f"conflict: teams[ml-platform].parent: {hr} says 'engineering', {bs} says 'research'; "
        f"{hr} (given first) is kept",
        f"the spec's teams[checkout].name 'Checkout squad' is kept over 'Checkout' from {hr}",
    ]
    assert [line for line in stderr.splitlines() if "note:" in line] == [
        f"mlorg: note: {note}" for note in org["import_notes"]
    ]
    assert org["headcount"] == 4
    evidence = [e for f in out["findings"] for e in f["evidence"] if e["path"] == "models[0].status"]
    assert evidence and {e["provenance"] for e in evidence} == {
        f"backstage: {tmp_path / 'catalog.yaml'} (component:default/fraud-score)"
    }
    hand = [e for f in out["findings"] for e in f["evidence"] if e["path"].startswith("strategy.")]
    assert all(e["provenance"] is None for e in hand)
    md = run_cli("assess", str(spec), "--with", str(bs), "-f", "markdown").stdout
    # Markdown escapes the folder's underscores; the system and the record read as they are.
    assert "`models[].status` = production (from backstage: " in md
    assert "catalog.yaml (component:default/fraud-score))" in md


def test_aliases_match_a_hand_written_person(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from mlorg.sources.people import PersonIds

    hr, _ = _fragments(tmp_path, run_cli)
    ada = PersonIds(b"test-key-0123456789abcdef").person("ada@example.com")
    spec = tmp_path / "org.yaml"
    spec.write_text(SPEC + "people:\n- {id: ada, team: executive, leads_ml: false}\n", encoding="utf-8")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(f"ada: [{ada}]\n", encoding="utf-8")
    result = run_cli("assess", str(spec), "--with", str(hr), "--aliases", str(aliases), "-f", "json")
    assert result.code == 0, result.stderr
    from mlorg.sources.people import load_aliases
    from mlorg.spec.loader import load_spec

    merged = load_spec(spec, fragments=[hr], aliases=load_aliases(aliases))
    people = {p.id: p for p in merged.people}
    assert len(people) == 4 and ada not in people  # ada is one person, not two
    assert people["ada"].roles == ("executive",) and people["ada"].leads_ml is False
    assert sum(p.reports_to == "ada" for p in merged.people) == 2  # her reports follow her to the spec's id
    assert len(load_spec(spec, fragments=[hr]).people) == 5


def test_an_empty_aliases_file_means_no_aliases_and_a_second_document_is_named(tmp_path: Path) -> None:
    from mlorg.errors import SpecError
    from mlorg.sources.people import load_aliases

    empty = tmp_path / "aliases.yaml"
    empty.write_text("\n", encoding="utf-8")
    assert load_aliases(empty) == {}
    two = tmp_path / "two.yaml"
    two.write_text("ada: [a]\n---\nbo: [b]\n", encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_aliases(two, "two.yaml")
    assert str(exc.value) == "two.yaml:2: an aliases file is one YAML document; remove the second `---`"


def test_bad_imports_are_located(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "org.yaml"
    spec.write_text(SPEC + "imports:\n- nope.yaml\n", encoding="utf-8")
    result = run_cli("assess", str(spec))
    assert result.code == 2
    assert (
        result.stderr.splitlines()[0]
        == f"{spec}:5: imports[0]: no fragment file 'nope.yaml' (read relative to the spec's folder)"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\norganization: {name: X}\nteams:\n- {id: a, kind: squad}\n", encoding="utf-8")
    spec.write_text(SPEC, encoding="utf-8")
    result = run_cli("assess", str(spec), "--with", str(bad))
    assert result.code == 2
    assert result.stderr.splitlines()[0].startswith(f"{bad}:4: teams[0].kind: ")


def test_organization_from_systems_only(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """HR, Backstage, CODEOWNERS with git history and lineage: every team, person and model came from them."""
    from git_support import Repo

    from mlorg.spec.loader import load_spec

    hr, bs = _fragments(tmp_path, run_cli)
    key = str(make_key(tmp_path))
    shop = Repo(tmp_path / "shop")
    shop.commit(
        "Alan",
        "alan@example.com",
        {"CODEOWNERS": "* @acme/ml-platform\n", "models/fraud-score/train.py": "x\n"},
    )
    code = tmp_path / "code.yaml"
    assert run_cli("import", "codeowners", str(shop.path), "-o", str(code), "--key-file", key).code == 0
    spec = tmp_path / "org.yaml"
    spec.write_text(
        "version: 2\norganization: {name: Acme}\nimports: [hr.yaml, bs.yaml, code.yaml]\n"
        "rewards: {recognizes: [delivery]}\n",  # a finding that cites the imported model
        encoding="utf-8",
    )
    merged = load_spec(spec)
    assert all(item.provenance is not None for item in (*merged.teams, *merged.people, *merged.models))
    assert {t.id for t in merged.teams} == {"executive", "engineering", "ml-platform", "checkout", "research"}
    assert {m.id: m.built_by for m in merged.models} == {"fraud-score": "ml-platform"}
    assert {m.id: m.status for m in merged.models} == {"fraud-score": "production"}
    out, _ = _assess(run_cli, spec)
    assert out["organization"]["imports"] == [str(hr), str(bs), str(code)]
    assert out["organization"]["headcount"] == 4
    evidence = [e for f in out["findings"] for e in f["evidence"] if e["path"].startswith(("models[", "teams["))]
    assert evidence and all(e["provenance"] for e in evidence)


def _analysis_evidence(out: dict) -> dict[str, set[str | None]]:  # type: ignore[type-arg]
    """Every evidence outside the findings, by path: the provenance each names."""
    found: dict[str, set[str | None]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "path" in node and "provenance" in node:
                found.setdefault(node["path"], set()).add(node["provenance"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in out.items() if k not in ("findings", "exempted")})
    return found


def test_analysis_evidence_names_where_imported_facts_came_from(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from mlorg.engine import assess
    from mlorg.provenance import Origins
    from mlorg.spec.loader import load_spec, load_spec_text

    _fragments(tmp_path, run_cli)
    spec = tmp_path / "org.yaml"
    spec.write_text(SPEC + "imports: [hr.yaml, bs.yaml]\n", encoding="utf-8")
    out, _ = _assess(run_cli, spec)
    merged = load_spec(spec)
    ml_platform = [t.id for t in merged.teams].index("ml-platform")
    fraud = [m.id for m in merged.models].index("fraud-score")
    csv, catalog = tmp_path / "people.csv", tmp_path / "catalog.yaml"
    found = _analysis_evidence(out)
    # An item's field: the item's system, file and record (maturity, archetype, structure read the team's kind).
    assert found[f"teams[{ml_platform}].kind"] == {f"hris: {csv} (ML Platform)"}
    assert found[f"models[{fraud}].built_by"] == {f"backstage: {catalog} (component:default/fraud-score)"}
    assert any(p.startswith("people[") and v == {f"hris: {csv} (line 3)"} for p, v in found.items())
    # A whole section: every system its items came from; a key the spec lacked: the fragment's source.
    assert found["teams"] == {f"backstage: {catalog}; hris: {csv}"}
    assert found["organization.headcount"] == {f"hris: {csv}"}
    # What the spec wrote itself names nothing.
    assert found["strategy.written"] == {None}
    for section in ("maturity", "archetype", "structure", "model_ops"):
        assert _analysis_evidence({section: out[section]}), section
        assert all(
            v != {None}
            for p, v in _analysis_evidence({section: out[section]}).items()
            if not p.startswith(("strategy.", "organization.ml_focus", "practices."))
        ), section
    md = run_cli("assess", str(spec), "-f", "markdown").stdout
    assert "`organization.headcount` = 4 (from hris: " in md
    # A spec with nothing imported: no provenance is looked for at all, and none is named.
    plain = load_spec_text(SPEC + "teams:\n- {id: ml, kind: ml}\npeople:\n- {id: a, team: ml, roles: [ml_engineer]}\n")
    assert Origins.of(plain) is None
    assert set().union(*_analysis_evidence(assess(plain).model_dump(mode="json")).values()) == {None}
    assert Origins.of(merged) is not None


def test_spec_text_merges_imports_only_from_the_folder_it_is_given(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`load_spec_text` behaves like `mlorg assess` when given a folder, and refuses `imports:` without one."""
    import pytest

    from mlorg.errors import SpecError
    from mlorg.spec.loader import load_spec, load_spec_text

    _fragments(tmp_path, run_cli)
    text = SPEC + "imports: [hr.yaml, bs.yaml]\n"
    (tmp_path / "org.yaml").write_text(text, encoding="utf-8")
    from_file = load_spec(tmp_path / "org.yaml", "org.yaml")
    from_text = load_spec_text(text, "org.yaml", tmp_path)
    assert from_text.model_dump() == from_file.model_dump()
    assert from_text._imports.notes == from_file._imports.notes
    assert {t.id for t in from_text.teams} == {"executive", "engineering", "ml-platform", "checkout", "research"}
    with pytest.raises(SpecError) as refused:
        load_spec_text(text, "pasted")
    assert [str(p) for p in refused.value.problems] == [
        "pasted:4: imports: this spec was given as text, with no folder to read fragment files from; merge them "
        "where the spec is a file (`mlorg assess SPEC --with FRAGMENT`), or give a fragment itself (each is a "
        "spec on its own)"
    ]
    # With a folder, the fragments stay confined to it, as a spec file's do.
    (tmp_path / "inner").mkdir()
    with pytest.raises(SpecError) as outside:
        load_spec_text(SPEC + "imports: [../hr.yaml]\n", "org.yaml", tmp_path / "inner")
    assert str(outside.value.problems[0]).startswith("org.yaml:4: imports[0]: ")
    assert "outside" in str(outside.value.problems[0])
    assert load_spec_text(SPEC + "imports: []\n", "pasted").teams == ()
