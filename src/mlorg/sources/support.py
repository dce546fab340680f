"""Helpers every importer shares: ids from free text, team kinds from names, bounded reads of files and URLs."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from mlorg.errors import SpecError
from mlorg.spec.models import TeamKind

#: Largest input an importer reads, in bytes (``MLORG_MAX_IMPORT_BYTES`` raises it).
MAX_IMPORT_BYTES = int(os.environ.get("MLORG_MAX_IMPORT_BYTES", 512 * 1024 * 1024))
_SLUG_BAD = re.compile(r"[^a-z0-9._-]+")

#: Words in a team's name that say what kind of team it is, tried in this order.
TEAM_KIND_WORDS: tuple[tuple[str, TeamKind], ...] = (
    (
        r"\b(ml|machine learning|ai|artificial intelligence|data science|mlops|recommendations?|personali[sz]ation)\b",
        "ml",
    ),
    (r"\bresearch\b", "research"),
    (r"\b(data|analytics|bi|business intelligence)\b", "data"),
    (r"\b(platform|infrastructure|infra|sre|devops|reliability)\b", "platform"),
    (r"\b(design|ux|user experience)\b", "design"),
    (r"\b(it|helpdesk|security)\b", "it_ops"),
    (r"\b(executive|leadership|office of the ceo|board)\b", "leadership"),
    (
        r"\b(sales|marketing|finance|people|hr|human resources|legal|support|customer|procurement|recruiting)\b",
        "business",
    ),
    # Last: "operations" alone is IT operations, but "Customer operations" or "Sales ops" is the business.
    (r"\b(operations|ops)\b", "it_ops"),
)
_KIND_PATTERNS = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in TEAM_KIND_WORDS)


def slug(text: str) -> str:
    """A spec id made from free text (``ML Platform`` -> ``ml-platform``); empty if nothing is left."""
    out = _SLUG_BAD.sub("-", text.strip().lower()).strip("-._")
    return out[:120].rstrip("-._")


#: Kinds a unit with teams under it keeps from its name's words: what it is to the teams beneath it (a
#: business unit makes an ML team inside it embedded; the executive team leads). Any other unit with teams
#: under it is a ``department``: a "Personalization tribe" of product squads is no ML team, and a "Data &
#: AI" division is the sum of its teams, which say what they are themselves.
_PARENT_KINDS: frozenset[TeamKind] = frozenset({"leadership", "business"})


def team_kind(name: str, *, has_children: bool = False) -> TeamKind:
    """A team's kind guessed from its name (:data:`TEAM_KIND_WORDS`); a spec's own value wins on merge.

    A unit with teams under it is a ``department``, unless its name says it leads or is a business unit;
    a team that says nothing is a ``product`` team.
    """
    for pattern, kind in _KIND_PATTERNS:
        if pattern.search(name):
            return kind if not has_children or kind in _PARENT_KINDS else "department"
    return "department" if has_children else "product"


def read_input(path: str, what: str = "file") -> str:
    """An input file's text: bounded, UTF-8 (a byte-order mark is dropped), never binary; ``what`` names
    what the path should have been when it is a directory."""
    from mlorg.spec.loader import read_text

    return read_text(Path(path), path, MAX_IMPORT_BYTES, what=what, text="text")


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch(url: str, timeout: float, accept: str = "application/json") -> bytes:
    """GET a URL with a timeout and a size bound; any failure is one message naming the URL and the reason."""
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "mlorg-import"})
    token = os.environ.get("MLORG_IMPORT_TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_IMPORT_BYTES + 1)
    except urllib.error.HTTPError as exc:
        said = _server_message(exc)
        raise SpecError.single(url, f"the server refused: HTTP {exc.code} {exc.reason}{said}") from None
    except urllib.error.URLError as exc:
        raise SpecError.single(url, f"cannot reach the server: {_reason(exc.reason)}") from None
    except TimeoutError:
        raise SpecError.single(url, f"the server did not answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise SpecError.single(url, f"cannot read from the server: {exc.strerror or exc}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise SpecError.single(url, f"the answer is over the {MAX_IMPORT_BYTES:,}-byte limit")
    return data


def _server_message(exc: urllib.error.HTTPError) -> str:
    """The reason a JSON API gives in an error answer (``{"message": ...}``, MLflow's and Backstage's shape)."""
    import json

    from mlorg.spec.messages import shown

    try:
        data = json.loads(exc.read(64 * 1024))
    except (OSError, ValueError, RecursionError):  # no JSON, or hostile nesting: say nothing of it
        return ""
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        data = data["error"]
    message = data.get("message") if isinstance(data, dict) else None
    return f" ({shown(message, 200)})" if isinstance(message, str) and message.strip() else ""


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)
