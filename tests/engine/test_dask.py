"""The same parallel search on a Dask cluster: exact counts, first and optimize, a killed worker."""

import os
import signal
import threading
import time

import pytest

from backtrack import solve
from problems.nqueens import STRATEGIES as QUEENS_STRATEGIES
from problems.nqueens.model import build, is_solution

from .random_csp import COMBOS, STRATEGIES, optimum
from .random_csp import build as build_csp

distributed = pytest.importorskip("distributed")

A000170 = {8: 92, 9: 352, 11: 2680}


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_count_first_and_optimize_on_a_cluster(client):
    for name in ("bitboard", "mrv"):
        result = solve(build(9, name, "count"), QUEENS_STRATEGIES[name], "count", executor=client)
        whole = solve(build(9, name, "count"), QUEENS_STRATEGIES[name], "count")
        assert result.count == A000170[9] and result.stats.nodes == whole.stats.nodes
        assert result.parallel["executor"] == "dask" and result.parallel["workers"] == 2
    first = solve(build(20, "mrv", "first"), QUEENS_STRATEGIES["mrv"], "first", executor=client, restarts=True)
    assert first.status == "satisfied" and is_solution(first.solution)
    # A small COP with one optimum: x_i in 0..3, weights make it unique; pairs i, i+1 must differ.
    tables = {(i, i + 1): [[a != b for b in range(4)] for a in range(4)] for i in range(4)}
    weights = [[3 * i + v for v in range(4)] for i in range(5)]
    csp = build_csp([[True] * 4] * 5, tables, weights, maximize=True)
    best = solve(csp, STRATEGIES[COMBOS[-1]], "optimize", executor=client, backend="python")
    assert best.status == "optimal" and best.value == optimum(csp)


@pytest.mark.slow  # hung once in a cold-cache CI run (before keys were made unique per submission): under study
def test_a_killed_worker_leaves_the_count_exact(client):
    problem = build(11, "bitboard", "count")
    outcome = {}

    def count():
        outcome["result"] = solve(problem, QUEENS_STRATEGIES["bitboard"], "count", executor=client, backend="python")

    runner = threading.Thread(target=count)
    runner.start()
    deadline = time.monotonic() + 120
    while not any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.02)  # kill a worker while subproblems run on it
    pids = client.run(os.getpid)
    os.kill(next(iter(pids.values())), signal.SIGKILL)  # the nanny starts a new worker; its tasks rerun
    runner.join(timeout=600)
    assert not runner.is_alive()
    assert outcome["result"].count == A000170[11] and outcome["result"].status == "complete"


def test_unreachable_scheduler_is_one_line_and_quick(backtrack_cli):
    started = time.monotonic()
    run = backtrack_cli("nqueens", "8", "--count", "--scheduler", "tcp://127.0.0.1:9")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in run.stderr
    assert time.monotonic() - started < 30
