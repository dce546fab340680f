"""Benchmark: `mlorg assess` side by side with the fastest ways to read the same organization.

For each size (1,000, 10,000 and 100,000 people by default; ``--million`` adds 1,000,000) it generates an
organization (``mlorg generate --seed 1``: teams about 10% of people, models 5%, features 50%), writes it
as YAML and as JSON, and runs each of these in its own fresh process:

- ``msgspec`` and ``orjson`` reading the JSON file (the fastest readers on PyPI for JSON),
- ``rapidyaml`` parsing the YAML into its tree (the fastest YAML reader; it builds no Python objects),
- PyYAML's C loader (``CSafeLoader``) building Python data from the YAML, with the collector off,
- the whole ``mlorg assess SPEC --format F -o FILE`` command, for every output format;
- two floors, which do no analysis: msgspec's read followed by validation into mlorg's spec models
  (what any design on those pydantic models must do first), and orjson writing the JSON mlorg wrote
  (what any design must write last). Printed beside the targets, to show how much of each ratio is
  left for mlorg's own work.

With ``--repeat N`` every measurement runs N times, in rounds that run each measurement once (a slow minute
on a shared machine then costs every measurement one run, not one measurement all of its runs), and the
fastest run of each is kept. Each run records wall-clock and CPU time (user + system, from the child's own
``rusage``) and the child's peak resident set. Readers are timed inside the child around the read (file to
data), so Python's start-up is not counted against them; ``mlorg`` is timed as a whole command, start-up
included, as a user sees it. It also times ``mlorg --help`` against ``python -c "import typer"``.

The ratios of issue 14 are computed from one run and printed with each target, met or not:

- ``assess --format json`` at 100,000 people: at most 6x msgspec reading the JSON;
- every other format at most 1.3x the JSON time;
- peak memory at 100,000 people at most 400 MiB; 10x the people at most 11x the time and memory;
- ``mlorg --help`` at most 2x ``import typer``.

Run ``python benchmarks/bench_assess.py [--sizes 1000,10000,100000] [--million] [--repeat N]``; readers
need the ``bench`` extra (``pip install -e '.[bench]'``). Figures go to ``benchmarks/out/bench_assess.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_JSON = ROOT / "out" / "bench_assess.json"
FORMATS = ("json", "sarif", "markdown", "text", "html")
JSON_SPEC = "json, from a JSON spec"
TARGET_JSON_TO_MSGSPEC = 6.0
TARGET_FORMAT_TO_JSON = 1.3
TARGET_PEAK_MIB = 400.0
TARGET_GROWTH = 11.0
TARGET_HELP_TO_TYPER = 2.0

# Each reader runs in a fresh interpreter: import first, then time only reading the file into data.
READERS: dict[str, tuple[str, str]] = {
    "msgspec (JSON)": (
        "json",
        "import msgspec\ndef read(p):\n    with open(p, 'rb') as f:\n        return msgspec.json.decode(f.read())\n",
    ),
    "orjson (JSON)": (
        "json",
        "import orjson\ndef read(p):\n    with open(p, 'rb') as f:\n        return orjson.loads(f.read())\n",
    ),
    "rapidyaml tree (YAML)": (
        "yaml",
        "import ryml\ndef read(p):\n    with open(p, 'rb') as f:\n        return ryml.parse_in_arena(f.read())\n",
    ),
    "PyYAML C loader, collector off (YAML)": (
        "yaml",
        "import gc, yaml\ngc.disable()\n"
        "def read(p):\n    with open(p, 'rb') as f:\n        return yaml.load(f.read(), Loader=yaml.CSafeLoader)\n",
    ),
}
# Floors: work any design reading into mlorg's pydantic models and writing its JSON must do, with no
# analysis at all. Not targets; they show how much of each ratio is left for mlorg's own work.
VALIDATE = "msgspec + validation into the spec models (JSON)"
WRITE = "orjson writing the assessment's JSON (output)"
FLOORS: dict[str, tuple[str, str]] = {
    VALIDATE: (
        "json",
        "import gc, msgspec\ngc.disable()\nfrom mlorg.spec.models import Organization\n"
        "def read(p):\n    with open(p, 'rb') as f:\n"
        "        return Organization.model_validate(msgspec.json.decode(f.read()))\n",
    ),
    WRITE: (
        "output",
        "import gc, msgspec, orjson\ngc.disable()\n"
        "with open(sys.argv[1], 'rb') as f:\n    doc = msgspec.json.decode(f.read())\n"
        "def read(p):\n    with open(p + '.again', 'wb') as f:\n"
        "        f.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))\n",
    ),
}
READER_MAIN = """
import sys, time, json
{setup}
t0, c0 = time.perf_counter(), time.process_time()
data = read(sys.argv[1])
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({{"wall": t1 - t0, "cpu": c1 - c0}}))
"""


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float
    ok: bool = True
    note: str = ""


def run_child(argv: list[str], *, inner: bool = False) -> Run:
    """Run a child; wall time, CPU time and peak RSS come from its own ``rusage`` (``os.wait4``).

    With ``inner`` the child prints its own timing of the read as JSON, which replaces the wall and CPU time.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    if proc.returncode not in (0, 1):  # 1: findings at or above --fail-on, still a complete run
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}"
        return Run(wall, run.cpu, run.peak_mib, ok=False, note=last)
    if inner:
        figures = json.loads(stdout.strip().splitlines()[-1])
        return Run(figures["wall"], figures["cpu"], run.peak_mib)
    return run


def best(runs: list[Run]) -> Run:
    good = [r for r in runs if r.ok]
    if not good:
        return runs[-1]
    fastest = min(good, key=lambda r: r.cpu)
    return Run(fastest.wall, fastest.cpu, max(r.peak_mib for r in good))


def make_org(people: int, workdir: Path) -> tuple[Path, Path]:
    yaml_path, json_path = workdir / f"org-{people}.yaml", workdir / f"org-{people}.json"
    if not yaml_path.exists():
        subprocess.run(
            [sys.executable, "-m", "mlorg", "generate", "--people", str(people), "--seed", "1", "-o", str(yaml_path)],
            check=True,
            capture_output=True,
        )
    if not json_path.exists():
        code = (
            "import gc, json, sys, yaml\ngc.disable()\n"
            "data = yaml.load(open(sys.argv[1], 'rb').read(), Loader=yaml.CSafeLoader)\n"
            "open(sys.argv[2], 'w', encoding='utf-8').write(json.dumps(data, ensure_ascii=False))\n"
        )
        subprocess.run([sys.executable, "-c", code, str(yaml_path), str(json_path)], check=True)
    return yaml_path, json_path


def bench_size(people: int, workdir: Path, repeat: int, formats: tuple[str, ...] = FORMATS) -> dict[str, Any]:
    yaml_path, json_path = make_org(people, workdir)
    row: dict[str, Any] = {
        "people": people,
        "yaml_bytes": yaml_path.stat().st_size,
        "json_bytes": json_path.stat().st_size,
        "readers": {},
        "mlorg": {},
    }
    out = workdir / "out"
    spec_out = workdir / "out-from-json-spec.json"  # read back by the writing floor
    # (section, name, argv, timed inside the child): every measurement of this size, in the order run
    jobs: list[tuple[str, str, list[str], bool]] = []

    def reader(name: str, kind: str, setup: str) -> None:
        path = {"json": json_path, "yaml": yaml_path, "output": spec_out}[kind]
        argv = [sys.executable, "-c", READER_MAIN.format(setup=setup), str(path)]
        jobs.append(("readers", name, argv, True))

    for name, (kind, setup) in {**READERS, VALIDATE: FLOORS[VALIDATE]}.items():
        reader(name, kind, setup)
    for fmt in formats:
        argv = [sys.executable, "-m", "mlorg", "assess", str(yaml_path), "-f", fmt, "-o", str(out)]
        jobs.append(("mlorg", fmt, argv, False))
    # the same organization given as a JSON spec (the second target); then the writing floor,
    # which reads back what that run wrote
    argv = [sys.executable, "-m", "mlorg", "assess", str(json_path), "-f", "json", "-o", str(spec_out)]
    jobs.append(("mlorg", JSON_SPEC, argv, False))
    reader(WRITE, *FLOORS[WRITE])
    # Round-robin: each round runs every measurement once, so a minute in which the machine is slow
    # costs every measurement one run rather than all the runs of one, and the ratios stay fair.
    runs: dict[str, list[Run]] = {name: [] for _, name, _, _ in jobs}
    for round_ in range(repeat):
        for section, name, argv, inner in jobs:
            if name == WRITE and not spec_out.exists():
                runs[name].append(Run(0.0, 0.0, 0.0, ok=False, note="the JSON-spec run wrote nothing"))
                continue
            runs[name].append(run_child(argv, inner=inner))
            label = (
                name
                if section == "readers"
                else ("mlorg assess SPEC.json -f json" if name == JSON_SPEC else f"mlorg assess -f {name}")
            )
            print(f"  {people:>9,}  {label:<48} {fmt_run(asdict(runs[name][-1]))}  (round {round_ + 1})", flush=True)
    for section, name, _, _ in jobs:
        row[section][name] = asdict(best(runs[name]))
    Path(f"{spec_out}.again").unlink(missing_ok=True)
    return row


def reference(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The size the ratios are stated on: 100,000 people, or the largest size run."""
    return next((r for r in rows if r["people"] == 100_000), rows[-1])


def floors(rows: list[dict[str, Any]], clock: str) -> list[tuple[str, str]]:
    """How many times msgspec's read the floors take at 100,000 people (or the largest size run)."""
    ref = reference(rows)
    readers, people = ref["readers"], ref["people"]
    msgspec = readers["msgspec (JSON)"]
    if not msgspec["ok"]:
        return []
    out = []
    parts = [readers.get(VALIDATE, {"ok": False}), readers.get(WRITE, {"ok": False})]
    for name, run in zip((VALIDATE, WRITE), parts, strict=True):
        if run["ok"]:
            out.append((f"{people:,}: {name}", f"{run[clock] / msgspec[clock]:.1f}x msgspec"))
    if all(p["ok"] for p in parts):
        both = sum(p[clock] for p in parts) / msgspec[clock]
        out.append((f"{people:,}: the two together, no analysis", f"{both:.1f}x msgspec"))
    return out


def fmt_run(r: dict[str, Any]) -> str:
    if not r["ok"]:
        return f"failed: {r['note']}"
    return f"wall {r['wall']:7.2f} s  cpu {r['cpu']:7.2f} s  peak {r['peak_mib']:7.0f} MiB"


def startup(repeat: int) -> dict[str, float]:
    def fastest(argv: list[str]) -> float:
        return min(run_child(argv).wall for _ in range(repeat))

    typer_s = fastest([sys.executable, "-c", "import typer"])
    help_s = fastest([sys.executable, "-m", "mlorg", "--help"])
    return {"import_typer_s": typer_s, "mlorg_help_s": help_s, "ratio": help_s / typer_s}


def targets(rows: list[dict[str, Any]], start: dict[str, float], clock: str) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for every target of issue 14 this benchmark covers."""
    out: list[tuple[str, str, bool]] = []
    by_size = {r["people"]: r for r in rows}
    ref = reference(rows)
    size = f"{ref['people']:,}"
    msgspec = ref["readers"]["msgspec (JSON)"]
    json_run = ref["mlorg"]["json"]
    if msgspec["ok"] and json_run["ok"]:
        ratio = json_run[clock] / msgspec[clock]
        out.append((f"{size}: assess -f json <= {TARGET_JSON_TO_MSGSPEC}x msgspec", f"{ratio:.1f}x", ratio <= 6.0))
    from_json = ref["mlorg"].get(JSON_SPEC, {"ok": False})
    if msgspec["ok"] and from_json["ok"]:
        ratio = from_json[clock] / msgspec[clock]
        out.append((f"{size}: assess SPEC.json -f json <= 3x msgspec", f"{ratio:.1f}x", ratio <= 3.0))
    for fmt in FORMATS[1:]:
        run = ref["mlorg"].get(fmt, {"ok": False})
        if run["ok"] and json_run["ok"]:
            ratio = run[clock] / json_run[clock]
            out.append((f"{size}: -f {fmt} <= {TARGET_FORMAT_TO_JSON}x -f json", f"{ratio:.2f}x", ratio <= 1.3))
    peak = max(r["peak_mib"] for r in ref["mlorg"].values())
    out.append((f"{size}: peak memory <= {TARGET_PEAK_MIB:.0f} MiB", f"{peak:.0f} MiB", peak <= TARGET_PEAK_MIB))
    for small, big in ((10_000, 100_000), (100_000, 1_000_000)):
        if small in by_size and big in by_size:
            a, b = by_size[small]["mlorg"]["json"], by_size[big]["mlorg"]["json"]
            if a["ok"] and b["ok"]:
                t, m = b[clock] / a[clock], b["peak_mib"] / a["peak_mib"]
                out.append((f"{small:,} -> {big:,}: time <= {TARGET_GROWTH:.0f}x", f"{t:.1f}x", t <= TARGET_GROWTH))
                out.append((f"{small:,} -> {big:,}: memory <= {TARGET_GROWTH:.0f}x", f"{m:.1f}x", m <= TARGET_GROWTH))
            else:
                out.append(
                    (f"{small:,} -> {big:,}: growth", "failed at " + (big if a["ok"] else small).__str__(), False)
                )
    ratio = start["ratio"]
    out.append((f"mlorg --help <= {TARGET_HELP_TO_TYPER}x import typer", f"{ratio:.2f}x", ratio <= 2.0))
    return out


def table(rows: list[dict[str, Any]], clock: str) -> str:
    names = [*READERS, *FLOORS, *(f"mlorg -f {f}" for f in (*FORMATS, JSON_SPEC))]
    head = "| reader / command | " + " | ".join(f"{r['people']:,}" for r in rows) + " |"
    lines = [head, "|---|" + "---:|" * len(rows)]
    for name in names:
        cells = []
        for r in rows:
            run = r["readers"].get(name) if name in r["readers"] else r["mlorg"].get(name.removeprefix("mlorg -f "))
            if run is None:
                cells.append("not run")
            else:
                cells.append(f"{run[clock]:.2f} s, {run['peak_mib']:.0f} MiB" if run["ok"] else "failed")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    import yaml

    import mlorg

    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "mlorg": mlorg.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated people counts")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 people (minutes, about 10 GiB)")
    parser.add_argument(
        "--million-formats", default="json", help="formats to run at 1,000,000 people (comma-separated; 'all')"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per measurement, in rounds that run each once; the fastest is kept"
    )
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="clock the ratios use")
    parser.add_argument("--keep", type=Path, help="keep the generated specs in this directory")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write every figure")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="mlorg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    start = startup(max(3, args.repeat))
    print(f"startup: {start}", flush=True)
    big = FORMATS if args.million_formats == "all" else tuple(args.million_formats.split(","))
    rows = [bench_size(n, workdir, args.repeat, big if n >= 1_000_000 else FORMATS) for n in sizes]
    print()
    print(f"{args.clock} time and peak memory of each process:\n")
    print(table(rows, args.clock))
    print()
    results = targets(rows, start, args.clock)
    for name, measured, met in results:
        print(f"- {name}: {measured} ({'met' if met else 'NOT met'})")
    lower = floors(rows, args.clock)
    for name, measured in lower:
        print(f"- floor, {name}: {measured}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": machine(),
        "startup": start,
        "sizes": rows,
        "targets": results,
        "floors": lower,
        "clock": args.clock,
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
