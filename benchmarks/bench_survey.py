"""Benchmark: read, validate and score a 100,000-response survey CSV, then assess with it.

Run: ``python benchmarks/bench_survey.py [--rows N]``. Prints the seconds each step took; the
figures go into docs/performance.md ("Survey scoring"). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import yaml

from mlorg import assess, load_spec
from mlorg.settings import Thresholds
from mlorg.survey.catalog import instruments
from mlorg.survey.responses import read_responses
from mlorg.survey.scoring import score

TEAMS = 500


def write_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    """A spec with ``TEAMS`` teams and an answers CSV with every item, about 10% left blank."""
    rng = random.Random(42)
    teams = [f"team-{i:04d}" for i in range(TEAMS)]
    spec = {
        "version": 1,
        "organization": {"name": "Bench Co", "headcount": rows},
        "teams": [{"id": t, "kind": "product"} for t in teams],
        "culture": {"westrum": {"mean": 4.5}, "survey": "answers.csv"},
    }
    spec_path = folder / "org.yaml"
    spec_path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    items = [(item.id, inst.scale.min, inst.scale.max) for inst in instruments() for item in inst.items]
    csv_path = folder / "answers.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["team", "role", *(i for i, _, _ in items)]) + "\n")
        for n in range(rows):
            cells = ["" if rng.random() < 0.1 else str(rng.randint(lo, hi)) for _, lo, hi in items]
            fh.write(",".join([teams[n % TEAMS], "ml_engineer" if n % 3 == 0 else "", *cells]) + "\n")
    return spec_path, csv_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, csv_path = write_inputs(Path(tmp), args.rows)
        size = csv_path.stat().st_size
        t0 = time.perf_counter()
        responses = read_responses(csv_path, team_ids={f"team-{i:04d}" for i in range(TEAMS)})
        t1 = time.perf_counter()
        result = score(responses, Thresholds())
        t2 = time.perf_counter()
        assessment = assess(load_spec(spec_path))
        t3 = time.perf_counter()
    westrum = result.instrument("westrum")
    assert westrum is not None and westrum.respondents > 0.99 * args.rows
    assert assessment.culture.source == "survey"
    print(f"rows: {args.rows:,} respondents x {len(responses.items)} items ({size / 1e6:.1f} MB), {TEAMS} teams")
    print(f"read + validate CSV: {t1 - t0:.2f} s")
    print(f"score (all instruments, teams, roles, alpha): {t2 - t1:.2f} s")
    print(f"full assess with the survey (load spec, read, score, analyses, rules): {t3 - t2:.2f} s")


if __name__ == "__main__":
    main()
