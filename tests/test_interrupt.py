"""Ctrl-C stops a long search: the partial result is printed and the exit status is 130."""

import json
import signal
import subprocess
import sys
import time


def interrupt(*args):
    """Run ``backtrack ARGS --json``, press Ctrl-C after 4 s (long enough to compile or load the
    engine and start searching); check the exit status 130 and return the last JSON record."""
    command = [sys.executable, "-m", "backtrack", *args, "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    record = json.loads(stdout.strip().splitlines()[-1])
    assert record["status"] == "limit" and record["stop_reason"] == "interrupt"
    return record


def test_ctrl_c_prints_the_partial_result_and_exits_130():
    record = interrupt("nqueens", "18", "--count")  # 18-queens takes minutes
    assert 0 < record["stats"]["nodes"]
    assert 0 <= record["count"] < 666090624  # A000170(18): the count so far, not the answer


def test_ctrl_c_stops_parallel_workers_with_the_partial_count():
    record = interrupt("nqueens", "20", "--count", "--workers", "2")  # hours of work
    assert 0 <= record["count"] < 39029188884  # A000170(20)


def test_optimize_interrupted_keeps_the_best_solution(tmp_path):
    # A strongly correlated instance the naive strategy cannot finish: Ctrl-C returns its incumbent.
    instance = tmp_path / "strong.csv"
    generate = [sys.executable, "-m", "backtrack", "knapsack", "--generate", "3", "--n", "60", "--seed", "2"]
    instance.write_text(subprocess.run(generate, capture_output=True, text=True, check=True).stdout)
    record = interrupt("knapsack", str(instance), "--strategy", "feasibility")
    assert record["value"] is not None and record["solution"]
    lines = instance.read_text().splitlines()
    capacity = int(next(line for line in lines if line.startswith("c ")).split()[1])
    items = [tuple(map(int, line.split(","))) for line in lines if line.count(",") == 3]
    assert sum(items[j][2] for j in record["solution"]) <= capacity
    assert sum(items[j][1] for j in record["solution"]) == record["value"]
