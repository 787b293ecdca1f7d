"""Node, solution and time limits; argument validation. No precise timing assertions."""

import time

import numpy as np
import pytest

from backtrack import Search, solve
from problems.nqueens import STRATEGIES as QUEENS
from problems.nqueens import Queens

from .random_csp import COMBOS, STRATEGIES, Combo, build, is_valid, optimum, value_of

BACKENDS = ("python", "numba")
PLAIN = STRATEGIES[Combo(False, False, False, False)]
# Five free variables of four values: 4 + 16 + 64 + 256 + 1024 nodes, 1024 solutions.
FREE = build(np.ones((5, 4), bool), {}, np.arange(20))
FREE_NODES = 4 + 16 + 64 + 256 + 1024


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("goal", ["count", "all", "optimize"])
@pytest.mark.parametrize("limit", [1, 7, 500, FREE_NODES - 1])
def test_node_limit_stops_the_search(one_search, backend, goal, limit):
    result, streamed = one_search(FREE, PLAIN, goal, backend, node_limit=limit)
    assert result.status == "limit"
    assert result.stop_reason == "nodes"
    assert result.stats.nodes <= limit
    assert result.count < 1024
    assert all(len(s) == 5 for s in streamed)


@pytest.mark.parametrize("backend", BACKENDS)
def test_node_limit_before_the_first_solution(one_search, backend):
    result, streamed = one_search(FREE, PLAIN, "first", backend, node_limit=4)
    assert (result.status, result.stop_reason, result.solution, streamed) == ("limit", "nodes", None, [])
    found, _ = one_search(FREE, PLAIN, "first", backend, node_limit=5)  # 5 nodes reach the first leaf
    assert (found.status, found.solution) == ("satisfied", [0] * 5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("goal", "limit"),
    [
        ("count", FREE_NODES),
        ("all", FREE_NODES),
        ("count", FREE_NODES + 1),
        ("all", FREE_NODES + 1),
        ("count", 10**12),
        ("all", 10**12),
    ],
)
def test_a_node_limit_the_search_does_not_exceed_is_no_limit(one_search, backend, goal, limit):
    result, _ = one_search(FREE, PLAIN, goal, backend, node_limit=limit)
    assert (result.status, result.stop_reason, result.count) == ("complete", None, 1024)
    assert result.stats.nodes == FREE_NODES


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("goal", ["count", "all"])
@pytest.mark.parametrize("limit", [1, 7, 1000])
def test_solution_limit(one_search, backend, goal, limit):
    result, streamed = one_search(FREE, PLAIN, goal, backend, solution_limit=limit)
    assert result.status == "limit"
    assert result.stop_reason == "solutions"
    assert result.count == limit
    assert result.stats.solutions == limit
    if goal == "all":
        assert len(streamed) == len(set(streamed)) == limit
        assert result.solution == list(streamed[-1])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("goal", ["count", "all"])
def test_a_solution_limit_above_the_count_is_no_limit(one_search, backend, goal):
    result, _ = one_search(FREE, PLAIN, goal, backend, solution_limit=1025)
    assert (result.status, result.stop_reason, result.count) == ("complete", None, 1024)


# A000170: 14-queens has 365596 solutions, 16-queens 14772512; feasibility pruning alone takes
# far longer than the limit for both (seconds compiled at N = 16, minutes interpreted at N = 14).
LONG_SEARCHES = {"numba": (16, 14772512), "python": (14, 365596)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_time_limit_stops_a_long_search(backend):
    n, true_count = LONG_SEARCHES[backend]
    started = time.perf_counter()
    result = solve(Queens(n), QUEENS["feasibility"], "count", backend=backend, time_limit=0.3)
    wall = time.perf_counter() - started
    assert result.status == "limit"
    assert result.stop_reason == "time"
    assert result.count < true_count
    assert result.stats.nodes > 0
    assert result.stats.time_s < 5, "the search ran far past its time limit"
    assert wall < 60  # includes compiling (or loading) the engine


@pytest.mark.parametrize("backend", BACKENDS)
def test_progress_reports_between_slices(backend):
    # progress_every=0: a report after every slice of the engine that does not end the search.
    # The first slice is 1000 nodes, so a node limit above it gives reports whatever the clock.
    n, true_count = LONG_SEARCHES[backend]
    reports = []
    result = solve(
        Queens(n),
        QUEENS["feasibility"],
        "count",
        backend=backend,
        node_limit=20_000,
        on_progress=reports.append,
        progress_every=0,
    )
    assert (result.status, result.stop_reason, result.stats.nodes) == ("limit", "nodes", 20_000)
    assert reports and reports[0].nodes == 1000
    nodes = [r.nodes for r in reports]
    assert nodes == sorted(set(nodes)) and nodes[-1] < result.stats.nodes
    counts = [r.count for r in reports]
    assert counts == sorted(counts) and counts[-1] <= result.count
    assert all(r.value is None and r.elapsed_s >= 0 for r in reports)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"goal": "maximise"}, ValueError),
        ({"backend": "cuda"}, ValueError),
        ({"node_limit": 0}, ValueError),
        ({"solution_limit": -1}, ValueError),
        ({"time_limit": 0}, ValueError),
        ({"strategy": QUEENS["naive"]}, TypeError),  # a strategy for another problem type
    ],
    ids=["goal", "backend", "node-limit", "solution-limit", "time-limit", "problem-type"],
)
def test_bad_arguments_are_rejected(options, error):
    options = {"goal": "count", "strategy": STRATEGIES[COMBOS[0]], **options}
    with pytest.raises(error):
        Search(FREE, options.pop("strategy"), options.pop("goal"), **options)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("limit", [3, 40, 300])
def test_optimize_stopped_early_reports_a_valid_incumbent(one_search, backend, limit):
    csp = build(np.ones((5, 4), bool), {(0, 1): ~np.eye(4, dtype=bool)}, np.arange(20) % 7 - 3)
    result, _ = one_search(csp, PLAIN, "optimize", backend, node_limit=limit)
    assert (result.status, result.stop_reason) == ("limit", "nodes")
    if result.solution is not None:
        assert is_valid(csp, result.solution)
        assert result.value == value_of(csp, result.solution) <= optimum(csp)


def test_solutions_iterates_and_search_refuses_to_iterate_a_count():
    from backtrack import solutions

    search = solutions(FREE, PLAIN, backend="python", solution_limit=3)
    assert [tuple(s) for s in search] == [(0, 0, 0, 0, 0), (0, 0, 0, 0, 1), (0, 0, 0, 0, 2)]
    assert search.result.count == 3
    with pytest.raises(ValueError):
        iter(Search(FREE, PLAIN, "count"))
