"""Whole-process figures of the README: a command's wall time from start to exit, cache warm and empty.

    python benchmarks/whole_process.py [--out benchmarks/results] [--repeats 5] [--cold-repeats 2]

Measures, in one run, and writes ``whole-process.json`` and ``whole-process.md`` into ``--out``:

- ``backtrack nqueens 12 --count`` with numba's cache warm (after one run that fills it) and
  empty (``NUMBA_CACHE_DIR`` pointed at a new empty directory), and its search time (JSON);
- NuCS's own example, ``python -m nucs.examples.queens -n 12 --find-all``, the same two ways
  (when ``nucs`` is installed: ``pip install '.[bench]'``);
- ``backtrack nqueens 16 --count`` in one process and with ``--workers 2``, runs interleaved.

Each figure is the median of its runs; the load average is recorded beside (2 busy cores make
every wall time grow, and the ``--workers`` ratio most of all).
"""

import importlib.util
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python benchmarks/whole_process.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness
from benchmarks.nqueens import OEIS_A000170, _backtrack_command, _median, _timed_processes

RESULTS = Path(__file__).resolve().parent / "results"


def _search_seconds(command, env):
    """The search time (``stats.time_s``) a ``--json`` run of ``command`` reports, and its count."""
    run = subprocess.run(command + ["--json"], capture_output=True, text=True, env=env, check=True, timeout=600)
    record = json.loads(run.stdout.strip().splitlines()[-1])
    return record["stats"]["time_s"], record["count"]


def _both_caches(label, command, env, repeats, cold_repeats):
    """Rows for ``command`` with the cache warm and empty."""
    _timed_processes(command, env, 1)  # fill the cache
    rows = []
    for cache, fresh, count in (("warm", False, repeats), ("empty", True, cold_repeats)):
        walls, cpus = _timed_processes(command, env, count, fresh_cache=fresh)
        rows.append(
            {
                "what": label,
                "cache": cache,
                "command": ("NUMBA_CACHE_DIR=$(mktemp -d) " if fresh else "") + shlex.join(command),
                "wall_s": _median(walls),
                "cpu_s": _median(cpus),
                "walls_s": [round(t, 4) for t in walls],
                "cpus_s": [round(t, 4) for t in cpus],
            }
        )
    return rows


def measure(repeats=5, cold_repeats=2, workers_repeats=3, echo=print):
    env = dict(os.environ)
    env.pop("NUMBA_CACHE_DIR", None)
    backtrack = _backtrack_command()
    rows = []
    queens12 = backtrack + ["nqueens", "12", "--count", "--quiet"]
    rows += _both_caches("backtrack nqueens 12 --count", queens12, env, repeats, cold_repeats)
    search_s, count = _search_seconds(queens12, env)
    assert count == OEIS_A000170[12], count
    for row in rows:
        row["search_s"] = search_s
    if importlib.util.find_spec("nucs") is not None:
        nucs = [sys.executable, "-m", "nucs.examples.queens", "-n", "12", "--find-all"]
        rows += _both_caches("NuCS queens -n 12 --find-all", nucs, env, repeats, cold_repeats)
    else:
        echo("nucs is not installed: its rows are skipped (pip install '.[bench]')")
    one = backtrack + ["nqueens", "16", "--count", "--quiet"]
    two = one + ["--workers", "2"]
    _timed_processes(two, env, 1)
    walls = {"1": [], "2": []}
    for _ in range(workers_repeats):  # interleaved, so that both see the same load
        walls["1"] += _timed_processes(one, env, 1)[0]
        walls["2"] += _timed_processes(two, env, 1)[0]
    for workers, times in walls.items():
        command = one if workers == "1" else two
        rows.append(
            {
                "what": f"backtrack nqueens 16 --count, {workers} process{'es' if workers == '2' else ''}",
                "cache": "warm",
                "command": shlex.join(command),
                "wall_s": _median(times),
                "walls_s": [round(t, 4) for t in times],
            }
        )
    speedup = round(rows[-2]["wall_s"] / rows[-1]["wall_s"], 2)
    for row in rows:
        echo(f"{row['what']} ({row['cache']} cache): {row['wall_s']:.3f} s wall")
    echo(f"--workers 2 speed-up: {speedup}x")
    return rows, speedup


def write(out_dir, rows, speedup, started_at, load_start, elapsed):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    info = harness.machine_info()
    record = {
        "suite": "whole-process",
        "command": harness.command_line(),
        "date": started_at,
        "elapsed_s": round(elapsed, 1),
        "load_average_start": load_start,
        "machine": info,
        "rows": rows,
        "workers_2_speedup": speedup,
    }
    (out_dir / "whole-process.json").write_text(json.dumps(record, indent=1) + "\n")
    lines = [
        "# Whole-process figures",
        "",
        f"- command: `{record['command']}`",
        f"- date: {started_at}; machine: {info['cpu']}, {info['nproc']} cores; Python {info['python']}, "
        f"numba {info['versions']['numba']}",
        f"- load average (1, 5, 15 min): {load_start} at the start, {info['load_average']} at the end",
        "- wall time of the whole process, from start to exit (median of the runs listed); CPU = user + "
        "system of the process and its children",
        "",
        "| what | cache | wall s | CPU s | search s | runs (wall s) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = ["-" if row.get(key) is None else f"{row[key]:.3f}" for key in ("wall_s", "cpu_s", "search_s")]
        lines.append(f"| {row['what']} | {row['cache']} | {' | '.join(cells)} | {row['walls_s']} |")
    lines += ["", f"`--workers 2` speed-up at N = 16 (one-process wall / two-process wall): {speedup}x", ""]
    (out_dir / "whole-process.md").write_text("\n".join(lines))


def main():
    import click

    @click.command()
    @click.option("--out", default=str(RESULTS), show_default=True, help="directory for the JSON and Markdown")
    @click.option("--repeats", default=5, show_default=True, help="runs with a warm cache")
    @click.option("--cold-repeats", default=2, show_default=True, help="runs with an empty cache")
    def run(out, repeats, cold_repeats):
        """Measure the README's whole-process figures and record them."""
        started_at = harness.now_iso()
        load_start = [round(x, 2) for x in os.getloadavg()]
        started = time.perf_counter()
        rows, speedup = measure(repeats, cold_repeats, echo=click.echo)
        write(out, rows, speedup, started_at, load_start, time.perf_counter() - started)

    run()


if __name__ == "__main__":
    main()
