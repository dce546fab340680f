"""Benchmark: how assessing scales from 1,000 to 100,000 people.

For each size it generates an organization (``mlorg generate``: teams about 10% of people,
models 5%, features 50%) into a temporary directory and measures:

- the file size, and PyYAML's C loader alone parsing it (``yaml.load`` with ``CSafeLoader``),
  the baseline the targets are stated against;
- mlorg's phases in process: load (read and parse), validation (types, ids, references),
  analysis (``mlorg.assess``: analyses and rules) and rendering JSON;
- the whole ``mlorg assess SPEC --format json`` as a subprocess;
- peak memory: tracemalloc per in-process phase, and the subprocess's maximum resident set.

Times are CPU seconds by default (``--clock wall`` for wall-clock): on a shared machine CPU
time is the stable measure, and both are always recorded. The baseline and mlorg's phases each
run in a fresh child process (so no size inherits another's heap) and keep the best of
``--repeat`` runs; so does the whole command.

Targets (DESIGN §7, issue 2 item 10), checked at the end; the script exits 1 if one is missed:

1. at the largest size (100,000 people by default) the whole subprocess takes at most twice
   what the C loader alone takes to parse the file;
2. ten times the people costs at most twelve times the time (in-process total, so the fixed
   cost of starting Python does not flatter the ratio).

Run: ``python benchmarks/bench_assess.py [--sizes 1000,10000,100000] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

import mlorg
from mlorg.spec.loader import parse_spec, read_text, validate_spec
from mlorg.synth import generate

ROOT = Path(__file__).resolve().parent
DEFAULT_JSON = ROOT / "out" / "bench_assess.json"
PHASES = ("load", "validate", "analyze", "render")
MAX_RATIO_TO_PARSE = 2.0
MAX_GROWTH_PER_10X = 12.0


@dataclass
class Timing:
    wall: float
    cpu: float

    def get(self, clock: str) -> float:
        return self.cpu if clock == "cpu" else self.wall


@dataclass
class SizeResult:
    people: int
    teams: int
    models: int
    features: int
    file_bytes: int
    yaml_parse: Timing
    phases: dict[str, Timing]
    subprocess: Timing
    subprocess_max_rss_mb: float
    peak_mb: dict[str, float] = field(default_factory=dict)
    findings: int = 0

    def in_process(self, clock: str) -> float:
        return sum(self.phases[p].get(clock) for p in PHASES)


def timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, Timing]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def best(runs: list[Timing]) -> Timing:
    return Timing(min(r.wall for r in runs), min(r.cpu for r in runs))


def run_phases(path: Path) -> tuple[dict[str, Timing], mlorg.Assessment]:
    """One pass through mlorg's phases, timing each."""
    label = path.name
    parsed, t_load = timed(lambda: parse_spec(read_text(path, label), label))
    spec, t_validate = timed(validate_spec, parsed, path.parent)
    result, t_analyze = timed(mlorg.assess, spec)
    _, t_render = timed(mlorg.render, result, "json")
    return {"load": t_load, "validate": t_validate, "analyze": t_analyze, "render": t_render}, result


def traced(name: str, peaks: dict[str, float], fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn`` and record the peak memory it traced above what was already allocated (MB)."""
    gc.collect()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(*args)
    peaks[name] = round((tracemalloc.get_traced_memory()[1] - base) / 1e6, 1)
    return out


def child_parse(path: Path, repeat: int, memory: bool) -> dict[str, Any]:
    """Baseline, in its own process: PyYAML's C loader alone parsing the file."""
    text = path.read_text(encoding="utf-8")
    runs = []
    for _ in range(repeat):
        data, t = timed(yaml.load, text, yaml.CSafeLoader)
        runs.append(t)
        del data
    peaks: dict[str, float] = {}
    if memory:
        tracemalloc.start()
        traced("yaml_parse", peaks, yaml.load, text, yaml.CSafeLoader)
        tracemalloc.stop()
    return {"yaml_parse": asdict(best(runs)), "peak_mb": peaks}


def child_phases(path: Path, repeat: int, memory: bool) -> dict[str, Any]:
    """mlorg's phases, in their own process so earlier sizes leave nothing behind in the heap."""
    runs: dict[str, list[Timing]] = {p: [] for p in PHASES}
    result = None
    for _ in range(repeat):
        phases, result = run_phases(path)
        for name, t in phases.items():
            runs[name].append(t)
    assert result is not None
    spec = mlorg.load_spec(path)
    out: dict[str, Any] = {
        "teams": len(spec.teams),
        "models": len(spec.models),
        "features": len(spec.features),
        "findings": len(result.findings),
        "phases": {name: asdict(best(ts)) for name, ts in runs.items()},
        "peak_mb": {},
    }
    del spec, result
    if memory:
        label = path.name
        tracemalloc.start()
        parsed = traced("load", out["peak_mb"], lambda: parse_spec(read_text(path, label), label))
        spec = traced("validate", out["peak_mb"], validate_spec, parsed, path.parent)
        result = traced("analyze", out["peak_mb"], mlorg.assess, spec)
        traced("render", out["peak_mb"], mlorg.render, result, "json")
        tracemalloc.stop()
    return out


def run_child(kind: str, path: Path, repeat: int, memory: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--file", str(path), "--repeat", str(repeat)]
    proc = subprocess.run([*cmd, *([] if memory else ["--no-memory"])], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed on {path}:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run_subprocess(path: Path, out: Path) -> tuple[Timing, float]:
    """The whole command as a user runs it; CPU and max RSS come from the child's rusage."""
    cmd = [sys.executable, "-m", "mlorg", "assess", str(path), "--format", "json", "-o", str(out)]
    wall = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - wall
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"mlorg assess failed on {path} (exit {proc.returncode}):\n{stderr}")
    if "schema_version" not in json.loads(out.read_text(encoding="utf-8")):
        raise SystemExit("mlorg assess wrote JSON without schema_version")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime), round(usage.ru_maxrss / 1024, 1)  # KB -> MB


def bench_size(people: int, seed: int, workdir: Path, repeat: int, memory: bool) -> SizeResult:
    path = workdir / f"org-{people}.yaml"
    path.write_text(generate(people, seed), encoding="utf-8")
    baseline = run_child("parse", path, repeat, memory)
    phases = run_child("phases", path, repeat, memory)
    whole = [run_subprocess(path, workdir / f"org-{people}.json") for _ in range(repeat)]
    return SizeResult(
        people=people,
        teams=phases["teams"],
        models=phases["models"],
        features=phases["features"],
        file_bytes=path.stat().st_size,
        yaml_parse=Timing(**baseline["yaml_parse"]),
        phases={name: Timing(**t) for name, t in phases["phases"].items()},
        subprocess=best([t for t, _ in whole]),
        subprocess_max_rss_mb=max(rss for _, rss in whole),
        peak_mb={**baseline["peak_mb"], **phases["peak_mb"]},
        findings=phases["findings"],
    )


def checks(results: list[SizeResult], clock: str) -> list[tuple[str, bool]]:
    """The two targets, as (description, met) pairs."""
    out = []
    largest = max(results, key=lambda r: r.people)
    ratio = largest.subprocess.get(clock) / largest.yaml_parse.get(clock)
    out.append(
        (
            f"{largest.people:,} people: whole `mlorg assess` {largest.subprocess.get(clock):.2f}s is "
            f"{ratio:.2f}x the C-loader parse {largest.yaml_parse.get(clock):.2f}s (target <= {MAX_RATIO_TO_PARSE}x)",
            ratio <= MAX_RATIO_TO_PARSE,
        )
    )
    ordered = sorted(results, key=lambda r: r.people)
    for small, big in itertools.pairwise(ordered):
        factor = big.people / small.people
        growth = big.in_process(clock) / max(small.in_process(clock), 1e-9)
        allowed = MAX_GROWTH_PER_10X * factor / 10
        out.append(
            (
                f"{small.people:,} -> {big.people:,} people ({factor:g}x): in-process time grew "
                f"{growth:.1f}x (target <= {allowed:g}x)",
                growth <= allowed,
            )
        )
    return out


def table(results: list[SizeResult], clock: str) -> str:
    head = (
        f"{'people':>8} {'teams':>6} {'models':>6} {'features':>8} {'MB':>6} {'C parse':>8} {'load':>7} "
        f"{'valid.':>7} {'analyze':>7} {'render':>7} {'in-proc':>7} {'assess':>7} {'x parse':>7} {'RSS MB':>7}"
    )
    lines = [f"times in {clock} seconds", head, "-" * len(head)]
    for r in results:
        t = {p: r.phases[p].get(clock) for p in PHASES}
        whole = r.subprocess.get(clock)
        lines.append(
            f"{r.people:>8,} {r.teams:>6,} {r.models:>6,} {r.features:>8,} {r.file_bytes / 1e6:>6.1f} "
            f"{r.yaml_parse.get(clock):>8.2f} {t['load']:>7.2f} {t['validate']:>7.2f} {t['analyze']:>7.2f} "
            f"{t['render']:>7.2f} {r.in_process(clock):>7.2f} {whole:>7.2f} "
            f"{whole / r.yaml_parse.get(clock):>7.2f} {r.subprocess_max_rss_mb:>7.0f}"
        )
    if any(r.peak_mb for r in results):
        lines.append("")
        names = ("yaml_parse", *PHASES)
        lines.append("peak traced memory per phase (MB): " + ", ".join(names))
        for r in results:
            lines.append(f"{r.people:>8,}  " + "  ".join(f"{r.peak_mb.get(p, 0):>7.1f}" for p in names))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pyyaml": yaml.__version__,
        "libyaml": yaml.__with_libyaml__,
        "mlorg": mlorg.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated people counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=0, help="runs per phase (default: 3 below 50k people, else 2)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="which time the targets use")
    parser.add_argument("--no-memory", action="store_true", help="skip the (slow) tracemalloc pass")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"where to write results ({DEFAULT_JSON})")
    parser.add_argument("--keep", type=Path, help="keep generated specs in this directory")
    parser.add_argument("--child", choices=("parse", "phases"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step = child_parse if args.child == "parse" else child_phases
        print(json.dumps(step(args.file, args.repeat or 1, not args.no_memory)))
        return 0
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated whole numbers, e.g. 1000,10000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one positive number")

    info = machine()
    print(f"machine: {info['cpu']} ({info['cores']} cores), load {info['load_average_at_start']}", file=sys.stderr)
    results = []
    with tempfile.TemporaryDirectory(prefix="mlorg-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for people in sizes:
            repeat = args.repeat or (3 if people < 50_000 else 2)
            print(f"benchmarking {people:,} people (repeat {repeat})...", file=sys.stderr, flush=True)
            results.append(bench_size(people, args.seed, workdir, repeat, not args.no_memory))
    outcome = checks(results, args.clock)
    print(table(results, args.clock))
    print()
    for text, ok in outcome:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    report = {
        "machine": info,
        "clock": args.clock,
        "seed": args.seed,
        "results": [asdict(r) for r in results],
        "checks": [{"check": text, "met": ok} for text, ok in outcome],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.json}")
    return 0 if all(ok for _, ok in outcome) else 1


if __name__ == "__main__":
    sys.exit(main())
