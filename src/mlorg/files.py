"""The one reader for every file a user's input names: bounded, and confined for paths in a spec.

Two kinds of path reach mlorg:

- **named on the command line** (the spec itself, ``--survey``, ``--config``, ``mlorg import``
  sources): the user chose them, so any readable file is fine, pipes and ``/dev/stdin``
  included. :func:`read_bounded` reads them, counting the bytes it actually reads, so
  ``/dev/zero`` or an endless pipe stops one chunk past the limit instead of filling memory.
- **named inside a spec** (``culture.survey``, and any later path field such as fragment
  ``imports``): someone else may have written the spec, so :func:`read_spec_path` resolves the
  path relative to the spec's own folder and refuses one that leaves it (an absolute path, a
  ``..`` climbing out, a symbolic link pointing out) unless the user allowed a folder on the
  command line (``--allow-outside DIR``). Only regular files are read: a FIFO, a device or a
  directory is refused without being opened for reading, so nothing blocks.

Refusals name the spec's file, line and field, and never show a byte of the refused file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mlorg.errors import SpecError

CHUNK = 1 << 16
ALLOW_OPTION = "--allow-outside"


@dataclass(frozen=True)
class NamedAt:
    """Where a spec names a path: the spec's label (as in messages), the line and the field."""

    file: str
    line: int
    field: str

    def refuse(self, message: str) -> SpecError:
        return SpecError.single(self.file, message, line=self.line, path=self.field)


def read_bounded(
    path: str | os.PathLike[str],
    label: str,
    max_bytes: int,
    *,
    limit_hint: str = "",
    what: str = "file",
    regular_only: bool = False,
    too_big: str | None = None,
) -> bytes:
    """Read a whole file, refusing directories and anything past ``max_bytes`` bytes.

    The limit is checked against what is read, not the size ``stat`` reports (a device or a pipe
    has none); ``too_big`` words the refusal (default: the limit and ``limit_hint``). ``regular_only``
    refuses FIFOs, devices and sockets before reading a byte; the file is opened non-blocking so
    that a FIFO with no writer cannot hang the check.
    """
    if too_big is None:
        too_big = f"over the {max_bytes:,}-byte limit{f' ({limit_hint})' if limit_hint else ''}"
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if regular_only:  # a path from a spec, already resolved: its last part cannot be a link unless it changed
        flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SpecError.single(label, "no such file") from None
    except PermissionError:
        raise SpecError.single(label, "permission denied") from None
    except IsADirectoryError:
        raise SpecError.single(label, f"is a directory, not a {what}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SpecError.single(label, "is a symbolic link that changed while it was read; not read") from None
        raise SpecError.single(label, f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError.single(label, f"is a directory, not a {what}")
        if regular_only and not stat.S_ISREG(info.st_mode):
            raise SpecError.single(label, f"is not a regular file (a device, pipe or socket); not read as a {what}")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise SpecError.single(label, f"file is {info.st_size:,} bytes, {too_big}")
        if regular_only and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SpecError.single(label, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise SpecError.single(label, f"input is {too_big}")
    return b"".join(chunks)


def confined(
    value: str,
    base_dir: Path | None,
    at: NamedAt,
    allow_outside: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """The real path a spec's ``value`` names, if it stays in the spec's folder or an allowed one.

    Symbolic links are resolved before the check, so a link inside the folder that points out
    of it is refused like the path it points to.
    """
    if not value or "\x00" in value:
        raise at.refuse(f"{shown(value)} is not a usable path")
    if base_dir is None:
        raise at.refuse(
            f"path {shown(value)} cannot be read: this spec was given as text, not as a file, "
            "so it has no folder to read from"
        )
    folder = Path(os.path.realpath(base_dir))
    candidate = Path(value)
    if candidate.is_absolute() and not allow_outside:
        raise at.refuse(
            f"path {shown(value)} is absolute; a spec may name only files in its own folder "
            f"(pass {ALLOW_OPTION} DIR to allow another folder)"
        )
    real = Path(os.path.realpath(folder / candidate))
    roots = [folder, *(Path(os.path.realpath(root)) for root in allow_outside)]
    if not any(real == root or real.is_relative_to(root) for root in roots):
        raise at.refuse(
            f"path {shown(value)} leads outside the spec's folder; a spec may name only files in its own "
            f"folder (pass {ALLOW_OPTION} DIR to allow another folder)"
        )
    return real


def read_spec_path(
    value: str,
    base_dir: Path | None,
    at: NamedAt,
    *,
    max_bytes: int,
    allow_outside: Sequence[str | os.PathLike[str]] = (),
    limit_hint: str = "",
    what: str = "file",
) -> tuple[bytes, str]:
    """Read the regular file a spec names at ``at``; returns its bytes and its label for messages.

    The label is the path as written, joined to the spec's own label (``org/spec.yaml`` naming
    ``answers.csv`` gives ``org/answers.csv``), so messages never depend on the checkout's location.
    """
    path = confined(value, base_dir, at, allow_outside)
    label = label_for(value, at.file)
    return read_bounded(path, label, max_bytes, limit_hint=limit_hint, what=what, regular_only=True), label


def shown(value: str) -> str:
    from mlorg.spec.messages import shown as show  # here: the spec package imports this module

    return show(value)


def label_for(value: str, spec_label: str) -> str:
    """How messages name a file a spec names: relative to the spec's label, as written."""
    if Path(value).is_absolute():
        return value
    parent = PurePosixPath(spec_label).parent
    return str(parent / value) if str(parent) != "." else value
