"""The one error type a user sees.

Everything a user can get wrong (a malformed file, an unknown reference, a hostile input)
becomes a :class:`SpecError` holding every problem found, each located as
``FILE:LINE: path.to.field: message``. The CLI translates it once into exit code 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# tabs, line breaks, C0/C1 controls and bidi overrides: shown as escapes so a problem is always one inert line
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _inert(text: str) -> str:
    return _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file.

    ``line`` is 1-based; 0 means the problem concerns the whole file. ``path`` is the dotted
    breadcrumb to the field (``teams[3].parent``), empty for the whole document. ``column`` is
    1-based where it is known (CSV cells), else 0.
    """

    file: str
    line: int
    path: str
    message: str
    column: int = 0

    def __str__(self) -> str:
        """``FILE:LINE[:COLUMN]: path: message`` on one line, whatever the file name or message hold."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column:
            where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return _inert(f"{where}:{field} {self.message}")


class MlorgError(Exception):
    """Base of every error mlorg raises on purpose."""


class SpecError(MlorgError):
    """An input could not be used; carries every problem found, sorted by line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, line: int = 0, path: str = "") -> SpecError:
        return cls([Problem(file, line, path, message)])


class UsageError(MlorgError):
    """A command was called in a way that cannot work (unknown rule slug, bad option value)."""
