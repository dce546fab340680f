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
