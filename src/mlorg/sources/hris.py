"""``hris``: a CSV export of an HR system (Workday, BambooHR, HiBob, Personio) -> people and teams.

Columns are recognised by name (:data:`COLUMNS`, compared without case, spaces or punctuation);
``--map COLUMN=FIELD`` names any other. Titles become roles through :data:`TITLE_ROLES`, which
``--option titles=FILE`` extends; titles no entry matches are listed, never guessed. An HR export
lists everyone, so each team it names is marked ``people_list: complete``: a role missing there is
known to be missing, which is what lets the hiring plan say "hire" rather than "confirm".
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import ClassVar, get_args

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import read_input, slug, team_kind
from mlorg.spec.messages import did_you_mean, shown
from mlorg.spec.models import Lists, Person, Provenance, Role, Team

#: Field -> column names that mean it, best first, as the four systems' exports spell them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "Employee ID",
        "Employee Number",
        "Employee #",
        "EEID",
        "Worker ID",
        "Employee ID in company",
        "Personnel number",
        "ID",
    ),
    "manager": (
        "Manager ID",
        "Supervisor EID",
        "Supervisor ID",
        "Reports To ID",
        "Manager Employee ID",
        "Supervisor Employee ID",
        "Line Manager ID",
        "Manager Worker ID",
    ),
    "manager_email": ("Manager Email", "Supervisor Email", "Reports To Email", "Manager Work Email"),
    "manager_name": ("Manager", "Reports To", "Supervisor", "Line Manager", "Manager Name"),
    "team": ("Team", "Supervisory Organization", "Sub Department", "Org Unit"),
    "department": ("Department", "Department Name", "Dept"),
    "division": ("Division", "Business Unit"),
    "title": ("Job Title", "Business Title", "Title", "Position", "Position Title", "Job Profile"),
    "location": ("Location", "Work Location", "Office", "Site", "Primary Work Location"),
    "email": ("Work Email", "Email - Work", "Primary Work Email", "Email", "Email Address", "Business Email"),
    "name": ("Display Name", "Name", "Full Name", "Worker", "Preferred Name", "Employee Name", "Legal Name"),
    "first_name": ("First Name", "Preferred First Name", "Legal First Name", "Given Name"),
    "last_name": ("Last Name", "Legal Last Name", "Surname", "Family Name"),
}
FIELDS = tuple(COLUMNS)

#: Title pattern (a regular expression, searched without case) -> role; the first match wins.
#: ``None`` marks titles known to hold none of mlorg's roles. ``--option titles=FILE`` puts its
#: own entries (the same shape, in YAML) before these.
TITLE_ROLES: tuple[tuple[str, Role | None], ...] = (
    (
        r"head of (data science|machine learning|ml|ai)"
        r"|(director|vp|vice president).*(data science|machine learning|\bml\b|\bai\b)",
        "head_of_data_science",
    ),
    (r"\b(ml|machine learning|ai) architect", "ml_architect"),
    (r"\b(ml|machine learning|mlops|ai) (platform |infrastructure )?(sre|site reliability|ops)|\bmlops\b", "sre_ml"),
    (
        r"\b(ml|machine learning|ai|deep learning) (research|scientist)|research scientist|\bresearcher\b",
        "ml_researcher",
    ),
    (r"\b(ml|machine learning|ai|deep learning|computer vision|nlp) engineer", "ml_engineer"),
    (r"data scientist|data science", "data_scientist"),
    (r"data engineer|analytics engineer|etl", "data_engineer"),
    (r"\bsre\b|site reliability|devops|platform engineer|infrastructure engineer", "sre"),
    (r"\b(qa|quality assurance|test|sdet)\b", "qa_engineer"),
    (r"engineering manager|manager,? (software )?engineering|director of engineering", "engineering_manager"),
    (
        r"(lead|principal|group|senior director|director).*product manag"
        r"|head of product|director of product|vp,? product",
        "lead_product_manager",
    ),
    (r"product manag|product owner", "product_manager"),
    (r"product marketing", "product_marketing"),
    (r"\b(tech lead|technical lead|lead engineer|staff engineer|principal engineer|architect)\b", "lead_engineer"),
    (r"business analyst", "business_analyst"),
    (r"\banalyst\b", "analyst"),
    (r"design", "designer"),
    (
        r"\b(software|backend|back-end|frontend|front-end|full[- ]?stack|mobile|ios|android|web) (engineer|developer)"
        r"|\bdeveloper\b|software engineer",
        "product_engineer",
    ),
    (r"\b(ceo|cto|cfo|coo|cpo|cio|chief|president|vp|vice president|general manager|founder)\b", "executive"),
    (
        r"recruit|talent|accountant|counsel|legal|payroll|office manager|executive assistant"
        r"|sales|account (executive|manager)|customer success|support",
        None,
    ),
)
_ROLES = set(get_args(Role))


@dataclass
class _Row:
    line: int
    eid: str
    email: str
    name: str
    team: str
    parent: str
    title: str
    manager: str
    manager_email: str
    manager_name: str


def _norm(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower().replace("#", "number"))


class HrisSource(Source):
    kind = "hris"
    summary = "CSV export of an HR system: people, teams, managers, roles from titles."
    options: ClassVar[Mapping[str, str]] = {
        "titles": "YAML file of title pattern -> role, tried before the built-in table."
    }
    takes_mapping = True

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        for field in options.mapping.values():
            if field not in FIELDS:
                raise UsageError(f"--map: unknown field '{field}'; choose one of: {', '.join(FIELDS)}")
        titles = _title_table(options.settings.get("titles"))
        rows: list[_Row] = []
        for path in inputs:
            rows.extend(_read_rows(path, options.mapping))
        return _fragment(rows, inputs, titles, options)


def _title_table(path: str | None) -> list[tuple[re.Pattern[str], Role | None]]:
    table: list[tuple[str, Role | None]] = []
    if path:
        table.extend(_read_titles(path))
    table.extend(TITLE_ROLES)
    return [(re.compile(p, re.IGNORECASE), role) for p, role in table]


def _read_titles(path: str) -> list[tuple[str, Role | None]]:
    from mlorg.spec.document import parse

    doc = parse(read_input(path), path, ("a titles file", "a titles file maps a title pattern to a role (or null)"))
    if doc.problems:
        raise SpecError(list(doc.problems))
    if not isinstance(doc.data, dict):
        raise SpecError.single(path, "a titles file maps a title pattern to a role (or null)", 1)
    out: list[tuple[str, Role | None]] = []
    for pattern, role in doc.data.items():
        line = doc.source.line((pattern,))
        if role is not None and role not in _ROLES:
            hint = did_you_mean(str(role), sorted(_ROLES))
            raise SpecError.single(path, f"{shown(role)} is not a role{hint}", line, str(pattern))
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise SpecError.single(path, f"not a valid pattern: {exc}", line, str(pattern)) from None
        out.append((str(pattern), role))
    return out


def _columns(header: list[str], mapping: Mapping[str, str], path: str) -> dict[str, int]:
    """Field -> column index: ``--map`` first, then the known names, best first."""
    found: dict[str, int] = {}
    by_exact = {h.strip(): i for i, h in reversed(list(enumerate(header)))}
    for column, field in mapping.items():
        if column not in by_exact:
            hint = did_you_mean(column, list(by_exact))
            raise SpecError.single(path, f"--map names column {shown(column)}, which the header lacks{hint}", 1)
        found[field] = by_exact[column]
    by_norm: dict[str, int] = {}
    for i, h in enumerate(header):
        by_norm.setdefault(_norm(h), i)
    taken = set(found.values())
    for field, names in COLUMNS.items():
        if field in found:
            continue
        for name in names:
            at = by_norm.get(_norm(name))
            if at is not None and at not in taken:
                found[field] = at
                taken.add(at)
                break
    if "id" not in found:
        seen = ", ".join(shown(h) for h in header[:12])
        raise SpecError.single(path, f"no employee id column (found {seen}); name it with --map COLUMN=id", 1)
    if not {"team", "department", "division"} & set(found):
        raise SpecError.single(path, "no department or team column; name one with --map COLUMN=team", 1)
    return found


def _read_rows(path: str, mapping: Mapping[str, str]) -> list[_Row]:
    text = read_input(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise SpecError.single(path, "the file is empty; expected a header row of column names", 1)
        cols = _columns(header, mapping, path)
        names = {i: h.strip() for i, h in enumerate(header)}
        rows: list[_Row] = []
        problems: list[Problem] = []
        seen: dict[str, int] = {}

        # Every field's cell in one call per row (a column the export lacks reads as ""): at 100,000 rows a
        # lookup per field and row was a third of reading them.
        wanted = ("id", "email", "name", "first_name", "last_name", "team", "department", "division", "title",
                  "manager", "manager_email", "manager_name")  # fmt: skip
        at = [cols.get(f) for f in wanted]
        blank = len(header)  # cells get one "" appended, and a missing column points at it
        pick = itemgetter(*[i if i is not None else blank for i in at])

        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                if any(c.strip() for c in cells):
                    problems.append(Problem(path, line, "", f"has {len(cells)} cells; the header has {len(header)}"))
                continue
            cells.append("")
            eid, email, name, first, last, team, department, division, title, manager, m_email, m_name = (
                c.strip() for c in pick(cells)
            )
            if not eid:
                if any(c.strip() for c in cells):
                    problems.append(Problem(path, line, names[cols["id"]], "empty employee id"))
                continue
            if eid in seen:
                problems.append(
                    Problem(path, line, names[cols["id"]], f"employee id {shown(eid)} is also on line {seen[eid]}")
                )
                continue
            seen[eid] = line
            unit = team or department or division
            parent = (department or division) if team else (division if department else "")
            name = name or " ".join(p for p in (first, last) if p)
            rows.append(
                _Row(line, eid, email, name, unit, parent if parent != unit else "", title, manager, m_email, m_name)
            )
            if len(problems) >= 50:
                break
    except csv.Error as exc:
        raise SpecError.single(path, f"not a readable CSV file: {exc}", reader.line_num) from None
    if problems:
        raise SpecError(problems)
    if not rows:
        raise SpecError.single(path, "no employees: the file has a header but no rows", 1)
    return rows


def _fragment(
    rows: list[_Row], inputs: Sequence[str], titles: list[tuple[re.Pattern[str], Role | None]], options: ImportOptions
) -> Fragment:
    location = ", ".join(inputs)
    ids = options.people
    pid = {r.eid: ids.person(r.email or None, f"hris:{r.eid}") or r.eid for r in rows}
    by_email = {r.email.lower(): pid[r.eid] for r in rows if r.email}
    names = Counter(r.name for r in rows if r.name)
    by_name = {r.name: pid[r.eid] for r in rows if r.name and names[r.name] == 1}
    role_of: dict[str, tuple[Role | None] | None] = {}
    unmapped: Counter[str] = Counter()
    missing_manager: list[int] = []
    unit_parent: dict[str, str] = {}
    parent_conflicts: list[str] = []
    people: list[Person] = []
    team_ids: dict[str, str] = {}  # a few thousand teams for 100,000 people: each name made an id once
    for r in rows:
        team_name = r.team or "Unassigned"
        if r.parent:
            first = unit_parent.setdefault(team_name, r.parent)
            if first != r.parent:
                parent_conflicts.append(f"line {r.line}")
        if r.title not in role_of:
            role_of[r.title] = next(((role,) for pattern, role in titles if pattern.search(r.title)), None)
        match = role_of[r.title]
        if r.title and match is None:
            unmapped[r.title] += 1
        role = match[0] if match else None
        manager = None
        if r.manager or r.manager_email or r.manager_name:
            manager = pid.get(r.manager) or by_email.get(r.manager_email.lower()) or by_name.get(r.manager_name)
            if manager is None:
                missing_manager.append(r.line)
        person_id = pid[r.eid]
        team_id = team_ids.get(team_name)
        if team_id is None:
            team_id = team_ids[team_name] = slug(team_name) or "unassigned"
        people.append(
            Person(
                id=person_id,
                name=ids.name(r.name),
                team=team_id,
                roles=(role,) if role else (),
                reports_to=manager if manager != person_id else None,
                provenance=Provenance(
                    system="hris", location=location, record=r.eid if ids.keep_names else f"line {r.line}"
                ),
            )
        )
    units = {r.team or "Unassigned" for r in rows} | {p for p in unit_parent.values()}
    parents = set(unit_parent.values())
    teams = [
        Team(
            id=slug(u) or "unassigned",
            name=u,
            kind=team_kind(u, has_children=u in parents),
            parent=(slug(unit_parent[u]) or None) if u in unit_parent else None,
            people_list="complete",
            provenance=Provenance(system="hris", location=location, record=u),
        )
        for u in sorted(units)
    ]
    _check_unique(teams, people, location)
    notes: list[str] = []
    if unmapped:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:40])
        more = f" and {len(unmapped) - 40} more" if len(unmapped) > 40 else ""
        notes.append(f"titles with no role (map them with --option titles=FILE): {listed}{more}")
    if missing_manager:
        lines = ", ".join(map(str, missing_manager[:20])) + (" ..." if len(missing_manager) > 20 else "")
        notes.append(
            f"{_people(len(missing_manager))} to a manager missing from the export (lines {lines}); "
            "reports_to is left out there"
        )
    if parent_conflicts:
        notes.append(f"a team is placed under two departments ({', '.join(parent_conflicts[:10])}); the first is kept")
    return Fragment(
        system="hris",
        teams=tuple(teams),
        people=tuple(people),
        lists=Lists(people="complete"),
        headcount=len(rows),
        notes=tuple(notes),
    )


def _check_unique(teams: list[Team], people: list[Person], location: str) -> None:
    seen: dict[str, str] = {}
    for t in teams:
        if t.id in seen and seen[t.id] != t.name:
            raise SpecError.single(
                location, f"teams {shown(seen[t.id])} and {shown(t.name)} get the same id {shown(t.id)}; rename one"
            )
        seen[t.id] = t.name or t.id
    if len({p.id for p in people}) != len(people):
        raise SpecError.single(location, "two employees share an identity (the same email); check the export")


def _people(n: int) -> str:
    return "1 person reports" if n == 1 else f"{n} people report"
