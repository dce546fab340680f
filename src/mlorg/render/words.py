"""Words for people: the one place that turns machine ids and values into what a leader reads.

The analyses speak in ids (``sre_ml``, ``getting_started``, ``quasi_identifier``); JSON and SARIF keep
them. Every renderer a person reads passes its text through :func:`humanize`, so an id that slips into
a sentence still reads as words. Display names come from the knowledge files, never from code.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from functools import cache

ACRONYMS = {
    "ml": "ML",
    "sre": "SRE",
    "qa": "QA",
    "kpi": "KPI",
    "kpis": "KPIs",
    "mlops": "MLOps",
    "it": "IT",
    "pm": "PM",
    "ai": "AI",
}


def human(token: str | None) -> str:
    """``performance_oriented`` -> ``performance-oriented``, ``sre_ml`` -> ``SRE for ML``; None -> ``unknown``."""
    if not token:
        return "unknown"
    known = vocabulary().get(token)
    if known is not None:
        return known
    return _spaced(token)


def _spaced(token: str) -> str:
    out = " ".join(ACRONYMS.get(w, w) for w in token.split("_"))
    return out.replace(" oriented", "-oriented")


def title(token: str | None) -> str:
    """A display name at the start of a line or cell: first letter upper case."""
    text = human(token)
    return text[:1].upper() + text[1:]


@cache
def vocabulary() -> dict[str, str]:
    """Every machine id a sentence may carry (knowledge ids, spec enumerations) -> its words for people."""
    from mlorg import knowledge
    from mlorg.spec import models

    out: dict[str, str] = {}
    for name in dir(models):
        value = getattr(models, name)
        if typing.get_origin(value) is typing.Literal:
            for v in typing.get_args(value):
                if isinstance(v, str) and "_" in v:
                    out[v] = _spaced(v)
    stages = knowledge.stages()
    for stage in stages.stages:
        out[stage.id] = stage.name.lower()
        for check in (*stage.entry, *stage.checklist):
            out.setdefault(check.id, _spaced(check.id))
    for band in knowledge.culture().bands:
        out[band.id] = _spaced(band.id)
    arch = knowledge.archetypes()
    for a in arch.archetypes:
        out[a.id] = a.name[:1].lower() + a.name[1:]
    for d in arch.dimensions:
        out[d.id] = d.name[:1].lower() + d.name[1:]
    roles = knowledge.roles()
    for fn in roles.functions:
        out.setdefault(fn.id, _prose(fn.name))
    role_ids = set()
    for info in roles.catalogue:
        role_ids.add(info.id)
        out[info.id] = _prose(info.name)
    for st in knowledge.structures().structures:
        out.setdefault(st.id, _spaced(st.id))
        for w in st.weak_points:
            out.setdefault(w.id, _spaced(w.id))
    for mi in knowledge.structures().mitigations:
        out.setdefault(mi.id, _spaced(mi.id))
    from mlorg.analyses.portfolio import NEXT_CRITERIA

    for scorer in NEXT_CRITERIA:
        out.setdefault(scorer.__name__, _spaced(scorer.__name__))
    for point in knowledge.star_model().points:
        for c in point.criteria:
            out.setdefault(c.id, _spaced(c.id))
    return {k: v for k, v in out.items() if "_" in k or k in role_ids}


def _prose(name: str) -> str:
    """A display name inside a sentence: ``Data engineer`` -> ``data engineer``, ``ML architect`` stays."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


# An id in running text: snake_case, not part of a spec path (``a.b_c``, ``x[0]``), a quoted name or code.
_ID = re.compile(r"(?<![\w\[`'\"/-])(?<![\w\]]\.)([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w\[`'\"(/-])(?!\.\w)")
_OVER = re.compile(r"\b(\d+) of the (\d+)\b")
_LIST_REPR = re.compile(r"\[((?:'[^'\n]*'(?:, )?)+)\]")
_DICT_REPR = re.compile(r"\{((?:'[^'\n]*': [^,{}\n]+(?:, )?)+)\}")
_PLURAL_S = re.compile(r"\b(\d[\d,]*) ([A-Za-z]+)\(s\)")
_BARE_PLURAL_S = re.compile(r"\b([A-Za-z]+)\(s\)")
_A_VOWEL = re.compile(r"\b([Aa]) (?=(?:[aei]|o(?!ne)|un(?!i))[a-z])")
_AN_CONSONANT = re.compile(r"\b([Aa])n (?=[bcdfgjklmnpqrstvwxyz][a-z])")
_BOOL = {"True": "yes", "False": "no", "None": "not given"}
_BOOL_RE = re.compile(r"(?<== )(True|False|None)\b")


def humanize(text: str) -> str:
    """Make a sentence from the analyses read as words: ids named, Python values spelled out, grammar fixed."""
    if not text:
        return text
    if "[" in text:
        text = _LIST_REPR.sub(lambda m: ", ".join(_unquote(m.group(1))), text)
    if "{" in text:
        text = _DICT_REPR.sub(_dict_words, text)
    if "_" in text:
        vocab = vocabulary()
        text = _ID.sub(lambda m: vocab.get(m.group(1), m.group(1)), text)
    if " of the " in text:
        text = _OVER.sub(_over, text)
    if "(s)" in text:
        text = _PLURAL_S.sub(lambda m: count(_int(m.group(1)), m.group(2)), text)
        text = _BARE_PLURAL_S.sub(lambda m: plural(2, m.group(1)), text)
    if "= " in text:
        text = _BOOL_RE.sub(lambda m: _BOOL[m.group(1)], text)
    text = _A_VOWEL.sub(lambda m: m.group(1) + "n ", text)
    return _AN_CONSONANT.sub(lambda m: m.group(1) + " ", text)


def _over(m: re.Match[str]) -> str:
    """``6 of the 2 needed`` is nonsense: say ``6, more than the 2 needed``."""
    have, of = int(m.group(1)), int(m.group(2))
    return f"{have}, more than the {of}" if have > of else m.group(0)


def _unquote(inner: str) -> list[str]:
    return [human(part) for part in re.findall(r"'([^'\n]*)'", inner)]


def _dict_words(m: re.Match[str]) -> str:
    pairs = re.findall(r"'([^'\n]*)': ([^,{}\n]+)", m.group(1))
    return ", ".join(f"{human(k)} {v.strip()}" for k, v in pairs)


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def plural(n: int, word: str, many: str | None = None) -> str:
    """The word for ``n`` of it: ``team``/``teams``, ``person``/``people``."""
    if n == 1:
        return word
    if many is not None:
        return many
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str, many: str | None = None) -> str:
    """``1 team``, ``3 teams``, ``12,400 people``."""
    return f"{n:,} {plural(n, word, many)}"


def article(phrase: str) -> str:
    """``a centralized``, ``an embedded``, ``an ML``: by sound, as far as a simple rule can tell."""
    first = phrase.split(" ", 1)[0]
    vowel = first[:1].lower() in "aeio" or (first[:2].lower() == "un" and first[:3].lower() != "uni")
    if first.isupper() and first[:1] in "AEFHILMNORSX":  # read letter by letter: an ML, an SRE
        vowel = True
    return ("an " if vowel else "a ") + phrase


def joined(items: Iterable[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def number(x: float | None, digits: int = 2) -> str:
    """A score as a reader expects it: ``0.92``, ``1``, ``4.6``; None -> ``unknown``."""
    if x is None:
        return "unknown"
    rounded = round(float(x), digits)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{digits}f}".rstrip("0")


def value_text(value: object, limit: int = 200) -> str:
    """An evidence value as a leader reads it: ``not given`` for null, yes/no, lists joined, ids named."""
    if value is None:
        out = "not given"
    elif isinstance(value, bool):
        out = "yes" if value else "no"
    elif isinstance(value, list | tuple):
        out = ", ".join(value_text(v, limit) for v in value) or "none"
    elif isinstance(value, dict):
        out = ", ".join(f"{human(str(k))} {value_text(v, limit)}" for k, v in sorted(value.items())) or "none"
    elif isinstance(value, float):
        out = number(value)
    elif isinstance(value, str):
        out = vocabulary().get(value, value)
    else:
        out = str(value)
    if len(out) <= limit:
        return out
    cut = out[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;") + " …"
