"""Knapsack benchmark: Pisinger's hard instances and the classic classes, one strategy, Markdown out.

    /work/venv/bin/python benchmarks/knapsack.py --output knapsack.md
    /work/venv/bin/python benchmarks/knapsack.py --sizes 20 50 --classes --time-limit 5

Part 1 solves every instance of the shared Pisinger files (types 11-16, n up to 1000, 100
instances per file) and reports, per file, how many were proven optimal, how many match the
file's z, and the search time (engine only) and total time (with preprocessing) per instance.
Part 2 generates Pisinger's classes 1-6 and 9 with R = 10^4 at n = 1000 and 10000 (instances
i = 1..--count of a series) and reports each. If ``ortools`` is importable, its knapsack solver
(branch and bound) runs side by side with the same time limit; otherwise that column is skipped.
Compilation is done once before timing (the first instance warms the engine).
"""

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backtrack import solve  # noqa: E402
from problems.knapsack.generate import CLASSES, generate_series  # noqa: E402
from problems.knapsack.io import read_instances  # noqa: E402
from problems.knapsack.preparation import prepare, solve_instance  # noqa: E402
from problems.knapsack.strategies import DEFAULT_STRATEGY, STRATEGIES, search_strategy  # noqa: E402

SHARED = Path("/work/shared/data/knapsack/pisinger-hard")

try:
    from ortools.algorithms.python import knapsack_solver
except ImportError:  # pragma: no cover - optional
    knapsack_solver = None


def run_one(instance, strategy, time_limit):
    started = time.perf_counter()
    problem = prepare(instance, strategy)
    result = solve(problem, search_strategy(problem, strategy), "optimize", time_limit=time_limit)
    total = time.perf_counter() - started - result.stats.compile_s
    chosen = problem.chosen_items(result.solution)
    assert sum(instance.weights[j] for j in chosen) <= instance.capacity
    assert sum(instance.profits[j] for j in chosen) == result.value
    return {
        "optimal": result.status == "optimal",
        "value": result.value,
        "search_s": result.stats.time_s,
        "total_s": total,
        "nodes": result.stats.nodes,
        "free": int(problem.item.shape[0]),
    }


def run_ortools(instance, time_limit):
    if knapsack_solver is None:
        return None
    solver = knapsack_solver.KnapsackSolver(
        knapsack_solver.SolverType.KNAPSACK_MULTIDIMENSION_BRANCH_AND_BOUND_SOLVER, "bench"
    )
    solver.set_time_limit(time_limit)
    solver.init(instance.profits, [instance.weights], [instance.capacity])
    started = time.perf_counter()
    value = solver.solve()
    elapsed = time.perf_counter() - started
    return {"value": value, "optimal": solver.is_solution_optimal(), "time_s": elapsed}


def pisinger_table(strategy, sizes, time_limit, limit_instances):
    rows = [
        "| file | instances | proven optimal | = z | search s mean | search s max | total s max | > 1 s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in range(11, 17):
        for n in sizes:
            path = SHARED / f"knapPI_{kind}_{n}_1000.csv"
            if not path.exists():
                continue
            instances = read_instances(str(path))[:limit_instances]
            runs = []
            matches = 0
            for instance in instances:
                run = run_one(instance, strategy, time_limit)
                matches += run["value"] == instance.known_optimum
                runs.append(run)
            search = [r["search_s"] for r in runs]
            rows.append(
                f"| {path.name} | {len(runs)} | {sum(r['optimal'] for r in runs)} | {matches} | "
                f"{statistics.mean(search):.4f} | {max(search):.3f} | {max(r['total_s'] for r in runs):.3f} | "
                f"{sum(s > 1 for s in search)} |"
            )
            print(rows[-1], file=sys.stderr, flush=True)
    return rows


def classes_table(strategy, sizes, value_range, count, time_limit, seed):
    with_ortools = knapsack_solver is not None
    header = "| class | n | i | status | value | free items | nodes | search s | total s |"
    rule = "|---|---:|---:|---|---:|---:|---:|---:|---:|"
    if with_ortools:
        header += " OR-Tools value | OR-Tools proven | OR-Tools s |"
        rule += "---:|---|---:|"
    rows = [header, rule]
    for n in sizes:
        for kind in CLASSES:
            for index, instance in enumerate(generate_series(kind, n, value_range, seed, count), start=1):
                run = run_one(instance, strategy, time_limit)
                row = (
                    f"| {kind} {CLASSES[kind]} | {n} | {index} | {'optimal' if run['optimal'] else 'limit'} | "
                    f"{run['value']} | {run['free']} | {run['nodes']} | {run['search_s']:.3f} | {run['total_s']:.3f} |"
                )
                if with_ortools:
                    other = run_ortools(instance, time_limit)
                    row += f" {other['value']} | {other['optimal']} | {other['time_s']:.3f} |"
                rows.append(row)
                print(row, file=sys.stderr, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strategy", default=DEFAULT_STRATEGY, choices=list(STRATEGIES))
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 100, 200, 500, 1000], help="Pisinger n")
    parser.add_argument("--instances", type=int, default=100, help="instances per Pisinger file")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--class-sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--range", dest="value_range", type=int, default=10000)
    parser.add_argument("--count", type=int, default=3, help="instances per generated class and size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-pisinger", action="store_true")
    parser.add_argument("--skip-classes", action="store_true")
    parser.add_argument("--output", help="Markdown file (default stdout)")
    args = parser.parse_args()

    warm = generate_series(1, 50, 1000, 0, 1)[0]
    solve_instance(warm, args.strategy)  # compile (or load) once before timing

    lines = [
        f"# Knapsack benchmark, strategy `{args.strategy}`",
        "",
        f"Command: `{' '.join(['python'] + sys.argv)}`  ",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        f"time limit {args.time_limit} s per instance; search s = engine time, total s = with preprocessing.",
        "",
    ]
    if not args.skip_pisinger:
        if SHARED.is_dir():
            lines += ["## Pisinger's hard instances (types 11-16, R = 1000)", ""]
            lines += pisinger_table(args.strategy, args.sizes, args.time_limit, args.instances)
            lines.append("")
        else:
            lines += [f"(Pisinger files not found in {SHARED}: skipped)", ""]
    if not args.skip_classes:
        lines += [f"## Classic classes, R = {args.value_range}, seed {args.seed}", ""]
        if knapsack_solver is None:
            lines += ["(ortools not importable: OR-Tools column skipped)", ""]
        lines += classes_table(
            args.strategy, args.class_sizes, args.value_range, args.count, args.time_limit, args.seed
        )
        lines.append("")
    text = "\n".join(lines)
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
