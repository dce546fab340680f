"""The dashboard's round cache and the answer writer's group commit (issue 14, item 4).

The cache must give exactly what a fresh read gives (so two server processes show the same
figures), read only new answers, notice answers stored by another process and a changed spec, and
keep the privacy floor. The writer must batch concurrent submissions into shared transactions
without one refused submission spoiling the others. Real databases: SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from concurrent.futures import wait

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mlorg.storage.survey_tables import SurveyLink, SurveyRound
from mlorg.survey.responses import Responses
from mlorg.web import store
from mlorg.web.dashboard import dashboard_context
from mlorg.web.rounds import RoundCache
from mlorg.web.writer import AnswerWriter

from .survey_helpers import EXAMPLE, answer_count

INVITATIONS = {"recs": 1000, "leadership": 1000, "engineering": 1000}
ITEMS = ("westrum_info_sought", "westrum_new_ideas", "westrum_failure_inquiry")


def _round(engine, spec: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    text = spec or re.sub(r"headcount: \d+", "headcount: 1000", EXAMPLE.read_text())
    created = store.create_round(engine, "Cache", text, "yarnit.yaml", ["westrum"], INVITATIONS)
    return created.tokens


def _answer(engine, token: str, rng: random.Random, n: int) -> None:  # type: ignore[no-untyped-def]
    values = {item: rng.randint(1, 7) for item in rng.sample(ITEMS, rng.randint(1, len(ITEMS)))}
    role = rng.choice([None, "ml_engineer", "data_scientist"])
    assert store.submit(engine, token, f"nonce-{n}-{rng.random()}", role, values) == "stored"


def _same(a: Responses, b: Responses) -> None:
    assert (a.items, a.teams, a.roles, a.count) == (b.items, b.teams, b.roles, b.count)
    np.testing.assert_array_equal(a.values, b.values)  # NaN where unanswered, in the same places
    np.testing.assert_array_equal(a.team, b.team)
    np.testing.assert_array_equal(a.role, b.role)


def _content(res: Responses) -> list[tuple[str, str, tuple[tuple[str, int], ...]]]:
    """Each answer as (team, role, its (item, value) pairs), sorted: what the rows hold, in any order."""
    out = []
    for r in range(res.count):
        pairs = tuple(sorted((res.items[j], int(v)) for j, v in enumerate(res.values[r]) if v == v))
        out.append((res.teams[res.team[r]], res.roles[res.role[r]] if res.role[r] >= 0 else "", pairs))
    return sorted(out)


def _stored(engine, round_id: str) -> list[tuple[str, str, tuple[tuple[str, int], ...]]]:  # type: ignore[no-untyped-def]
    from mlorg.storage.survey_tables import SurveyAnswer

    with Session(engine) as s:
        rows = s.execute(
            select(SurveyLink.team_id, SurveyAnswer.role, SurveyAnswer.values)
            .join(SurveyLink, SurveyLink.id == SurveyAnswer.link_id)
            .where(SurveyAnswer.round_id == round_id)
        ).all()
    return sorted((t, r or "", tuple(sorted(v.items()))) for t, r, v in rows)


def _round_id(engine) -> str:  # type: ignore[no-untyped-def]
    return store.list_rounds(engine)[0][0].id


def test_the_cache_reads_only_new_answers_and_equals_a_fresh_read(engine) -> None:  # type: ignore[no-untyped-def]
    tokens = _round(engine)
    round_id = _round_id(engine)
    rng = random.Random(7)
    cache = RoundCache()
    n = 0
    for step in (40, 1, 0, 7, 25):
        for _ in range(step):
            _answer(engine, tokens[rng.choice(sorted(tokens))], rng, n)
            n += 1
        before = cache.answers_read
        snap = cache.snapshot(engine, round_id)
        assert cache.answers_read - before == (step if n > step else n)  # only the new ones were read
        assert _content(snap.responses) == _stored(engine, round_id)  # exactly the stored answers
        _same(snap.responses, store.round_responses(engine, round_id))
        _same(snap.responses, RoundCache().snapshot(engine, round_id).responses)  # a cold process agrees
        assert {link.team_id: link.answers for link in snap.links} == {
            link.team_id: link.answers for link in store.links(engine, round_id)
        }


def test_derived_figures_are_built_once_per_state_of_the_answers(engine) -> None:  # type: ignore[no-untyped-def]
    tokens = _round(engine)
    round_id = _round_id(engine)
    rng = random.Random(3)
    for n in range(12):
        _answer(engine, tokens["recs"], rng, n)
    cache = RoundCache()
    builds: list[int] = []

    def build(snap):  # type: ignore[no-untyped-def]
        builds.append(snap.responses.count)
        return snap.responses.count

    assert cache.snapshot(engine, round_id).derived("count", build) == 12
    assert cache.snapshot(engine, round_id).derived("count", build) == 12
    assert builds == [12]  # the second view built nothing
    _answer(engine, tokens["leadership"], rng, 99)
    assert cache.snapshot(engine, round_id).derived("count", build) == 13
    assert builds == [12, 13]


def test_a_second_process_sees_answers_stored_through_another(db_url: str) -> None:
    """Two engines stand for two server processes on one database: each one's cache stays current."""
    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade

    upgrade(db_url)
    a, b = make_engine(db_url), make_engine(db_url)
    try:
        tokens = _round(a)
        round_id = _round_id(a)
        rng = random.Random(5)
        _answer(a, tokens["recs"], rng, 0)
        first = dashboard_context(a, round_id)
        assert first["total"] == 1
        for n in range(1, 6):
            _answer(b, tokens["engineering"], rng, n)
        seen = dashboard_context(a, round_id)
        assert seen["total"] == 6
        assert {link.team_id: link.answers for link in seen["links"]}["engineering"] == 5
        assert dashboard_context(b, round_id)["scored"] == seen["scored"]
    finally:
        a.dispose()
        b.dispose()


def test_a_changed_spec_is_parsed_again_and_the_privacy_floor_holds(engine) -> None:  # type: ignore[no-untyped-def]
    tokens = _round(engine)
    round_id = _round_id(engine)
    rng = random.Random(11)
    for n, team in enumerate(["recs"] * 12 + ["engineering"] * 6 + ["leadership"] * 2):
        _answer(engine, tokens[team], rng, n)
    shown = {t["team_id"] for t in dashboard_context(engine, round_id)["scored"][0]["teams"]}
    # leadership (2) is under the default floor (5); engineering is hidden too, or it could be
    # worked out from the organization's figure minus the shown teams'.
    assert shown == {"recs"}
    with Session(engine) as s, s.begin():
        spec = s.get(SurveyRound, round_id).spec_text  # type: ignore[union-attr]
        raised = spec + "\nsettings:\n  thresholds:\n    privacy_floor: 20\n"
        s.execute(update(SurveyRound).where(SurveyRound.id == round_id).values(spec_text=raised))
    ctx = dashboard_context(engine, round_id)
    assert ctx["floor"] == 20
    assert ctx["scored"][0]["teams"] == []  # no team has 20 answers: no team figure at all


def test_one_batch_stores_many_and_refuses_only_what_it_must(engine) -> None:  # type: ignore[no-untyped-def]
    tokens = _round(engine)
    round_id = _round_id(engine)
    with Session(engine) as s, s.begin():
        s.execute(update(SurveyLink).where(SurveyLink.team_id == "leadership").values(invitations=1))
    sub = store.Submission
    batch = [
        sub(tokens["recs"], "a", None, {"westrum_info_sought": 3}),
        sub(tokens["recs"], "a", None, {"westrum_info_sought": 3}),  # the same form twice: counts once
        sub("NoSuchLinkToken", "b", None, {"westrum_info_sought": 3}),
        sub(tokens["leadership"], "c", None, {"westrum_info_sought": 4}),
        sub(tokens["leadership"], "d", None, {"westrum_info_sought": 5}),  # over the link's one invitation
        sub(tokens["engineering"], "e", "ml_engineer", {"westrum_new_ideas": 6}),
    ]
    outcomes = store.submit_batch(engine, batch)
    assert [o if isinstance(o, str) else type(o).__name__ for o in outcomes] == [
        "stored",
        "duplicate",
        "NotFound",
        "stored",
        "Full",
        "stored",
    ]
    assert answer_count(engine) == 3
    counts = {link.team_id: link.answers for link in store.links(engine, round_id)}
    assert {team: counts[team] for team in ("recs", "leadership", "engineering")} == {
        "recs": 1,
        "leadership": 1,
        "engineering": 1,
    }
    assert sum(counts.values()) == 3
    store.close_round(engine, round_id)
    (closed,) = store.submit_batch(engine, [sub(tokens["recs"], "f", None, {"westrum_info_sought": 1})])
    assert isinstance(closed, store.Closed)
    assert answer_count(engine) == 3


def test_the_writer_groups_concurrent_submissions_into_shared_commits(engine) -> None:  # type: ignore[no-untyped-def]
    tokens = _round(engine)
    writer = AnswerWriter(engine, idle_seconds=0.5)
    teams = sorted(tokens)
    futures = [
        writer.submit(store.Submission(tokens[teams[n % 3]], f"n{n}", None, {"westrum_info_sought": 1 + n % 7}))
        for n in range(60)
    ]
    futures.append(writer.submit(store.Submission(tokens["recs"], "n0", None, {"westrum_info_sought": 1})))
    done, _ = wait(futures, timeout=120)
    assert len(done) == len(futures)
    assert [f.result() for f in futures] == ["stored"] * 60 + ["duplicate"]
    assert writer.submissions == 61
    assert writer.batches < writer.submissions  # some commits carried several answers
    assert answer_count(engine) == 60
    with pytest.raises(store.NotFound):
        writer.submit(store.Submission("NoSuchLinkToken", "x", None, {"westrum_info_sought": 1})).result(60)


def test_the_migration_counts_the_answers_of_existing_links(db_url: str) -> None:
    from sqlalchemy import text

    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade

    upgrade(db_url, "0005_link_token_hash")
    eng = make_engine(db_url)
    try:
        with eng.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO survey_round (id, title, spec_label, spec_text, instruments, created_on, closed) "
                    "VALUES ('ab12', 'Old', 'old.yaml', 'x', 'westrum', '2026-01-05', false)"
                )
            )
            for team in ("t", "u"):
                conn.execute(
                    text("INSERT INTO survey_link (round_id, team_id, token_hash) VALUES ('ab12', :t, :h)"),
                    {"t": team, "h": team * 64},
                )
            link_t = conn.execute(text("SELECT id FROM survey_link WHERE team_id = 't'")).scalar_one()
            for n in range(3):
                conn.execute(
                    text(
                        'INSERT INTO survey_answer (id, round_id, link_id, role, "values", submission_key) '
                        "VALUES (:id, 'ab12', :link, NULL, '{}', :key)"
                    ),
                    {"id": f"a{n}", "link": link_t, "key": f"k{n}"},
                )
        upgrade(db_url)
        with Session(eng) as s:
            counts = {team: n for team, n in s.execute(select(SurveyLink.team_id, SurveyLink.answers))}
        assert counts == {"t": 3, "u": 0}
    finally:
        eng.dispose()


def test_answers_are_ordered_by_content_whatever_order_they_come_in() -> None:
    """Many teams (codes past one byte), roles, unanswered items: shuffled input, one order out."""
    from mlorg.web.rounds import Answers

    rng = random.Random(2)
    rows = [
        (
            f"team-{rng.randrange(300):03d}",
            rng.choice([None, "sre", "analyst"]),
            {item: rng.randint(1, 7) for item in ITEMS if rng.random() < 0.7},
        )
        for _ in range(2000)
    ]
    built = []
    for _ in range(3):
        rng.shuffle(rows)
        answers = Answers()
        for start in range(0, len(rows), 150):  # in several reads, as views catch up
            answers.add(rows[start : start + 150])
        built.append(answers.responses("x"))
    _same(built[0], built[1])
    _same(built[0], built[2])
    res = built[0]
    keys = [
        (
            res.teams[res.team[r]],
            res.roles[res.role[r]] if res.role[r] >= 0 else "",
            tuple(-1 if v != v else v for v in res.values[r]),
        )
        for r in range(res.count)
    ]
    assert keys == sorted(keys)  # by team, then role, then the values in catalog order
    assert _content(res) == sorted((t, r or "", tuple(sorted(v.items()))) for t, r, v in rows)


def test_assessing_with_answers_already_scored_is_assessing_with_the_answers(engine) -> None:  # type: ignore[no-untyped-def]
    from mlorg.engine import assess, effective_settings
    from mlorg.survey.scoring import score

    tokens = _round(engine)
    round_id = _round_id(engine)
    rng = random.Random(4)
    for n in range(30):
        _answer(engine, tokens[sorted(tokens)[n % 3]], rng, n)
    spec = store.parse_spec(store.get_round(engine, round_id).spec_text, "yarnit.yaml")
    responses = store.round_responses(engine, round_id)
    scored = score(responses, effective_settings(spec, None).thresholds)
    day = dt.date(2026, 12, 1)
    assert assess(spec, survey=scored, today=day) == assess(spec, survey=responses, today=day)


def test_the_dashboard_after_new_answers_is_the_page_a_cold_start_shows(  # type: ignore[no-untyped-def]
    db_url: str, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After each few new answers, the page a long-running process shows (round cache, charts kept
    by their data) is byte for byte the page of a process that starts then: its own engine and
    cache, no chart drawn yet. Some answers leave the culture chart's data as it was (no Westrum
    item answered): that chart is then not drawn again; others leave its bars as they were but not
    its description (one more respondent, the same mean)."""
    from fastapi.testclient import TestClient

    from mlorg.render import charts
    from mlorg.storage.base import make_engine
    from mlorg.survey.catalog import instrument
    from mlorg.web import charts as web_charts
    from mlorg.web.app import WebConfig, create_app

    from .survey_helpers import CSRF, create_round, make_app, sign_in

    warm = TestClient(make_app(engine), follow_redirects=False)
    sign_in(warm)
    round_id, links = create_round(warm)
    tokens = {team: path.rsplit("/", 1)[1] for team, path in links.items()}
    items = {
        inst_id: [(item.id, inst.scale.min, inst.scale.max) for item in inst.items]
        for inst_id in ("westrum", "ml_org")
        for inst in [instrument(inst_id)]
        if inst is not None
    }
    rng = random.Random(9)
    n = 0

    def answer(team: str, asked: tuple[str, ...]) -> None:
        nonlocal n
        values = {i: rng.randint(lo, hi) for a in asked for i, lo, hi in items[a] if rng.random() < 0.8}
        if team == "recs":  # every Westrum item 4: the team's mean stays 4.0 while its count grows
            values.update({i: 4 for i in values if i.startswith("westrum_")})
        role = rng.choice([None, "ml_engineer", "data_scientist"])
        assert store.submit(engine, tokens[team], f"cold-{n}", role, values or {items[asked[0]][0][0]: 3}) == "stored"
        n += 1

    def page(client) -> str:  # type: ignore[no-untyped-def]
        res = client.get(f"/admin/rounds/{round_id}")
        assert res.status_code == 200, res.text
        return CSRF.sub('name="csrf_token" value=""', res.text)  # the session's own token

    def no_chart_drawn(m: pytest.MonkeyPatch) -> None:
        for name in ("STAR_RADARS", "CULTURES", "CULTURE_BARS"):
            m.setattr(charts, name, charts.Drawn())
        fresh = web_charts.lru_cache(maxsize=16)(web_charts.without_inline_style.__wrapped__)
        m.setattr(web_charts, "without_inline_style", fresh)

    def cold_page() -> str:
        with pytest.MonkeyPatch.context() as m:
            no_chart_drawn(m)
            other = make_engine(db_url)
            try:
                client = TestClient(create_app(other, WebConfig(secure_cookies=False)), follow_redirects=False)
                sign_in(client)
                return page(client)
            finally:
                other.dispose()

    no_chart_drawn(monkeypatch)  # not even by another test
    both = ("westrum", "ml_org")
    checked = False
    steps = [
        [("recs", both)] * 12 + [("engineering", both)] * 6,
        [("recs", both)],
        [("recs", ("ml_org",))],  # the Westrum figures stay as they were
        [("leadership", ("westrum",))],
        [("engineering", both)] * 2,
        [("recs", both)],
    ]
    for step in steps:
        for team, asked in step:
            answer(team, asked)
        drawn, bars = charts.CULTURES.drawn, charts.CULTURE_BARS.drawn
        shown = page(warm)
        assert shown == cold_page()
        assert f'<span id="total">{n}</span>' in shown
        if step == [("recs", ("ml_org",))]:
            assert charts.CULTURES.drawn == drawn  # the culture chart was taken, not drawn
        if step == [("recs", both)] and n > 21:  # after leadership's answer only recs is drawn
            assert (charts.CULTURES.drawn, charts.CULTURE_BARS.drawn) == (drawn + 1, bars)  # bars kept
            checked = True
    assert checked and 'id="chart-culture"' in shown and 'id="chart-star"' in shown


def test_answers_placed_among_those_already_ordered_come_out_as_one_sort_of_all() -> None:
    """Views between additions keep the order found and place only the new answers in it; the rows
    must be what sorting every answer at once gives, whether or not a new team, role or item (which
    change the byte strings) came with them, and with answers that are exactly alike."""
    from mlorg.web.rounds import Answers

    rng = random.Random(12)
    rows = []
    for n in range(1500):
        team = f"team-{rng.randrange(3 if n < 600 else 260):03d}"  # new teams (codes past a byte) later
        items = ITEMS[:2] if n < 300 else ITEMS  # a new item later
        values = {item: rng.randint(1, 3) for item in items if rng.random() < 0.8}
        rows.append((team, rng.choice([None, "sre"] if n < 900 else [None, "sre", "analyst"]), values))
    rows += rows[:40]  # the same answers again, in the last two additions
    kept = Answers()
    start = 0
    for size in [1, 1, 7, 150, 1, 1, 1, 300, 2, 1, 500, 1, 1, 533, 1, 39]:
        kept.add(rows[start : start + size])
        start += size
        once = Answers()
        once.add(rows[:start])
        _same(kept.responses("x"), once.responses("x"))
    assert start == len(rows)
