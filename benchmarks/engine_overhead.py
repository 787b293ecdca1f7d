"""Cost of one node: the compiled loop against the interpreted one, on the same search, in one run.

    python benchmarks/engine_overhead.py [N] [--out DIR]

Counts N-queens (default N = 9) with the `feasibility` and `bitboard` strategies on both
backends and prints nanoseconds per node and the python/numba ratio (compile time excluded, CPU
time, the best of the runs); writes the table as ``engine-overhead.md`` and ``.json`` into DIR
(default ``benchmarks/results``).
"""

import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/engine_overhead.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import backtrack as bt
from benchmarks import harness
from problems.nqueens import STRATEGIES, build

RESULTS = Path(__file__).resolve().parent / "results"


def per_node_ns(problem, strategy, backend, repeats=3):
    bt.solve(problem, strategy, "count", backend=backend)  # compile or load the cache first
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        result = bt.solve(problem, strategy, "count", backend=backend)
        best = min(best, time.process_time() - started)
    return 1e9 * best / result.stats.nodes, result.stats.nodes


def main():
    args = sys.argv[1:]
    out = RESULTS
    if "--out" in args:
        at = args.index("--out")
        out = Path(args[at + 1])
        del args[at : at + 2]
    n = int(args[0]) if args else 9
    started_at = harness.now_iso()
    load_start = [round(x, 2) for x in os.getloadavg()]
    rows = []
    for name in ("feasibility", "bitboard"):
        problem = build(n, name, "count")
        python_ns, nodes = per_node_ns(problem, STRATEGIES[name], "python", repeats=1)
        numba_ns, _ = per_node_ns(problem, STRATEGIES[name], "numba")
        rows.append(
            {"strategy": name, "nodes": nodes, "python_ns": round(python_ns, 1), "numba_ns": round(numba_ns, 2)}
        )
    table = ["| strategy | nodes | python ns/node | numba ns/node | ratio |", "|---|---|---|---|---|"]
    for row in rows:
        ratio = row["python_ns"] / row["numba_ns"]
        table.append(
            f"| {row['strategy']} | {row['nodes']} | {row['python_ns']:.0f} | {row['numba_ns']:.1f} | {ratio:.0f}x |"
        )
    print("\n".join(table))
    info = harness.machine_info()
    record = {
        "suite": "engine-overhead",
        "command": harness.command_line(),
        "date": started_at,
        "n": n,
        "load_average_start": load_start,
        "machine": info,
        "rows": rows,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine-overhead.json").write_text(json.dumps(record, indent=1) + "\n")
    header = [
        f"# Engine overhead: {n}-queens count, ns per node",
        "",
        f"- command: `{record['command']}`",
        f"- date: {started_at}; machine: {info['cpu']}, {info['nproc']} cores; numba {info['versions']['numba']}",
        f"- load average (1, 5, 15 min): {load_start} at the start, {info['load_average']} at the end",
        "- CPU time per node, compile excluded: the best of 3 runs compiled, 1 run interpreted",
        "",
    ]
    (out / "engine-overhead.md").write_text("\n".join(header + table) + "\n")


if __name__ == "__main__":
    main()
