"""How one survey app is configured: cookies, body limits and the public address team links use."""

from __future__ import annotations

from dataclasses import dataclass

RESPONDENT_BODY_LIMIT = 64 * 1024
ADMIN_BODY_LIMIT = 8 * 1024 * 1024
ANSWERED_COOKIE_DAYS = 180


@dataclass(frozen=True)
class WebConfig:
    """``secure_cookies`` off only for plain-http development on localhost."""

    secure_cookies: bool = True
    respondent_body_limit: int = RESPONDENT_BODY_LIMIT
    admin_body_limit: int = ADMIN_BODY_LIMIT
    public_url: str | None = None  # e.g. https://survey.example.org: where team links point


def check_public_url(url: str | None) -> str | None:
    """A public base URL as given (``https://host[:port][/path]``), without a trailing slash."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    from mlorg.errors import UsageError

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or any(not c.isprintable() or c.isspace() for c in url)
    ):
        raise UsageError(f"--public-url {url!r} is not an http(s) address like https://survey.example.org")
    return url.rstrip("/")
