"""``slack``: a Slack workspace export (a folder or its zip) -> collaboration ties.

The export holds ``users.json``, ``channels.json`` and one folder per channel of day files
(``2026-03-02.json``), each a list of messages. Two kinds of tie are read:

- a **reply** in a thread ties its author to the thread's starter (weight: one per reply);
- a **shared channel** ties every two people who both posted in it (weight: one per channel).
  A channel with more posters than ``--option max_channel_people=N`` (default 50) is an
  announcement room, not a working group: it adds no shared-channel ties, and a note says so.

People are known by their profile email where the export has one, else as ``slack:USER_ID``; bots
and deleted users are skipped. Names are never copied (ties carry ids only).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from mlorg.errors import SpecError, UsageError
from mlorg.render.words import count
from mlorg.sources import jsondoc
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import MAX_IMPORT_BYTES
from mlorg.spec.models import Provenance, Tie

DEFAULT_MAX_CHANNEL = 50


class _Export:
    """Read files from an export folder or zip by their relative path."""

    def __init__(self, location: str) -> None:
        self.location = location
        path = Path(location)
        self.zip: zipfile.ZipFile | None = None
        self.root = path
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
        elif not path.is_dir():
            raise SpecError.single(location, "expected a Slack export: a folder or a .zip with users.json")

    def names(self) -> list[str]:
        if self.zip is not None:
            return sorted(n for n in self.zip.namelist() if not n.endswith("/"))
        return sorted(str(p.relative_to(self.root).as_posix()) for p in self.root.rglob("*.json") if p.is_file())

    def json(self, name: str) -> Any:
        label = f"{self.location}/{name}"
        try:
            if self.zip is not None:
                info = self.zip.getinfo(name)
                if info.file_size > MAX_IMPORT_BYTES:
                    raise SpecError.single(label, f"over the {MAX_IMPORT_BYTES:,}-byte limit")
                data = self.zip.read(name)
            else:
                file = (self.root / name).resolve()
                if not file.is_relative_to(self.root.resolve()):
                    # An export is read as given; a link out of it could pull in any file the user can read.
                    raise SpecError.single(label, "links to a file outside the export; copy the file into it")
                if file.stat().st_size > MAX_IMPORT_BYTES:
                    raise SpecError.single(label, f"over the {MAX_IMPORT_BYTES:,}-byte limit")
                data = file.read_bytes()
        except KeyError:
            raise SpecError.single(label, "missing from the export") from None
        except FileNotFoundError:
            raise SpecError.single(label, "missing from the export") from None
        except OSError as exc:
            raise SpecError.single(label, f"cannot be read ({exc.strerror or exc})") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpecError.single(label, "not UTF-8 text") from None
        return jsondoc.loads(text, label)


def _list_of_objects(value: Any, label: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise SpecError.single(label, "expected a JSON list of objects", 1)
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise SpecError.single(label, "expected an object", 0, f"[{i}]")
    return value


class SlackSource(Source):
    kind: ClassVar[str] = "slack"
    summary: ClassVar[str] = "A Slack workspace export (folder or zip): thread replies and shared channels as ties."
    options: ClassVar[dict[str, str]] = {
        "max_channel_people": f"Channels with more posters than this add no shared-channel ties "
        f"(default {DEFAULT_MAX_CHANNEL}).",
    }

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        raw = options.settings.get("max_channel_people", str(DEFAULT_MAX_CHANNEL))
        if not raw.isdigit() or int(raw) < 2:
            raise UsageError(f"--option max_channel_people={raw}: expected a whole number of at least 2")
        limit = int(raw)
        weights: dict[tuple[str, str], float] = {}
        where: dict[tuple[str, str], tuple[str, str]] = {}
        notes: list[str] = []
        for location in inputs:
            _read_export(location, options, limit, weights, where, notes)
        ties = tuple(
            Tie(
                a=a,
                b=b,
                weight=w,
                channel="chat",
                provenance=Provenance(system="slack", location=where[(a, b)][0], record=where[(a, b)][1]),
            )
            for (a, b), w in sorted(weights.items())
        )
        return Fragment(system="slack", ties=ties, notes=tuple(notes))


def _people(export: _Export, options: ImportOptions) -> dict[str, str]:
    label = f"{export.location}/users.json"
    out: dict[str, str] = {}
    for i, user in enumerate(_list_of_objects(export.json("users.json"), label)):
        uid = user.get("id")
        if not isinstance(uid, str) or not uid:
            raise SpecError.single(label, "expected a user id (text)", 0, f"[{i}].id")
        if user.get("is_bot") or user.get("deleted") or uid == "USLACKBOT":
            continue
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        email = profile.get("email") if isinstance(profile, dict) else None
        person = options.people.person(email if isinstance(email, str) else None, f"slack:{uid}")
        if person is not None:
            out[uid] = person
    return out


def _channels(export: _Export) -> list[str]:
    label = f"{export.location}/channels.json"
    names: list[str] = []
    for i, channel in enumerate(_list_of_objects(export.json("channels.json"), label)):
        name = channel.get("name")
        if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
            raise SpecError.single(label, "expected a channel name (text, no slashes)", 0, f"[{i}].name")
        names.append(name)
    return names


def _messages(export: _Export, files: list[str], channel: str) -> Iterator[tuple[str, dict[str, Any]]]:
    prefix = f"{channel}/"
    for name in files:
        if name.startswith(prefix) and PurePosixPath(name).parent.as_posix() == channel:
            label = f"{export.location}/{name}"
            for message in _list_of_objects(export.json(name), label):
                yield name, message


def _read_export(
    location: str,
    options: ImportOptions,
    limit: int,
    weights: dict[tuple[str, str], float],
    where: dict[tuple[str, str], tuple[str, str]],
    notes: list[str],
) -> None:
    export = _Export(location)
    people = _people(export, options)
    files = export.names()

    def add(x: str, y: str, weight: float, record: str) -> None:
        if x == y:
            return
        key = (min(x, y), max(x, y))
        weights[key] = weights.get(key, 0.0) + weight
        where.setdefault(key, (location, record))

    crowded: list[str] = []
    for channel in _channels(export):
        posters: set[str] = set()
        starters: dict[str, str] = {}
        replies: list[tuple[str, str, str]] = []
        for name, message in _messages(export, files, channel):
            user = people.get(str(message.get("user", "")))
            if user is None or message.get("subtype") in ("channel_join", "channel_leave", "bot_message"):
                continue
            posters.add(user)
            ts, thread = message.get("ts"), message.get("thread_ts")
            if isinstance(thread, str) and thread and thread != ts:
                parent = people.get(str(message.get("parent_user_id", "")))
                replies.append((user, parent or f"?{thread}", name))
            elif isinstance(ts, str):
                starters[ts] = user
        for user, parent, name in replies:
            if parent.startswith("?"):
                found = starters.get(parent[1:])
                if found is None:
                    continue
                parent = found
            add(user, parent, 1.0, f"{channel}: reply in {PurePosixPath(name).name}")
        if len(posters) > limit:
            crowded.append(channel)
            continue
        for x, y in combinations(sorted(posters), 2):
            add(x, y, 1.0, f"{channel}: both posted")
    if crowded:
        notes.append(
            f"{location}: channels with more than {limit} posters add no shared-channel ties "
            f"({count(len(crowded), 'channel')}: {', '.join(sorted(crowded)[:5])}{', ...' if len(crowded) > 5 else ''})"
        )
