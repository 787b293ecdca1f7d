"""The Sudoku suite of ``backtrack bench sudoku``: the first S puzzles of a collection, solved and checked.

Sizes are numbers of puzzles from the top of magictour's top1465 (``tests/data/sudoku``; default
95, 500, 1465), or every puzzle of each ``--instances`` file. Solvers: each strategy of
:mod:`problems.sudoku` through one :class:`backtrack.batch.Batch` (compiling excluded by the
warm-up run), python-constraint2 and OR-Tools CP-SAT (one worker) puzzle by puzzle. The answer is
the number of puzzles solved, every solution checked cell by cell.
"""

import time
from pathlib import Path

from benchmarks.harness import Instance, Solver, Suite, SuiteUnavailable

ROOT = Path(__file__).resolve().parent.parent
TOP1465 = ROOT / "tests" / "data" / "sudoku" / "top1465.txt"


def _puzzles(spec):
    from problems.sudoku.io import Puzzles

    puzzles = Puzzles(9)
    puzzles.add_file(spec["file"])
    if "count" in spec:
        keep = spec["count"]
        puzzles.names, puzzles.texts, puzzles.rows = puzzles.names[:keep], puzzles.texts[:keep], puzzles.rows[:keep]
    return puzzles


def _engine_solver(name, description):
    def run(spec, time_limit, context):
        from backtrack.batch import Batch
        from benchmarks.sudoku import check_all
        from problems.sudoku.model import STRATEGIES

        puzzles = _puzzles(spec)
        problem = puzzles.problem()
        started = time.perf_counter()
        batch = Batch(problem, STRATEGIES[name], "first", puzzles.domains(problem), time_limit=time_limit).run()
        solved = int((batch.out.status == 2).sum())
        ok = solved == len(puzzles) and check_all(problem, puzzles.givens, batch.out.solutions)
        elapsed = time.perf_counter() - started - batch.stats.compile_s
        return {
            "status": "complete" if ok else "limit",
            "answer": solved if ok else None,
            "time_s": elapsed,
            "compile_s": batch.stats.compile_s,
            "nodes": int(batch.out.stats[:, 0].sum()),
        }

    return Solver(name=name, run=run, description=description, warm_spec=lambda spec: {**spec, "count": 3})


def _peer(name, make, description, module):
    def run(spec, time_limit, context):
        from benchmarks.sudoku import check_all

        puzzles = _puzzles(spec)
        problem = puzzles.problem()
        solve = make(9)
        started = time.perf_counter()
        grids = []
        for row in puzzles.givens:
            grids.append(solve(row, problem))
            if time.perf_counter() - started > time_limit:
                return {"status": "timeout", "answer": None, "time_s": time.perf_counter() - started}
        ok = check_all(problem, puzzles.givens, grids)
        return {"status": "complete" if ok else "error", "answer": len(grids), "time_s": time.perf_counter() - started}

    def missing(context):
        import importlib.util

        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        return None if found else f"{module} is not installed (pip install '.[bench]')"

    return Solver(
        name=name, run=run, kind="peer", description=description, available=missing, stops_itself=False, warmup=False
    )


def solvers():
    try:
        from benchmarks.sudoku import cp_sat_solver, python_constraint_solver
        from problems.sudoku.model import STRATEGIES
    except ImportError as error:
        raise SuiteUnavailable(f"problems.sudoku cannot be imported ({error})") from None
    ours = {name: _engine_solver(name, s.description) for name, s in STRATEGIES.items()}
    return {
        **ours,
        "python-constraint": _peer(
            "python-constraint", python_constraint_solver, "python-constraint2, 27 all-different", "constraint"
        ),
        "cp-sat": _peer("cp-sat", cp_sat_solver, "OR-Tools CP-SAT, 27 all-different, 1 worker", "ortools"),
    }


def instances(sizes, files, per_size, groups=None):
    if files:
        specs = [{"file": str(f)} for f in files]
        return [Instance(label=Path(s["file"]).name, size=len(_puzzles(s)), spec=s) for s in specs]
    return [Instance(label=f"top1465[:{n}]", size=n, spec={"file": str(TOP1465), "count": n}) for n in sizes]


def expected(instance):
    return instance.size


SUITE = Suite(
    name="sudoku",
    answer_name="solved",
    description="Sudoku: the first S puzzles of top1465 solved, each solution checked",
    default_sizes=(95, 500, 1465),
    instances=instances,
    solvers=solvers,
    expected=expected,
    size_name="puzzles",
    default_solvers=lambda: ["forward-checking", "singles", "python-constraint", "cp-sat"],
)
