"""The loop is resumable: a search cut into slices of one node finds what one long slice finds."""

import pytest
from hypothesis import given

from backtrack import search
from backtrack.compiled import compile_for
from backtrack.solver import GOALS, Search
from problems.nqueens import STRATEGIES as QUEENS_STRATEGIES
from problems.nqueens import Queens

from .random_csp import COMBOS, STRATEGIES, csps


def run_in_slices(problem, strategy, goal, backend, budget):
    """Drive run_slice directly with a fixed budget; return (events, count, stats)."""
    arrays = Search(problem, strategy, goal, backend=backend).arrays
    code = GOALS[goal]
    engine = search.run_slice if backend == "python" else compile_for(strategy, problem, arrays, code)
    events, count = [], 0
    for _ in range(10**5):  # a loop that fails to resume would never end (searches here are < 10^4 nodes)
        event = engine(strategy, problem, arrays, code, budget)
        count += int(arrays.ctl[search.CTL_COUNT])
        arrays.ctl[search.CTL_COUNT] = 0
        if event != search.EV_BUDGET:
            events.append((event, arrays.best.tolist()))
        if event == search.EV_DONE:
            return events, count, arrays.stats.tolist()
    raise AssertionError("the search did not end")


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("combo", [COMBOS[0], COMBOS[-1]], ids=lambda c: c.name)
@given(csp=csps())
def test_one_node_slices_equal_one_slice(combo, backend, csp):
    for goal in ("all", "count", "optimize"):
        whole = run_in_slices(csp, STRATEGIES[combo], goal, backend, 10**9)
        sliced = run_in_slices(csp, STRATEGIES[combo], goal, backend, 1)
        assert sliced == whole


@pytest.mark.parametrize("name", ["forward-checking", "mrv", "bitboard", "symmetry"])
def test_queens_in_slices_of_seven_nodes(name):
    problem = Queens(7, mirror=name == "bitboard")
    whole = run_in_slices(problem, QUEENS_STRATEGIES[name], "count", "numba", 10**9)
    sliced = run_in_slices(problem, QUEENS_STRATEGIES[name], "count", "numba", 7)
    assert sliced == whole and whole[1] == 40  # A000170(7)
