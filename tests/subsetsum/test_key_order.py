"""Parts built in key order (``summary_terms``, backtrack.sorted_parts) and the residue join of
the low-memory mode (backtrack.residue_join): against brute force and against the engine's loop
(the same strategies without ``summary_terms``), on both backends."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrack import Strategy, residue_join
from backtrack.bidirectional import Bidirectional, _join_function, solve_bidirectional
from problems.knapsack import model as knapsack
from problems.subsetsum import model as subsetsum

BACKENDS = ("python", "numba")
KEY_ORDER = subsetsum.STRATEGIES["bidirectional"]
# The same hooks without the declaration: the halves are enumerated by the engine's loop.
LOOP = Strategy(
    "bidirectional-loop",
    subsetsum.SubsetSum,
    is_feasible=subsetsum.fits,
    summarize=subsetsum.half_sum,
    apply=subsetsum.take,
    objective=subsetsum.chosen_sum,
)


def subsets(weights, target, exact=True):
    """Brute force: the 0/1 vectors whose weights sum to the target (or at most it)."""
    found = []
    for choice in itertools.product((0, 1), repeat=len(weights)):
        total = sum(w for w, c in zip(weights, choice, strict=True) if c)
        if total == target or (not exact and total <= target):
            found.append(list(choice))
    return found


instances = st.lists(st.integers(0, 30), min_size=1, max_size=9).flatmap(
    lambda ws: st.tuples(st.just(ws), st.integers(0, sum(ws) + 3))
)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=12)
@given(instance=instances)
def test_key_order_matches_brute_force_and_the_loop(backend, instance):
    weights, target = instance
    problem = subsetsum.make_problem(weights, target)
    expected = subsets(weights, target)
    for low_memory in (False, True):
        options = {"target": target, "backend": backend, "low_memory": low_memory}
        new = solve_bidirectional(problem, KEY_ORDER, "count", **options)
        old = solve_bidirectional(problem, LOOP, "count", **options)
        assert new.count == old.count == len(expected)
        if target <= sum(weights):
            # The bounds cut exactly what `fits` cuts, decision by decision.
            assert new.stats.nodes == old.stats.nodes
            assert new.stats.pruned == old.stats.pruned
        first = solve_bidirectional(problem, KEY_ORDER, "first", **options)
        assert (first.status == "satisfied") == bool(expected)
        assert first.solution is None or first.solution in expected
    listed = list(Bidirectional(problem, KEY_ORDER, "all", target=target, backend=backend))
    assert sorted(listed) == sorted(expected)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=12)
@given(instance=instances)
def test_closest_in_key_order(backend, instance):
    weights, target = instance
    problem = subsetsum.make_problem(weights, target, exact=False)
    best = max(sum(w for w, c in zip(weights, s, strict=True) if c) for s in subsets(weights, target, exact=False))
    new = solve_bidirectional(problem, KEY_ORDER, "optimize", target=target, backend=backend)
    old = solve_bidirectional(problem, LOOP, "optimize", target=target, backend=backend)
    assert new.value == old.value == best
    assert sum(w for w, c in zip(weights, new.solution, strict=True) if c) == best


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=10)
@given(
    items=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 30)), min_size=1, max_size=10),
    fraction=st.floats(0, 1),
)
def test_knapsack_bidirectional_in_key_order(backend, items, fraction):
    profits, weights = [p for p, _ in items], [w for _, w in items]
    capacity = int(fraction * sum(weights))
    best = max(
        sum(p for p, c in zip(profits, choice, strict=True) if c)
        for choice in itertools.product((0, 1), repeat=len(items))
        if sum(w for w, c in zip(weights, choice, strict=True) if c) <= capacity
    )
    instance = knapsack.Instance("t", profits, weights, capacity, None)
    result, chosen = knapsack.solve_instance(instance, "bidirectional", backend=backend)
    assert result.value == best
    assert sum(weights[i] for i in chosen) <= capacity and sum(profits[i] for i in chosen) == best
    # The engine's loop over the same hooks, without the declaration, agrees.
    declared = knapsack.STRATEGIES["bidirectional"]
    loop = Strategy("bidirectional-loop", knapsack.Knapsack, **declared.custom)
    problem = knapsack.prepare(instance, "bidirectional", backend=backend)
    old = solve_bidirectional(problem, loop, "optimize", target=problem.capacity, backend=backend)
    assert old.value == result.value


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=30)
@given(
    keys=st.lists(st.integers(-50, 50), min_size=1, max_size=12),
    terms=st.tuples(st.integers(-20, 20), st.integers(-20, 20), st.integers(-20, 20)),
    n_values=st.integers(2, 3),
    limits=st.tuples(st.integers(-80, 80), st.integers(-80, 80)),
)
def test_merge_step_against_sorting(backend, keys, terms, n_values, limits):
    # One step of the construction equals sorting every (entry, value) sum within the limits.
    step = _join_function("merge_step", backend, False)
    lower, upper = min(limits), max(limits)
    key_terms = np.array(terms[:n_values], dtype=np.int64)
    base = np.sort(np.array(keys, dtype=np.int64))
    size = len(base)
    columns = [np.zeros(n_values * size, np.int64) for _ in range(3)]
    columns[0][:size] = base
    columns[1][:size] = base * 3
    columns[2][:size] = np.arange(size)
    scratch = np.zeros((3, size), np.int64)
    expected = sorted(
        (int(k) + int(key_terms[v]), v, i)
        for i, k in enumerate(base)
        for v in range(n_values)
        if lower <= int(k) + int(key_terms[v]) <= upper
    )
    got = int(step(*columns, size, key_terms, key_terms * 3, 100, upper, lower, scratch))
    assert got == len(expected)
    assert columns[0][:got].tolist() == [k for k, _, _ in expected]
    # Values and codes travel with their keys: value = 3 * key; code = old index + 100 * value.
    assert (columns[1][:got] == 3 * columns[0][:got]).all()
    codes = columns[2][:got]
    keys = columns[0][:got].tolist()
    assert sorted(zip(keys, (codes // 100).tolist(), (codes % 100).tolist(), strict=True)) == expected


def test_residue_join_count_is_exact_past_its_split(monkeypatch):
    # The low-memory count carries into a second word at COUNT_SPLIT (2**62 compiled); a small
    # split exercises the carry on the interpreted backend.
    monkeypatch.setattr(residue_join, "COUNT_SPLIT", 5)
    weights = [0] * 6 + [1, 1, 2, 2, 3]
    expected = len(subsets(weights, 3))
    problem = subsetsum.make_problem(weights, 3)
    result = solve_bidirectional(problem, KEY_ORDER, "count", target=3, backend="python", low_memory=True)
    assert result.count == expected == 64 * 5


def test_counts_past_the_cap_stay_exact_in_key_order(monkeypatch):
    # The exact join returns before its int64 count passes COUNT_CAP and the driver adds the
    # calls' counts as Python ints; with halves built in key order too.
    import backtrack.bidirectional as bidirectional

    monkeypatch.setattr(bidirectional, "COUNT_CAP", 3)
    weights = [0] * 8 + [1, 1, 2, 2]
    problem = subsetsum.make_problem(weights, 2)
    result = solve_bidirectional(problem, KEY_ORDER, "count", target=2, backend="python")
    assert result.count == len(subsets(weights, 2)) == 256 * 3
