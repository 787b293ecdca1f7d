"""Graph-colouring goals: the chromatic number of DIMACS graphs proven within 1 s / 60 s.

    python benchmarks/colour.py [--strategy singletons] [--time-limit 60] [--only NAME ...]

Each instance is solved in this process with goal optimize (compiling or loading the engine is
done on myciel3 first and not timed), its colouring checked edge by edge and its value against
the published chromatic number. A run stops at --time-limit (then "not proven", with the best
colouring found). Writes benchmarks/results/colour.{json,md}.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import backtrack as bt  # noqa: E402
from benchmarks.colour_suite import KNOWN  # noqa: E402
from problems.colour import STRATEGIES, build, is_proper, read_dimacs  # noqa: E402

TESTS = ROOT / "tests" / "data" / "colour"
DATA = ROOT / "benchmarks" / "data" / "colour"
# (instance, goal in seconds or None: report as it goes)
GOALS = [
    *[(f"myciel{k}", 1) for k in (3, 4, 5)],
    *[(f"queen{n}_{n}", 1) for n in range(5, 10)],
    ("queen8_12", 1),
    ("le450_5c", 1),
    ("le450_5d", 1),
    ("le450_25a", 1),
    ("le450_25b", 1),
    ("DSJC125.1", 1),
    ("myciel6", 60),
    ("le450_15a", 60),
    ("queen10_10", None),
    ("DSJC125.5", None),
]
KNOWN_MORE = {"DSJC125.5": 17}  # proven by later exact solvers (not in the goal list)


def path_of(name):
    for candidate in (TESTS / f"{name}.col", DATA / f"{name}.col.gz"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(name)


def run_one(name, goal, strategy, time_limit):
    graph = read_dimacs(path_of(name))
    problem = build(graph)
    started = time.perf_counter()
    result = bt.solve(problem, strategy, "optimize", time_limit=time_limit)
    wall = time.perf_counter() - started
    ok = result.solution is not None and is_proper(graph.n, graph.edges, result.solution)
    known = KNOWN.get(name, KNOWN_MORE.get(name))
    proven = result.status == "optimal"
    return {
        "instance": name,
        "vertices": graph.n,
        "edges": len(graph.edges),
        "known": known,
        "clique": len(problem.clique),
        "greedy": problem.colours,
        "status": result.status,
        "colours": result.value,
        "proven": proven,
        "right": proven and result.value == known,
        "checked": ok,
        "nodes": result.stats.nodes,
        "search_s": round(result.stats.time_s, 4),
        "wall_s": round(wall, 4),
        "goal_s": goal,
        "met": None if goal is None else bool(proven and result.value == known and result.stats.time_s <= goal),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategy", default="cliques", choices=sorted(STRATEGIES))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--only", nargs="*", help="instance names")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args()
    strategy = STRATEGIES[args.strategy]
    load_start = os.getloadavg()
    warm = bt.solve(build(read_dimacs(TESTS / "myciel3.col")), strategy, "optimize")
    rows = []
    for name, goal in GOALS:
        if args.only and name not in args.only:
            continue
        row = run_one(name, goal, strategy, args.time_limit)
        rows.append(row)
        print(json.dumps(row), flush=True)
    record = {
        "command": "python benchmarks/colour.py " + " ".join(sys.argv[1:]),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "strategy": args.strategy,
        "time_limit_s": args.time_limit,
        "compile_s": round(warm.stats.compile_s, 2),
        "load_average": {"start": load_start, "end": os.getloadavg()},
        "rows": rows,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "colour.json").write_text(json.dumps(record, indent=1) + "\n")
    (out / "colour.md").write_text(markdown(record))
    print(f"wrote {out / 'colour.md'}, colour.json")


def markdown(record):
    lines = [
        "# colour goals",
        "",
        f"- command: `{record['command']}`",
        f"- date: {record['date']}; strategy {record['strategy']}; time limit {record['time_limit_s']} s per instance",
        f"- load average (1, 5, 15 min): {list(record['load_average']['start'])} at the start, "
        f"{list(record['load_average']['end'])} at the end (2 cores); compile {record['compile_s']} s (not timed)",
        "- search s: the engine's search time; wall s: the whole `bt.solve` call (building the problem: "
        "reading, greedy colouring, cliques, is not timed)",
        "",
        "| instance | V | E | known χ | clique | greedy | status | colours | nodes | search s | wall s | goal | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in record["rows"]:
        goal = "-" if r["goal_s"] is None else f"{r['goal_s']} s"
        met = "-" if r["met"] is None else ("yes" if r["met"] else "**no**")
        lines.append(
            f"| {r['instance']} | {r['vertices']} | {r['edges']} | {r['known']} | {r['clique']} | {r['greedy']} | "
            f"{r['status']} | {r['colours']} | {r['nodes']:,} | {r['search_s']} | {r['wall_s']} | {goal} | {met} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
