"""What the app's pages say: filters that turn analysis text and spec problems into page text, and
teams by the names their spec gives them on the respondents' pages."""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict

from markupsafe import Markup, escape

from mlorg.errors import Problem, SpecError
from mlorg.web import store
from mlorg.web.dashboard import team_names

log = logging.getLogger("mlorg.web")

_TICKED = re.compile(r"`([^`\n]+)`")


def ticks(text: str) -> Markup:
    """Escape ``text`` and show its `quoted` parts as code, as a terminal reader sees them between backticks."""
    return Markup(_TICKED.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def words(text: str) -> Markup:
    """Text from the analyses as the HTML report shows it: ids in words, control characters inert, `code`."""
    from mlorg.render.escape import printable
    from mlorg.render.words import humanize

    return ticks(printable(humanize(text)))


def problem_parts(problem: Problem) -> tuple[str, str]:
    """A spec problem as (where, what): ``pasted spec:4: teams[0].kind:`` and the message after it."""
    full = str(problem)
    where = str(Problem(problem.file, problem.line, problem.path, "", problem.column)).rstrip()
    if not full.startswith(where):  # cannot happen (both made the same way); show it whole rather than guess
        return "", full
    return where, full[len(where) :].strip()


def duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def safe_label(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:100] or "uploaded spec"


class TeamNames:
    """Each round's team names, parsed from its spec once per process (a round's spec never changes),
    for the respondents' pages; the ``rounds`` most recently asked for are kept."""

    def __init__(self, rounds: int = 256) -> None:
        self.rounds = rounds
        self._names: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def name(self, view: store.RoundView, team_id: str) -> str:
        """The team as its spec names it; its id if the stored spec no longer loads. Blocking: call off the loop."""
        with self._lock:
            names = self._names.get(view.id)
        if names is None:
            names = _parsed(view)
            with self._lock:
                self._names[view.id] = names
                while len(self._names) > self.rounds:
                    self._names.popitem(last=False)
        return names.get(team_id, team_id)


def _parsed(view: store.RoundView) -> dict[str, str]:
    try:
        return team_names(store.stored_spec(view.spec_text, view.spec_label))
    except SpecError:
        log.warning("survey round %s: its stored spec no longer loads; teams are shown by id", view.id)
        return {}
