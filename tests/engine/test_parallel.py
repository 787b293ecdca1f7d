"""Counting in several processes adds up to exactly the sequential count, node for node."""

import json
import time

import pytest
from hypothesis import given, settings

from backtrack import solve
from backtrack.parallel import ParallelCount, root_decisions
from problems.nqueens import STRATEGIES as QUEENS_STRATEGIES
from problems.nqueens.model import build

from .random_csp import COMBOS, STRATEGIES, brute_force, csps

A000170 = {6: 4, 7: 40, 8: 92, 9: 352, 20: 39029188884}


def figures(result):
    """What a count says apart from times: equal for the split and the whole tree."""
    s = result.stats
    return result.status, result.count, s.nodes, s.pruned, s.solutions, s.max_depth


@pytest.mark.parametrize("combo", [COMBOS[0], COMBOS[-1]], ids=lambda c: c.name)
@settings(max_examples=10)
@given(csp=csps())
def test_split_count_equals_the_whole_count(combo, csp):
    whole = solve(csp, STRATEGIES[combo], "count")
    split = solve(csp, STRATEGIES[combo], "count", workers=2)
    assert figures(split) == figures(whole)
    assert split.count == len(brute_force(csp))


@pytest.mark.parametrize("name", ["feasibility", "forward-checking", "mrv", "bitboard", "symmetry"])
@pytest.mark.parametrize("n", [6, 7, 8, 9])
def test_nqueens_counts_in_two_processes(name, n):
    problem = build(n, name, "count")
    whole = solve(problem, QUEENS_STRATEGIES[name], "count")
    split = solve(problem, QUEENS_STRATEGIES[name], "count", workers=2)
    assert split.count == A000170[n]
    assert figures(split) == figures(whole)


def test_root_decisions_follow_the_strategy():
    # bitboard counting with the mirror: row 0, left half; symmetry: left half with the middle, without the corner.
    assert root_decisions(build(9, "bitboard", "count"), QUEENS_STRATEGIES["bitboard"]) == [(0, c) for c in range(5)]
    assert root_decisions(build(9, "symmetry", "count"), QUEENS_STRATEGIES["symmetry"]) == [(0, c) for c in range(1, 5)]


def test_python_backend_splits_too():
    problem = build(7, "bitboard", "count")
    split = solve(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, backend="python")
    assert figures(split) == figures(solve(problem, QUEENS_STRATEGIES["bitboard"], "count"))


def test_time_limit_gives_a_partial_count():
    problem = build(20, "bitboard", "count")
    started = time.perf_counter()
    result = solve(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, time_limit=0.5)
    assert time.perf_counter() - started < 30
    assert result.status == "limit" and result.stop_reason == "time"
    assert 0 <= result.count < A000170[20]


def test_only_counts_are_shared_out():
    problem = build(8, "bitboard", "first")
    with pytest.raises(ValueError, match="counts only"):
        ParallelCount(problem, QUEENS_STRATEGIES["bitboard"], "first")
    with pytest.raises(ValueError, match="not a node or solution limit"):
        ParallelCount(problem, QUEENS_STRATEGIES["bitboard"], "count", node_limit=10)
    with pytest.raises(ValueError, match="workers must be positive"):
        ParallelCount(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=0)


def test_cli_workers(backtrack_cli):
    run = backtrack_cli("nqueens", "9", "--count", "--workers", "2", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["count"] == A000170[9]
    wrong = backtrack_cli("nqueens", "9", "--first", "--workers", "2")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == "backtrack: error: --workers shares out a count: use it with --count"
