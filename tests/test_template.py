"""The problem template is a working module: its strategies agree with brute force on both backends."""

import itertools

import pytest

import backtrack as bt
from problems._template import STRATEGIES, KSubsets


def brute_count(n, k, m):
    return sum(1 for chosen in itertools.combinations(range(n), k) if sum(chosen) % m == 0)


@pytest.mark.parametrize("backend", ["python", "numba"])
@pytest.mark.parametrize("name", list(STRATEGIES))
@pytest.mark.parametrize(("n", "k", "m"), [(1, 1, 1), (6, 3, 4), (9, 4, 3), (10, 0, 2), (8, 9, 1)])
def test_template_counts_match_brute_force(name, backend, n, k, m):
    result = bt.solve(KSubsets(n, k, m), STRATEGIES[name], "count", backend=backend)
    assert result.count == brute_count(n, k, m)


def test_feasibility_prunes():
    naive = bt.solve(KSubsets(12, 3, 5), STRATEGIES["naive"], "count")
    pruned = bt.solve(KSubsets(12, 3, 5), STRATEGIES["feasibility"], "count")
    assert pruned.count == naive.count and pruned.stats.nodes < naive.stats.nodes
    assert pruned.stats.pruned["feasibility"] > 0
