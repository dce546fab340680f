"""People across systems: one stable id per person, pseudonymous unless the user keeps names.

A person is known to each system by some identity: an email, an HR employee id, a GitHub login.
Every source hands all it knows to :meth:`PersonIds.person`; an alias file joins identities that
no rule could (``alice@corp.com: [github:alice, hris:E1042]``). The id is a keyed hash of the
canonical identity, so the same person gets the same id from every import made with the same
key, and nobody can recompute it without the key, which lives outside the fragment.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from mlorg.errors import SpecError, UsageError
from mlorg.sources.support import slug

KEY_FILE_NAME = "import.key"


def normalize(identity: str) -> str:
    """Emails compare without case; other identities (``github:alice``) as written, trimmed."""
    identity = identity.strip()
    if "@" in identity and ":" not in identity:
        return identity.lower()
    return identity


class PersonIds:
    """Turns identities into spec ids, applying aliases; remembers nothing but the key."""

    def __init__(self, key: bytes, *, keep_names: bool = False, aliases: Mapping[str, str] | None = None) -> None:
        self.key = key
        self.keep_names = keep_names
        self.aliases = dict(aliases or {})
        self._mac = hmac.new(key, digestmod=hashlib.sha256)  # keyed once, copied per id (half the cost)

    def canonical(self, *identities: str | None) -> str | None:
        """The identity a person is known by: an alias target if any identity has one, else the first given."""
        given = [normalize(i) for i in identities if i and i.strip()]
        for ident in given:
            if ident in self.aliases:
                return self.aliases[ident]
        return given[0] if given else None

    def person(self, *identities: str | None) -> str | None:
        """The spec id of the person known by these identities (best first), or None if none is given."""
        canonical = self.canonical(*identities)
        if canonical is None:
            return None
        return self.id_of(canonical)

    def id_of(self, canonical: str) -> str:
        if self.keep_names:
            readable = slug(canonical.replace("@", "-"))
            if readable:
                return readable
        mac = self._mac.copy()
        mac.update(canonical.encode("utf-8"))
        digest = mac.hexdigest()
        return f"p-{digest[:12]}"

    def name(self, name: str | None) -> str | None:
        """A display name is copied only with ``--keep-names``."""
        if not self.keep_names or not name or not name.strip():
            return None
        return name.strip()[:200]


def default_key_file() -> Path:
    """``import.key`` in the user's config folder (platformdirs), outside every fragment."""
    from platformdirs import user_config_path

    return user_config_path("mlorg") / KEY_FILE_NAME


def load_key(path: Path | None) -> bytes:
    """Read the pseudonym key; create the default one (mode 0600) on first use."""
    target = path or default_key_file()
    if path is None and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    try:
        text = target.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise UsageError(f"{target}: key file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{target}: key file cannot be read ({exc})") from None
    if len(text) < 16:
        raise UsageError(f"{target}: the key must be at least 16 characters")
    return text.encode("utf-8")


def load_aliases(path: Path, label: str | None = None) -> dict[str, str]:
    """Read an alias file: a mapping of canonical identity to the other identities of the same person."""
    from mlorg.spec.document import parse
    from mlorg.spec.loader import read_text
    from mlorg.spec.messages import shown

    name = label or str(path)
    text = read_text(path, name, what="aliases file")
    if not text.strip():
        return {}  # nobody has other identities
    doc = parse(text, name, ("an aliases file", "an aliases file maps each person's main identity to their others"))
    if doc.problems:
        raise SpecError(list(doc.problems))
    data = doc.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SpecError.single(name, "an alias file maps each person's main identity to a list of others", 1)
    out: dict[str, str] = {}
    for key, others in data.items():
        line = doc.source.line((key,))
        if not isinstance(others, list) or not all(isinstance(o, str) and o.strip() for o in others):
            raise SpecError.single(name, f"expected a list of identities, got {shown(others)}", line, str(key))
        canonical = normalize(str(key))
        out[canonical] = canonical
        for other in others:
            ident = normalize(other)
            if out.get(ident, canonical) != canonical:
                raise SpecError.single(
                    name, f"{shown(other)} is already an alias of {shown(out[ident])}", line, str(key)
                )
            out[ident] = canonical
    return out
