"""The benchmark harness: every (instance, solver) pair of a suite, each in a child process of its own.

A :class:`Suite` says how to build the instances of a size (or read them from files), which
solvers exist (the problem's strategies and outside peers) and what the right answer is when it
is known. :func:`run_suite` runs the pairs in order of size; a solver that passes the per-run time
limit is marked ``timeout`` and not run at larger sizes. Each pair runs in a fresh process:

1. the solver's warm-up run (for our strategies: a small instance of the same type, which compiles
   the engine or loads it from numba's cache; its ``compile_s`` is reported apart),
2. the peak-memory mark is reset (``/proc/self/clear_refs``),
3. ``repeats`` timed runs; the figure reported is their median.

Memory is the child's peak resident set size during the timed runs: Linux ``VmHWM`` after the
reset, else ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the whole child (which then includes
compiling). ``tracemalloc`` would miss numba's and the peers' native allocations. The baseline
(RSS when the timed runs start: Python, numba and the solver's libraries) is reported beside it.

:func:`write_outputs` writes ``<suite>.md``, ``<suite>.json`` and, when matplotlib is installed,
``<suite>-time.png``, ``<suite>-nodes.png`` and ``<suite>-pruning.png`` into the output directory.
"""

import datetime
import importlib
import json
import math
import os
import platform
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Suite name -> "module:attribute" of its Suite (imported only when used).
SUITES = {
    "nqueens": "benchmarks.nqueens:SUITE",
    "knapsack": "benchmarks.knapsack_suite:SUITE",
    "subsetsum": "benchmarks.subsetsum_suite:SUITE",
    "sudoku": "benchmarks.sudoku_suite:SUITE",
    "golomb": "benchmarks.golomb_suite:SUITE",
    "colour": "benchmarks.colour_suite:SUITE",
}

PRUNING_KINDS = ("feasibility", "bound", "propagation", "dominance")  # as backtrack.solver.PRUNING_KINDS
TIMED_OUT = ("limit", "timeout")  # run statuses that mean "did not finish within the time limit"
FINISHED = ("complete", "optimal", "satisfied", "unsatisfiable")  # the answer is proven


class SuiteUnavailable(Exception):
    """The suite's problem module (or what it needs) cannot be imported."""


@dataclass
class Instance:
    """One instance of a suite: ``spec`` is JSON data the child process rebuilds it from.

    ``group`` (e.g. a knapsack class) keeps apart instances of one size that differ in kind: time
    limits act per solver and group, and the plots draw one panel per group.
    """

    label: str
    size: int
    spec: dict
    group: str = ""


@dataclass
class Solver:
    """Something that solves a suite's instances: one of our strategies or a peer.

    ``run(spec, time_limit, context) -> dict`` solves one instance once and returns a run record:
    ``status`` (``complete``, ``optimal``, ``satisfied``, ``unsatisfiable``, ``limit``, ``timeout``,
    ``unsupported`` (the solver does not take such instances; say why in ``note``) or ``error``),
    ``answer``, ``time_s`` (wall seconds), ``cpu_s`` (CPU seconds of the process: measured around
    the call unless the record brings its own) and, when known, ``compile_s``, ``nodes``, ``pruned``
    (by kind), ``solutions``, ``max_depth``, ``peak_rss_mb`` (a peer in its own process), ``note``.
    ``warm_spec(spec)`` gives the (smaller) instance of the warm-up run; with ``warmup=False``
    there is none (nothing to compile) and every run is timed. ``available(context)`` returns
    ``None`` or why the solver cannot run here. ``prepare()`` runs in the child before anything is
    measured (e.g. imports a peer's library). A solver that does not honour ``time_limit`` itself
    (``stops_itself=False``, e.g. a pure-Python peer) is stopped by an alarm at 1.5 x the limit.
    """

    name: str
    run: object
    kind: str = "strategy"
    description: str = ""
    warmup: bool = True
    warm_spec: object = None
    available: object = None
    prepare: object = None
    stops_itself: bool = True

    def why_unavailable(self, context):
        return self.available(context) if self.available is not None else None


@dataclass
class Suite:
    """A benchmark suite. ``solvers()`` returns every known solver by name (peers included).

    ``instances(sizes, files, per_size, groups)`` builds the instances (``groups``: the classes
    asked for, or None for the suite's default); ``expected(instance)`` is the
    known answer or None; ``setup(workdir)`` runs once in the parent and returns a JSON context
    handed to every run (e.g. the path of a compiled C peer); ``reference`` names the solver the
    ``x ref`` ratios divide by.
    """

    name: str
    answer_name: str
    default_sizes: tuple
    instances: object
    solvers: object
    default_solvers: object = None  # () -> list of names; default: all available
    expected: object = None
    setup: object = None
    reference: str | None = None
    size_name: str = "size"
    description: str = ""

    def expected_answer(self, instance):
        return self.expected(instance) if self.expected is not None else None


def default_out(problem):
    """benchmarks/out/PROBLEM in a source checkout (ignored by git), else ./bench-out/PROBLEM."""
    if (ROOT / ".git").exists():
        return ROOT / "benchmarks" / "out" / problem
    return Path.cwd() / "bench-out" / problem


def load_suite(name):
    """The Suite registered as ``name`` (raises SuiteUnavailable when it cannot be imported)."""
    target = SUITES.get(name, name)
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise SuiteUnavailable(f"suite {name!r} cannot be imported: {error}") from None
    return getattr(module, attribute or "SUITE")


def parse_sizes(text):
    """``"4-14"``, ``"4-14:2"`` (step 2) or ``"8,10,12"`` (mixable: ``"4-8,10"``) -> sorted sizes."""
    sizes = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        span, _, step = part.partition(":")
        low, dash, high = span.partition("-")
        if dash:
            sizes.update(range(int(low), int(high) + 1, int(step or 1)))
        else:
            sizes.add(int(span))
    if not sizes:
        raise ValueError(f"no sizes in {text!r}")
    return sorted(sizes)


# ---------------------------------------------------------------- records of our own engine


def engine_record(result, answer):
    """A run record from a :class:`backtrack.Result`."""
    s = result.stats
    return {
        "status": result.status,
        "stop_reason": result.stop_reason,
        "answer": answer,
        "time_s": s.time_s,
        "compile_s": s.compile_s,
        "nodes": s.nodes,
        "pruned": dict(s.pruned),
        "not_offered": dict(getattr(s, "not_offered", {})),
        "unpruned_nodes": getattr(s, "unpruned_nodes", None),
        "solutions": s.solutions,
        "max_depth": s.max_depth,
    }


# ---------------------------------------------------------------- the child process


class _RunTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _RunTimeout()


def _guarded_run(solver, spec, time_limit, context):
    """One run, with an alarm for solvers that cannot stop themselves (pure-Python peers)."""
    if not solver.stops_itself:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, time_limit * 1.5)
    started = time.perf_counter()
    cpu_started = time.process_time()
    try:
        record = solver.run(spec, time_limit, context)
    except _RunTimeout:
        record = {"status": "timeout", "time_s": time.perf_counter() - started}
    except Exception as error:  # reported in the table, not fatal to the benchmark
        record = {"status": "error", "note": f"{type(error).__name__}: {error}"}
    finally:
        if not solver.stops_itself:
            signal.setitimer(signal.ITIMER_REAL, 0)
    record.setdefault("cpu_s", time.process_time() - cpu_started)
    if record.get("status") in FINISHED and record.get("time_s", 0) > time_limit:
        # Finished, but later than the limit allows: the same verdict as being stopped.
        record["note"] = f"finished in {record['time_s']:.3g} s, over the limit"
        record["status"] = "timeout"
    return record


def _status_kb(key):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak():
    """Reset the kernel's peak-RSS mark (Linux >= 4.0); False where it cannot be done."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return _status_kb("VmHWM") is not None
    except OSError:
        return False


def child_main():
    """Entry point of a child process: job JSON on stdin, result JSON written to job['result']."""
    job = json.loads(sys.stdin.read())
    suite = load_suite(job["suite"])
    solver = suite.solvers()[job["solver"]]
    spec, limit, context = job["spec"], job["time_limit"], job["context"]
    out = {"runs": [], "warm": None}
    if solver.prepare is not None:
        solver.prepare()
    if solver.warmup:
        warm_spec = solver.warm_spec(spec) if solver.warm_spec is not None else spec
        warm = _guarded_run(solver, warm_spec, limit, context)
        out["warm"] = warm
        # A warm-up on the instance itself that fails or passes the limit ends the pair.
        if warm["status"] in ("error", "unsupported") or (warm_spec == spec and warm["status"] in TIMED_OUT):
            out["runs"] = [warm] if warm_spec == spec else []
            Path(job["result"]).write_text(json.dumps(out))
            return
    exact = _reset_peak()
    base_kb = _status_kb("VmRSS")
    timed = []
    for _ in range(job["repeats"]):
        record = _guarded_run(solver, spec, limit, context)
        timed.append(record)
        if record["status"] in TIMED_OUT + ("error",):
            break
    if exact:
        peak_kb, method = _status_kb("VmHWM"), "VmHWM of the child after warm-up (clear_refs reset)"
    else:
        peak_kb, method = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss of the whole child"
    out["base_rss_mb"] = round(base_kb / 1024, 1) if base_kb else None
    out["peak_rss_mb"] = round(peak_kb / 1024, 1)
    out["memory_method"] = method
    own_peaks = [r["peak_rss_mb"] for r in timed if r.get("peak_rss_mb") is not None]
    if own_peaks:  # the solver ran in a process of its own (the C peer): its figure, not ours
        out["peak_rss_mb"] = max(own_peaks)
        out["base_rss_mb"] = None
        out["memory_method"] = "ru_maxrss of the peer's own process (wait4)"
    out["runs"] = timed
    Path(job["result"]).write_text(json.dumps(out))


# ---------------------------------------------------------------- the parent


def _child_env(extra=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def run_pair(suite_name, solver, instance, *, repeats, time_limit, context, env=None):
    """Run one (instance, solver) pair in a child process and summarise it as a row."""
    row = {
        "instance": instance.label,
        "group": instance.group,
        "size": instance.size,
        "solver": solver.name,
        "kind": solver.kind,
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        result_path = Path(scratch) / "result.json"
        job = {
            "suite": suite_name,
            "solver": solver.name,
            "spec": instance.spec,
            "repeats": repeats,
            "time_limit": time_limit,
            "context": context,
            "result": str(result_path),
        }
        # Compiling may take a while on a cold cache; every run has its own alarm in the child.
        deadline = 180 + (repeats + 1) * (time_limit * 1.5 + 5)
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", "from benchmarks.harness import child_main; child_main()"],
                input=json.dumps(job),
                capture_output=True,
                text=True,
                env=_child_env(env),
                cwd=ROOT,
                timeout=deadline,
            )
        except subprocess.TimeoutExpired:
            row.update(status="timeout", note=f"child killed after {deadline:.0f} s")
            return row
        row["child_wall_s"] = round(time.perf_counter() - started, 3)
        if proc.returncode != 0 or not result_path.exists():
            tail = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
            row.update(status="error", note=tail[0][:200])
            return row
        child = json.loads(result_path.read_text())
    runs = child["runs"]
    warm = child.get("warm") or {}
    row["compile_s"] = warm.get("compile_s")
    if warm.get("status") in ("error", "unsupported"):
        row.update(status=warm["status"], note=warm.get("note"))
        return row
    last = runs[-1] if runs else warm
    row["status"] = last.get("status", "error")
    if any(r.get("status") in TIMED_OUT for r in runs):
        row["status"] = "timeout"
    if row["status"] in ("error", "unsupported"):
        row["note"] = last.get("note")
        return row
    for key in (
        "answer",
        "nodes",
        "pruned",
        "not_offered",
        "unpruned_nodes",
        "solutions",
        "max_depth",
        "proved",
        "note",
    ):
        if key in last:
            row[key] = last[key]
    times = [r["time_s"] for r in runs if "time_s" in r]
    row["times_s"] = [round(t, 6) for t in times]
    row["time_s"] = round(statistics.median(times), 6) if times else None
    cpu_times = [r["cpu_s"] for r in runs if r.get("cpu_s") is not None]
    row["cpu_times_s"] = [round(t, 6) for t in cpu_times]
    row["cpu_s"] = round(statistics.median(cpu_times), 6) if cpu_times else None
    for key in ("peak_rss_mb", "base_rss_mb", "memory_method"):
        row[key] = child.get(key)
    return row


def run_suite(suite, *, suite_name, instances, solver_names, repeats, time_limit, workdir, progress=None):
    """Run every (instance, solver) pair; return the rows (skipped and unavailable ones included).

    ``progress(label)`` is called once per pair, before it runs.
    """
    solvers = suite.solvers()
    context = suite.setup(workdir) if suite.setup is not None else {}
    rows = []
    timed_out = {}  # (solver, group) -> size at which it passed the limit
    unavailable = {name: solvers[name].why_unavailable(context) for name in solver_names}
    for instance in sorted(instances, key=lambda i: (i.size, i.group, i.label)):
        expected = suite.expected_answer(instance)
        for name in solver_names:
            if progress is not None:
                progress(f"{instance.label} {name}")
            base = {
                "instance": instance.label,
                "group": instance.group,
                "size": instance.size,
                "solver": name,
                "kind": solvers[name].kind,
            }
            if unavailable[name]:
                rows.append({**base, "status": "unavailable", "note": unavailable[name]})
                continue
            stopped_at = timed_out.get((name, instance.group))
            if stopped_at is not None and instance.size > stopped_at:
                rows.append({**base, "status": "skipped", "note": f"passed the time limit at size {stopped_at}"})
                continue
            row = run_pair(suite_name, solvers[name], instance, repeats=repeats, time_limit=time_limit, context=context)
            if row["status"] == "timeout":
                timed_out.setdefault((name, instance.group), instance.size)
            row["expected"] = expected
            rows.append(row)
        _check_answers([r for r in rows if r["instance"] == instance.label], expected)
    _add_ratios(rows, suite.reference)
    return rows


def _check_answers(rows, expected):
    """Mark each finished row ``correct`` against the known answer, else against the others."""
    finished = [r for r in rows if r.get("status") in FINISHED and r.get("answer") is not None]
    if expected is None:
        answers = {json.dumps(r["answer"]) for r in finished}
        for r in finished:
            r["correct"] = None if len(answers) <= 1 else False
            if len(answers) > 1:
                r["note"] = "solvers disagree: " + ", ".join(sorted(answers))
        return
    for r in finished:
        r["correct"] = r["answer"] == expected


def _add_ratios(rows, reference):
    if reference is None:
        return
    # CPU seconds: on a shared machine, wall time depends on the other processes' load.
    ref_time = {r["instance"]: r["cpu_s"] for r in rows if r["solver"] == reference and r.get("status") in FINISHED}
    for r in rows:
        base = ref_time.get(r["instance"])
        if r.get("status") in FINISHED and base and r.get("cpu_s") is not None:
            r["x_ref"] = round(r["cpu_s"] / base, 3)


# ---------------------------------------------------------------- environment and outputs


def machine_info():
    """Machine, Python and library versions, for the JSON and the README."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("numba", "numpy", "click", "matplotlib", "ortools", "python-constraint2"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = None
    cc = None
    for compiler in ("gcc", "cc"):
        try:
            out = subprocess.run([compiler, "--version"], capture_output=True, text=True, timeout=10)
            cc = out.stdout.splitlines()[0] if out.returncode == 0 else None
            if cc:
                break
        except (OSError, subprocess.SubprocessError):
            continue
    return {
        "git": _git_state(),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "c_compiler": cc,
    }


def _git_state():
    """The commit measured, and whether the working tree had changes (None outside a checkout)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def _fmt_time(row, time_limit, key="time_s"):
    status = row.get("status")
    if status == "timeout":
        return f">{time_limit:g}"
    if status in ("skipped", "unavailable"):
        return "-"
    if status == "error":
        return "error"
    t = row.get(key)
    return "-" if t is None else f"{t:.3g}" if t >= 0.001 else f"{t:.2e}"


def _fmt_int(value):
    return "-" if value is None else f"{value:,}"


TABLE_COLUMNS = (
    "size",
    "instance",
    "solver",
    "status",
    "answer",
    "ok",
    "nodes",
    "cut feas.",
    "cut bound",
    "cut prop.",
    "cut dom.",
    "wall s",
    "cpu s",
    "x ref",
    "compile s",
    "peak MB",
    "base MB",
)


def table_rows(rows, time_limit):
    """The rows of the results table as strings (skipped and unavailable pairs left out)."""
    out = []
    for r in rows:
        if r.get("status") in ("skipped", "unavailable", "unsupported"):
            continue
        pruned = r.get("pruned") or {}
        answer = r.get("answer")
        ok = {True: "yes", False: "NO", None: ""}[r.get("correct")]
        out.append(
            [
                str(r["size"]),
                r["instance"],
                r["solver"],
                r.get("status", ""),
                "-" if answer is None else str(answer),
                ok,
                _fmt_int(r.get("nodes")),
                *(_fmt_int(pruned.get(kind)) if pruned else "-" for kind in PRUNING_KINDS),
                _fmt_time(r, time_limit),
                _fmt_time(r, time_limit, "cpu_s"),
                "-" if r.get("x_ref") is None else f"{r['x_ref']:.3g}",
                "-" if r.get("compile_s") is None else f"{r['compile_s']:.2f}",
                "-" if r.get("peak_rss_mb") is None else f"{r['peak_rss_mb']:.0f}",
                "-" if r.get("base_rss_mb") is None else f"{r['base_rss_mb']:.0f}",
            ]
        )
    return out


def _drop_empty_columns(header, body, keep=("size", "solver", "status")):
    """Leave out columns that hold nothing but '-' or '' (e.g. the instance when it is the size)."""
    columns = []
    for i, name in enumerate(header):
        values = {row[i] for row in body}
        if name in keep or not values <= {"-", ""}:
            if name == "instance" and all(row[i] == row[0] for row in body):
                continue
            columns.append(i)
    return [header[i] for i in columns], [[row[i] for i in columns] for row in body]


def markdown_table(rows, time_limit):
    header, body = _drop_empty_columns(list(TABLE_COLUMNS), table_rows(rows, time_limit))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def text_table(rows, time_limit):
    header, body = _drop_empty_columns(list(TABLE_COLUMNS), table_rows(rows, time_limit))
    widths = [max(len(x) for x in column) for column in zip(header, *body, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += [
        "  ".join(c.rjust(w) if c[:1].isdigit() else c.ljust(w) for c, w in zip(row, widths, strict=True))
        for row in body
    ]
    return "\n".join(lines)


def notes(rows):
    """Lines naming the pairs that were skipped, unavailable, failed or answered wrongly."""
    lines = []
    seen = set()
    for r in rows:
        status = r.get("status")
        if status == "unavailable" and r["solver"] not in seen:
            seen.add(r["solver"])
            lines.append(f"- {r['solver']}: not run ({r['note']})")
        elif status == "skipped" and (r["solver"], r.get("group"), "skipped") not in seen:
            seen.add((r["solver"], r.get("group"), "skipped"))
            where = f" ({r['group']})" if r.get("group") else ""
            size = r["note"].rsplit(" ", 1)[-1]
            lines.append(f"- {r['solver']}{where}: not run at sizes above {size} (passed the time limit there)")
        elif status == "unsupported" and (r["solver"], r.get("group"), status) not in seen:
            seen.add((r["solver"], r.get("group"), status))
            where = f" on {r['group']}" if r.get("group") else ""
            lines.append(f"- {r['solver']}{where}: not applicable ({r.get('note')})")
        elif status == "error":
            lines.append(f"- {r['solver']} on {r['instance']}: error: {r.get('note')}")
        elif r.get("correct") is False:
            lines.append(f"- {r['solver']} on {r['instance']}: WRONG answer {r.get('answer')} ({r.get('note', '')})")
    return lines


def write_outputs(out_dir, *, suite, rows, options, command, started, elapsed_s, machine=None):
    """<suite>.md, <suite>.json and the plots; returns the paths of the plots written (or a note)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine or machine_info()
    record = {
        "suite": suite.name,
        "command": command,
        "date": started,
        "elapsed_s": round(elapsed_s, 1),
        "machine": info,
        "options": options,
        "memory": "peak RSS of the child process during the timed runs (see benchmarks/harness.py)",
        "rows": rows,
    }
    (out_dir / f"{suite.name}.json").write_text(json.dumps(record, indent=1) + "\n")
    plots, plot_note = write_plots(out_dir, suite, rows, options["time_limit"])
    lines = [
        f"# {suite.name} benchmark",
        "",
        f"- command: `{command}`",
        f"- date: {started}; {elapsed_s:.0f} s in all",
        f"- machine: {info['cpu']}, {info['nproc']} cores; Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
        + (f"; {info['c_compiler']}" if info["c_compiler"] else ""),
        f"- {options['repeats']} timed runs per pair after a warm-up run (median shown); "
        f"time limit {options['time_limit']:g} s per run (wall); compiling excluded"
        + (f"; x ref = CPU time / CPU time of {suite.reference} on the same instance" if suite.reference else ""),
        f"- load average (1, 5, 15 min): {options.get('load_average_start')} at the start, "
        f"{info['load_average']} at the end (2 busy cores: wall s grows with it, cpu s much less)",
        "- peak MB: peak RSS of the child process during the timed runs; base MB: its RSS when they started",
        "",
        markdown_table(rows, options["time_limit"]),
        "",
    ]
    extra = notes(rows)
    if extra:
        lines += extra + [""]
    if plot_note:
        lines += [plot_note, ""]
    for plot in plots:
        lines += [f"![{plot.stem}]({plot.name})", ""]
    (out_dir / f"{suite.name}.md").write_text("\n".join(lines))
    return plots, plot_note


def _per_size(rows, solver, key):
    """(size, median of key) for the solver's finished rows, by size."""
    by_size = {}
    for r in rows:
        if r["solver"] == solver and r.get("status") in FINISHED and r.get(key) is not None:
            by_size.setdefault(r["size"], []).append(r[key])
    return sorted((size, statistics.median(values)) for size, values in by_size.items())


def _panels(plt, groups, width=7.0, height=4.5):
    fig, axes = plt.subplots(1, len(groups), figsize=(width * len(groups), height), squeeze=False)
    return fig, list(axes[0])


def write_plots(out_dir, suite, rows, time_limit):
    """Time and nodes against size (log scale) and the pruning shares; ([], note) without matplotlib.

    One panel per instance group; in each, one line per solver (peers dashed), the median over
    the group's instances of a size. An x marks where a solver passed the time limit.
    """
    try:
        import matplotlib
        import matplotlib.ticker

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return [], "(plots skipped: matplotlib is not installed; `pip install matplotlib`)"
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    kinds = {r["solver"]: r["kind"] for r in rows}
    groups = list(dict.fromkeys(r.get("group", "") for r in rows))
    colours = {name: f"C{i % 10}" for i, name in enumerate(solvers)}
    written = []

    for key, label, only_ours in (("cpu_s", "CPU time (s, median)", False), ("nodes", "nodes", True)):
        fig, axes = _panels(plt, groups)
        drawn = 0
        for ax, group in zip(axes, groups, strict=True):
            in_group = [r for r in rows if r.get("group", "") == group]
            for name in solvers:
                if only_ours and kinds[name] != "strategy":
                    continue
                points = [(x, y) for x, y in _per_size(in_group, name, key) if y > 0]
                style = "-o" if kinds[name] == "strategy" else "--s"
                if points:
                    ax.plot(*zip(*points, strict=True), style, label=name, markersize=4, color=colours[name])
                    drawn += 1
                if key == "cpu_s":
                    stops = sorted(r["size"] for r in in_group if r["solver"] == name and r.get("status") == "timeout")
                    if stops:
                        ax.plot([stops[0]], [time_limit], "x", color=colours[name], markersize=9)
            ax.set_yscale("log")
            sizes = [r["size"] for r in in_group if r["size"] > 0]
            if sizes and max(sizes) >= 20 * min(sizes):  # e.g. knapsack's 20..1000 items
                ax.set_xscale("log")
                ticks = sorted(set(sizes))
                ax.set_xticks(ticks, [str(t) for t in ticks])
                ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
            ax.set_xlabel(suite.size_name)
            ax.set_ylabel(label)
            title = f"{suite.name}{' ' + group if group else ''}: {label}"
            if key == "cpu_s":
                title += f"\n(x: passed the {time_limit:g} s limit there)"
            ax.set_title(title, fontsize=10)
            ax.grid(True, which="both", alpha=0.3)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=8)
        if not drawn:
            plt.close(fig)
            continue
        fig.tight_layout()
        path = Path(out_dir) / f"{suite.name}-{'time' if key == 'cpu_s' else 'nodes'}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)

    path = _savings_plot(plt, out_dir, suite, rows, solvers, kinds, groups)
    if path is not None:
        written.append(path)
    return written, None


NOT_OFFERED_KINDS = ("propagation", "feasibility", "symmetry", "ordering")  # as backtrack.solver's
KIND_COLOURS = {
    "feasibility": "#D55E00",
    "bound": "#E69F00",
    "propagation": "#CC79A7",
    "dominance": "#56B4E9",
    "symmetry": "#6A3D9A",
    "ordering": "#999999",
}


def _common_size(rows, names, group):
    """The largest size at which every strategy of ``names`` finished (with a known unpruned tree)."""
    finished = {}
    for r in rows:
        if r["solver"] in names and r.get("group", "") == group and r.get("status") in FINISHED:
            if r.get("nodes") and r.get("unpruned_nodes"):
                finished.setdefault(r["solver"], set()).add(r["size"])
    if len(finished) < len(names):
        return None
    common = set.intersection(*finished.values())
    return max(common) if common else None


def _savings_plot(plt, out_dir, suite, rows, solvers, kinds, groups):
    """What each strategy saved against the unpruned tree at one size that all of them finished.

    Left: nodes visited against the unpruned tree's nodes (log scale). Right: of the candidate
    decisions at the levels each strategy opened (its nodes plus the values its levels did not
    offer), the share each pruning kind removed, by cutting a node (solid) or by never offering
    the value (hatched): a strategy whose hooks never offer doomed values shows them too.
    """
    names = [name for name in solvers if kinds[name] == "strategy"]
    panels = []
    for group in groups:
        size = _common_size(rows, names, group)
        if size is None:
            continue
        picked = []
        for name in names:
            at = [r for r in rows if r["solver"] == name and r.get("group", "") == group and r["size"] == size]
            at = [r for r in at if r.get("status") in FINISHED and r.get("nodes")]
            picked.append(min(at, key=lambda r: r["instance"]))
        panels.append((group, size, picked))
    if not panels:
        return None
    fig, axes = plt.subplots(len(panels), 2, figsize=(14, 1.2 + 0.55 * len(names) * len(panels)), squeeze=False)
    for (group, size, picked), (left, right) in zip(panels, axes, strict=True):
        unpruned = picked[0]["unpruned_nodes"]
        labels = ["unpruned tree"] + [r["solver"] for r in picked]
        values = [unpruned] + [r["nodes"] for r in picked]
        left.barh(labels, values, color=["lightgrey"] + ["#0072B2"] * len(picked))
        left.set_xscale("log")
        left.invert_yaxis()
        for y, value in enumerate(values):
            share = "" if y == 0 else f"  ({unpruned / value:,.0f}x fewer)"
            left.text(value, y, f" {value:,}{share}", va="center", fontsize=8)
        left.set_xlim(1, unpruned * 1e3)
        left.set_xlabel("nodes (log scale)")
        name = f"{suite.name}{' ' + group if group else ''}"
        left.set_title(f"{name}, {suite.size_name} = {size}: nodes visited against the unpruned tree", fontsize=10)
        bottom = [0.0] * len(picked)
        faced = [r["nodes"] + sum(r.get("not_offered", {}).values()) for r in picked]
        strategies = [r["solver"] for r in picked]
        for kind in KIND_COLOURS:
            for source, hatch in (("pruned", None), ("not_offered", "////")):
                counts = [r.get(source, {}).get(kind, 0) for r in picked]
                if not any(counts):
                    continue
                widths = [c / f for c, f in zip(counts, faced, strict=True)]
                how = "cut" if source == "pruned" else "not offered"
                right.barh(
                    strategies,
                    widths,
                    left=bottom,
                    color=KIND_COLOURS[kind],
                    hatch=hatch,
                    edgecolor="white",
                    label=f"{kind} ({how})",
                )
                bottom = [b + w for b, w in zip(bottom, widths, strict=True)]
        right.barh(strategies, [1 - b for b in bottom], left=bottom, color="lightgrey", label="tried, not cut")
        right.invert_yaxis()
        right.set_xlim(0, 1)
        right.set_xlabel("share of the candidate decisions at the levels the strategy opened")
        right.set_title("what removed them: cut as a node (solid) or never offered (hatched)", fontsize=10)
        right.legend(fontsize=7, loc="lower left", bbox_to_anchor=(1.0, 0.0))
    fig.tight_layout()
    path = Path(out_dir) / f"{suite.name}-pruning.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def now_iso():
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def command_line():
    argv = list(sys.argv)
    if argv and argv[0].endswith(("backtrack", "backtrack/__main__.py", "__main__.py")):
        argv[0] = "backtrack"
    return shlex.join(argv)


def median(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(values) if values else None


__all__ = [
    "SUITES",
    "Instance",
    "Solver",
    "Suite",
    "SuiteUnavailable",
    "engine_record",
    "load_suite",
    "parse_sizes",
    "run_suite",
    "write_outputs",
]
