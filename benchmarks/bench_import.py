"""Benchmark: ``mlorg import`` of a large HR export and a long git history, beside the fastest plain reads.

For each size it writes the input into a temporary directory and measures, best of ``--repeat``:

- **hris** (an HR export of N rows, BambooHR's columns, 2,000 departments, a manager per row):
  the standard library's ``csv.reader`` reading every row, and pyarrow's C++ CSV reader when it is
  installed (the fastest ways to read the same bytes); mlorg's phases in process, as ``mlorg import``
  runs them (with the cyclic garbage collector paused): ``read``: CSV to people and teams with roles,
  managers and pseudonyms; ``render``: the fragment's data and YAML; ``check``: proving the fragment a
  valid spec from its models, ids and references, which ``mlorg import`` does before writing; beside
  them ``load back``: parsing the written YAML as a spec, what ``assess --with`` does with it (and what
  ``mlorg import`` used to do to check it); and the whole ``mlorg import hris`` as a subprocess.
- **git** (a repository of N commits by 500 authors, written with ``git fast-import``, each commit
  changing one or two files under ``models/``, with a CODEOWNERS file): ``git log`` alone with the
  arguments mlorg passes it, its output read and dropped; mlorg's ``gitlog.read_commits`` (run
  ``git log`` and parse every commit); and the whole ``mlorg import codeowners`` as a subprocess.

Times are CPU seconds (user + system, children included for subprocesses: on a shared machine the
stable measure) and wall seconds. Peak memory: tracemalloc for the in-process steps (a separate
run, tracing slows them), the maximum resident set for subprocesses.

Run: ``python benchmarks/bench_import.py [--rows 1000,10000,100000] [--commits 5000,50000] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlorg.gcpause import gc_paused
from mlorg.sources import gitlog
from mlorg.sources.fragment import check, fragment_data, render
from mlorg.sources.hris import HrisSource
from mlorg.sources.interface import ImportOptions
from mlorg.sources.people import PersonIds
from mlorg.spec.loader import load_spec_text

KEY = b"bench-key-0123456789abcdef"
TITLES = (
    "Machine Learning Engineer", "Data Scientist", "Software Engineer", "Product Manager", "Data Engineer",
    "Account Executive", "Engineering Manager", "Designer", "Site Reliability Engineer", "Analyst",
)  # fmt: skip


def write_hr(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Employee #", "First Name", "Last Name", "Work Email", "Job Title", "Department", "Division",
                      "Location", "Supervisor EID"])  # fmt: skip
        for n in range(1, rows + 1):
            dept = n % 2000
            manager = "" if n == 1 else str(rng.randint(1, max(1, n - 1)))
            out.writerow([n, f"First{n}", f"Last{n}", f"person{n}@example.com", TITLES[n % len(TITLES)],
                          f"Department {dept}", f"Division {dept % 40}", "Remote", manager])  # fmt: skip


def write_repo(folder: Path, commits: int) -> None:
    """A repository of ``commits`` commits, built with ``git fast-import`` (seconds, not hours)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    rng = random.Random(2)
    stream = io.BytesIO()

    def data(text: str) -> None:
        raw = text.encode()
        stream.write(b"data %d\n" % len(raw) + raw + b"\n")

    owners = "*  @acme/platform\n" + "".join(f"/models/m{m:03d}/ @acme/team-{m % 40}\n" for m in range(400))
    for n in range(1, commits + 1):
        author = rng.randint(0, 499)
        when = 1_700_000_000 + n * 60
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"author Dev {author} <dev{author}@example.com> {when} +0000\n".encode())
        stream.write(f"committer Dev {author} <dev{author}@example.com> {when} +0000\n".encode())
        data(f"change {n}")  # each commit's parent is the branch's previous commit
        if n == 1:
            stream.write(b"M 100644 inline .github/CODEOWNERS\n")
            data(owners)
        for _ in range(rng.randint(1, 2)):
            model = rng.randint(0, 399)
            stream.write(f"M 100644 inline models/m{model:03d}/train_{rng.randint(0, 9)}.py\n".encode())
            data(f"# {n}\n")
    subprocess.run(["git", "-C", str(folder), "fast-import", "--quiet"], input=stream.getvalue(), check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "-q", "main"], check=True)


def cpu() -> float:
    return time.process_time()


def best(repeat: int, step: Callable[[], Any]) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) of ``repeat`` runs of ``step``."""
    runs = []
    for _ in range(repeat):
        c0, w0 = cpu(), time.perf_counter()
        step()
        runs.append((cpu() - c0, time.perf_counter() - w0))
    return min(runs)


def peak(step: Callable[[], Any]) -> float:
    """Peak traced memory of ``step``, in MB."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


#: Runs a command and prints its CPU seconds, wall seconds and maximum resident set. A small,
#: fresh process launches it: on Linux a child's maximum RSS starts from its parent's size at fork,
#: so launching from this (large) benchmark process would inflate the figure.
LAUNCHER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "wb") as errors:
    w0 = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=errors)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - w0
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
                  "wall": wall, "rss_mb": usage.ru_maxrss / 1024}))
"""


def command(args: list[str], repeat: int) -> dict[str, float]:
    """Best CPU and wall seconds of a subprocess (its children included), and its maximum resident set in MB."""
    runs = []
    with tempfile.NamedTemporaryFile() as errors:
        for _ in range(repeat):
            done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, errors.name, *args], capture_output=True)
            result = json.loads(done.stdout)
            assert result["code"] == 0, Path(errors.name).read_text(errors="replace")[-2000:]
            runs.append(result)
    return {
        "cpu": min(r["cpu"] for r in runs),
        "wall": min(r["wall"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
    }


def bench_hris(folder: Path, rows: int, repeat: int) -> dict[str, Any]:
    path = folder / f"hr-{rows}.csv"
    write_hr(path, rows)
    options = ImportOptions(people=PersonIds(KEY))
    result: dict[str, Any] = {"rows": rows, "mb": path.stat().st_size / 1e6}

    def csv_read() -> None:
        with path.open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) == rows + 1

    result["csv_module"] = best(repeat, csv_read)
    result["csv_module_peak"] = peak(csv_read)
    try:
        import pyarrow.csv as pacsv  # the fastest CSV reader at hand, if installed

        def arrow_read() -> None:
            assert pacsv.read_csv(path).num_rows == rows

        result["pyarrow"] = best(repeat, arrow_read)
    except ImportError:
        result["pyarrow"] = None
    state: dict[str, Any] = {}

    def read() -> None:
        with gc_paused():
            state["fragment"] = HrisSource().read([str(path)], options)

    def render_it() -> None:
        with gc_paused():
            state["data"] = fragment_data(state["fragment"])
            state["text"] = render(state["fragment"], "mlorg import hris", state["data"])

    def check_it() -> None:
        with gc_paused():
            check(state["fragment"], state["data"], "fragment.yaml")

    def load_back() -> None:
        load_spec_text(state["text"], "fragment.yaml")

    result["read"] = best(repeat, read)
    result["render"] = best(repeat, render_it)
    result["check"] = best(repeat, check_it)
    result["load_back"] = best(repeat, load_back)
    result["in_process_peak"] = peak(lambda: (read(), render_it(), check_it()))
    assert len(state["fragment"].people) == rows
    key = folder / "bench.key"
    key.write_bytes(KEY)
    out = folder / "hr.yaml"
    args = [sys.executable, "-m", "mlorg", "import", "hris", str(path), "-o", str(out), "--key-file", str(key)]
    result["whole"] = command(args, repeat)
    return result


def bench_git(folder: Path, commits: int, repeat: int) -> dict[str, Any]:
    repo = folder / f"repo-{commits}"
    t0 = time.perf_counter()
    write_repo(repo, commits)
    result: dict[str, Any] = {"commits": commits, "build_s": time.perf_counter() - t0}
    log = ["git", "--no-pager", "-C", str(repo), "log", "--use-mailmap", "-z", "--name-only", "--no-renames",
           "--no-merges", "--format=%x1e%H%x1f%aN%x1f%aE%x1f%at", f"--max-count={commits}"]  # fmt: skip
    result["git_log"] = command(log, repeat)
    state: dict[str, Any] = {}

    def read() -> None:
        state["commits"] = gitlog.read_commits(repo, max_commits=commits)

    result["read_commits"] = best(repeat, read)
    result["read_commits_peak"] = peak(read)
    assert len(state["commits"]) == commits
    key = folder / "bench.key"
    key.write_bytes(KEY)
    out = folder / "code.yaml"
    args = [sys.executable, "-m", "mlorg", "import", "codeowners", str(repo), "-o", str(out), "--key-file", str(key),
            "--option", "models=models/*", "--option", f"max-commits={commits}"]  # fmt: skip
    result["whole"] = command(args, repeat)
    return result


def _pair(value: tuple[float, float] | None) -> str:
    return "-" if value is None else f"{value[0]:.2f} s ({value[1]:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000,10000,100000")
    parser.add_argument("--commits", default="5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [int(r) for r in args.rows.split(",") if r]
    commits = [int(c) for c in args.commits.split(",") if c]
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "hris": [],
        "git_history": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("hris: rows | MB | csv.reader | pyarrow | read | render | check | (load back) | whole (wall) | peaks")
        for n in rows:
            r = bench_hris(folder, n, args.repeat)
            report["hris"].append(r)
            whole = r["whole"]
            print(f"{n:,} | {r['mb']:.1f} | {_pair(r['csv_module'])} | {_pair(r['pyarrow'])} | {_pair(r['read'])} | "
                  f"{_pair(r['render'])} | {_pair(r['check'])} | {_pair(r['load_back'])} | "
                  f"{whole['cpu']:.2f} s ({whole['wall']:.2f}) | "
                  f"csv {r['csv_module_peak']:.0f} MB, mlorg {r['in_process_peak']:.0f} MB traced, "
                  f"command {whole['rss_mb']:.0f} MB RSS")  # fmt: skip
        print("git: commits | build | git log alone | read_commits | whole command | peaks")
        for n in commits:
            g = bench_git(folder, n, args.repeat)
            report["git_history"].append(g)
            log, whole = g["git_log"], g["whole"]
            print(f"{n:,} | {g['build_s']:.1f} s | {log['cpu']:.2f} s ({log['wall']:.2f}) | "
                  f"{_pair(g['read_commits'])} | {whole['cpu']:.2f} s ({whole['wall']:.2f}) | "
                  f"git log {log['rss_mb']:.0f} MB RSS, read_commits {g['read_commits_peak']:.0f} MB traced, "
                  f"command {whole['rss_mb']:.0f} MB RSS")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
