"""The Golomb-ruler suite of ``backtrack bench golomb``: the shortest ruler with N marks, proven.

Sizes are the number of marks (default 5-10). Solvers: every strategy of :mod:`problems.golomb`
(goal optimize; time = the search, compiling excluded by the warm-up run) and NuCS's own example
(``python -m nucs.examples.golomb -n N``, in a process of its own: its reported solver time,
``SOLVER_ELAPSED_TIME_MS``, is the time; the process's wall time is in the note). The answer is
the optimal length, checked against the published optima (OEIS A003022).
"""

import re
import subprocess
import sys
import time

from benchmarks.harness import Instance, Solver, Suite, SuiteUnavailable, engine_record

OPTIMA = (0, 1, 3, 6, 11, 17, 25, 34, 44, 55, 72, 85, 106, 127)  # OEIS A003022, marks 1..14


def _engine_solver(name, description):
    def run(spec, time_limit, context):
        import backtrack as bt
        from problems.golomb.model import STRATEGIES, build

        result = bt.solve(build(spec["n"]), STRATEGIES[name], "optimize", time_limit=time_limit)
        return engine_record(result, result.value if result.status == "optimal" else None)

    return Solver(name=name, run=run, description=description, warm_spec=lambda spec: {"n": min(spec["n"], 5)})


def _nucs_run(spec, time_limit, context):
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "nucs.examples.golomb", "-n", str(spec["n"])],
            capture_output=True,
            text=True,
            timeout=time_limit * 1.5 + 60,  # its first run compiles
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "time_s": time.perf_counter() - started}
    wall = time.perf_counter() - started
    elapsed = re.search(r"'SOLVER_ELAPSED_TIME_MS': (\d+)", done.stdout + done.stderr)
    rulers = re.findall(r"^\[([\d, ]+)\]$", done.stdout, flags=re.M)
    if done.returncode != 0 or not elapsed or not rulers:
        return {"status": "error", "note": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    marks = [int(x) for x in rulers[-1].split(",")]
    return {
        "status": "optimal",
        "answer": marks[-2] if len(marks) > 1 else None,  # NuCS prints the marks after 0, then the length index
        "time_s": int(elapsed.group(1)) / 1000,
        "note": f"process {wall:.1f} s",
    }


def _nucs_missing(context):
    import importlib.util

    return None if importlib.util.find_spec("nucs") else "nucs is not installed (pip install nucs)"


def solvers():
    try:
        from problems.golomb.model import STRATEGIES
    except ImportError as error:
        raise SuiteUnavailable(f"problems.golomb cannot be imported ({error})") from None
    ours = {name: _engine_solver(name, s.description) for name, s in STRATEGIES.items()}
    nucs = Solver(
        name="nucs",
        run=_nucs_run,
        kind="peer",
        description="NuCS's example: python -m nucs.examples.golomb -n N (its solver time)",
        warmup=True,
        warm_spec=lambda spec: {"n": 5},
        available=_nucs_missing,
    )
    return {**ours, "nucs": nucs}


def instances(sizes, files, per_size, groups=None):
    if files or groups:
        raise ValueError("the golomb suite takes sizes (--sizes: numbers of marks), not files or classes")
    return [Instance(label=str(n), size=n, spec={"n": n}) for n in sizes]


def expected(instance):
    n = instance.spec["n"]
    return OPTIMA[n - 1] if n <= len(OPTIMA) else None


SUITE = Suite(
    name="golomb",
    answer_name="length",
    description="Golomb rulers: the shortest ruler with N marks, proven optimal",
    default_sizes=(5, 6, 7, 8, 9, 10),
    instances=instances,
    solvers=solvers,
    expected=expected,
    size_name="N (marks)",
    default_solvers=lambda: ["bound", "propagation", "symmetry", "nucs"],
)
