"""Every form the web app reads is parsed here, once: shape first, meaning second.

:func:`read_form` checks what no browser filling in one of our pages would send: a field given
more than once (only the names a form declares as lists may repeat), a file where text belongs, a
NUL or other control character in a text field. Such a request is malformed and refused as a
whole with 400 and a message naming the field. :func:`answers` then reads a respondent's answers:
each value must be a plain whole number written with the ASCII digits 0-9 (no sign, no leading
zero, at most three digits), so superscripts, Arabic-Indic or full-width digits and numbers long
enough to trip Python's int-parsing limit are 400 as well; a well-formed value off the item's
scale, an unknown question or an empty form is 422 with the form shown again.

Identifiers in URLs are checked for shape before any database sees them (:func:`link_token_ok`,
:func:`round_id_ok`), so a NUL byte, which PostgreSQL text cannot hold, is a plain 404.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from mlorg.errors import Problem
from mlorg.survey.catalog import Instrument
from mlorg.survey.responses import ROLES

_ANSWER = re.compile(r"[1-9][0-9]{0,2}|0", re.ASCII)
_LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)
_ROUND_ID = re.compile(r"[0-9a-f]{1,32}", re.ASCII)
_TEAM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}", re.ASCII)  # the spec's id pattern
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadForm(Exception):
    """A malformed request (400): the message names the field and says what was wrong."""


@dataclass(frozen=True)
class Form:
    """A parsed form: single text fields, declared list fields and declared file fields."""

    fields: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadFile] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def getlist(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    def file(self, name: str) -> UploadFile | None:
        return self.files.get(name)


def read_form(data: FormData, *, lists: Collection[str] = (), files: Collection[str] = ()) -> Form:
    """Check the shape of a submitted form; :class:`BadForm` on the first malformed field."""
    form = Form()
    for name, value in data.multi_items():
        label = _printable_name(name)
        if isinstance(value, UploadFile):
            if name not in files:
                raise BadForm(f"field '{label}' is a file; this form takes no file there")
            if name in form.files:
                raise BadForm(f"field '{label}' appears more than once; send each field once")
            form.files[name] = value
            continue
        if name in files:
            continue  # an empty file input some clients send as text
        if _CONTROL.search(value):
            kind = "a NUL character" if "\x00" in value else "a control character"
            raise BadForm(f"field '{label}' contains {kind}; nothing was stored")
        if name in lists:
            form.lists.setdefault(name, []).append(value)
        elif name in form.fields:
            raise BadForm(f"field '{label}' appears more than once; send each field once")
        else:
            form.fields[name] = value
    return form


def _printable_name(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:60]


def answers(form: Form, asked: list[Instrument]) -> tuple[dict[str, int], str | None, dict[str, str]]:
    """A respondent's answers: ``(values, role, errors)``; errors (422) name the question.

    Raises :class:`BadForm` (400) for a value that is not a plain ASCII whole number.
    """
    allowed = {item.id: inst.scale for inst in asked for item in inst.items}
    values: dict[str, int] = {}
    errors: dict[str, str] = {}
    role: str | None = None
    for key, raw in form.fields.items():
        if key == "csrf_token":
            continue
        if key == "role":
            if raw and raw not in ROLES:
                errors["role"] = "Choose a role from the list."
            role = raw or None
            continue
        scale = allowed.get(key)
        if scale is None:
            errors["_form"] = "The form contained an unknown question."
            continue
        if raw == "":
            continue
        if not _ANSWER.fullmatch(raw):
            raise BadForm(
                f"field '{key}': an answer is a whole number written with the digits 0-9 "
                f"(for this statement {scale.describe()}); nothing was stored"
            )
        value = int(raw)
        if value not in scale.points:
            errors[key] = f"Choose a value from {scale.describe()}."
        else:
            values[key] = value
    if form.files:
        errors["_form"] = "Files are not accepted here."
    if not values and not errors:
        errors["_form"] = "Answer at least one statement before sending."
    return values, role, errors


_INVITATION_LINE = re.compile(r"\s*([^:=\s]+)\s*[:=]\s*([0-9]{1,6})\s*", re.ASCII)


def invitations(text: str) -> tuple[dict[str, int], list[Problem]]:
    """The admin's per-team invitation counts, one ``team: count`` a line; ``(counts, problems)``."""
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _INVITATION_LINE.fullmatch(line)
        if match is None:
            problems.append(
                Problem("invitations", number, "", "write one `team: count` a line, the count in digits 0-9")
            )
            continue
        team, count = match.group(1), int(match.group(2))
        if team in counts:
            problems.append(Problem("invitations", number, team, "is given twice"))
        counts[team] = count
    return counts, problems


def link_token_ok(token: str) -> bool:
    """Whether a string has the shape of a link token (URL-safe base64, 16-64 characters)."""
    return _LINK_TOKEN.fullmatch(token) is not None


def round_id_ok(round_id: str) -> bool:
    """Whether a string has the shape of a round id (lower-case hex)."""
    return _ROUND_ID.fullmatch(round_id) is not None


def team_id_ok(team_id: str) -> bool:
    """Whether a string has the shape of a spec team id."""
    return _TEAM_ID.fullmatch(team_id) is not None
