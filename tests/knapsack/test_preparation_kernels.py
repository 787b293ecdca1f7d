"""The preparation's fast paths against the plain code they replace: the Lagrangian bound by
selecting the break item (numba) against the stable sort, the ratio classes with numpy against
the Python loop, the greedy solution's numba tail against the item-by-item loop, and the
deadline that bounds a preparation."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from problems.knapsack.generate import generate
from problems.knapsack.incumbents import greedy
from problems.knapsack.multiplier import (
    SAMPLE_FROM,
    _choose_lambda,
    _lagrangian_value,
    _lagrangian_value_fast,
    _lagrangian_value_sorted,
    _lambda_range,
    _ternary_search,
)
from problems.knapsack.preparation import prepare_layout
from problems.knapsack.units import _ratio_classes, _ratio_classes_arrays, _ratio_classes_python


@st.composite
def items(draw, low_weight=1, max_items=40):
    """(profits, weights) int64 arrays with few distinct values (ties) or a wide range."""
    n = draw(st.integers(1, max_items))
    top = draw(st.sampled_from([3, 20, 1000, 10**6]))
    profits = draw(st.lists(st.integers(0, top), min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(low_weight, top), min_size=n, max_size=n))
    return np.array(profits, np.int64), np.array(weights, np.int64)


@settings(deadline=None, max_examples=100)
@given(
    case=items(),
    share=st.fractions(0, 1),
    lam=st.integers(-(10**7), 10**6),
    counts=st.tuples(st.integers(0, 50), st.integers(0, 50)),
)
def test_lagrangian_value_by_selection_is_the_sorted_value(case, share, lam, counts):
    profits, weights = case
    capacity = int(Fraction(int(weights.sum())) * share)
    fast = _lagrangian_value_fast(profits, weights, capacity, lam, counts[1] if lam >= 0 else counts[0])
    assert fast is not None  # small values: the exact path applies
    assert fast == _lagrangian_value_sorted(profits, weights, capacity, lam, *counts)
    assert _lagrangian_value(profits, weights, capacity, lam, *counts) == fast


@st.composite
def many_items(draw):
    """(profits, weights, capacity) with enough items for the sampled break (numpy-drawn)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))
    n = draw(st.integers(SAMPLE_FROM, SAMPLE_FROM + 3000))
    top = draw(st.sampled_from([5, 1000, 10**5]))
    similar = draw(st.booleans())  # Pisinger's class 9: weights in [100 top, 100 top + top / 10]
    weights = rng.integers(100 * top, 100 * top + top // 10 + 1, n) if similar else rng.integers(1, top + 1, n)
    profits = weights + top // 10 if draw(st.booleans()) else rng.integers(0, top + 1, n)
    if draw(st.booleans()):  # in ratio order, as the preparation hands them over
        order = np.argsort(-(profits / weights), kind="stable")
        profits, weights = profits[order], weights[order]
    total = int(weights.sum())
    capacity = draw(st.sampled_from([0, int(weights.max()), total // 3, total - 1, total + 1]))
    return profits.astype(np.int64), weights.astype(np.int64), capacity


@settings(deadline=None, max_examples=15)
@given(case=many_items(), lam=st.integers(-(10**8), 10**5), counts=st.tuples(st.integers(0, 99), st.integers(0, 99)))
def test_sampled_break_and_compiled_search_are_the_sorted_ones(case, lam, counts):
    profits, weights, capacity = case
    assert _lagrangian_value(profits, weights, capacity, lam, *counts) == _lagrangian_value_sorted(
        profits, weights, capacity, lam, *counts
    )
    lo, hi = _lambda_range(profits.tolist(), weights.tolist(), capacity)
    expected = _ternary_search(lambda lam: _lagrangian_value_sorted(profits, weights, capacity, lam, *counts), lo, hi)
    assert _choose_lambda(profits, weights, capacity, *counts) == expected


def test_lagrangian_value_falls_back_beyond_exact_floats():
    profits = np.array([1 << 52, 3, 1 << 40], np.int64)
    weights = np.array([5, 1, 7], np.int64)
    assert _lagrangian_value_fast(profits, weights, 6, -3, 1) is None
    assert _lagrangian_value(profits, weights, 6, -3, 1, 2) == _lagrangian_value_sorted(profits, weights, 6, -3, 1, 2)


@st.composite
def ratio_sorted(draw):
    """Items mostly in decreasing ratio order, many of them multiples of one ratio (classes)."""
    profits, weights = draw(items(max_items=30))
    if draw(st.booleans()):
        order = np.argsort(-(profits / weights), kind="stable")
        times = np.array(draw(st.lists(st.integers(1, 4), min_size=len(profits), max_size=len(profits))))
        profits, weights = profits[order] * times, weights[order] * times
    return profits, weights


@settings(deadline=None, max_examples=100)
@given(case=ratio_sorted())
def test_ratio_classes_with_numpy_are_the_python_loop(case):
    profits, weights = case
    fast, plain = _ratio_classes_arrays(profits, weights), _ratio_classes_python(profits, weights)
    for a, b in zip(fast, plain, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert all(np.array_equal(a, b) for a, b in zip(_ratio_classes(profits, weights, True), plain, strict=True))


@settings(deadline=None, max_examples=40)
@given(case=items(max_items=120), share=st.fractions(0, 1))
def test_greedy_fast_path_is_the_item_by_item_loop(case, share):
    profits, weights = case
    capacity = int(Fraction(int(weights.sum())) * share)
    order = list(range(len(profits)))[::-1]
    room, value, chosen = capacity, 0, set()
    for j in order:
        if weights[j] <= room:
            room -= int(weights[j])
            value += int(profits[j])
            chosen.add(j)
    got = greedy(profits.tolist(), weights.tolist(), order, capacity)
    assert got == (value, chosen) and type(got[0]) is int
    assert greedy(profits, weights, order, capacity) == got


def test_an_expired_time_limit_still_gives_a_sound_value():
    instance = generate(9, 3000, 10_000, 1, 2, 3)
    full = prepare_layout(instance, "combo", time_limit=None)
    spent = prepare_layout(instance, "combo", time_limit=0.0)  # every step with a deadline skipped
    assert spent.core_nodes == 0 and spent.lam == 0
    for problem in (full, spent):
        start = [int(problem.item[v]) for v in np.flatnonzero(problem.start_choice)] + problem.fixed_in.tolist()
        assert sum(instance.weights[j] for j in start) <= instance.capacity
        assert sum(instance.profits[j] for j in start) == problem.start_value
    assert spent.start_value <= full.start_value
