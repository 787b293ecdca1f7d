"""Sudoku speed goal: puzzles per second on a hard collection, one process, start-up excluded.

    python benchmarks/sudoku.py [--file tests/data/sudoku/top1465.txt] [--repeats 3] [--peer-seconds 30]

Ours: every puzzle of the file through one :class:`backtrack.batch.Batch` (compiling or loading
the engine is done on a warm-up batch first and not timed), each solution checked cell by cell
(timed too; wall clock and this process's CPU time, which a loaded machine inflates less).
Peers, in the same process and run: python-constraint2 (``AllDifferentConstraint`` per row,
column and box) and OR-Tools CP-SAT (``AddAllDifferent``, one worker), puzzle by puzzle from the
top of the same file until ``--peer-seconds`` have passed (their rate is puzzles solved over the
time spent), every solution checked the same way. Writes benchmarks/results/sudoku.{json,md}.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from problems.sudoku.io import Puzzles  # noqa: E402
from problems.sudoku.model import STRATEGIES  # noqa: E402


def check_all(problem, givens, grids):
    """Vectorised check: each unit holds every digit once and the givens are kept; True if all pass."""
    grids = np.asarray(grids)
    if grids.min() < 0:
        return False
    units = grids[:, problem.units]  # [m, 27, 9]
    onehot = np.zeros(units.shape + (problem.side,), dtype=np.int8)
    np.put_along_axis(onehot, units[..., None], 1, axis=-1)
    complete = (onehot.sum(axis=2) == 1).all()
    kept = ((givens < 0) | (givens == grids)).all()
    return bool(complete and kept)


def ours(puzzles, strategy_name, repeats):
    from backtrack.batch import Batch

    problem = puzzles.problem()
    domains = puzzles.domains(problem)
    strategy = STRATEGIES[strategy_name]
    warm = Batch(problem, strategy, "first", domains[:5]).run()  # compiles or loads the engine
    times, cpu, nodes = [], [], 0
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        batch = Batch(problem, strategy, "first", domains).run()
        ok = check_all(problem, puzzles.givens, batch.out.solutions)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        assert ok and (batch.out.status == 2).all(), "a puzzle was not solved correctly"
        nodes = int(batch.out.stats[:, 0].sum())
    median = statistics.median(times)
    return {
        "solver": f"backtrack {strategy_name}",
        "puzzles": len(puzzles),
        "time_s": median,
        "times_s": times,
        "rate": len(puzzles) / median,
        "cpu_s": statistics.median(cpu),
        "cpu_rate": len(puzzles) / statistics.median(cpu),
        "nodes": nodes,
        "compile_s": warm.stats.compile_s,
    }


def python_constraint_solver(side):
    import constraint

    def solve(givens, problem):
        p = constraint.Problem()
        for cell in range(side * side):
            p.addVariable(cell, [int(givens[cell])] if givens[cell] >= 0 else list(range(side)))
        for unit in problem.units:
            p.addConstraint(constraint.AllDifferentConstraint(), [int(c) for c in unit])
        found = p.getSolution()
        return [found[c] for c in range(side * side)]

    return solve


def cp_sat_solver(side):
    from ortools.sat.python import cp_model

    def solve(givens, problem):
        model = cp_model.CpModel()
        cells = [model.NewIntVar(0, side - 1, f"c{i}") for i in range(side * side)]
        for i, g in enumerate(givens):
            if g >= 0:
                model.Add(cells[i] == int(g))
        for unit in problem.units:
            model.AddAllDifferent([cells[int(c)] for c in unit])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        status = solver.Solve(model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        return [solver.Value(v) for v in cells]

    return solve


def peer(name, make, puzzles, seconds):
    try:
        solve = make(puzzles.side)
    except ImportError as error:
        return {"solver": name, "unavailable": str(error)}
    problem = puzzles.problem()
    givens = puzzles.givens
    solve(givens[0], problem)  # imports and first-call set-up, not timed
    grids, spent = [], 0.0
    for row in givens:
        started = time.perf_counter()
        grids.append(solve(row, problem))
        spent += time.perf_counter() - started
        if spent >= seconds:
            break
    count = len(grids)
    assert check_all(problem, givens[:count], grids), f"{name} returned a wrong grid"
    return {"solver": name, "puzzles": count, "time_s": spent, "rate": count / spent}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(ROOT / "tests/data/sudoku/top1465.txt"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-seconds", type=float, default=30.0)
    parser.add_argument("--strategies", default="singles,forward-checking")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results"))
    args = parser.parse_args(argv)
    puzzles = Puzzles(9)
    puzzles.add_file(args.file)
    load = [round(x, 2) for x in os.getloadavg()]
    rows = [ours(puzzles, name, args.repeats) for name in args.strategies.split(",")]
    rows.append(peer("python-constraint2", python_constraint_solver, puzzles, args.peer_seconds))
    rows.append(peer("OR-Tools CP-SAT (1 worker)", cp_sat_solver, puzzles, args.peer_seconds))
    best = rows[0]["rate"]
    lines = [
        f"# Sudoku: {Path(args.file).name}, {len(puzzles)} puzzles, one process",
        "",
        f"`python benchmarks/sudoku.py --file {args.file} --repeats {args.repeats} --peer-seconds {args.peer_seconds}`"
        f" (load average at start {load}); time = search + checking every solution, compile excluded"
        " (median of the repeats; wall clock, and CPU time of this process);",
        "peers puzzle by puzzle from the top of the file for the seconds given.",
        "",
        "| solver | puzzles | seconds | puzzles/s | puzzles per CPU second | ours (first row) is faster by |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "unavailable" in row:
            lines.append(f"| {row['solver']} | not installed: {row['unavailable']} | | | | |")
            continue
        ratio = best / row["rate"]
        cpu_rate = f"{row['cpu_rate']:.0f}" if "cpu_rate" in row else ""
        figures = f"{row['puzzles']} | {row['time_s']:.3f} | {row['rate']:.0f} | {cpu_rate}"
        lines.append(f"| {row['solver']} | {figures} | {ratio:.1f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sudoku.md").write_text(text)
    record = {"file": args.file, "load_average_start": load, "rows": rows, "command": " ".join(sys.argv)}
    (out / "sudoku.json").write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
