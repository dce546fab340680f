"""Passwords, signed tokens and the two ASGI middlewares every response passes through.

- Admin password: argon2id (argon2-cffi), never stored in clear.
- Tokens: random (``secrets.token_urlsafe``); CSRF tokens and respondent form tokens are HMACs
  under a server secret kept in the database, so they survive restarts and cannot be forged.
- :class:`BodyLimit` refuses request bodies over a limit (413) before the app reads them.
- :class:`SecurityHeaders` adds a strict CSP (no script at all), nosniff, no framing, no referrer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MIN_PASSWORD_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable


def password_problem(password: str) -> str | None:
    """Why a new admin password is refused, or None if it may be used.

    Invisible characters (zero-width and other format characters, controls) are refused outright:
    a password made of them looks empty on screen. Whitespace-only and short passwords are
    refused, and the rest must score at least 3 of 4 on zxcvbn's strength estimate, which knows
    common passwords, keyboard walks, repeats, dates and dictionary words.
    """
    import unicodedata

    from zxcvbn import zxcvbn

    if any(unicodedata.category(c) in {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"} for c in password):
        return "the admin password contains invisible or control characters; use visible characters only"
    if not password.strip():
        return "the admin password must not be only spaces"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the admin password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the admin password must be at most {MAX_PASSWORD_LENGTH} characters"
    result = zxcvbn(password[:100])
    if int(result["score"]) < MIN_PASSWORD_SCORE:
        feedback = result["feedback"]
        hint = " ".join(p for p in [feedback.get("warning") or "", *feedback.get("suggestions", [])] if p)
        return f"the admin password is too easy to guess{': ' + hint if hint else ''}"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """SHA-256 hex of a token: what the database keeps instead of the token itself."""
    return hashlib.sha256(value.encode()).hexdigest()


class Signer:
    """HMAC-SHA256 under the server secret, for CSRF tokens and respondent form tokens."""

    def __init__(self, secret: str) -> None:
        self._key = bytes.fromhex(secret)

    def sign(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()

    def check(self, purpose: str, value: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(purpose, value), signature)

    def form_token(self, link_token: str) -> str:
        """A fresh token for one rendering of a respondent form: ``nonce.signature``."""
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self.sign('form:' + link_token, nonce)}"

    def form_nonce(self, link_token: str, token: str) -> str | None:
        """The nonce of a genuine form token for this link, or None if forged or malformed."""
        nonce, _, signature = token.partition(".")
        if not nonce or len(token) > 200 or not self.check("form:" + link_token, nonce, signature):
            return None
        return nonce


CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


# With secure cookies the app is served over HTTPS only, so browsers are told to never use plain HTTP.
HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    """Add the security headers to every HTTP response (HSTS when served over HTTPS); pages are never cached."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.extra = [HSTS] if hsts else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                headers.extend(self.extra)
                if not is_static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


TOO_LARGE_PAGE = (
    b"<!doctype html><title>Too large</title><p>That request is larger than this server accepts. "
    b"Nothing was stored.</p>"
)


class BodyLimit:
    """Refuse request bodies over ``limit_for(path)`` bytes with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(str(scope.get("path", "")))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_413(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_413(send)


async def _send_413(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(TOO_LARGE_PAGE)).encode()),
                (b"connection", b"close"),
            ],  # the security headers (HSTS too) come from SecurityHeaders, which wraps this middleware
        }
    )
    await send({"type": "http.response.body", "body": TOO_LARGE_PAGE})
