"""Subset sum, worst case: bidirectional (and its low-memory join) against depth-first ``ordering``.

Instances: ``random-even`` (even 40-bit weights, odd target near half the sum): no subset hits the
target, so every method must finish its whole search. Each run is a fresh process of the CLI
(``backtrack subsetsum --file F --strategy S --json``) with a warm numba cache; its peak memory is
the child's maximum resident set (``wait4``). ``ordering`` gets a time limit: where it stops,
its nodes and time are lower bounds and the gains are marked ``>=``.

    python benchmarks/subsetsum.py                      # n = 24 32 40 44 50, low memory at 50
    python benchmarks/subsetsum.py --sizes 40 44 --ordering-limit 30 --output table.md
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from problems.subsetsum.generate import generate, instance_text  # noqa: E402

GOALS_S = {40: 0.5, 44: 1.5, 50: 10.0}  # the goals for bidirectional (seconds)
LOW_MEMORY_GOAL = (60.0, 300)  # seconds, MB at n = 50


def run_cli(path, strategy, time_limit=None, low_memory=False):
    """One CLI run in a new process: (JSON record, wall seconds, CPU seconds, peak RSS in MB).

    CPU seconds (user + system, start-up and imports included) are less sensitive than wall time
    to other processes sharing the cores."""
    command = [sys.executable, "-m", "backtrack", "subsetsum", "--file", path, "--strategy", strategy, "--json"]
    command += ["--quiet"]
    if time_limit:
        command += ["--time-limit", str(time_limit)]
    if low_memory:
        command += ["--low-memory"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {err.strip()}")
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out.strip().splitlines()[-1]), wall, cpu, usage.ru_maxrss / 1024


def fmt_time(record):
    s = record["stats"]["time_s"]
    return (">=" if record["status"] == "limit" else "") + f"{s:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[24, 32, 40, 44, 50])
    parser.add_argument("--bits", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ordering-limit", type=float, default=20.0, help="seconds for ordering per instance")
    parser.add_argument("--low-memory-sizes", type=int, nargs="*", default=[40, 50])
    parser.add_argument("--output", help="also write the table here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        # Warm the compiled caches (engine and joins) so that runs measure search, not compilation.
        warm = os.path.join(folder, "warm.txt")
        Path(warm).write_text(instance_text(*generate("random-even", 12, 0, args.bits)))
        for strategy, low in (("bidirectional", False), ("bidirectional", True), ("ordering", False)):
            run_cli(warm, strategy, low_memory=low)
        for n in args.sizes:
            path = os.path.join(folder, f"random-even-{n}.txt")
            Path(path).write_text(instance_text(*generate("random-even", n, args.seed, args.bits)))
            runs = [("bidirectional", False)] + ([("bidirectional", True)] if n in args.low_memory_sizes else [])
            ordering, _, _, _ = run_cli(path, "ordering", time_limit=args.ordering_limit)
            for strategy, low in runs:
                record, wall, cpu, rss = run_cli(path, strategy, low_memory=low)
                assert record["status"] == "unsatisfiable", record
                stopped = ordering["status"] == "limit"
                node_gain = ordering["stats"]["nodes"] / max(record["stats"]["nodes"], 1)
                time_gain = ordering["stats"]["time_s"] / max(record["stats"]["time_s"], 1e-9)
                goal = LOW_MEMORY_GOAL[0] if low else GOALS_S.get(n)
                rows.append(
                    [
                        str(n),
                        "bidirectional --low-memory" if low else "bidirectional",
                        f"{record['stats']['nodes']:,}",
                        f"{record['stats']['time_s']:.2f}",
                        f"{wall:.2f}",
                        f"{cpu:.2f}",
                        f"{rss:.0f}",
                        "-" if goal is None else f"{goal:g} s" + (f", {LOW_MEMORY_GOAL[1]} MB" if low else ""),
                        f"{ordering['stats']['nodes']:,}" + (" (limit)" if stopped else ""),
                        fmt_time(ordering),
                        (">=" if stopped else "") + f"{node_gain:,.0f}x",
                        (">=" if stopped else "") + f"{time_gain:,.1f}x",
                    ]
                )
                print(" | ".join(rows[-1]), file=sys.stderr)
    header = [
        "n",
        "method",
        "nodes",
        "search s",
        "wall s",
        "process cpu s",
        "peak MB",
        "goal",
        "ordering nodes",
        "ordering s",
        "node gain",
        "time gain",
    ]
    load = os.getloadavg()[0]
    lines = [
        f"Load average at the end: {load:.1f} on {os.cpu_count()} cores.",
        "",
        f"Subset sum, random-even, {args.bits}-bit weights, seed {args.seed} (no solution); "
        f"ordering limited to {args.ordering_limit:g} s.",
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
