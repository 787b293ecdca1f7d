"""N-queens benchmarks: the suite of ``backtrack bench nqueens`` and the issue-3 speed goals.

The suite counts the solutions of N-queens with every strategy of :mod:`problems.nqueens` and
with the peers that are installed: a plain C bitboard counter (``peers/nqueens_bitboard.c``,
built with the C compiler into a temporary directory), python-constraint2 and OR-Tools CP-SAT
(one worker). Counts are checked against OEIS A000170.

``backtrack bench nqueens --goals`` (or ``python benchmarks/nqueens.py``) measures the speed goals
of issue 3 in one run, each as a ratio or a time measured here and now:

- ``bitboard`` counting CPU time at N = 14, 15, 16, 17 against the C counter (``peers/
  nqueens_bitboard.c``: 32-bit masks, half trick with the odd-N middle-column trick): <= 1.15x;
  ``symmetry``: <= 0.40x the same C counter (issue 17). Beside them, as reference rows: the same
  C file counting with all 8 symmetries (``sym8``), and the shared baseline
  ``../shared/baselines/nqueens_somers.c`` when it exists (ours must be at least as fast). The
  runs of one N are interleaved (C, shared C, sym8 C, bitboard, symmetry, then again) and the
  ratios are medians over them;
- ``mrv --first`` at N = 1000: search < 5 s;
- the whole process ``backtrack nqueens 8 --count``: < 1 s with numba's cache warm, < 10 s with
  an empty cache (``NUMBA_CACHE_DIR`` pointed at an empty temporary directory).
"""

import importlib
import importlib.util
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/nqueens.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ROOT, Instance, Solver, Suite, engine_record

C_SOURCE = Path(__file__).resolve().parent / "peers" / "nqueens_bitboard.c"
SHARED_C_SOURCE = ROOT.parent / "shared" / "baselines" / "nqueens_somers.c"
GOAL_SIZES = (14, 15, 16, 17)
GOAL_LIMITS = {"bitboard": 1.15, "symmetry": 0.40}  # CPU time / the C counter's (issue 17)

# OEIS A000170: number of solutions of N-queens, N = 0..27.
OEIS_A000170 = [
    1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596, 2279184, 14772512, 95815104,
    666090624, 4968057848, 39029188884, 314666222712, 2691008701644, 24233937684440, 227514171973736,
    2207893435808352, 22317699616364044, 234907967154122528,
]  # fmt: skip


# ---------------------------------------------------------------- our strategies


def make_problem(n, strategy_name, goal):
    """The problem value, strategy and search options, as ``backtrack nqueens`` builds them."""
    from problems.nqueens import STRATEGIES, build, run_options

    return build(n, strategy_name, goal), STRATEGIES[strategy_name], run_options(strategy_name, goal)


def _engine_solver(name, description, goal="count"):
    def run(spec, time_limit, context):
        from backtrack import solve

        problem, strategy, options = make_problem(spec["n"], name, goal)
        result = solve(problem, strategy, goal, time_limit=time_limit, **options)
        return engine_record(result, result.count if goal == "count" else result.solution is not None)

    return Solver(
        name=name,
        run=run,
        description=description,
        # Queens(n) has the same numba type for every n: a small board compiles the same code.
        warm_spec=lambda spec: {"n": min(spec["n"], 8)},
    )


# ---------------------------------------------------------------- peers


def build_c_counter(workdir, source=C_SOURCE):
    """Compile a C counter into ``workdir``: (path, None) or (None, why not)."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None, "no C compiler (gcc or cc) found"
    binary = Path(workdir) / Path(source).stem
    build = subprocess.run(
        [compiler, "-O2", "-o", str(binary), str(source)], capture_output=True, text=True, timeout=120
    )
    if build.returncode != 0:
        return None, f"{Path(compiler).name} failed: {build.stderr.strip()[:200]}"
    return str(binary), None


def run_c_counter(binary, n, timeout, mode=None):
    """One run of a C counter: (count, cpu seconds of its search, wall seconds of the process,
    peak RSS MB of the process). mode: None (half trick), ``"sym8"`` (all 8 symmetries), or
    ``"shared"`` (``../shared/baselines/nqueens_somers.c``, whose output reads differently)."""
    started = time.perf_counter()
    args = {None: [str(n)], "sym8": [str(n), "sym8"], "shared": [str(n), str(n)]}[mode]
    proc = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, text=True)
    timer = _kill_after(proc, timeout)
    try:
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        timer.cancel()
    if proc.returncode != 0:
        raise TimeoutError(f"C counter stopped with status {proc.returncode} (time limit {timeout:g} s)")
    wall = time.perf_counter() - started
    if mode == "shared":  # "somers_iter_half n=15 count=2279184 time=0.6 s"
        fields = dict(field.split("=") for field in output.split() if "=" in field)
        return int(fields["count"]), float(fields["time"]), wall, usage.ru_maxrss / 1024
    _, count, seconds = output.split()
    return int(count), float(seconds), wall, usage.ru_maxrss / 1024


def _kill_after(proc, seconds):
    import threading

    timer = threading.Timer(seconds, proc.kill)
    timer.daemon = True
    timer.start()
    return timer


def _c_run(spec, time_limit, context, mode=None):
    binary = context["shared_c_counter" if mode == "shared" else "c_counter"]
    try:
        count, cpu, wall, peak_mb = run_c_counter(binary, spec["n"], time_limit, mode)
    except TimeoutError:
        return {"status": "timeout", "time_s": time_limit}
    # The C program times its own search with clock(): CPU seconds, process start-up excluded.
    # Its wall time is that of the whole process (start-up included).
    return {"status": "complete", "answer": count, "time_s": wall, "cpu_s": cpu, "peak_rss_mb": round(peak_mb, 1)}


def _python_constraint_run(spec, time_limit, context):
    import constraint

    n = spec["n"]
    started = time.perf_counter()
    problem = constraint.Problem()
    problem.addVariables(range(n), range(n))
    problem.addConstraint(constraint.AllDifferentConstraint())
    for a in range(n):
        for b in range(a + 1, n):
            problem.addConstraint(lambda x, y, d=b - a: abs(x - y) != d, (a, b))
    count = sum(1 for _ in problem.getSolutionIter())
    return {"status": "complete", "answer": count, "time_s": time.perf_counter() - started}


def _cp_sat_run(spec, time_limit, context):
    from ortools.sat.python import cp_model

    n = spec["n"]
    started = time.perf_counter()
    model = cp_model.CpModel()
    queens = [model.new_int_var(0, n - 1, f"q{i}") for i in range(n)]
    model.add_all_different(queens)
    model.add_all_different([queens[i] + i for i in range(n)])
    model.add_all_different([queens[i] - i for i in range(n)])
    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1  # several workers lose or repeat solutions when enumerating
    solver.parameters.max_time_in_seconds = time_limit

    class Counter(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()
            self.count = 0

        def on_solution_callback(self):
            self.count += 1

    counter = Counter()
    status = solver.solve(model, counter)
    elapsed = time.perf_counter() - started
    if status == cp_model.OPTIMAL:
        return {
            "status": "complete",
            "answer": counter.count,
            "time_s": elapsed,
            "note": f"{solver.num_branches} branches",
        }
    if status == cp_model.INFEASIBLE:
        return {"status": "complete", "answer": 0, "time_s": elapsed}
    return {"status": "limit", "answer": counter.count, "time_s": elapsed}


def _nucs_run(spec, time_limit, context):
    from nucs.examples.queens.queens_problem import QueensProblem
    from nucs.solvers.backtrack_solver import BacktrackSolver

    started = time.perf_counter()
    solver = BacktrackSolver(QueensProblem(spec["n"]))
    count = sum(1 for _ in solver.solve())  # NuCS's own example model; no time limit of its own
    return {"status": "complete", "answer": count, "time_s": time.perf_counter() - started}


def _module_missing(module, package):
    def check(context):
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        return None if found else f"{package} is not installed (pip install {package})"

    return check


PEERS = {
    "c-bitboard": Solver(
        name="c-bitboard",
        run=_c_run,
        kind="peer",
        description="C bitboard counter, 32-bit masks, half trick and odd-N trick, gcc -O2 (peers/nqueens_bitboard.c)",
        warmup=False,
        available=lambda context: context.get("c_counter_missing"),
    ),
    "c-sym8": Solver(
        name="c-sym8",
        run=lambda spec, time_limit, context: _c_run(spec, time_limit, context, "sym8"),
        kind="peer",
        description="C bitboard counter over the 8 symmetries, gcc -O2 (peers/nqueens_bitboard.c sym8)",
        warmup=False,
        available=lambda context: context.get("c_counter_missing"),
    ),
    "shared-c-somers": Solver(
        name="shared-c-somers",
        run=lambda spec, time_limit, context: _c_run(spec, time_limit, context, "shared"),
        kind="peer",
        description="../shared/baselines/nqueens_somers.c, gcc -O2 (the shared baseline, for comparison)",
        warmup=False,
        available=lambda context: None if "shared_c_counter" in context else "../shared/baselines/ not found",
    ),
    "python-constraint": Solver(
        name="python-constraint",
        run=_python_constraint_run,
        kind="peer",
        description="python-constraint2, all-different + diagonal constraints, solutions iterated",
        warmup=False,
        available=_module_missing("constraint", "python-constraint2"),
        prepare=lambda: importlib.import_module("constraint"),
        stops_itself=False,
    ),
    "nucs": Solver(
        name="nucs",
        run=_nucs_run,
        kind="peer",
        description="NuCS (numba CP solver), its own queens example model, solutions iterated",
        warmup=True,  # the first run compiles (or loads numba's cache)
        warm_spec=lambda spec: {"n": min(spec["n"], 8)},
        available=_module_missing("nucs", "nucs"),
        stops_itself=False,
    ),
    "cp-sat": Solver(
        name="cp-sat",
        run=_cp_sat_run,
        kind="peer",
        description="OR-Tools CP-SAT, 3 all-different, 1 worker, enumerate all solutions",
        warmup=False,
        available=_module_missing("ortools.sat.python.cp_model", "ortools"),
        prepare=lambda: importlib.import_module("ortools.sat.python.cp_model"),
    ),
}


# ---------------------------------------------------------------- the suite


def solvers():
    from problems.nqueens import STRATEGIES

    ours = {name: _engine_solver(name, s.description) for name, s in STRATEGIES.items()}
    return {**ours, **PEERS}


def instances(sizes, files, per_size, groups=None):
    if files or groups:
        raise ValueError("the nqueens suite takes sizes (--sizes), not instance files or classes")
    return [Instance(label=str(n), size=n, spec={"n": n}) for n in sizes]


def expected(instance):
    n = instance.spec["n"]
    return OEIS_A000170[n] if n < len(OEIS_A000170) else None


def setup(workdir):
    binary, why_not = build_c_counter(workdir)
    context = {"c_counter": binary} if binary else {"c_counter_missing": why_not}
    if binary and SHARED_C_SOURCE.exists():
        shared, _ = build_c_counter(workdir, SHARED_C_SOURCE)
        if shared:
            context["shared_c_counter"] = shared
    return context


SUITE = Suite(
    name="nqueens",
    answer_name="count",
    description="count the solutions of N-queens (OEIS A000170)",
    default_sizes=tuple(range(4, 15)),
    instances=instances,
    solvers=solvers,
    expected=expected,
    setup=setup,
    reference="c-bitboard",
    size_name="N",
)


# ---------------------------------------------------------------- issue 3: the speed goals


def _backtrack_command():
    exe = Path(sys.executable).parent / "backtrack"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("backtrack")
    return [found] if found else [sys.executable, "-m", "backtrack"]


def _timed_processes(args, env, repeats, fresh_cache=False):
    """Wall and CPU seconds of ``repeats`` runs of a command (CPU: user + system, from wait4)."""
    walls, cpus = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache_dir:
            run_env = {**env, "NUMBA_CACHE_DIR": cache_dir} if fresh_cache else env
            started = time.perf_counter()
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=run_env, cwd=ROOT)
            timer = _kill_after(proc, 300)
            try:
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
            finally:
                timer.cancel()
            walls.append(time.perf_counter() - started)
            cpus.append(usage.ru_utime + usage.ru_stime)
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-300:]}")
    return walls, cpus


def _median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 4) if values else None


def run_goals(out_dir, *, sizes=GOAL_SIZES, repeats=3, first_n=1000, cli_repeats=5, cold_repeats=2, echo=print):
    """Measure the issue-3 and issue-17 goals in one run; write nqueens-goals.md and .json; return the goal records.

    Search-speed ratios divide CPU seconds by CPU seconds (our search in its child process; the
    C counter's own clock()), so that other processes' load on the machine does not skew them;
    wall seconds are recorded too. The CLI goals are wall-clock goals; their CPU time is beside.
    """
    from benchmarks import harness

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started_at = harness.now_iso()
    load_start = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    goals = []
    all_solvers = solvers()
    with tempfile.TemporaryDirectory(prefix="bench-nqueens-") as workdir:
        context = setup(workdir)
        have_c = "c_counter" in context
        if not have_c:
            echo(f"C counter unavailable ({context['c_counter_missing']}): ratios against C are skipped")
        strategies = [name for name in ("bitboard", "symmetry") if name in all_solvers]
        if "symmetry" not in all_solvers:
            echo("strategy 'symmetry' does not exist (yet): its goal is not measured")
        rows = {"c-bitboard": PEERS["c-bitboard"], "c-sym8": PEERS["c-sym8"]} if have_c else {}
        if "shared_c_counter" in context:
            rows["shared-c-somers"] = PEERS["shared-c-somers"]
        rows.update({name: all_solvers[name] for name in strategies})
        for n in sizes:
            inst = Instance(label=str(n), size=n, spec={"n": n})
            runs = {name: [] for name in rows}
            for _ in range(repeats):  # interleaved: every solver once, then again
                for name, solver in rows.items():
                    row = harness.run_pair("nqueens", solver, inst, repeats=1, time_limit=300, context=context)
                    runs[name].append(row)
            c_cpu = _median([r.get("cpu_s") for r in runs.get("c-bitboard", [])])
            c_times = [r.get("cpu_s") for r in runs.get("c-bitboard", [])]
            for name in rows:
                if name == "c-bitboard":
                    continue
                cpus = [r.get("cpu_s") for r in runs[name]]
                answers = {r.get("answer") for r in runs[name]}
                limit = GOAL_LIMITS.get(name)
                label = f"{name} count N={n}" + (f" <= {limit}x C" if limit else " (reference row)")
                goal = {
                    "goal": label,
                    "strategy": name,
                    "n": n,
                    "status": runs[name][-1].get("status"),
                    "count": runs[name][-1].get("answer"),
                    "count_ok": answers == {OEIS_A000170[n]},
                    "cpu_s": _median(cpus),
                    "time_s": _median([r.get("time_s") for r in runs[name]]),
                    "cpu_times_s": cpus,
                    "c_cpu_s": c_cpu,
                    "c_cpu_times_s": c_times,
                }
                if c_cpu and goal["cpu_s"]:
                    # The median of the per-round ratios: each round's runs are minutes apart at most.
                    ratios = [a / b for a, b in zip(cpus, c_times, strict=True) if a and b]
                    goal["ratio"] = round(statistics.median(ratios), 3)
                    goal["ratio_of_medians"] = round(goal["cpu_s"] / c_cpu, 3)
                    goal["met"] = (goal["ratio"] <= limit and goal["count_ok"]) if limit else None
                else:
                    goal["ratio"], goal["met"] = None, None
                goals.append(goal)
                echo(_goal_line(goal))

        # mrv --first at N = 1000 (search time, compile excluded).
        row = harness.run_pair(
            "benchmarks.nqueens:FIRST_SUITE",
            _first_solvers()["mrv"],
            Instance(label=str(first_n), size=first_n, spec={"n": first_n}),
            repeats=repeats,
            time_limit=30,
            context=context,
        )
        goal = {
            "goal": f"mrv --first N={first_n}: search < 5 s",
            "status": row.get("status"),
            "cpu_s": row.get("cpu_s"),
            "time_s": row.get("time_s"),
            "cpu_times_s": row.get("cpu_times_s"),
            "times_s": row.get("times_s"),
            "nodes": row.get("nodes"),
            "time_limit_s": 30,
        }
        goal["met"] = row.get("status") == "satisfied" and goal["time_s"] is not None and goal["time_s"] < 5
        goals.append(goal)
        echo(_goal_line(goal))

    # The whole CLI process, warm cache: one run to fill the cache, then the timed ones.
    command = _backtrack_command() + ["nqueens", "8", "--count", "--quiet"]
    env = dict(os.environ)
    env.pop("NUMBA_CACHE_DIR", None)
    _timed_processes(command, env, 1)
    for label, fresh, count, bound in (
        ("warm cache", False, cli_repeats, 1),
        ("empty cache (NUMBA_CACHE_DIR = an empty directory)", True, cold_repeats, 10),
    ):
        walls, cpus = _timed_processes(command, env, count, fresh_cache=fresh)
        goal = {
            "goal": f"`backtrack nqueens 8 --count`, {label}: process wall time < {bound} s",
            "command": ("NUMBA_CACHE_DIR=$(mktemp -d) " if fresh else "") + shlex.join(command),
            "time_s": _median(walls),
            "cpu_s": _median(cpus),
            "times_s": [round(t, 4) for t in walls],
            "cpu_times_s": [round(t, 4) for t in cpus],
        }
        goal["met"] = goal["time_s"] < bound
        goals.append(goal)
        echo(_goal_line(goal))

    info = harness.machine_info()
    record = {
        "suite": "nqueens-goals",
        "command": harness.command_line(),
        "date": started_at,
        "elapsed_s": round(time.perf_counter() - started, 1),
        "load_average_start": load_start,
        "machine": info,
        "repeats": repeats,
        "goals": goals,
    }
    (out_dir / "nqueens-goals.json").write_text(json.dumps(record, indent=1) + "\n")
    lines = [
        "# N-queens speed goals (issues 3 and 17)",
        "",
        f"- command: `{record['command']}`",
        f"- date: {started_at}; machine: {info['cpu']}, {info['nproc']} cores; Python {info['python']}, "
        f"numba {info['versions']['numba']}; {info['c_compiler'] or 'no C compiler'}",
        f"- load average (1, 5, 15 min): {load_start} at the start, {info['load_average']} at the end",
        f"- search goals: {repeats} rounds per N, each round one run of every counter in turn (a child "
        "process each, after a warm-up at N = 8 for ours: compiling excluded); ratio = the median over "
        "the rounds of our CPU seconds / the C counter's CPU seconds in the same round (its own "
        "clock()); C = peers/nqueens_bitboard.c (32-bit masks, half and odd-N tricks); CLI goals: "
        "wall time of the whole process (CPU = user + system)",
        "",
        "| goal | CPU s | wall s | C CPU s | ratio (CPU) | met |",
        "|---|---|---|---|---|---|",
    ]
    for g in goals:
        cells = ["-" if g.get(key) is None else f"{g[key]:.3f}" for key in ("cpu_s", "time_s", "c_cpu_s")]
        if g.get("status") in ("timeout", "limit"):
            cells[1] = f">{g.get('time_limit_s', '?')}"
        ratio = "-" if g.get("ratio") is None else f"{g['ratio']:.2f}x"
        met = {True: "yes", False: "**no**", None: "n/a"}[g.get("met")]
        lines.append(f"| {g['goal']} | {' | '.join(cells)} | {ratio} | {met} |")
    (out_dir / "nqueens-goals.md").write_text("\n".join(lines) + "\n")
    return goals


def _first_solvers():
    from problems.nqueens import STRATEGIES

    return {name: _engine_solver(name, s.description, goal="first") for name, s in STRATEGIES.items()}


# Find one placement (goal first); used by the mrv goal, and by `backtrack bench nqueens-first`.
FIRST_SUITE = Suite(
    name="nqueens-first",
    answer_name="found",
    description="find one placement of N queens",
    default_sizes=(8, 16, 32, 64, 128, 256, 512, 1000),
    instances=instances,
    solvers=_first_solvers,
    size_name="N",
)


def _goal_line(goal):
    if goal.get("status") in ("timeout", "limit"):
        measured = f"passed the {goal.get('time_limit_s', '?')} s limit"
    else:
        measured = "-" if goal.get("time_s") is None else f"wall {goal['time_s']:.3f} s"
    if goal.get("cpu_s") is not None:
        measured += f", CPU {goal['cpu_s']:.3f} s"
    if goal.get("c_cpu_s") is not None:
        measured += f" vs C CPU {goal['c_cpu_s']:.3f} s"
    ratio = f" = {goal['ratio']:.2f}x" if goal.get("ratio") is not None else ""
    met = {True: "MET", False: "NOT MET", None: "n/a"}[goal.get("met")]
    return f"{goal['goal']}: {measured}{ratio}  [{met}]"


if __name__ == "__main__":
    import click

    @click.command()
    @click.option("--out", default=None, help="output directory [default: as backtrack bench]")
    @click.option("--repeats", default=3, show_default=True)
    def main(out, repeats):
        """Measure the issue-3 N-queens speed goals against the C counter."""
        from benchmarks.harness import default_out

        run_goals(out or default_out("nqueens"), repeats=repeats, echo=click.echo)

    main()
