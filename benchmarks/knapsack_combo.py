"""Knapsack whole solve against Pisinger's combo: per type and size, our median and max time,
combo's, the ratio and the instances left unproven. Markdown table out, JSON rows beside.

    python benchmarks/knapsack_combo.py --output benchmarks/results/knapsack-combo.md
    python benchmarks/knapsack_combo.py --parts shared --types 14 16 --sizes 1000 --instances 20

Whole solve = ``prepare`` (reduction, multiplier, incumbents, core searches) + the search, wall
clock, compile time excluded (the engine is compiled before timing), the time limit bounding
both. Parts: ``shared``, every instance of the shared hard set (types 11-16, n <= 1000) beside
combo's time for it (``combo-times.csv``: combo() alone, best of 3, same machine kind); ``fresh``,
new seeds of types 11-16 at n = 2000, 5000, 10000 (R = 1000, instances i = 1..S of a series of
S = 100 taken evenly); ``classes``, classes 1-6 and 9 at n = 10^4 and 10^5 with R = 10^4 and
10^6 (an instance whose arithmetic would overflow int64 is listed as refused). For the last two
there is no combo time: only ours (combo needs at most 25 ms on the hard types at n = 2000,
../shared/NOTES.md). Goal per instance: within max(20 x combo, 50 ms) where combo's time is known.
"""

import argparse
import csv
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backtrack import solve  # noqa: E402
from problems.knapsack.generate import CLASSES, HARD_TYPES, generate, generate_series  # noqa: E402
from problems.knapsack.io import read_instances  # noqa: E402
from problems.knapsack.preparation import prepare, search_time_left  # noqa: E402
from problems.knapsack.strategies import DEFAULT_STRATEGY, search_strategy  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "knapsack"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/knapsack")
GOAL_FACTOR, GOAL_FLOOR = 20, 0.05


def whole_solve(instance, time_limit, strategy=DEFAULT_STRATEGY):
    """One instance: (record dict) with prepare_s, search_s, total_s, status, value, nodes."""
    started = time.perf_counter()
    try:
        problem = prepare(instance, strategy, time_limit=time_limit)
    except ValueError:
        return {"instance": instance.name, "status": "refused"}
    prepare_s = time.perf_counter() - started
    result = solve(
        problem, search_strategy(problem, strategy), "optimize", time_limit=search_time_left(time_limit, prepare_s)
    )
    total = time.perf_counter() - started - result.stats.compile_s
    chosen = problem.chosen_items(result.solution)
    assert sum(instance.weights[j] for j in chosen) <= instance.capacity
    assert sum(instance.profits[j] for j in chosen) == result.value
    return {
        "instance": instance.name,
        "status": result.status,
        "value": result.value,
        "known": instance.known_optimum,
        "prepare_s": prepare_s,
        "search_s": result.stats.time_s,
        "total_s": total,
        "nodes": result.stats.nodes,
        "core_nodes": problem.core_nodes,
    }


def combo_times():
    with open(SHARED / "combo-times.csv", newline="") as handle:
        return {row["instance"]: float(row["combo_s"]) for row in csv.DictReader(handle)}


def summary(group, records, combo=None):
    """One table row (dict) for a group of records; ``combo`` maps instance names to combo's time."""
    solved = [r for r in records if r["status"] != "refused"]
    row = {"group": group, "instances": len(records), "refused": len(records) - len(solved)}
    if not solved:
        return row
    times = [r["total_s"] for r in solved]
    row.update(
        unproven=sum(r["status"] != "optimal" for r in solved),
        wrong=sum(r["known"] is not None and r["value"] != r["known"] for r in solved),
        median_s=statistics.median(times),
        max_s=max(times),
        prepare_max_s=max(r["prepare_s"] for r in solved),
    )
    if combo:
        theirs = [combo[r["instance"]] for r in solved]
        ratios = [r["total_s"] / c for r, c in zip(solved, theirs, strict=True)]
        row.update(
            combo_median_s=statistics.median(theirs),
            combo_max_s=max(theirs),
            ratio_median=statistics.median(ratios),
            ratio_max=max(ratios),
            over_goal=sum(r["total_s"] > max(GOAL_FACTOR * c, GOAL_FLOOR) for r, c in zip(solved, theirs, strict=True)),
        )
    return row


def fmt(row, key, spec):
    return format(row[key], spec) if key in row else "-"


def table(rows):
    lines = [
        "| group | instances | unproven | ours median s | ours max s | prepare max s | combo median s | "
        "combo max s | ratio median | ratio max | over max(20 x combo, 50 ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "median_s" not in row:
            lines.append(f"| {row['group']} | {row['instances']} | refused (int64) | - | - | - | - | - | - | - | - |")
            continue
        unproven = str(row["unproven"]) + (f" ({row['wrong']} wrong)" if row.get("wrong") else "")
        lines.append(
            f"| {row['group']} | {row['instances']} | {unproven} | {fmt(row, 'median_s', '.4f')} | "
            f"{fmt(row, 'max_s', '.3f')} | {fmt(row, 'prepare_max_s', '.3f')} | {fmt(row, 'combo_median_s', '.5f')} | "
            f"{fmt(row, 'combo_max_s', '.4f')} | {fmt(row, 'ratio_median', '.0f')} | {fmt(row, 'ratio_max', '.0f')} | "
            f"{row.get('over_goal', '-')} |"
        )
    return lines


def run_group(group, instances, time_limit, records, combo=None):
    found = [whole_solve(instance, time_limit) | {"group": group} for instance in instances]
    records += found
    row = summary(group, found, combo)
    print(table([row])[-1], file=sys.stderr, flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=["shared", "fresh", "classes"])
    parser.add_argument("--types", type=int, nargs="+", default=sorted(HARD_TYPES))
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 100, 200, 500, 1000], help="shared n")
    parser.add_argument("--instances", type=int, default=100, help="instances per shared file")
    parser.add_argument("--fresh-sizes", type=int, nargs="+", default=[2000, 5000, 10000])
    parser.add_argument("--fresh-count", type=int, default=10, help="fresh instances per type and size")
    parser.add_argument("--classes", type=int, nargs="+", default=sorted(CLASSES))
    parser.add_argument("--class-sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--ranges", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--class-count", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance, whole solve")
    parser.add_argument("--output", help="Markdown file (default stdout); JSON rows go beside it")
    args = parser.parse_args()

    whole_solve(generate(1, 50, 1000, 0), 10)  # compile (or load) the engine before timing
    whole_solve(generate(4, 50, 1000, 0), 10)  # the variant with both bounds
    started = time.perf_counter()
    rows, records = [], []
    if "shared" in args.parts:
        combo = combo_times()
        for kind in args.types:
            for n in args.sizes:
                path = SHARED / "pisinger-hard" / f"knapPI_{kind}_{n}_1000.csv"
                instances = read_instances(str(path))[: args.instances]
                rows.append(run_group(f"shared {kind} n={n}", instances, args.time_limit, records, combo))
    if "fresh" in args.parts:
        for kind in args.types:
            for n in args.fresh_sizes:
                picks = [round(100 * (k + 1) / (args.fresh_count + 1)) for k in range(args.fresh_count)]
                instances = [generate(kind, n, 1000, args.seed, i, 100) for i in picks]
                rows.append(run_group(f"fresh {kind} n={n}", instances, args.time_limit, records))
    if "classes" in args.parts:
        for value_range in args.ranges:
            for n in args.class_sizes:
                for kind in args.classes:
                    instances = generate_series(kind, n, value_range, args.seed, args.class_count)
                    rows.append(run_group(f"class {kind} n={n} R={value_range}", instances, args.time_limit, records))
    lines = [
        f"# Knapsack whole solve against combo, strategy `{DEFAULT_STRATEGY}`",
        "",
        f"Command: `{' '.join(['python'] + sys.argv)}`  ",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; limit {args.time_limit} s per "
        f"instance (whole solve); {time.perf_counter() - started:.0f} s in all. Times: wall seconds, preparation "
        "+ search; ratio = ours / combo's on the same instance (median and max over the group).",
        "",
        *table(rows),
        "",
    ]
    text = "\n".join(lines)
    if args.output:
        Path(args.output).write_text(text)
        Path(args.output).with_suffix(".json").write_text(json.dumps({"rows": rows, "records": records}, indent=1))
    else:
        print(text)


if __name__ == "__main__":
    main()
