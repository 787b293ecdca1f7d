"""Parallel search against one process, in one run: speedups, decomposition cost, balance.

    python benchmarks/parallel.py [--workers 2] [--sizes 16 17] [--quick] [--out benchmarks/results]

Rows: N-queens counts (`bitboard`, `symmetry`), a hard knapsack `optimize` (Pisinger type 16,
n = 1000, from ../shared when present), a custom CSP `first` (graph colouring written in this file,
as a user would), and a Dask LocalCluster on a small count (its overhead). Each row times the
one-process search and the parallel one alternately (wall seconds of the search, compile excluded;
medians of the repeats) and gives the ratio. Writes parallel.md and parallel.json to --out.
"""

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

import backtrack as bt
from benchmarks.harness import command_line, machine_info, now_iso
from problems.nqueens import STRATEGIES as QUEENS
from problems.nqueens.model import build

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "knapsack" / "pisinger-hard"


class Colouring(NamedTuple):
    """A custom problem, as in the README: colour a graph's vertices, neighbours differ."""

    neighbours: np.ndarray  # int64[n, n]: 1 where two vertices touch
    colours: int

    def space(self):
        return bt.Space(n_vars=self.neighbours.shape[0], n_values=self.colours)


def differs(problem, state, assign, var, value):
    for other in range(problem.neighbours.shape[0]):
        if problem.neighbours[var, other] and assign[other] == value:
            return False
    return True


COLOURING = bt.Strategy("feasibility", Colouring, is_feasible=differs)


def colouring_instance(n=50, degree=6.0, colours=4, seed=3):
    """A random graph near the 4-colouring threshold whose first colouring takes DFS a while."""
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < degree / n, 1)
    return Colouring((upper | upper.T).astype(np.int64), colours)


def timed(run, repeats):
    """Median wall seconds of the search (compile excluded) and the last result."""
    times, result = [], None
    for _ in range(repeats):
        result = run()
        times.append(result.stats.time_s)
    return statistics.median(times), result


def compare(label, problem, strategy, goal, workers, repeats, check, **options):
    """One row: the same search in one process and in ``workers``, alternately."""
    bt.solve(problem, strategy, goal, node_limit=1, **options)  # compile or load first
    one_times, many_times = [], []
    for _ in range(repeats):
        one_time, one = timed(lambda: bt.solve(problem, strategy, goal, **options), 1)
        many_time, many = timed(lambda: bt.solve(problem, strategy, goal, workers=workers, **options), 1)
        one_times.append(one_time)
        many_times.append(many_time)
        check(one)
        check(many)
    one_s, many_s = statistics.median(one_times), statistics.median(many_times)
    p = many.parallel
    return {
        "row": label,
        "goal": goal,
        "workers": workers,
        "one_process_s": round(one_s, 4),
        "parallel_s": round(many_s, 4),
        "speedup": round(one_s / many_s, 2),
        "subproblems": p["subproblems"],
        "depth": p["depth"],
        "decompose_s": p["decompose_s"],
        "max_subproblem_s": p["max_subproblem_s"],
        "mean_subproblem_s": p["mean_subproblem_s"],
        "value": many.value if goal == "optimize" else many.count,
        "repeats": repeats,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 17])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat: a smoke run")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sizes, repeats = ([11, 12], 1) if args.quick else (args.sizes, args.repeats)
    started = now_iso()
    rows = []
    for n in sizes:
        for name in ("bitboard", "symmetry"):
            truth = A000170[n]

            def check(result, truth=truth):
                assert result.count == truth, (result.count, truth)

            row_repeats = 1 if n >= 17 and name == "bitboard" else repeats
            rows.append(
                compare(
                    f"nqueens {n} {name}",
                    build(n, name, "count"),
                    QUEENS[name],
                    "count",
                    args.workers,
                    row_repeats,
                    check,
                )
            )
            print(rows[-1], flush=True)
    rows.extend(knapsack_rows(args.workers, repeats))
    rows.append(colouring_row(args.workers, repeats))
    print(rows[-1], flush=True)
    rows.append(dask_row(args.workers, repeats))
    print(rows[-1], flush=True)
    report = {"started": started, "command": command_line(), "machine": machine_info(), "rows": rows}
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "parallel.json").write_text(json.dumps(report, indent=1) + "\n")
        (args.out / "parallel.md").write_text(markdown(report))
    print(markdown(report))


A000170 = {11: 2680, 12: 14200, 13: 73712, 14: 365596, 15: 2279184, 16: 14772512, 17: 95815104, 18: 666090624}


def knapsack_rows(workers, repeats):
    """Pisinger's type 16 (circle) n = 1000: the shared set's slowest kind; optimum z from the file."""
    files = sorted(SHARED.glob("knapPI_16_1000_*.csv")) if SHARED.is_dir() else []
    if not files:
        print("knapsack: ../shared/data/knapsack/pisinger-hard not found, row skipped")
        return []
    from problems.knapsack.io import read_instances
    from problems.knapsack.model import prepare, search_strategy

    rows = []
    instances = read_instances(str(files[0]))
    for instance in instances[68:70]:  # instances 69 and 70: among the slowest proofs of the set
        problem = prepare(instance, "combo")
        strategy = search_strategy(problem, "combo")

        def check(result, z=instance.known_optimum):
            assert result.status == "optimal" and result.value == z, (result.status, result.value, z)

        rows.append(compare(f"knapsack {instance.name}", problem, strategy, "optimize", workers, repeats, check))
        print(rows[-1], flush=True)
    return rows


def colouring_row(workers, repeats):
    problem = colouring_instance()

    def check(result):
        assert result.status in ("satisfied", "unsatisfiable")
        if result.solution is not None:
            edges = np.argwhere(problem.neighbours)
            assert all(result.solution[a] != result.solution[b] for a, b in edges)

    return compare("custom colouring (first)", problem, COLOURING, "first", workers, repeats, check)


def dask_row(workers, repeats):
    """A LocalCluster's overhead: a small count, one process against the cluster."""
    try:
        import distributed
    except ImportError:
        return {"row": "dask LocalCluster", "note": "distributed not installed"}
    problem, strategy = build(12, "bitboard", "count"), QUEENS["bitboard"]
    bt.solve(problem, strategy, "count")
    started = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        startup = time.perf_counter() - started
        bt.solve(problem, strategy, "count", executor=client)  # workers load the compiled engine
        one, many = [], []
        for _ in range(repeats):
            one.append(bt.solve(problem, strategy, "count").stats.time_s)
            result = bt.solve(problem, strategy, "count", executor=client)
            assert result.count == A000170[12]
            many.append(result.stats.time_s)
    return {
        "row": "nqueens 12 bitboard on a dask LocalCluster",
        "goal": "count",
        "workers": workers,
        "one_process_s": round(statistics.median(one), 4),
        "parallel_s": round(statistics.median(many), 4),
        "speedup": round(statistics.median(one) / statistics.median(many), 3),
        "subproblems": result.parallel["subproblems"],
        "cluster_start_s": round(startup, 2),
        "repeats": repeats,
    }


def markdown(report):
    lines = [
        f"Parallel search against one process ({report['started']}, `{report['command']}`)",
        "",
        "| row | goal | workers | one process s | parallel s | speedup | subproblems | decompose s "
        "| max / mean subproblem s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        if "note" in r:
            lines.append(f"| {r['row']} | | | | | | | | {r['note']} |")
            continue
        balance = f"{r.get('max_subproblem_s', '')} / {r.get('mean_subproblem_s', '')}"
        lines.append(
            f"| {r['row']} | {r['goal']} | {r['workers']} | {r['one_process_s']} | {r['parallel_s']} | "
            f"{r['speedup']}x | {r['subproblems']} | {r.get('decompose_s', '')} | {balance} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
