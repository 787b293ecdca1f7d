"""Parallel search gives the sequential search's results for every goal, on both backends."""

import json
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrack import Search, solve
from backtrack.decompose import decompose
from backtrack.parallel import ParallelSearch
from backtrack.workers import resolve_workers
from problems.nqueens import STRATEGIES as QUEENS_STRATEGIES
from problems.nqueens.model import build, is_solution

from .random_csp import COMBOS, STRATEGIES, brute_force, csps, is_valid, optimum, value_of
from .random_csp import build as build_csp

A000170 = {1: 1, 2: 0, 3: 0, 4: 2, 5: 10, 6: 4, 7: 40, 8: 92, 9: 352, 10: 724, 20: 39029188884}
SOME_COMBOS = [COMBOS[0], COMBOS[5], COMBOS[-1]]


def figures(result):
    """What a count says apart from times: equal for the split and the whole tree."""
    s = result.stats
    return result.status, result.count, s.nodes, s.pruned, s.not_offered, s.solutions, s.max_depth, s.unpruned_nodes


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("combo", SOME_COMBOS, ids=lambda c: c.name)
@settings(max_examples=8)
@given(csp=csps(), per_worker=st.sampled_from([1, 3, 50]))
def test_parallel_equals_sequential_for_every_goal(backend, combo, csp, per_worker):
    strategy = STRATEGIES[combo]
    options = {"workers": 2, "backend": backend, "subproblems_per_worker": per_worker}
    truth = brute_force(csp)

    whole = solve(csp, strategy, "count", backend=backend)
    split = solve(csp, strategy, "count", **options)
    assert figures(split) == figures(whole)
    assert split.count == len(truth)

    streamed = [tuple(s) for s in Search(csp, strategy, "all", **options)]
    assert sorted(streamed) == sorted(truth)  # each solution exactly once
    ordered = [tuple(s) for s in Search(csp, strategy, "all", ordered=True, **options)]
    assert ordered == [tuple(s) for s in Search(csp, strategy, "all", backend=backend)]

    first = solve(csp, strategy, "first", **options)
    assert (first.status == "satisfied") == bool(truth)
    assert first.solution is None or is_valid(csp, first.solution)

    best = solve(csp, strategy, "optimize", **options)
    assert best.value == optimum(csp)
    if truth:
        assert best.status == "optimal" and is_valid(csp, best.solution)
        assert value_of(csp, best.solution) == best.value
    else:
        assert best.status == "unsatisfiable"


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("name", ["feasibility", "forward-checking", "mrv", "bitboard", "symmetry"])
def test_nqueens_counts_in_parallel_equal_oeis(name, workers):
    for n in (1, 4, 6, 9):
        problem = build(n, name, "count")
        whole = solve(problem, QUEENS_STRATEGIES[name], "count")
        split = solve(problem, QUEENS_STRATEGIES[name], "count", workers=workers)
        assert split.count == A000170[n]
        assert figures(split) == figures(whole)


def test_subproblems_follow_the_strategy_in_depth_first_order():
    problem = build(9, "symmetry", "count")
    plan = decompose(problem, QUEENS_STRATEGIES["symmetry"], target=1)
    # symmetry: the top queen on the left half with the middle, never in the corner.
    assert [s.prefix for s in plan.subproblems] == [((0, c),) for c in range(1, 5)]
    deeper = decompose(problem, QUEENS_STRATEGIES["symmetry"], target=20)
    prefixes = [s.prefix for s in deeper.subproblems]
    assert deeper.depth >= 2 and len(prefixes) >= 20
    assert prefixes == sorted(prefixes)  # rows in order, columns ascending: depth-first order
    assert [s.id for s in deeper.subproblems] == list(range(len(prefixes)))


@pytest.mark.parametrize("target", [5, 10, 20, 30, 40, 100, 101, 250, 1000])
def test_the_cut_is_the_level_nearest_the_target(target):
    # No constraints, 10 values per variable: level d holds 10**d subproblems.
    free = build_csp(np.ones((5, 10), bool), {}, np.arange(50))
    plan = decompose(free, STRATEGIES[COMBOS[0]], target=target, backend="python")
    sizes = {d: 10**d for d in range(1, 6)}
    reached = min(d for d in sizes if sizes[d] >= target)
    above = reached - 1
    nearer_above = above >= 1 and 4 * sizes[above] >= target and target / sizes[above] < sizes[reached] / target
    assert plan.depth == (above if nearer_above else reached)
    assert len(plan.subproblems) == sizes[plan.depth]


def test_all_streams_each_board_once_and_first_finds_a_board():
    problem = build(8, "bitboard", "all")
    boards = [tuple(b) for b in Search(problem, QUEENS_STRATEGIES["bitboard"], "all", workers=2)]
    assert len(boards) == len(set(boards)) == A000170[8]
    assert all(is_solution(list(b)) for b in boards)
    first = solve(build(30, "mrv", "first"), QUEENS_STRATEGIES["mrv"], "first", workers=2, restarts=True)
    assert first.status == "satisfied" and is_solution(first.solution)
    assert first.parallel["subproblems"] == 2  # a portfolio: one seed per worker


def test_time_limit_gives_a_partial_count():
    problem = build(20, "bitboard", "count")
    started = time.perf_counter()
    result = solve(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, time_limit=1.0)
    assert time.perf_counter() - started < 30
    assert result.status == "limit" and result.stop_reason == "time"
    assert 0 < result.count < A000170[20]


def test_node_limit_stops_every_worker():
    problem = build(20, "bitboard", "count")
    result = solve(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, node_limit=200_000)
    assert result.status == "limit" and result.stop_reason == "nodes"
    assert 200_000 <= result.stats.nodes < 200_000 + 2 * 50_000_000  # workers stop at their next slice


def test_bad_arguments_are_refused():
    problem = build(8, "bitboard", "count")
    for bad in (0, -1, "many", 1.5, True):
        with pytest.raises(ValueError, match="workers must be"):
            resolve_workers(bad)
    assert resolve_workers("auto") >= 1
    with pytest.raises(ValueError, match="no prefix"):
        ParallelSearch(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, prefix=[(0, 1)])
    with pytest.raises(ValueError, match="ordered applies"):
        ParallelSearch(problem, QUEENS_STRATEGIES["bitboard"], "count", workers=2, ordered=True)


def test_cli_workers_for_every_goal(backtrack_cli):
    run = backtrack_cli("nqueens", "9", "--count", "--workers", "2", "--json")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["count"] == A000170[9]
    assert record["parallel"]["workers"] == 2 and record["parallel"]["subproblems"] >= 2
    listed = backtrack_cli("nqueens", "7", "--all", "--workers", "2", "--ordered", "--json")
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    boards = [line["solution"] for line in lines[:-1]]
    assert len(boards) == A000170[7] and boards == sorted(boards)  # bitboard lists boards in column order
    for bad in ("0", "-2", "x"):
        wrong = backtrack_cli("nqueens", "9", "--count", "--workers", bad)
        assert wrong.returncode == 2
        assert wrong.stderr.count("\n") == 1 and "--workers" in wrong.stderr
