"""Ctrl-C stops a long search: the partial result is printed and the exit status is 130.

Ctrl-C is sent once the search is known to run (its first progress line on a terminal, or its
worker processes), never after a fixed delay: on a loaded machine a delay can land in the imports,
the compiler or the preparation of an instance.
"""

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from problems.knapsack.generate import generate
from problems.knapsack.io import format_pisinger

WAIT_S = 300  # for a marker: compiling on a cold cache on a loaded machine takes minutes
PROGRESS = re.compile(rb"\d+(\.\d+)?[kMG]? nodes")  # a progress line: "...  1.0 s  12.3M nodes  ..."


class Run:
    """``python -m backtrack ARGS --json`` (or ``python -c CODE ARGS``) with stderr on a terminal,
    so that progress lines come every second."""

    def __init__(self, *args, code=None):
        prefix = ["-c", code] if code else ["-m", "backtrack"]
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, *prefix, *args, "--json"], stdout=subprocess.PIPE, stderr=slave, text=True
        )
        os.close(slave)
        self.stderr = b""

    def wait_for(self, pattern, seconds=WAIT_S):
        """Read stderr until it matches ``pattern`` (bytes regex); fail if the process ends first."""
        deadline = time.monotonic() + seconds
        while not re.search(pattern, self.stderr):
            assert self.process.poll() is None, f"ended before {pattern!r}: {self.stderr!r}"
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} within {seconds} s: {self.stderr!r}"
            if select.select([self.master], [], [], min(left, 1.0))[0]:
                try:
                    self.stderr += os.read(self.master, 4096)
                except OSError:  # the terminal closed: the process is ending
                    pass

    def interrupt(self):
        """Ctrl-C; check the exit status 130 and a clean stop; return the last JSON record."""
        self.process.send_signal(signal.SIGINT)
        try:
            stdout, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # a hung run: leave no process behind, then fail
            for pid in [*children(self.process.pid), self.process.pid]:
                os.kill(pid, signal.SIGKILL)
            raise
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.stderr += chunk
        os.close(self.master)
        assert self.process.returncode == 130, self.stderr
        assert b"Traceback" not in self.stderr, self.stderr
        record = json.loads(stdout.strip().splitlines()[-1])
        assert record["status"] == "limit" and record["stop_reason"] == "interrupt"
        return record


def children(pid):
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid):
    """Is ``pid`` a live process (not gone, not a zombie)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_prints_the_partial_result_and_exits_130():
    run = Run("nqueens", "18", "--count")  # 18-queens takes minutes
    run.wait_for(PROGRESS)
    record = run.interrupt()
    assert 0 < record["stats"]["nodes"]
    assert 0 <= record["count"] < 666090624  # A000170(18): the count so far, not the answer


def test_ctrl_c_stops_parallel_workers_with_the_partial_count():
    run = Run("nqueens", "20", "--count", "--workers", "2")  # hours of work
    deadline = time.monotonic() + WAIT_S
    while len(workers := children(run.process.pid)) < 2:  # forked once the engine is compiled
        assert run.process.poll() is None and time.monotonic() < deadline, run.stderr
        time.sleep(0.05)
    record = run.interrupt()
    assert 0 <= record["count"] < 39029188884  # A000170(20)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in workers), "worker processes left running after Ctrl-C"


def test_optimize_interrupted_keeps_the_best_solution(tmp_path):
    # A strongly correlated instance the naive strategy cannot finish: Ctrl-C returns its incumbent.
    instance = tmp_path / "strong.csv"
    generate_command = [sys.executable, "-m", "backtrack", "knapsack", "--generate", "3", "--n", "60", "--seed", "2"]
    instance.write_text(subprocess.run(generate_command, capture_output=True, text=True, check=True).stdout)
    run = Run("knapsack", str(instance), "--strategy", "feasibility")
    run.wait_for(rb"best \d+")
    record = run.interrupt()
    assert record["value"] is not None and record["solution"]
    lines = instance.read_text().splitlines()
    capacity = int(next(line for line in lines if line.startswith("c ")).split()[1])
    items = [tuple(map(int, line.split(","))) for line in lines if line.count(",") == 3]
    assert sum(items[j][2] for j in record["solution"]) <= capacity
    assert sum(items[j][1] for j in record["solution"]) == record["value"]


# The CLI with a marker on stderr when the preparation of an instance begins.
PREPARING = """
import sys
import problems.knapsack.command as command

real_prepare = command.prepare


def prepare(*args, **kwargs):
    sys.stderr.write("preparing\\n")
    sys.stderr.flush()
    return real_prepare(*args, **kwargs)


command.prepare = prepare
from backtrack.cli import main

main(sys.argv[1:])
"""


def test_ctrl_c_during_knapsack_preparation_prints_the_partial_result(tmp_path):
    # 100 000 similar weights: preparing takes seconds (sorting, reductions, core searches).
    path = tmp_path / "big.csv"
    path.write_text(
        format_pisinger(generate(9, 100_000, 10000, seed=1)) + format_pisinger(generate(1, 50, 100, seed=1))
    )
    run = Run("knapsack", str(path), code=PREPARING)
    run.wait_for(rb"preparing")
    record = run.interrupt()
    assert record["instance"] == "knapPI_9_100000_10000_1"  # the first instance, and no other
    assert record["value"] is None and record["solution"] is None  # nothing found before the search
    assert record["stats"]["nodes"] == 0


def test_ctrl_c_in_a_core_search_stops_the_preparation(monkeypatch):
    # The core searches of the preparation are engine searches, which turn Ctrl-C into a result
    # with status limit: the preparation must stop there, not carry on to the main search.
    import backtrack.search
    from problems.knapsack.model import prepare

    instance = generate(5, 1000, 10000, seed=1)
    assert prepare(instance, backend="python").core_nodes > 0  # this instance runs core searches

    def pressed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(backtrack.search, "run_slice", pressed)
    with pytest.raises(KeyboardInterrupt):
        prepare(instance, backend="python")


def test_sigint_in_a_core_search_prints_the_partial_record(monkeypatch, capsys, tmp_path):
    # A real SIGINT, raised in the process when the first slice of the first core search starts
    # (after the probe, which the test above never passes): the core search's engine turns it into
    # an interrupted result, the preparation must re-raise it, and the command prints the record of
    # an instance stopped before its search (status limit, nothing found) and exits with 130.
    import backtrack.search
    import problems.knapsack.preparation as preparation
    from backtrack.cli import main

    instance = generate(5, 1000, 10000, seed=1)  # the probe does not prove it: core searches run
    path = tmp_path / "core.csv"
    path.write_text(format_pisinger(instance))
    real_core, real_slice = preparation._core_incumbent, backtrack.search.run_slice
    reached = {"core": False, "signals": 0}

    def core_incumbent(*args, **kwargs):
        reached["core"] = True
        return real_core(*args, **kwargs)

    def run_slice(*args, **kwargs):
        if reached["core"] and not reached["signals"]:
            reached["signals"] += 1
            signal.raise_signal(signal.SIGINT)  # Ctrl-C, delivered here and now
        return real_slice(*args, **kwargs)

    monkeypatch.setattr(preparation, "_core_incumbent", core_incumbent)
    monkeypatch.setattr(backtrack.search, "run_slice", run_slice)
    # Python's own handler (a test runner's worker process may ignore SIGINT): Ctrl-C raises.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(SystemExit) as stop:
            main(["knapsack", str(path), "--json", "--quiet", "--backend", "python"])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert reached == {"core": True, "signals": 1}
    assert stop.value.code == 130
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["status"] == "limit" and record["stop_reason"] == "interrupt"
    assert record["instance"] == instance.name and record["value"] is None and record["solution"] is None
