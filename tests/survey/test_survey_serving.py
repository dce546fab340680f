"""Serving (issue 13, item 5 and the serving items of 8): request deadlines on real sockets, HSTS,
links from the configured public address only."""

from __future__ import annotations

import re
import socket
import time

import pytest

from mlorg.web.security import HEADERS
from mlorg.web.server import Deadlines

from .survey_helpers import AdminSetup, LiveServer, answer_count, csrf_of, make_app

FAST = Deadlines(header_timeout=2.0, body_timeout=3.0)


def _trickle(sock: socket.socket, data: bytes, every: float = 0.5) -> tuple[int, bytes]:
    """Send ``data`` one byte every ``every`` seconds; return how many bytes went out before the
    server answered or closed, and what it answered."""
    sock.settimeout(every)
    for sent, byte in enumerate(data):
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            return sent, b""
        try:
            reply = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return sent, b""
        return sent + 1, reply
    return len(data), b""


def test_headers_sent_one_byte_at_a_time_are_cut_off(engine) -> None:  # type: ignore[no-untyped-def]
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    with (
        LiveServer(make_app(engine), deadlines=FAST) as server,
        socket.create_connection(("127.0.0.1", server.port)) as s,
    ):
        sent, reply = _trickle(s, request)
    assert sent < len(request), "a slow-loris client must not be able to finish its headers"
    assert reply.startswith(b"HTTP/1.1 408"), reply
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")[1:]
    fields = dict(line.split(b": ", 1) for line in lines)
    assert len(fields) == len(lines)  # no field twice
    # written past the app's middleware, it still carries every security header, and is never cached
    assert {name: fields.get(name) for name, _ in HEADERS} == dict(HEADERS)
    assert fields[b"cache-control"] == b"no-store" and fields[b"connection"] == b"close"
    assert int(fields[b"content-length"]) == len(body) and body == b"The request took too long to arrive.\n"


def test_a_body_sent_one_byte_at_a_time_is_cut_off_and_stores_nothing(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link = admin.links["recs"]
    token = csrf_of(admin.client.get(link).text)  # type: ignore[attr-defined]
    body = f"csrf_token={token}&westrum_info_sought=5&pad=".encode() + b"x" * 200
    head = (
        f"POST {link} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    app = admin.client.app  # type: ignore[attr-defined]
    with LiveServer(app, deadlines=FAST) as server, socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(head)
        sent, reply = _trickle(s, body)
    assert sent < len(body)
    assert reply.startswith(b"HTTP/1.1 408"), reply
    assert answer_count(engine) == 0


def test_many_slow_connections_are_all_released(engine) -> None:  # type: ignore[no-untyped-def]
    with LiveServer(make_app(engine), deadlines=FAST) as server:
        socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(60)]
        try:
            for s in socks:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHo")
            closed = 0
            deadline = time.monotonic() + 60
            for s in socks:
                s.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    data = s.recv(4096)
                except TimeoutError:
                    continue
                closed += data.startswith(b"HTTP/1.1 408") or data == b""
        finally:
            for s in socks:
                s.close()
        assert closed == len(socks)
        import httpx

        assert httpx.get(f"{server.url}/healthz", timeout=30).status_code == 200, "the server still serves"


def test_ordinary_keep_alive_requests_are_not_affected(engine) -> None:  # type: ignore[no-untyped-def]
    import httpx

    with LiveServer(make_app(engine), deadlines=FAST) as server, httpx.Client(base_url=server.url) as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            time.sleep(1.0)  # idle on the open connection for less than the keep-alive time


def test_hsts_is_sent_with_secure_cookies_only(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from mlorg.web.app import WebConfig, create_app

    secure = TestClient(create_app(engine, WebConfig(secure_cookies=True)), base_url="https://testserver")
    assert secure.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
    plain = TestClient(make_app(engine))
    assert "strict-transport-security" not in plain.get("/healthz").headers


def test_links_never_come_from_the_host_header(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    dash = c.get(f"/admin/rounds/{admin.round_id}", headers={"host": "evil.example"})  # type: ignore[attr-defined]
    assert dash.status_code == 200
    assert "evil.example" not in dash.text and "testserver" not in dash.text
    assert "--public-url" in dash.text
    from fastapi.testclient import TestClient

    from .survey_helpers import sign_in

    configured = TestClient(make_app(engine, public_url="https://survey.example.org"), follow_redirects=False)
    sign_in(configured)
    token = csrf_of(configured.get(f"/admin/rounds/{admin.round_id}").text)
    page = configured.post(
        f"/admin/rounds/{admin.round_id}/links/recs", data={"csrf_token": token}, headers={"host": "evil.example"}
    ).text
    assert re.search(r">https://survey\.example\.org/s/[A-Za-z0-9_-]{43}<", page) and "evil.example" not in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "survey.example.org", "https://", "https://x/?q=1", "https://a b"]
)
def test_a_bad_public_url_is_refused(run_cli, url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("serve", "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}", "--public-url", url)
    assert res.code == 2 and "--public-url" in res.stderr and "Traceback" not in res.stderr
