"""Subset sum, worst case: ``bidirectional`` (and its low-memory join) against a reference
Horowitz-Sahni (``peers/horowitz_sahni.py``) and, optionally, depth-first ``ordering``.

Instances: ``random-even`` (even 40-bit weights, odd target near half the sum): no subset hits the
target, so every method must finish its whole search. Each run is a fresh process that loads the
compiled code (a tiny instance first), then times its search alone: wall and CPU seconds
(``time.process_time``); its peak memory is the process's maximum resident set (``wait4``), and
its search's memory that peak less the resident set before the search. The
runs of one size are interleaved (peer, ours, low memory, peer, ...) and the medians compared, so
that the ratio is measured in the same minutes. ``ordering`` (``--ordering-limit`` seconds, 0:
not run) stops at its limit; its nodes and time are then lower bounds, marked ``>=``.

    python benchmarks/subsetsum.py                       # n = 40 44 50, 3 runs each, low memory at 50
    python benchmarks/subsetsum.py --sizes 44 --repeats 5 --output table.md
    python benchmarks/subsetsum.py --child FILE bidirectional [--low-memory]   # one timed run (JSON)
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from problems.subsetsum.generate import generate, instance_text  # noqa: E402

PEER = Path(__file__).resolve().parent / "peers" / "horowitz_sahni.py"
GOALS_S = {44: 0.2, 50: 1.8}  # the issue-17 goals for bidirectional (search seconds)
LOW_MEMORY_GOAL = {50: (4.0, 200)}  # seconds, MB
HALVES_MEMORY_FACTOR = 1.2  # peak memory within 1.2x of the two sorted halves' keys


def child(path, strategy, low_memory, time_limit):
    """One timed search in this process (after a tiny warm-up): prints the JSON record."""
    from problems.subsetsum.command import read_instance
    from problems.subsetsum.model import make_problem, solve_subsetsum

    solve_subsetsum(make_problem([2, 4, 6, 8, 10, 12], 7), "first", strategy, low_memory=low_memory)
    target, weights = read_instance(path)
    problem = make_problem(weights, target)
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time()
    result = solve_subsetsum(problem, "first", strategy, low_memory=low_memory, time_limit=time_limit)
    cpu = time.process_time() - cpu
    record = {"status": result.status, "nodes": result.stats.nodes, "time_s": result.stats.time_s, "cpu_s": cpu}
    record["base_mb"] = base_mb
    print(json.dumps(record))


def timed(command):
    """Run ``command`` in a child; its record with ``peak_mb`` (maximum resident set) added."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err.strip()[-300:]}")
    record = json.loads(out.strip().splitlines()[-1])
    record["peak_mb"] = usage.ru_maxrss / 1024
    record["search_mb"] = record["peak_mb"] - record["base_mb"]  # above the process before its search
    return record


def ours(path, strategy, low_memory=False, time_limit=None):
    command = [sys.executable, __file__, "--child", path, strategy]
    command += ["--low-memory"] if low_memory else []
    command += ["--time-limit", str(time_limit)] if time_limit else []
    return timed(command)


def peer(path):
    return timed([sys.executable, str(PEER), path])


def median(records, key):
    return statistics.median(r[key] for r in records)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=2, metavar=("FILE", "STRATEGY"), help=argparse.SUPPRESS)
    parser.add_argument("--low-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 44, 50])
    parser.add_argument("--bits", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each method per size")
    parser.add_argument("--ordering-limit", type=float, default=0.0, help="seconds for ordering (0: not run)")
    parser.add_argument("--low-memory-sizes", type=int, nargs="*", default=[50])
    parser.add_argument("--output", help="also write the table here")
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.low_memory, args.time_limit)
        return
    rows = []
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        warm = os.path.join(folder, "warm.txt")
        Path(warm).write_text(instance_text(*generate("random-even", 12, 0, args.bits)))
        peer(warm)  # fill the compiled caches
        ours(warm, "bidirectional")
        ours(warm, "bidirectional", low_memory=True)
        for n in args.sizes:
            path = os.path.join(folder, f"random-even-{n}.txt")
            Path(path).write_text(instance_text(*generate("random-even", n, args.seed, args.bits)))
            methods = {"horowitz-sahni (peer)": (peer, ()), "bidirectional": (ours, ("bidirectional",))}
            if n in args.low_memory_sizes:
                methods["bidirectional --low-memory"] = (ours, ("bidirectional", True))
            runs = {name: [] for name in methods}
            for _ in range(args.repeats):
                for name, (run, options) in methods.items():
                    runs[name].append(run(path, *options))
                    print(n, name, runs[name][-1], file=sys.stderr)
            ordering = ours(path, "ordering", time_limit=args.ordering_limit) if args.ordering_limit else None
            peer_cpu = median(runs["horowitz-sahni (peer)"], "cpu_s")
            peer_wall = median(runs["horowitz-sahni (peer)"], "time_s")
            halves_mb = 2 * 2 ** (n // 2 + (n % 2)) * 8 / 2**20  # the larger half twice, int64 keys
            for name, records in runs.items():
                if name != "horowitz-sahni (peer)":
                    assert all(r["status"] == "unsatisfiable" for r in records), records
                cpu, wall, peak = median(records, "cpu_s"), median(records, "time_s"), median(records, "peak_mb")
                search_mb = median(records, "search_mb")
                if name == "bidirectional":
                    goal = GOALS_S.get(n)
                    goal_text = "-" if goal is None else f"<= {goal:g} s, <= {HALVES_MEMORY_FACTOR * halves_mb:.0f} MB"
                    met = None if goal is None else wall <= goal and search_mb <= HALVES_MEMORY_FACTOR * halves_mb
                elif name == "bidirectional --low-memory":
                    goal = LOW_MEMORY_GOAL.get(n)
                    goal_text = "-" if goal is None else f"<= {goal[0]:g} s, <= {goal[1]} MB"
                    met = None if goal is None else wall <= goal[0] and peak <= goal[1]
                else:
                    goal_text, met = "-", None
                row = [
                    str(n),
                    name,
                    f"{records[0].get('nodes', 0):,}" if "nodes" in records[0] else "-",
                    f"{wall:.3f}",
                    f"{cpu:.3f}",
                    f"{cpu / peer_cpu:.2f}x",
                    f"{wall / peer_wall:.2f}x",
                    f"{peak:.0f}",
                    f"{search_mb:.0f}",
                    f"{halves_mb:.0f}",
                    goal_text,
                    {True: "yes", False: "**no**", None: "-"}[met],
                ]
                if args.ordering_limit:
                    stopped = ">=" if ordering["status"] == "limit" else ""
                    row.append(f"{stopped}{ordering['time_s']:.2f}")
                rows.append(row)
    header = ["n", "method", "nodes", "search s (wall)", "search CPU s", "CPU / peer", "wall / peer", "peak MB"]
    header += ["search MB"]
    header += ["halves' keys MB", "goal (wall, memory)", "met"] + (["ordering s"] if args.ordering_limit else [])
    lines = [
        f"Load average at the start: {load_start[0]:.1f}, at the end: {os.getloadavg()[0]:.1f}, on {os.cpu_count()} "
        f"cores. Medians of {args.repeats} interleaved runs per method; each run a fresh process.",
        "",
        f"Subset sum, random-even, {args.bits}-bit weights, seed {args.seed} (no solution). Command: "
        f"`python benchmarks/subsetsum.py {' '.join(sys.argv[1:])}`.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.output:
        Path(args.output).write_text(table)


if __name__ == "__main__":
    main()
