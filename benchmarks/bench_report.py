"""Report render time and peak memory for generated organizations of 1k, 10k and 100k people.

    python benchmarks/bench_report.py            # HTML at 1k, 10k, 100k
    python benchmarks/bench_report.py --pdf      # also lay the PDF out (needs the pdf extra)
    python benchmarks/bench_report.py 5000 50000 # other sizes

Generation and spec validation are timed separately from assessing and rendering (wall-clock seconds).
Peak memory is measured with tracemalloc around assess + render (Python allocations only) in a
second pass, so tracing never slows the timed one.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import mlorg
from mlorg.render import html
from orggen import generate_spec


def bench(people: int, pdf: bool) -> dict[str, float]:
    t0 = time.perf_counter()
    spec = generate_spec(people)
    t1 = time.perf_counter()
    result = mlorg.assess(spec)
    t2 = time.perf_counter()
    page = html.render(result, spec=spec)
    t3 = time.perf_counter()
    # Peak memory in a second, untimed pass: tracemalloc slows allocation-heavy code several times over.
    tracemalloc.start()
    html.render(mlorg.assess(spec), spec=spec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = {
        "people": people,
        "teams": len(spec.teams),
        "findings": len(result.findings),
        "generate_s": t1 - t0,
        "assess_s": t2 - t1,
        "html_s": t3 - t2,
        "html_kb": len(page.encode()) / 1024,
        "peak_mb": peak / 2**20,
    }
    if pdf:
        from mlorg.render.pdf import render_pdf

        # what `mlorg report -o report.pdf` lays out: the printed report (bounded lists, an appendix)
        t4 = time.perf_counter()
        printed = html.render(result, spec=spec, printed=True)
        data = render_pdf(printed)
        row["pdf_s"] = time.perf_counter() - t4
        row["pdf_kb"] = len(data) / 1024
        row["pages"] = pdf_pages(data)
    return row


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF, read by poppler's pdfinfo (-1 when it is not installed)."""
    import shutil
    import subprocess

    exe = shutil.which("pdfinfo")
    if exe is None:
        return -1
    info = subprocess.run([exe, "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--pdf", action="store_true", help="also time the PDF layout")
    args = parser.parse_args()
    cols = ["people", "teams", "findings", "generate_s", "assess_s", "html_s", "html_kb", "peak_mb"] + (
        ["pdf_s", "pdf_kb", "pages"] if args.pdf else []
    )
    print(" ".join(f"{c:>11}" for c in cols))
    for size in args.sizes:
        row = bench(size, args.pdf)
        print(" ".join(f"{row[c]:>11.2f}" if isinstance(row[c], float) else f"{row[c]:>11}" for c in cols))


if __name__ == "__main__":
    main()
