"""``prefix``: a search restricted to forced top decisions covers exactly that subproblem.

The subproblems of all values of the first variable(s) must partition the full solution set, as
splitting a tree into independent pieces (README, NOTES: embarrassingly parallel search) needs.
"""

import itertools

import numpy as np
import pytest
from hypothesis import assume, given

from backtrack import solve

from .random_csp import (
    COMBOS,
    STRATEGIES,
    brute_force,
    build,
    combo_backend_params,
    combo_params,
    csps,
    is_valid,
    optimum,
)


def domain_of(csp, var):
    return np.flatnonzero(csp.domains[var]).tolist()


def assert_partition(search, csp, strategy, prefixes):
    expected = brute_force(csp)
    pieces = []
    total = 0
    for prefix in prefixes:
        _, streamed = search(csp, strategy, "all", prefix=prefix)
        counted, _ = search(csp, strategy, "count", prefix=prefix)
        assert counted.count == len(streamed)
        total += counted.count
        for var, value in prefix:
            assert all(s[var] == value for s in streamed), f"prefix {prefix} not respected"
        assert all(is_valid(csp, s) for s in streamed), f"prefix {prefix}: invalid solution"
        pieces.append(set(streamed))
    assert total == len(expected)
    assert set().union(*pieces) == set(expected)
    assert sum(len(p) for p in pieces) == len(expected), "the pieces overlap"


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
@given(csp=csps())
def test_prefixes_of_the_first_variable_partition_the_solutions(search_on, combo, backends, csp):
    search = search_on(backends)
    prefixes = [[(0, value)] for value in domain_of(csp, 0)]
    assert_partition(search, csp, STRATEGIES[combo], prefixes)


@pytest.mark.parametrize("combo", combo_params())
@given(csp=csps())
def test_optimum_is_the_best_optimum_of_the_pieces(one_search, combo, csp):
    pieces = [
        one_search(csp, STRATEGIES[combo], "optimize", "numba", prefix=[(0, value)])[0] for value in domain_of(csp, 0)
    ]
    values = [p.value for p in pieces if p.value is not None]
    best = (max if csp.maximize else min)(values) if values else None
    assert best == optimum(csp)


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
@given(csp=csps())
def test_prefixes_of_two_variables_partition_the_solutions(search_on, combo, backends, csp):
    search = search_on(backends)
    # The second forced decision must be checked against what the first one propagated.
    assume(csp.weights.shape[0] >= 2)
    prefixes = [[(0, a), (1, b)] for a, b in itertools.product(domain_of(csp, 0), domain_of(csp, 1))]
    assert_partition(search, csp, STRATEGIES[combo], prefixes)


def conflicting_pair():
    """x0 = 0 and x1 = 0 may not hold together; everything else is allowed."""
    table = np.ones((2, 2), dtype=bool)
    table[0, 0] = False
    return build(np.ones((2, 2), bool), {(0, 1): table}, np.zeros(4))


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
def test_a_prefix_that_violates_a_constraint_has_no_solution(combo, backends):
    # Fixed in d72d3b7: with forward checking alone, this prefix used to yield the invalid [0, 0].
    for backend in ("python", "numba") if backends == "both" else ("python",):
        result = solve(conflicting_pair(), STRATEGIES[combo], "count", backend=backend, prefix=[(0, 0), (1, 0)])
        assert result.count == 0


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_a_prefix_outside_the_domain_has_no_solution(backend):
    csp = build([[True, False], [True, True]], {}, np.zeros(4))  # x0 can only be 0
    strategy = STRATEGIES[COMBOS[0]]
    try:
        result = solve(csp, strategy, "count", backend=backend, prefix=[(0, 1)])
    except ValueError:
        return  # rejecting such a prefix is fine too
    assert result.count == 0


@pytest.mark.parametrize(
    "prefix",
    [[(0, 0), (0, 1)], [(2, 0)], [(0, 2)], [(-1, 0)], [(0, -1)], [(0, 0), (1, 0), (0, 0)]],
    ids=["same-variable-twice", "no-such-variable", "no-such-value", "negative-variable", "negative-value", "too-long"],
)
def test_malformed_prefixes_are_rejected(prefix):
    csp = build(np.ones((2, 2), bool), {}, np.zeros(4))
    with pytest.raises(ValueError):
        solve(csp, STRATEGIES[COMBOS[0]], "count", prefix=prefix)
