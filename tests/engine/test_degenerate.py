"""Degenerate problems (as in Gecode's and pybnb's test suites), through every strategy and both backends."""

import itertools

import numpy as np
import pytest

from .random_csp import STRATEGIES, build, combo_backend_params

GOALS = ("count", "all", "first", "optimize")


def no_pair_allowed(d):
    return np.zeros((d, d), dtype=bool)


DEGENERATE = {
    # Two variables that no pair of values can satisfy: the root is infeasible.
    "infeasible-root": build(np.ones((3, 3), bool), {(0, 1): no_pair_allowed(3)}, np.arange(9)),
    # The infeasibility is only met at the deepest level.
    "infeasible-last-pair": build(np.ones((4, 2), bool), {(2, 3): no_pair_allowed(2)}, np.arange(8)),
    # A variable whose domain is empty.
    "empty-domain": build([[True, True], [False, False], [True, True]], {}, np.arange(6)),
}


@pytest.mark.parametrize("maximize", [True, False], ids=["max", "min"])
@pytest.mark.parametrize("name", sorted(DEGENERATE))
@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
def test_unsatisfiable_problems(search_on, combo, backends, name, maximize):
    search = search_on(backends)
    csp = DEGENERATE[name]._replace(maximize=maximize)
    strategy = STRATEGIES[combo]
    counted, _ = search(csp, strategy, "count")
    assert (counted.status, counted.count, counted.solution) == ("complete", 0, None)
    listed, streamed = search(csp, strategy, "all")
    assert (listed.status, listed.count, streamed) == ("complete", 0, [])
    first, _ = search(csp, strategy, "first")
    assert (first.status, first.solution) == ("unsatisfiable", None)
    best, _ = search(csp, strategy, "optimize")
    assert (best.status, best.value, best.solution) == ("unsatisfiable", None, None)
    assert best.stats.solutions == 0


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
def test_one_variable(search_on, combo, backends):
    search = search_on(backends)
    # Domain {0, 2} of 0..2; the value outside the domain has the largest weight, a trap for optimize.
    csp = build([[True, False, True]], {}, [[5, 9, -1]])
    strategy = STRATEGIES[combo]
    counted, _ = search(csp, strategy, "count")
    assert counted.count == 2
    _, streamed = search(csp, strategy, "all")
    assert sorted(streamed) == [(0,), (2,)]
    first, _ = search(csp, strategy, "first")
    assert first.solution in ([0], [2])
    best, _ = search(csp, strategy, "optimize")
    assert (best.status, best.value, best.solution) == ("optimal", 5, [0])
    worst, _ = search(csp._replace(maximize=False), strategy, "optimize")
    assert (worst.status, worst.value, worst.solution) == ("optimal", -1, [2])
    assert counted.stats.max_depth == 1
    if not combo.propagation and not combo.feasibility:
        assert counted.stats.nodes == 2  # one node per value of the domain


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
def test_every_assignment_is_a_solution(search_on, combo, backends):
    search = search_on(backends)
    domains = np.array([[1, 1, 1], [1, 0, 1], [0, 1, 0], [1, 1, 1]], dtype=bool)
    weights = np.array([[1, -4, 3], [2, 8, -5], [0, 6, -9], [-1, -2, -3]])
    csp = build(domains, {}, weights)
    strategy = STRATEGIES[combo]
    everything = set(itertools.product(*[np.flatnonzero(row).tolist() for row in domains]))
    assert len(everything) == 3 * 2 * 1 * 3
    counted, _ = search(csp, strategy, "count")
    assert counted.count == 18
    # Nothing to prune: every node is on a path to a solution.
    assert sum(counted.stats.pruned.values()) == 0
    assert counted.stats.nodes == 3 + 3 * 2 + 3 * 2 * 1 + 18 or combo.ordering
    _, streamed = search(csp, strategy, "all")
    assert len(streamed) == 18 and set(streamed) == everything
    best, _ = search(csp, strategy, "optimize")
    assert best.value == 3 + 2 + 6 + -1
    assert best.solution == [2, 0, 1, 0]
    worst, _ = search(csp._replace(maximize=False), strategy, "optimize")
    assert worst.value == -4 + -5 + 6 + -3
    assert worst.solution == [1, 2, 1, 2]


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
def test_single_value_domains(search_on, combo, backends):
    search = search_on(backends)
    csp = build(np.ones((5, 1), bool), {}, np.arange(5))
    counted, _ = search(csp, STRATEGIES[combo], "count")
    assert (counted.count, counted.stats.nodes, counted.stats.max_depth) == (1, 5, 5)
    best, _ = search(csp, STRATEGIES[combo], "optimize")
    assert (best.value, best.solution) == (10, [0] * 5)
