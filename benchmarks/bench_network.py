"""Benchmark: the collaboration measures (``mlorg.network``) beside networkx, on the same graphs.

For each size it generates a collaboration graph with numpy (fixed seed): teams of 50 people, 80% of
ties inside a team and 20% anywhere, 10% of people ML staff, 5% of teams ML teams and 40% product or
business teams. Then, each library in a fresh child process:

- **mlorg**: ``collapse`` (merge repeated pairs) and ``measure`` (E-I and ML ties per team,
  modularity, Leiden and its comparison with the teams, broker betweenness from up to 32 ML
  sources, the default ``network_broker_sources``), with the igraph build, Leiden and betweenness also timed alone;
- **mlorg from YAML** (``--yaml``): the same organization written as a spec (teams, people and the
  ``collaboration`` section, one flow mapping per tie), read by ``load_spec`` as ``mlorg assess`` reads
  it, then the collaboration analysis (spec ties to arrays, then the measures above);
- **networkx**, the same work the plain way: build a ``Graph`` from the same edge list, E-I by
  walking the edges, ``community.modularity`` of the teams, ``community.louvain_communities``
  (seeded; networkx has no Leiden of its own) and ``betweenness_centrality_subset`` from the same
  sources to the same targets. Past ``--nx-max-sources-ties`` ties networkx's betweenness runs
  from ``--nx-sources`` sources only and its time is scaled up to the full source count (labelled
  *extrapolated*: the cost is linear in sources).

Time is CPU seconds (user + system) of the child, step by step. Memory: each child resets its peak
resident set after generating the edge list (``/proc/self/clear_refs``) and reports how far the
work raised it, beside the edge list's own size (three arrays: two int64, one float64).

Run: ``python benchmarks/bench_network.py [--sizes 1000:20000,10000:200000,100000:2000000] [--yaml] [--json FILE]``.
Needs networkx (``pip install networkx``); mlorg itself does not.
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
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
DEFAULT_JSON = ROOT / "out" / "bench_network.json"
TEAM_SIZE = 50
SOURCES = 32  # the default of network_broker_sources
SEED = 11


def graph(n: int, m: int) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    k = max(n // TEAM_SIZE, 2)
    team_of = np.minimum(np.arange(n) // TEAM_SIZE, k - 1).astype(np.int64)
    inside = int(m * 0.8)
    a = rng.integers(0, n, m, dtype=np.int64)
    b = rng.integers(0, n, m, dtype=np.int64)
    starts = team_of[a[:inside]] * TEAM_SIZE
    b[:inside] = np.minimum(starts + rng.integers(0, TEAM_SIZE, inside), n - 1)
    w = rng.integers(1, 6, m).astype(np.float64)
    ml_person = rng.random(n) < 0.10
    ml_team = rng.random(k) < 0.05
    business_team = (rng.random(k) < 0.40) & ~ml_team
    return {
        "n": n,
        "a": a,
        "b": b,
        "w": w,
        "team_of": team_of,
        "ml_person": ml_person,
        "ml_team": ml_team,
        "business_team": business_team,
    }


def reset_peak() -> int:
    """Reset the peak resident set (Linux) and return the current one, in bytes."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _status("VmRSS")


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def timed(out: dict[str, float], name: str, fn: Any, *args: Any, **kw: Any) -> Any:
    """Run ``fn`` and record its CPU seconds (user + system, from the process's rusage).

    CPU time, not wall-clock: the machine is shared, and waiting for a core is not work done.
    """
    start = time.process_time()
    value = fn(*args, **kw)
    out[name] = round(time.process_time() - start, 3)
    return value


def child_mlorg(g: dict[str, Any]) -> dict[str, Any]:
    from mlorg.network import Partition, collapse, measure
    from mlorg.network.measures import _brokers, _communities

    part = Partition(
        teams=tuple(f"t{i}" for i in range(g["ml_team"].shape[0])),
        team_of=g["team_of"],
        ml_person=g["ml_person"],
        ml_team=g["ml_team"],
        business_team=g["business_team"],
    )
    t: dict[str, float] = {}
    timed(t, "import igraph", __import__, "igraph")  # once per process; not part of the measures
    base = reset_peak()
    edges = timed(t, "collapse", collapse, g["n"], g["a"], g["b"], g["w"])
    m = timed(t, "measure (all)", measure, edges, part, broker_share=0.5, broker_sources=SOURCES)
    peak = _status("VmHWM") - base
    ig = timed(t, "igraph build", edges.igraph)
    active = np.ones(g["n"], dtype=np.bool_)
    timed(t, "modularity + Leiden + NMI/ARI", _communities, ig, edges, g["team_of"], active)
    ml_side = np.flatnonzero(g["ml_person"] | g["ml_team"][g["team_of"]])
    business = np.flatnonzero(g["business_team"][g["team_of"]] & ~np.isin(np.arange(g["n"]), ml_side))
    timed(t, "broker betweenness", _brokers, ig, ml_side, business, 0.5, SOURCES)
    return {
        "seconds": t,
        "total": round(t["collapse"] + t["measure (all)"], 3),
        "peak_mb": round(peak / 1e6, 1),
        "ties": edges.m,
        "communities": m.communities,
        "modularity": None if m.modularity is None else round(m.modularity, 4),
    }


def child_networkx(g: dict[str, Any], nx_sources: int) -> dict[str, Any]:
    t: dict[str, float] = {}
    nx = timed(t, "import networkx", __import__, "networkx")
    team_of = g["team_of"].tolist()
    base = reset_peak()

    def build() -> Any:
        G = nx.Graph()
        G.add_nodes_from(range(g["n"]))
        for x, y, w in zip(g["a"].tolist(), g["b"].tolist(), g["w"].tolist(), strict=True):
            if x == y:
                continue
            if G.has_edge(x, y):
                G[x][y]["weight"] += w
            else:
                G.add_edge(x, y, weight=w)
        return G

    G = timed(t, "build Graph", build)

    def ei() -> list[float]:
        k = max(team_of) + 1
        inside = [0] * k
        outside = [0] * k
        for x, y in G.edges():
            tx, ty = team_of[x], team_of[y]
            if tx == ty:
                inside[tx] += 1
            else:
                outside[tx] += 1
                outside[ty] += 1
        return [(o - i) / (o + i) if o + i else 0.0 for i, o in zip(inside, outside, strict=True)]

    timed(t, "E-I per team", ei)
    groups: dict[int, set[int]] = {}
    for p, team in enumerate(team_of):
        groups.setdefault(team, set()).add(p)
    modularity = timed(t, "modularity", nx.community.modularity, G, list(groups.values()), weight="weight")
    found = timed(t, "Louvain", nx.community.louvain_communities, G, weight="weight", seed=SEED)
    ml_side = np.flatnonzero(g["ml_person"] | g["ml_team"][g["team_of"]])
    business = np.flatnonzero(g["business_team"][g["team_of"]] & ~np.isin(np.arange(g["n"]), ml_side))
    sources = ml_side[np.linspace(0, ml_side.shape[0] - 1, min(SOURCES, ml_side.shape[0])).round().astype(int)]
    run = sources[:nx_sources]
    timed(
        t,
        "broker betweenness",
        nx.betweenness_centrality_subset,
        G,
        run.tolist(),
        business.tolist(),
        normalized=False,
    )
    extrapolated = run.shape[0] < sources.shape[0]
    if extrapolated:
        t["broker betweenness"] = round(t["broker betweenness"] * sources.shape[0] / run.shape[0], 3)
    peak = _status("VmHWM") - base
    return {
        "seconds": t,
        "total": round(sum(v for k, v in t.items() if not k.startswith("import")), 3),
        "peak_mb": round(peak / 1e6, 1),
        "betweenness_extrapolated_from": int(run.shape[0]) if extrapolated else None,
        "communities": len(found),
        "modularity": round(modularity, 4),
    }


def write_spec(g: dict[str, Any], path: Path) -> None:
    """The generated organization as a spec: ML teams ``ml``, business teams ``product``, the rest ``platform``."""
    k = int(g["ml_team"].shape[0])
    with path.open("w", encoding="utf-8") as out:
        out.write("version: 2\norganization: {name: Bench}\nteams:\n")
        for t in range(k):
            kind = "ml" if g["ml_team"][t] else ("product" if g["business_team"][t] else "platform")
            out.write(f"  - {{id: t{t}, kind: {kind}}}\n")
        out.write("people:\n")
        for p, (team, ml) in enumerate(zip(g["team_of"].tolist(), g["ml_person"].tolist(), strict=True)):
            out.write(f"  - {{id: p{p}, team: t{team}, roles: [{'ml_engineer' if ml else 'product_engineer'}]}}\n")
        out.write("collaboration:\n  ties:\n")
        for x, y, w in zip(g["a"].tolist(), g["b"].tolist(), g["w"].tolist(), strict=True):
            out.write(f"    - {{a: p{x}, b: p{y}, weight: {w:g}}}\n")


def child_yaml(path: Path) -> dict[str, Any]:
    from mlorg.analyses import collaboration
    from mlorg.analyses.context import AnalysisContext
    from mlorg.settings import Settings
    from mlorg.spec.index import SpecIndex
    from mlorg.spec.loader import load_spec

    t: dict[str, float] = {}
    timed(t, "import igraph", __import__, "igraph")
    base = reset_peak()
    spec = timed(t, "load_spec (YAML)", load_spec, path)
    assert spec.collaboration is not None
    loaded = _status("VmRSS") - base
    index = SpecIndex.of(spec)
    ctx = AnalysisContext(spec, index, Settings().thresholds)
    result = timed(t, "collaboration analysis", collaboration.analyze, ctx)
    assert result is not None
    peak = _status("VmHWM") - base
    return {
        "seconds": t,
        "total": round(t["load_spec (YAML)"] + t["collaboration analysis"], 3),
        "peak_mb": round(peak / 1e6, 1),
        "spec_held_mb": round(loaded / 1e6, 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "ties": result.result.ties,
    }


def child(lib: str, n: int, m: int, nx_sources: int) -> None:
    g = graph(n, m)
    if lib == "yaml":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "spec.yaml"
            write_spec(g, path)
            edge_list_mb = round((g["a"].nbytes + g["b"].nbytes + g["w"].nbytes) / 1e6, 1)
            del g
            out = child_yaml(path)
            out["edge_list_mb"] = edge_list_mb
        print(json.dumps(out))
        return
    out = child_mlorg(g) if lib == "mlorg" else child_networkx(g, nx_sources)
    out["edge_list_mb"] = round((g["a"].nbytes + g["b"].nbytes + g["w"].nbytes) / 1e6, 1)
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000:20000,10000:200000,100000:2000000", help="PEOPLE:TIES,...")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--nx-sources", type=int, default=10, help="networkx's sources past the bound below")
    parser.add_argument("--nx-max-sources-ties", type=int, default=500_000)
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--yaml", action="store_true", help="also read each size from a YAML spec")
    parser.add_argument("--child", nargs=3, metavar=("LIB", "PEOPLE", "TIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]), args.nx_sources)
        return 0
    results: list[dict[str, Any]] = []
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.split(":"))
        row: dict[str, Any] = {"people": n, "ties": m}
        for lib in ("mlorg", "yaml", "networkx"):
            if (lib == "networkx" and args.skip_networkx) or (lib == "yaml" and not args.yaml):
                continue
            nx_sources = SOURCES if m <= args.nx_max_sources_ties else args.nx_sources
            cmd = [sys.executable, __file__, "--child", lib, str(n), str(m), "--nx-sources", str(nx_sources)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=os.environ.copy())
            row[lib] = json.loads(done.stdout)
            print(
                f"{n:>9,} people {m:>10,} ties  {lib:<9} {row[lib]['total']:>9.2f} s  "
                f"peak +{row[lib]['peak_mb']:.0f} MB  (edge list {row[lib]['edge_list_mb']:.0f} MB)  "
                f"{row[lib]['seconds']}",
                flush=True,
            )
        results.append(row)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
