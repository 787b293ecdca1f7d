"""``backtrack nqueens``: counts through the command line, streaming into a pipe, refused combinations."""

import json
import subprocess
import sys
import time

import pytest

from backtrack.cli import main

from .test_nqueens import A000170, CASES, valid_board


def run_main(capsys, *args):
    try:
        main([str(a) for a in args])
        status = 0
    except SystemExit as done:
        status = done.code
    return (status, *capsys.readouterr())


@pytest.mark.parametrize("strategy", list(CASES))
def test_count_through_the_command_line(capsys, strategy):
    n = 8  # naive pruning: 8^8 leaves
    status, out, err = run_main(capsys, "nqueens", n, "--count", "--strategy", strategy, "--json", "--quiet")
    assert status == 0, err
    record = json.loads(out)
    assert (record["status"], record["count"], record["strategy"]) == ("complete", A000170[n - 1], strategy)


def test_default_strategy_counts(capsys):
    status, out, _ = run_main(capsys, "nqueens", 12, "--json", "--quiet")
    assert status == 0
    assert json.loads(out)["count"] == A000170[11]


def test_default_first_prints_a_valid_board(capsys):
    status, out, _ = run_main(capsys, "nqueens", 20, "--first", "--quiet")
    assert status == 0
    rows = [line.split() for line in out.splitlines() if set(line.replace(" ", "")) <= {"Q", "."} and line.strip()]
    assert len(rows) == 20
    assert all(row.count("Q") == 1 for row in rows)
    assert valid_board(20, [row.index("Q") for row in rows])


@pytest.mark.parametrize("goal", ["--first", "--all"])
def test_count_only_strategies_refuse_to_list(capsys, goal):
    for name, case in CASES.items():
        if case.lists:
            continue
        status, out, err = run_main(capsys, "nqueens", 6, goal, "--strategy", name)
        assert status == 2
        assert out == ""
        assert len(err.strip().splitlines()) == 1


def test_all_into_a_pipe_that_closes_early():
    """``backtrack nqueens 14 --all | head``: stops promptly and quietly when the reader goes away."""
    started = time.perf_counter()
    producer = subprocess.Popen(
        [sys.executable, "-m", "backtrack", "nqueens", "14", "--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = subprocess.run(["head", "-n", "10"], stdin=producer.stdout, capture_output=True, timeout=120)
    producer.stdout.close()  # only head holds the pipe now
    try:
        status = producer.wait(timeout=120)
    finally:
        if producer.poll() is None:
            producer.kill()
    stderr = producer.stderr.read().decode()
    producer.stderr.close()
    assert head.stdout.count(b"\n") == 10
    lines = head.stdout.decode().splitlines()
    assert lines[0] == "solution 1:"
    board = [line.split() for line in lines[1:10]]
    assert all(len(row) == 14 for row in board)
    assert status == 0, stderr
    assert "Traceback" not in stderr and "Exception" not in stderr, stderr
    # 365596 boards of 15 lines each would take far longer; generous for a loaded machine.
    assert time.perf_counter() - started < 60


def test_all_as_json_into_a_pipe():
    producer = subprocess.Popen(
        [sys.executable, "-m", "backtrack", "nqueens", "14", "--all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        first = [json.loads(producer.stdout.readline()) for _ in range(5)]
    finally:
        producer.stdout.close()
        status = producer.wait(timeout=120)
        producer.stderr.close()
    assert [r["index"] for r in first] == [0, 1, 2, 3, 4]
    assert all(valid_board(14, r["solution"]) for r in first)
    assert status == 0


@pytest.mark.parametrize("strategy", ["bitboard", "symmetry"])
def test_more_workers_than_root_branches(backtrack_cli, strategy):
    # 6-queens has at most 6 root branches: 16 workers must still give the one-process count.
    n = 6
    one = backtrack_cli("nqueens", n, "--count", "--strategy", strategy, "--json", "--quiet")
    many = backtrack_cli("nqueens", n, "--count", "--strategy", strategy, "--workers", 16, "--json", "--quiet")
    assert one.returncode == 0 and many.returncode == 0, many.stderr
    sequential, parallel = json.loads(one.stdout), json.loads(many.stdout)
    assert parallel["status"] == "complete" and parallel["count"] == A000170[n - 1] == sequential["count"]
    assert parallel["stats"]["nodes"] == sequential["stats"]["nodes"]
