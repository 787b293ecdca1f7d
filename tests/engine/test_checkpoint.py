"""Checkpoints and faults: a killed run resumes to the exact result, a dead worker's subproblems are
searched again, Ctrl-C leaves no worker behind, and a foreign or damaged file is refused."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from backtrack import solve
from backtrack.checkpoint import Checkpoint, CheckpointError, fingerprint
from problems.nqueens import STRATEGIES as QUEENS_STRATEGIES
from problems.nqueens.model import build

A000170_11 = 2680
# The interpreted backend: slow enough to be stopped part-way, nothing to compile.
RUN = ["nqueens", "11", "--count", "--strategy", "bitboard", "--backend", "python", "--workers", "2", "--json"]


def start(*args):
    command = [sys.executable, "-m", "backtrack", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_records(path, records, process, timeout=120):
    """Wait until the checkpoint holds ``records`` finished subproblems (its lines after the header)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count("\n") > records:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    pytest.fail("the run recorded too few subproblems in time")


def children(pid):
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = open(f"/proc/{pid}/stat").read().split()[2] if os.path.exists(f"/proc/{pid}/stat") else "X"
    return status not in ("Z", "X")


def test_a_killed_run_resumes_to_the_exact_count(tmp_path, backtrack_cli):
    checkpoint = tmp_path / "run.jsonl"
    process = start(*RUN, "--checkpoint", checkpoint)
    wait_for_records(checkpoint, 5, process)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, with no chance to tidy up
    process.communicate()
    kept = checkpoint.read_text().count("\n") - 1
    with open(checkpoint, "a") as f:
        f.write('{"id":3,"prefix":[[0,')  # a line torn by the crash
    resumed = backtrack_cli(*RUN, "--checkpoint", checkpoint)
    assert resumed.returncode == 0, resumed.stderr
    record = json.loads(resumed.stdout)
    assert record["count"] == A000170_11 and record["status"] == "complete"
    assert record["parallel"]["resumed"] >= kept >= 5
    whole = solve(build(11, "bitboard", "count"), QUEENS_STRATEGIES["bitboard"], "count")
    assert record["stats"]["nodes"] == whole.stats.nodes  # nothing counted twice, nothing lost
    lines = checkpoint.read_text().splitlines()
    header = json.loads(lines[0])
    assert len(lines) - 1 == len(header["subproblems"])  # the torn line was dropped, then redone
    again = backtrack_cli(*RUN, "--checkpoint", checkpoint)  # all finished: nothing left to search
    assert json.loads(again.stdout)["count"] == A000170_11
    assert json.loads(again.stdout)["parallel"]["resumed"] == len(header["subproblems"])


def test_a_checkpoint_of_another_run_or_not_ours_is_refused(tmp_path, backtrack_cli):
    checkpoint = tmp_path / "run.jsonl"
    done = backtrack_cli("nqueens", "8", "--count", "--workers", "2", "--checkpoint", checkpoint)
    assert done.returncode == 0, done.stderr
    before = checkpoint.read_bytes()
    for other in (["nqueens", "9", "--count"], ["nqueens", "8", "--count", "--strategy", "mrv"]):
        refused = backtrack_cli(*other, "--workers", "2", "--checkpoint", checkpoint)
        assert refused.returncode == 2
        assert refused.stderr.count("\n") == 1 and "checkpoint of another run" in refused.stderr
    assert checkpoint.read_bytes() == before  # nothing half-written
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping: eggs, milk")
    refused = backtrack_cli("nqueens", "8", "--count", "--checkpoint", foreign)
    assert refused.returncode == 2 and "not a backtrack checkpoint" in refused.stderr
    assert foreign.read_text() == "shopping: eggs, milk"
    damaged = tmp_path / "damaged.jsonl"
    lines = before.decode().splitlines(keepends=True)
    damaged.write_text(lines[0] + lines[1].replace('"count":', '"count":1'))  # a line that fails its check
    refused = backtrack_cli("nqueens", "8", "--count", "--checkpoint", damaged)
    assert refused.returncode == 2 and "line 2 is damaged" in refused.stderr
    unwritable = backtrack_cli("nqueens", "8", "--count", "--checkpoint", tmp_path / "no" / "such" / "dir")
    assert unwritable.returncode == 2 and unwritable.stderr.count("\n") == 1


def test_checkpoint_fingerprint_covers_problem_strategy_and_goal(tmp_path):
    problem = build(8, "bitboard", "count")
    base = fingerprint(problem, QUEENS_STRATEGIES["bitboard"], "count")
    assert base == fingerprint(build(8, "bitboard", "count"), QUEENS_STRATEGIES["bitboard"], "count")
    assert base != fingerprint(build(9, "bitboard", "count"), QUEENS_STRATEGIES["bitboard"], "count")
    assert base != fingerprint(problem, QUEENS_STRATEGIES["feasibility"], "count")
    assert base != fingerprint(problem, QUEENS_STRATEGIES["bitboard"], "all")
    path = tmp_path / "c.jsonl"
    path.write_text("")
    assert Checkpoint(path, base, "x").header is None  # an empty file starts a new run
    with pytest.raises(CheckpointError):
        path.write_text("[1, 2, 3]\n")
        Checkpoint(path, base, "x")


def test_a_dead_worker_has_its_subproblems_searched_again(tmp_path):
    checkpoint = tmp_path / "run.jsonl"
    process = start(*RUN, "--checkpoint", checkpoint)
    wait_for_records(checkpoint, 2, process)
    workers = children(process.pid)
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    record = json.loads(stdout)
    assert record["count"] == A000170_11 and record["status"] == "complete"


def test_ctrl_c_prints_the_partial_count_and_leaves_no_worker(tmp_path):
    checkpoint = tmp_path / "run.jsonl"
    process = start(*RUN, "--checkpoint", checkpoint)
    wait_for_records(checkpoint, 2, process)
    workers = children(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    record = json.loads(stdout.strip().splitlines()[-1])
    assert record["status"] == "limit" and record["stop_reason"] == "interrupt"
    assert 0 < record["count"] < A000170_11
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
