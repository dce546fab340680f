"""``mlorg import hris``: the four systems' column names, roles from titles, complete teams, privacy, bad input."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fragment_support import assert_refused, by_id, load_fragment, make_key

BAMBOO = (
    "\ufeffEmployee #,First Name,Last Name,Work Email,Job Title,Department,Division,Location,Supervisor EID\n"
    "1,Ada,Lovelace,ada@example.com,CEO,Executive,,London,\n"
    "2,Alan,Turing,alan@example.com,Senior Machine Learning Engineer,ML Platform,Engineering,London,1\n"
    "3,Grace,Hopper,Grace@Example.com,Data Scientist,ML Platform,Engineering,NYC,2\n"
    "4,Bob,Byte,bob@example.com,Recruiter,People,,NYC,1\n"
    "5,Cy,Cloud,cy@example.com,Vibe Curator,People,,NYC,99\n"
    '6,Dee,"Quote, Jr",dee@example.com,Frontend Developer,Checkout,Engineering,Remote,1\n'
)

# The same three people as each other system's export names the columns.
HEADERS = {
    "workday": "Employee_ID,Worker,Business Title,Supervisory Organization,Manager ID,Primary Work Email,Location",
    "bamboohr": "EEID,Display Name,Job Title,Department,Supervisor EID,Work Email,Location",
    "hibob": "Employee ID,Display name,Job title,Department,Reports to,Email,Site",
    "personio": "ID,Name,Position,Team,Supervisor ID,Email,Office",
}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bamboohr_export_with_bom(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _write(tmp_path, "bamboo.csv", BAMBOO)
    out = tmp_path / "hr.yaml"
    result = run_cli("import", "hris", str(src), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert result.code == 0, result.stderr
    frag = load_fragment(out)
    teams = by_id(frag["teams"])
    assert set(teams) == {"executive", "ml-platform", "engineering", "people", "checkout"}
    assert all(t["people_list"] == "complete" for t in teams.values())
    assert teams["ml-platform"]["parent"] == "engineering"
    assert teams["ml-platform"]["kind"] == "ml"
    assert teams["engineering"]["kind"] == "department"
    assert teams["ml-platform"]["provenance"] == {"system": "hris", "location": str(src), "record": "ML Platform"}
    people = frag["people"]
    assert len(people) == 6 and frag["organization"]["headcount"] == 6
    assert all(p["id"].startswith("p-") and "name" not in p for p in people)
    roles = sorted(r for p in people for r in p.get("roles", []))
    assert roles == ["data_scientist", "executive", "ml_engineer", "product_engineer"]
    ceo = next(p for p in people if p.get("roles") == ["executive"])
    alan = next(p for p in people if p.get("roles") == ["ml_engineer"])
    grace = next(p for p in people if p.get("roles") == ["data_scientist"])
    assert alan["reports_to"] == ceo["id"] and grace["reports_to"] == alan["id"]
    assert grace["provenance"] == {"system": "hris", "location": str(src), "record": "line 4"}
    text = out.read_text(encoding="utf-8")
    for private in ("Ada", "Lovelace", "ada@example.com", "London", "Turing"):
        assert private not in text
    # the unmapped title is listed (in the fragment and on stderr), the recruiter is known to hold no role
    assert "Vibe Curator (1)" in text and "Vibe Curator" in result.stderr
    assert "Recruiter" not in text
    assert "1 person reports to a manager missing from the export (lines 6)" in text
    assert frag["lists"] == {"people": "complete"}


def test_pseudonyms_are_stable_and_keyed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _write(tmp_path, "bamboo.csv", BAMBOO)
    key = make_key(tmp_path)
    other = tmp_path / "other.key"
    other.write_text("another-key-fedcba9876543210\n", encoding="utf-8")
    outs = [tmp_path / f"{n}.yaml" for n in ("a", "b", "c")]
    for out, k in zip(outs, (key, key, other), strict=True):
        assert run_cli("import", "hris", str(src), "-o", str(out), "--key-file", str(k)).code == 0
    a, b, _ = (o.read_bytes() for o in outs)
    assert a == b
    ids_a = {p["id"] for p in load_fragment(outs[0])["people"]}
    ids_c = {p["id"] for p in load_fragment(outs[2])["people"]}
    assert not ids_a & ids_c


def test_default_key_lives_in_the_user_config_folder(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    src = _write(tmp_path, "bamboo.csv", BAMBOO)
    assert run_cli("import", "hris", str(src), "-o", str(tmp_path / "f.yaml")).code == 0
    key = tmp_path / "config" / "mlorg" / "import.key"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().strip() not in (tmp_path / "f.yaml").read_text()


def test_keep_names(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _write(tmp_path, "bamboo.csv", BAMBOO)
    out = tmp_path / "hr.yaml"
    args = ("import", "hris", str(src), "-o", str(out), "--keep-names", "--key-file", str(make_key(tmp_path)))
    assert run_cli(*args).code == 0
    people = by_id(load_fragment(out)["people"])
    assert people["grace-example.com"]["name"] == "Grace Hopper"
    assert people["grace-example.com"]["reports_to"] == "alan-example.com"
    assert people["dee-example.com"]["name"] == "Dee Quote, Jr"
    assert people["ada-example.com"]["provenance"]["record"] == "1"


@pytest.mark.parametrize("system", sorted(HEADERS))
def test_each_systems_column_names(system: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    header = HEADERS[system]
    manager_by_name = system == "hibob"  # HiBob's "Reports to" holds the manager's name
    rows = [
        ("E1", "Ada Lovelace", "VP Engineering", "Leadership", "", "ada@example.com", "London"),
        ("E2", "Alan Turing", "ML Engineer", "Recommendations", "Ada Lovelace" if manager_by_name else "E1",
         "alan@example.com", "London"),
        ("E3", "Grace Hopper", "Data Engineer", "Data Platform", "Alan Turing" if manager_by_name else "E2",
         "grace@example.com", "NYC"),
    ]  # fmt: skip
    text = header + "\n" + "".join(",".join(r) + "\n" for r in rows)
    src = _write(tmp_path, f"{system}.csv", text)
    out = tmp_path / "f.yaml"
    args = ("import", "hris", str(src), "-o", str(out), "--keep-names", "--key-file", str(make_key(tmp_path)))
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    people = by_id(load_fragment(out)["people"])
    assert people["alan-example.com"] == {
        "id": "alan-example.com",
        "name": "Alan Turing",
        "team": "recommendations",
        "roles": ["ml_engineer"],
        "reports_to": "ada-example.com",
        "provenance": {"system": "hris", "location": str(src), "record": "E2"},
    }
    assert people["grace-example.com"]["roles"] == ["data_engineer"]
    assert people["ada-example.com"]["roles"] == ["executive"]
    assert by_id(load_fragment(out)["teams"])["recommendations"]["kind"] == "ml"


def test_map_and_titles_override(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _write(
        tmp_path,
        "custom.csv",
        "Staff No,Mail,Org,Role Name,Boss\n10,a@example.com,Quant Lab,Quant,\n11,b@example.com,Quant Lab,Quant,10\n",
    )
    titles = _write(tmp_path, "titles.yaml", "'^quant$': data_scientist\n")
    out = tmp_path / "f.yaml"
    args = ["import", "hris", str(src), "-o", str(out), "--key-file", str(make_key(tmp_path)), "--keep-names"]
    args += ["--map", "Staff No=id", "--map", "Org=team", "--map", "Boss=manager", "--map", "Role Name=title"]
    args += ["--map", "Mail=email", "--option", f"titles={titles}"]
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    people = by_id(load_fragment(out)["people"])
    assert people["b-example.com"]["roles"] == ["data_scientist"]
    assert people["b-example.com"]["reports_to"] == "a-example.com"


BAD = [
    ("empty.csv", "", "empty.csv:1: the file is empty"),
    ("noid.csv", "Name,Department\nAda,Eng\n", "noid.csv:1: no employee id column (found 'Name', 'Department')"),
    ("noteam.csv", "Employee ID,Name\n1,Ada\n", "noteam.csv:1: no department or team column"),
    (
        "dup.csv",
        "Employee ID,Department\n1,Eng\n2,Eng\n1,Ops\n",
        "dup.csv:4: Employee ID: employee id '1' is also on line 2",
    ),
    ("ragged.csv", "Employee ID,Department\n1,Eng\n2,Eng,extra\n", "ragged.csv:3: has 3 cells; the header has 2"),
    ("blank.csv", "Employee ID,Department\n ,Eng\n", "blank.csv:2: Employee ID: empty employee id"),
    ("quote.csv", 'Employee ID,Department\n1,"Eng\n', "quote.csv:"),
    ("header.csv", "Employee ID,Department\n", "header.csv:1: no employees"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_exports(name: str, text: str, message: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _write(tmp_path, name, text)
    out = tmp_path / "f.yaml"
    result = run_cli("import", "hris", str(src), "-o", str(out), "--key-file", str(make_key(tmp_path)))
    assert_refused(result, out, message, tmp_path)


def test_bad_bytes_options_and_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = str(make_key(tmp_path))
    out = tmp_path / "f.yaml"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Employee ID,Department\n1,Caf\xe9\n")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    good = _write(tmp_path, "good.csv", BAMBOO)
    titles = _write(tmp_path, "titles.yaml", "'Quant': quant_wizard\n")
    cases = [
        ((str(latin),), "latin.csv:2: is not valid UTF-8"),
        ((str(binary),), "bin.csv: looks like a binary file, not text"),
        ((str(tmp_path),), f"{tmp_path}: is a directory, not a file"),
        ((str(tmp_path / "missing.csv"),), "missing.csv: no such file"),
        ((str(good), "--map", "Nope=id"), "good.csv:1: --map names column 'Nope', which the header lacks"),
        ((str(good), "--map", "Location=shoe_size"), "--map: unknown field 'shoe_size'"),
        ((str(good), "--map", "Location"), "--map 'Location': expected NAME=VALUE"),
        ((str(good), "--option", "colour=red"), "--option colour: 'hris' does not take it (it takes: titles)"),
        ((str(good), "--option", f"titles={titles}"), "titles.yaml:1: Quant: 'quant_wizard' is not a role"),
    ]
    for args, message in cases:
        result = run_cli("import", "hris", *args, "-o", str(out), "--key-file", key)
        assert result.code == 2, (args, result.stderr)
        assert message in result.stderr.replace(str(tmp_path) + os.sep, ""), result.stderr
        assert not out.exists()
    result = run_cli("import", "nosuchkind", str(good), "-o", str(out), "--key-file", key)
    assert result.code == 2 and "unknown kind 'nosuchkind'" in result.stderr and not out.exists()
