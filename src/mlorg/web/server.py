"""How ``mlorg serve`` runs the app: uvicorn with the h11 protocol, plus header and body deadlines.

uvicorn only times out *idle* keep-alive connections: a client that sends its request line and
headers one byte a second, or a body one byte a second, holds a connection (and, for a body, a
request handler) for as long as it likes. :class:`DeadlineH11Protocol` adds two deadlines per
request: the headers must be complete within ``header_timeout`` seconds of the connection opening
(or of the previous response ending), and the body within ``body_timeout`` seconds of the headers.
A request that misses one gets ``408 Request Timeout`` and the connection is closed; nothing was
stored, since the app only stores a form once it has been read whole.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from mlorg.web.security import HEADERS

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 60.0

_TIMEOUT_BODY = b"The request took too long to arrive.\n"
# Written straight to the socket, past the app and its middleware, so it carries the security headers itself.
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    + b"".join(
        name + b": " + value + b"\r\n"
        for name, value in (
            (b"content-type", b"text/plain; charset=utf-8"),
            *HEADERS,
            (b"cache-control", b"no-store"),
            (b"content-length", str(len(_TIMEOUT_BODY)).encode()),
            (b"connection", b"close"),
        )
    )
    + b"\r\n"
    + _TIMEOUT_BODY
)


@dataclass(frozen=True)
class Deadlines:
    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and for its body."""

    deadlines = Deadlines()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm(self.deadlines.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle and self.cycle is not None:  # a new request's headers arrived
            if self.conn.their_state is h11.SEND_BODY:
                self._arm(self.deadlines.body_timeout)
            else:
                self._disarm()
        elif self.cycle is not None and self._deadline and self.conn.their_state in (h11.DONE, h11.MUST_CLOSE):
            self._disarm()  # the body is complete

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm(self.deadlines.header_timeout)  # the next request on this connection
        super().on_response_complete()  # may go on to a pipelined request, which re-arms

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            assert self._deadline is not None
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_TIMEOUT_RESPONSE)
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()


def protocol_with(deadlines: Deadlines) -> type[DeadlineH11Protocol]:
    """A protocol class bound to these deadlines (uvicorn builds the protocol from a class)."""
    return type("BoundDeadlineH11Protocol", (DeadlineH11Protocol,), {"deadlines": deadlines})


def server_config(
    app: Any,
    host: str,
    port: int,
    *,
    deadlines: Deadlines | None = None,
    forwarded_allow_ips: str | None = None,
    **extra: Any,
) -> uvicorn.Config:
    """The uvicorn configuration ``mlorg serve`` runs with (tests start servers from it too).

    No server or date header, no access log (no request line is ever logged), the h11 protocol
    with request deadlines, and ``X-Forwarded-For``/``-Proto`` trusted only from
    ``forwarded_allow_ips`` (uvicorn's default: 127.0.0.1, a proxy on the same machine).
    """
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": protocol_with(deadlines or Deadlines()),
        "server_header": False,
        "date_header": False,
        "log_level": "warning",
        "access_log": False,
        "proxy_headers": True,
        "limit_concurrency": 1000,
        "h11_max_incomplete_event_size": 16 * 1024,
        **extra,
    }
    if forwarded_allow_ips is not None:
        options["forwarded_allow_ips"] = forwarded_allow_ips
    return uvicorn.Config(app, **options)
