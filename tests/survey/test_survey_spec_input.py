"""A spec pasted into the web app goes through the same strict loader: tags and loose values are
a located 422 page, never a 500."""

from __future__ import annotations

import re

import pytest

from .survey_helpers import csrf_of, make_app, sign_in

SPEC = "version: 1\norganization:\n  name: X\n  headcount: {value}\nteams:\n  - {{id: t1, kind: ml}}\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!bool maybe", "pasted spec:4: organization.headcount: &#39;maybe&#39; is not true or false"),
        ("!!timestamp not-a-date", "pasted spec:4: organization.headcount: unsupported YAML tag &#39;!!timestamp&#39;"),
        ("true", "pasted spec:4: organization.headcount: expected a whole number, got true"),
    ],
)
def test_a_tagged_or_loose_value_in_a_pasted_spec_is_a_located_422(engine, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False, raise_server_exceptions=False)
    sign_in(client)
    res = client.post(
        "/admin/rounds",
        data={"csrf_token": csrf_of(client.get("/admin").text), "spec_text": SPEC.format(value=value)},
        files={"spec_file": ("", b"")},
    )
    assert res.status_code == 422, res.text
    assert message in re.sub(r"<[^>]+>", "", res.text)  # the location is shown as code, then the words


@pytest.mark.parametrize("entry", ["hr.yaml", "../../../etc/passwd", "/etc/passwd"])
def test_a_pasted_spec_naming_fragments_is_refused_at_its_imports_line_without_reading_them(
    engine, tmp_path, monkeypatch, entry: str
) -> None:  # type: ignore[no-untyped-def]
    """The server reads no file a spec names: `imports:` is a located 422, and no round is stored."""
    from fastapi.testclient import TestClient

    from mlorg.web import store

    monkeypatch.chdir(tmp_path)  # a fragment of that name beside the server must not be read either
    (tmp_path / "hr.yaml").write_text("version: 2\norganization: {name: HR}\nteams:\n- {id: t2, kind: ml}\n")
    opened: list[str] = []
    real_open = open

    def watching_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    client = TestClient(make_app(engine), follow_redirects=False, raise_server_exceptions=False)
    sign_in(client)
    token = csrf_of(client.get("/admin").text)
    monkeypatch.setattr("builtins.open", watching_open)
    res = client.post(
        "/admin/rounds",
        data={"csrf_token": token, "spec_text": SPEC.format(value=5) + f"imports: ['{entry}']\n"},
        files={"spec_file": ("", b"")},
    )
    monkeypatch.undo()
    assert res.status_code == 422, res.text
    shown = re.sub(r"<[^>]+>", "", res.text)  # the location is shown as code, then the words
    assert "pasted spec:7: imports: this spec was given as text, with no folder to read fragment files from" in shown
    assert not any(name.endswith(("hr.yaml", "passwd")) for name in opened)
    assert store.list_rounds(engine) == []


def test_a_round_stored_with_an_unmerged_imports_section_still_reads() -> None:
    """Rounds stored before `imports:` was refused kept the section unmerged; their dashboard reads them as then."""
    from mlorg.web import store

    spec = store.stored_spec(SPEC.format(value=5) + "imports: [hr.yaml]\n", "round spec")
    assert [t.id for t in spec.teams] == ["t1"] and spec._imports is None
