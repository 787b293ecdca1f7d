"""0/1 knapsack: every strategy against brute force on both backends, Pisinger's optima, the
parsers, the generator and the command line."""

import functools
import io
import itertools
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from backtrack.cli import main
from problems.knapsack import model
from problems.knapsack.generate import CLASSES, KINDS, generate, generate_series
from problems.knapsack.io import ParseError, format_pisinger, format_plain, parse, read_instances
from problems.knapsack.model import STRATEGIES, Instance, prepare, solve_instance

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "knapsack"
SHARED = ROOT.parent / "shared" / "data" / "knapsack" / "pisinger-hard"  # ../shared, beside the project
ALL_STRATEGIES = list(STRATEGIES)
# The two brute-force properties compile each strategy (about 15 s of CPU on a cold cache): CI
# compiles all but the three simplest, whose hooks the others extend; -m slow runs every one.
SIMPLEST = ("naive", "feasibility", "martello-toth")
STRATEGY_PARAMS = [pytest.param(s, marks=pytest.mark.slow) if s in SIMPLEST else s for s in ALL_STRATEGIES]
NO_TARGET = -(1 << 60)  # an incumbent worth less than anything: no bound fixes an item against it


def shortcuts_off(patch, lagrange=True, start=True):
    """Switch off preparation's shortcuts, so that small instances reach the search whole: no
    root reduction fixes an item (the Lagrangian multiplier is still chosen, unless ``lagrange``
    is false: then lam stays 0). Unless ``start``, the search also starts from the empty
    solution instead of the greedy one improved by local search (often optimal on small
    instances: a search that cuts too much would still return it). Bounds, memo and core searches
    stay as they are."""
    if not start:
        patch.setattr(model, "greedy", lambda profits, weights, order, capacity: (0, set()))
        patch.setattr(model, "_improve", lambda p, w, order, capacity, value, chosen, rounds=200: (value, chosen))
        patch.setattr(model, "_few_counts_start", lambda p, w, order, capacity, value, chosen: (value, chosen))
    real = model._lagrangian_reduce
    patch.setattr(model, "_reduce", lambda p, w, order, capacity, value, chosen, rounded=False: (list(order), []))
    patch.setattr(
        model,
        "_lagrangian_reduce",
        lambda p, w, order, capacity, target, chosen, rounds=4: real(p, w, order, capacity, NO_TARGET, chosen, rounds),
    )
    if not lagrange:
        patch.setattr(model, "_lagrange_safe", lambda instance: False)


class Reached:
    """Counts the examples of a property that reached what it checks; ``check()`` asserts that
    most did (a property whose examples stop before the search passes whatever the code does)."""

    def __init__(self, share=0.7):
        self.share = share
        self.tried = self.reached = 0

    def __call__(self, reached):
        self.tried += 1
        self.reached += bool(reached)
        event("reached the search" if reached else "closed before the search")

    def check(self):
        assert self.tried and self.reached >= self.share * self.tried, f"{self.reached} of {self.tried} reached"


def brute_force(instance):
    best = 0
    n = len(instance.profits)
    for mask in range(1 << n):
        weight = profit = 0
        for j in range(n):
            if mask >> j & 1:
                weight += instance.weights[j]
                profit += instance.profits[j]
        if weight <= instance.capacity and profit > best:
            best = profit
    return best


def check_solution(instance, result, chosen):
    """The returned items exist, are distinct, fit, and are worth the reported value."""
    assert chosen is not None
    assert len(set(chosen)) == len(chosen)
    assert all(0 <= j < len(instance.profits) for j in chosen)
    assert sum(instance.weights[j] for j in chosen) <= instance.capacity
    assert sum(instance.profits[j] for j in chosen) == result.value


@st.composite
def instances(draw, max_items=9, min_items=0):
    """Small instances of five styles; with ``min_items`` >= 2 every item weighs something and
    fits alone, and the capacity never holds them all, so that something is left to decide."""
    n = draw(st.integers(min_items, max_items))
    style = draw(st.sampled_from(["random", "strong", "inverse", "similar", "equal"]))
    weights = draw(st.lists(st.integers(0 if min_items < 2 else 1, 40), min_size=n, max_size=n))
    if style == "similar":  # w = 100 + small (Pisinger's class 9): few counts of items fit
        weights = [100 + w % 8 for w in weights]
        profits = draw(st.lists(st.integers(1, 40), min_size=n, max_size=n))
        k = draw(st.integers(0, n))  # or room for k items, and only for some sets of k
        capacity = draw(st.one_of(st.integers(0, max(1, sum(weights))), st.integers(100 * k, 107 * k)))
        if min_items >= 2:
            capacity = min(max(capacity, max(weights)), sum(weights) - 1)
        return Instance("h", profits, weights, capacity)
    if style == "inverse":  # w = p + k (Pisinger's class 4): the plain bound joins the Lagrangian one
        k = draw(st.integers(1, 10))
        profits = [max(w - k, 1) for w in weights]
        weights = [p + k for p in profits]
    elif style == "random":
        profits = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    elif style == "strong":  # p = w + k: many ties of (profit - weight), where dominance matters
        k = draw(st.integers(0, 10))
        profits = [w + k for w in weights]
    else:
        profits = list(weights)
    if min_items >= 2:
        capacity = draw(st.integers(max(weights), sum(weights) - 1))
    else:
        capacity = draw(st.integers(0, max(1, sum(weights))))
    return Instance("h", profits, weights, capacity)


@pytest.mark.parametrize("strategy", STRATEGY_PARAMS)
@settings(deadline=None, max_examples=40)
@given(instance=instances())
def test_strategies_match_brute_force_on_both_backends(strategy, instance):
    # The whole solve, preparation included: most of these small instances are closed by it.
    check_on_both_backends(instance, strategy)


@pytest.mark.parametrize("strategy", STRATEGY_PARAMS)
def test_strategies_search_whole_instances_like_brute_force(strategy):
    # Preparation's shortcuts off: every item reaches the search, so the hooks are what is checked.
    reached = Reached()

    @settings(deadline=None, max_examples=40)
    @given(instance=instances(min_items=2))
    def check(instance):
        reached(check_on_both_backends(instance, strategy, shortcuts=True)[1])

    check()
    reached.check()


def check_combo_with(instance, shortcuts=True, **constants):
    """``combo`` with some of the model's constants changed (see :func:`check_on_both_backends`)."""
    return check_on_both_backends(instance, "combo", shortcuts=shortcuts, **constants)


def check_on_both_backends(instance, strategy, shortcuts=False, **constants):
    """``strategy``, with some of the model's constants changed (and with ``shortcuts``, those
    of :func:`shortcuts_off`): optimal, equal to brute force, the same search on both backends.
    Returns the compiled search's result and whether the search had at least two real items to
    decide (see :func:`reached_search`)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in constants.items():
            patch.setattr(model, name, value)
        if shortcuts:
            shortcuts_off(patch, start=False)
        expected = brute_force(instance)
        compiled, chosen = solve_instance(instance, strategy, backend="numba")
        interpreted, chosen_py = solve_instance(instance, strategy, backend="python")
        searched = prepare(instance, strategy, backend="python").item
    for result, items in ((compiled, chosen), (interpreted, chosen_py)):
        assert result.status == "optimal"
        assert result.value == expected
        check_solution(instance, result, items)
    assert compiled.stats.nodes == interpreted.stats.nodes
    assert compiled.stats.pruned == interpreted.stats.pruned
    assert chosen == chosen_py
    return compiled, reached_search(searched, compiled)


def reached_search(items, result):
    """Preparation left at least two items (not its padding item) and the engine decided or cut."""
    return len(items) >= 2 and items[0] >= 0 and result.stats.nodes + sum(result.stats.pruned.values()) > 0


def test_combo_core_search_matches_brute_force():
    # Core searches only run on windows smaller than the whole problem: shrink them so that the
    # small instances here go through them (hinted incumbents, repeated reductions).
    reached = Reached()

    @settings(deadline=None, max_examples=100)
    @given(instance=instances(max_items=12, min_items=4))
    def check(instance):
        with pytest.MonkeyPatch.context() as patch:
            shortcuts_off(patch, start=False)
            patch.setattr(model, "CORE_HALVES", (1, 2, 3, 4))
            patch.setattr(model, "CORE_NODES", 50)
            core_nodes = prepare(instance, "combo", backend="python").core_nodes
        reached(core_nodes > 0 and check_combo_with(instance, CORE_HALVES=(1, 2, 3, 4), CORE_NODES=50)[1])

    check()
    reached.check()


@pytest.mark.parametrize("window", [1 << 20, 40])
def test_combo_memo_windows_match_brute_force(window):
    # One state per depth in the Pareto lists, so that the states beyond them go to the weight
    # windows: whole (1 << 20) or capped (40 weights over all depths: states lighter than a window
    # recorded at its bottom, heavier ones not recorded).
    reached = Reached()

    @settings(deadline=None, max_examples=60)
    @given(instance=instances(max_items=12, min_items=4))
    def check(instance):
        reached(check_combo_with(instance, PARETO_ENTRIES=1, MEMO_ENTRIES=window)[1])

    check()
    reached.check()


def _nodes_by_depth(problem):
    """(depth, weight, bound) of every node of ``problem`` (a combo problem value) that fits:
    items left of the decided interval in, any subset of the decided items."""
    profit, weight = problem.profit, problem.weight
    for depth in range(len(problem.lo_at)):
        lo, hi = int(problem.lo_at[depth]), int(problem.hi_at[depth])
        for size in range(hi - lo + 1):
            for taken in itertools.combinations(range(lo, hi), size):
                state = np.zeros(model.STATE_WIDTH, np.int64)
                state[model.PROFIT] = problem.base_profit + problem.prefix_profit[lo] + profit[list(taken)].sum()
                state[model.WEIGHT] = problem.prefix_weight[lo] + weight[list(taken)].sum()
                state[model.COUNT] = lo + size
                state[model.DEPTH] = depth
                if state[model.WEIGHT] - problem.prefix_weight[lo] <= problem.capacity:
                    yield depth, int(state[model.WEIGHT]), model.lagrangian_bound(problem, state, None, None)


@pytest.mark.parametrize("grid", [model.LIVE_GRID, 8])
def test_live_weights_hold_every_node_the_bound_keeps(grid):
    # A node outside its depth's live weights is cut by bound against the first incumbent. With
    # the real grid (256 weights per depth) the small instances here have grid steps of about one
    # weight; with 8 weights per depth a step spans many node weights, and the live nodes between
    # the last grid point above the threshold and the next one are held only by the widening of
    # the interval by one grid step each side.
    reached = Reached()

    @settings(deadline=None, max_examples=120)
    @given(instance=instances(max_items=10, min_items=2), slack=st.integers(0, 60))
    def check(instance, slack):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(model, "LIVE_GRID", grid)
            reached(_check_live_weights(instance, slack))

    check()
    reached.check()


def test_live_windows_cut_what_windows_over_every_weight_cut():
    # End to end: with 8 grid weights per depth and one Pareto state per depth (the windows take
    # the states), the search with the live windows is the search with windows over every weight
    # (the oracle: a memo that misses no state), node for node, as long as every node the search
    # keeps is inside its depth's window; both prove the DP optimum. Shortcuts off: searches of
    # thousands of nodes on n = 40.
    real = model._live_weights

    def every_weight(prefix_weight, *args):
        low, high = real(prefix_weight, *args)
        return np.zeros_like(low), np.full_like(high, int(prefix_weight[-1]))

    cut = 0
    for kind, seed in itertools.product(sorted(KINDS), range(3)):  # every class and hard type
        instance = generate(kind, 40, 100, seed=seed)
        outcomes = []
        for windows in (real, every_weight):
            with pytest.MonkeyPatch.context() as patch:
                shortcuts_off(patch, start=False)
                patch.setattr(model, "LIVE_GRID", 8)
                patch.setattr(model, "PARETO_ENTRIES", 1)
                patch.setattr(model, "_live_weights", windows)
                result, chosen = solve_instance(instance)
            assert result.status == "optimal" and result.value == dp_optimum(instance), instance.name
            check_solution(instance, result, chosen)
            outcomes.append((result.stats.nodes, result.stats.pruned))
        assert outcomes[0] == outcomes[1], (instance.name, outcomes)
        cut += outcomes[0][1]["dominance"] > 0
    assert cut >= 5  # the windows cut in some of the searches (7 of 39 when written)


def _check_live_weights(instance, slack):
    """Check every node the bound keeps against an incumbent ``slack`` below the first one (the
    first is often optimal on small instances: then the bound keeps no node); return how many."""
    with pytest.MonkeyPatch.context() as patch:
        shortcuts_off(patch)
        problem = prepare(instance, "combo", core_search=False)
    incumbent = problem.start_value - slack
    threshold = incumbent - problem.base_profit - problem.lam * problem.lam_count
    low, high = model._live_weights(
        problem.prefix_weight,
        problem.prefix_reduced,
        problem.positive,
        problem.lo_at,
        problem.hi_at,
        problem.capacity,
        threshold,
    )
    kept = [(depth, weight) for depth, weight, bound in _nodes_by_depth(problem) if bound > incumbent]
    for depth, weight in kept:
        assert low[depth] <= weight <= high[depth], (depth, weight, low[depth], high[depth])
    return len(kept)


@pytest.mark.parametrize("kind", [2, 3])
def test_memo_takes_32_bits_only_when_every_state_fits(kind):
    # The same instance with profits scaled by 2^24: the same optimal choice, the memo in 64 bits.
    instance = generate(kind, 60, 1000, seed=3)
    scaled = Instance("scaled", [p << 24 for p in instance.profits], instance.weights, instance.capacity)
    small, large = prepare(instance, "combo"), prepare(scaled, "combo")
    assert small.memo_best.dtype == np.int32 and small.memo_lists.dtype == np.int32
    assert large.memo_best.dtype == np.int64 and large.memo_lists.dtype == np.int64
    result, chosen = solve_instance(instance)
    result_scaled, chosen_scaled = solve_instance(scaled)
    assert result.value == dp_optimum(instance) and result_scaled.value == result.value << 24
    check_solution(scaled, result_scaled, chosen_scaled)


def test_memo_windows_are_the_live_weights_or_centred_caps():
    low, high = np.array([10, 5, 7, 0]), np.array([10, 12, 30, 29])
    length, start = model._memo_windows(low, high)
    assert length.tolist() == [1, 8, 24, 30] and start.tolist() == low.tolist()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "MEMO_ENTRIES", 40)
        length, start = model._memo_windows(low, high)
    assert length.sum() <= 40 and length.tolist() == [1, 8, 15, 15]
    assert start.tolist() == [10, 5, 11, 7]  # centred on the live weights


@settings(deadline=None, max_examples=60)
@given(instance=instances(max_items=10, min_items=2))
def test_bound_cache_holds_the_bounds_of_the_children_last_ordered(instance):
    with pytest.MonkeyPatch.context() as patch:
        shortcuts_off(patch)
        problem = prepare(instance, "combo", core_search=False)
    assert problem.item[0] >= 0  # a real item, not the padding one
    state = problem.space().state
    var = int(problem.branch[0])
    order = np.zeros(2, np.int64)
    model.better_lagrangian_first(problem, state, None, None, var, order)
    lo, hi = problem.lo_at[1], problem.hi_at[1]
    for value in (0, 1):
        profit, weight, count = model.child_totals(problem, state, var, value)
        expected = model.lagrangian_interval_bound(problem, profit, weight, count, lo, hi)
        assert model.cached_bound(problem, 1, profit, weight, count) == expected
        assert model.cached_bound(problem, 1, profit, weight, count + 2) == model.UNCACHED  # no child has it
        assert model.cached_bound(problem, 0, profit, weight, count) == model.UNCACHED  # a root has no parent


@pytest.mark.parametrize("pareto_entries", [model.PARETO_ENTRIES, 1])
def test_problem_value_can_be_solved_twice(pareto_entries):
    # The dominance memo (lists, and windows taken when a list fills) and the scratch array (best
    # value, bound cache) are written by hooks: space() must clear them.
    from backtrack import solve

    instance = generate(3, 40, 100, seed=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "PARETO_ENTRIES", pareto_entries)
        problem = prepare(instance, "combo")
    first = solve(problem, STRATEGIES["combo"], "optimize")
    second = solve(problem, STRATEGIES["combo"], "optimize", backend="python")
    assert first.value == second.value
    assert first.stats.nodes == second.stats.nodes
    assert first.stats.pruned == second.stats.pruned


def _known_instances(paths):
    for path in paths:
        for instance in read_instances(path):
            yield pytest.param(instance, id=instance.name)


@pytest.mark.parametrize("instance", list(_known_instances(sorted(DATA.glob("knapPI_*.csv")))))
def test_default_strategy_finds_pisinger_optimum(instance):
    result, chosen = solve_instance(instance)
    assert result.status == "optimal"
    assert result.value == instance.known_optimum
    check_solution(instance, result, chosen)


@pytest.mark.parametrize("strategy", ["dantzig", "martello-toth", "reduction", "core"])
def test_bounding_strategies_find_pisinger_optimum(strategy):
    for path in sorted(DATA.glob("knapPI_*_20_1000.csv")) + sorted(DATA.glob("knapPI_1[1-2]_50_1000.csv")):
        for instance in read_instances(path):
            result, chosen = solve_instance(instance, strategy)
            assert result.status == "optimal", instance.name
            assert result.value == instance.known_optimum, instance.name
            check_solution(instance, result, chosen)


def _shared(n, first):
    """The first instances of each type from ../shared (a skipped case when it is absent), as
    (file, index) pairs: the files are parsed by the test that runs, not at collection."""
    if not SHARED.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{SHARED} absent"), id="shared-absent")]
    params = []
    for kind in range(11, 17):
        path = SHARED / f"knapPI_{kind}_{n}_1000.csv"
        if path.exists():
            params += [pytest.param(path, index, id=f"{path.stem}-{index}") for index in range(first)]
    return params


# A node limit, not a time limit: the same on every machine, and compiling (which a time limit
# would include) cannot use it up. The hardest of these needs 0.23 M nodes.
SHARED_NODE_LIMIT = 10**7


@functools.cache
def _shared_instances(path):
    return read_instances(path)


@pytest.mark.parametrize(("path", "index"), _shared(200, 3))
def test_shared_pisinger_n200(path, index):
    instance = _shared_instances(path)[index]
    result, chosen = solve_instance(instance, node_limit=SHARED_NODE_LIMIT)
    assert result.status == "optimal" and result.value == instance.known_optimum
    check_solution(instance, result, chosen)


@pytest.mark.slow
@pytest.mark.parametrize(("path", "index"), _shared(1000, 10))
def test_shared_pisinger_n1000(path, index):
    instance = _shared_instances(path)[index]
    result, chosen = solve_instance(instance, node_limit=SHARED_NODE_LIMIT)
    assert result.status == "optimal" and result.value == instance.known_optimum
    check_solution(instance, result, chosen)


def root_gap(instance):
    """Independent of the model: the Dantzig (LP) bound of the whole instance, rounded down, minus
    its proven optimum (exact: items in decreasing ratio order by fractions)."""
    items = sorted(
        ((p, w) for p, w in zip(instance.profits, instance.weights, strict=True) if 0 < w <= instance.capacity),
        key=lambda item: Fraction(-item[0], item[1]),
    )
    room = instance.capacity
    bound = sum(p for p, w in zip(instance.profits, instance.weights, strict=True) if w == 0)
    for p, w in items:
        if w > room:
            bound += room * p // w
            break
        room -= w
        bound += p
    return bound - instance.known_optimum


def ci_sample(instances, size=2):
    """Indices of the n = 1000 instances of one file that tests/data holds for CI: the ``size``
    with the smallest positive root gap (:func:`root_gap`; ties by position) among those that
    preparation leaves at least two items to search. A reduction that fixes one item too many
    (a bound term dropped, a test off by one) gives a wrong optimum where the root bound is
    within a few units of it; an instance the preparation closes tests none of that. When the
    preparation closes every instance (type 15), the smallest positive gaps of all."""
    gaps = [root_gap(instance) for instance in instances]
    kept = [i for i, instance in enumerate(instances) if gaps[i] > 0 and len(prepare(instance).item) >= 2]
    kept = kept or [i for i in range(len(instances)) if gaps[i] > 0] or list(range(len(instances)))
    return sorted(sorted(kept, key=lambda i: (gaps[i], i))[:size])


@pytest.mark.slow
@pytest.mark.parametrize("kind", range(11, 17))
def test_ci_sample_of_n1000_files_follows_its_rule(kind):
    # tests/data's n = 1000 files are ci_sample's choice from the full files of ../shared, copied
    # unchanged; rerun the rule (and recopy) when preparation changes which instances it closes.
    path = SHARED / f"knapPI_{kind}_1000_1000.csv"
    if not path.exists():
        pytest.skip(f"{path} absent")
    full = _shared_instances(path)
    chosen = [full[i] for i in ci_sample(full)]
    assert read_instances(DATA / path.name) == chosen


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_generated_classes_solve_to_the_dp_optimum(kind):
    # n = 60 instances of every class: the default strategy proves the dynamic program's optimum.
    instance = generate(kind, 60, 1000, seed=7)
    default, chosen = solve_instance(instance)
    assert default.status == "optimal"
    assert default.value == dp_optimum(instance)
    check_solution(instance, default, chosen)


def dp_optimum(instance):
    """Independent oracle: the textbook dynamic program over capacities."""
    best = np.zeros(instance.capacity + 1, np.int64)
    for p, w in zip(instance.profits, instance.weights, strict=True):
        if w <= instance.capacity:
            best[w:] = np.maximum(best[w:], best[: len(best) - w] + p)
    return int(best[-1])


@pytest.mark.parametrize("seed", range(4))
def test_inverse_correlated_instances_use_both_bounds_and_match_the_dp(seed):
    # Class 4 (w = p + R/10): with lam = -R/10 every reduced ratio is 1, the items are in plain
    # ratio order too, and the bound is the smaller of the Lagrangian and plain LP bounds.
    instance = generate(4, 150, 1000, seed=seed, index=1, series=2)
    problem = prepare(instance, "combo", core_search=False)
    assert problem.lam != 0 and model.plain_bound_applies(problem)
    assert model.search_strategy(problem, "combo") is model.COMBO_BOTH_BOUNDS
    for backend in ("numba", "python"):
        result, chosen = solve_instance(instance, backend=backend)
        assert result.status == "optimal" and result.value == dp_optimum(instance)
        check_solution(instance, result, chosen)


@settings(deadline=None, max_examples=100)
@given(instance=instances(max_items=10))
def test_few_counts_start_is_feasible_and_never_worse(instance):
    order = model.ratio_order(instance.profits, instance.weights, [j for j, w in enumerate(instance.weights) if w > 0])
    order = [j for j in order if instance.weights[j] <= instance.capacity]
    value, chosen = model.greedy(instance.profits, instance.weights, order, instance.capacity)
    better, start = model._few_counts_start(instance.profits, instance.weights, order, instance.capacity, value, chosen)
    assert better >= value
    assert sum(instance.weights[j] for j in start) <= instance.capacity
    assert sum(instance.profits[j] for j in start) == better <= brute_force(instance)


def test_few_counts_start_finds_the_count_greedy_misses():
    # Class 9, n = 1000, instance 2: the greedy solution (improved by exchanges) has fewer items
    # than any better solution; the start with the right count is worth more.
    instance = generate_series(9, 1000, 10000, 1, 3)[1]
    p, w, c = instance.profits, instance.weights, instance.capacity
    order = model.ratio_order(p, w, range(len(p)))
    value, chosen = model._improve(p, w, order, c, *model.greedy(p, w, order, c))
    better, start = model._few_counts_start(p, w, order, c, value, chosen)
    assert better > value and sum(w[j] for j in start) <= c and sum(p[j] for j in start) == better
    assert len(start) != len(chosen)


def two_constraint_lp(profits, weights, capacity, min_count, max_count):
    """Independent oracle: the LP bound with both the capacity and the count constraints, as the
    minimum over the capacity's multiplier nu >= 0 of nu c plus the best sum of between
    min_count and max_count of the values p - nu w (floating point, ternary search)."""
    p, w = np.array(profits, float), np.array(weights, float)

    def dual(nu):
        top = np.cumsum(np.sort(p - nu * w)[::-1])
        sums = [0.0] + list(top)
        return nu * capacity + max(sums[min_count : max_count + 1])

    lo, hi = 0.0, float(max(profits)) + 1.0
    for _ in range(200):
        m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, m2) if dual(m1) <= dual(m2) else (m1, hi)
    return dual(lo)


@st.composite
def similar_weights(draw):
    """Pisinger's class 9 in small: w = 100 R + U[0, R / 10), p = U[1, R]."""
    n = draw(st.integers(2, 30))
    r = draw(st.sampled_from([100, 1000, 10000]))
    weights = draw(st.lists(st.integers(100 * r, 100 * r + r // 10 - 1), min_size=n, max_size=n))
    profits = draw(st.lists(st.integers(1, r), min_size=n, max_size=n))
    k = draw(st.integers(1, n))  # the capacity holds k items, and only some sets of k
    capacity = max(max(weights), 100 * r * k + draw(st.integers(0, k * (r // 10))))
    fit = int(np.searchsorted(np.cumsum(sorted(weights)), capacity, side="right"))
    # As prepare's counts: at most the lightest items that fit, at least low (often as many:
    # then the count is fixed and the count constraint binds).
    low = draw(st.one_of(st.just(fit), st.integers(0, fit)))
    return profits, weights, capacity, low, fit


@settings(deadline=None, max_examples=200)
@given(case=similar_weights())
def test_chosen_lambda_reaches_the_two_constraint_lp_bound(case):
    # With similar weights the count's multiplier is about -(max w) times the capacity's, far
    # below -max p. The Lagrangian bound L is convex in lam and its minimum over the reals is the
    # LP bound with both constraints (never above L: weak duality). The chosen integer lam is a
    # local, hence global, integer minimum (0 is kept within 0.5 of it); the real minimum is
    # within one unit of it, where L falls by at most its larger rise to a neighbour.
    profits, weights, capacity, min_count, max_count = case
    p, w = np.array(profits, np.int64), np.array(weights, np.int64)

    def bound(lam):
        return model._lagrangian_value(p, w, capacity, lam, min_count, max_count)

    lam = model._choose_lambda(p, w, capacity, min_count, max_count)
    rise = max(bound(lam - 1), bound(lam + 1)) - bound(lam)
    eps = 1e-9 * abs(bound(lam)) + 1e-9
    kept = 0.5 if lam == 0 else 0.0
    assert rise >= -kept - eps
    optimum = two_constraint_lp(profits, weights, capacity, min_count, max_count)
    assert optimum - 1e3 * eps <= bound(lam) <= optimum + rise + kept + 1e3 * eps


def similar_weights_optimum(instance, base):
    """Independent oracle for weights in [base, base + spread): the best profit for each count k
    and excess s = weight - k base (a dynamic program), the best over k base + s <= capacity."""
    n = len(instance.weights)
    excess = [w - base for w in instance.weights]
    assert min(excess, default=0) >= 0
    top = sum(excess)
    best = np.full((n + 1, top + 1), -1, np.int64)
    best[0, 0] = 0
    for p, e in zip(instance.profits, excess, strict=True):
        taken = np.full_like(best, -1)
        taken[1:, e:] = np.where(best[:-1, : top + 1 - e] >= 0, best[:-1, : top + 1 - e] + p, -1)
        best = np.maximum(best, taken)
    return max(int(best[k, s]) for k in range(n + 1) for s in range(top + 1) if k * base + s <= instance.capacity)


@pytest.mark.parametrize("index", [1, 2, 3])
def test_similar_weights_match_the_count_and_excess_dp(index):
    instance = generate(9, 60, 1000, seed=5, index=index, series=3)
    for backend in ("numba", "python"):
        result, chosen = solve_instance(instance, backend=backend)
        assert result.status == "optimal" and result.value == similar_weights_optimum(instance, 100 * 1000)
        check_solution(instance, result, chosen)


@pytest.mark.parametrize("index", [1, 3])
def test_similar_weights_take_a_count_multiplier_far_below_max_profit(index):
    # Pisinger's class 9 (w = 100 R + U[0, R / 10)): the count's multiplier is about -max w
    # times the capacity's, far out of [-max p, max p] (instance 2 is closed before any lam).
    instance = generate(9, 60, 1000, seed=5, index=index, series=3)
    problem = prepare(instance, "combo", core_search=False)
    assert problem.lam < -max(instance.profits)


def test_lambda_range_stays_inside_int64():
    low, high = model._lambda_range([1000] * 3, [10**6] * 3, 2 * 10**6)
    assert low == -1000 * (10**6 + 1) and high == 1000  # every order of the items is reached
    profits, weights = [1 << 10] * 3, [1 << 40] * 3
    low, high = model._lambda_range(profits, weights, 1 << 41)  # cut by int64
    assert -(1 << 10) * (1 << 40) < low < -(1 << 10)
    assert 8 * (3 << 40) * ((1 << 10) - low) < model.SAFE_LIMIT <= 8 * (3 << 40) * ((1 << 10) - low + 1)
    assert model._lambda_range([1 << 58] * 3, [1 << 58] * 3, 1 << 59) == (0, 0)


def test_ratio_order_check():
    # plain_bound_applies needs it: the plain LP bound is only a bound over a ratio order.
    assert model._in_ratio_order(np.array([6, 4, 1]), np.array([3, 4, 5]))
    assert not model._in_ratio_order(np.array([4, 6]), np.array([4, 3]))
    assert model._in_ratio_order(np.array([2, 4]), np.array([1, 2]))  # equal ratios
    big = np.array([2**62, 2**62 - 1])  # products beyond int64: compared exactly
    assert not model._in_ratio_order(big[::-1].copy(), big)


@settings(deadline=None, max_examples=200)
@given(
    steps=st.lists(st.integers(0, 5), min_size=1, max_size=40),
    start=st.integers(0, 40),
    stop=st.integers(0, 40),
    limit=st.integers(0, 120),
)
def test_galloping_searches_find_the_last_prefix_within(steps, start, stop, limit):
    prefix = np.cumsum([0, *steps]).astype(np.int64)
    last = len(prefix) - 1
    start, stop = sorted((min(start, last), min(stop, last)))
    limit += int(prefix[start])  # prefix[start] <= limit, as both assume
    expected = max(k for k in range(start, stop + 1) if prefix[k] <= limit)
    assert model.last_within(prefix, start, stop, limit) == expected
    assert model.last_within_from_stop(prefix, start, stop, limit) == expected


# ---------------------------------------------------------------- preprocessing and limits


def test_zero_weight_and_oversized_items_and_padding():
    instance = Instance("z", [5, 7, 9], [0, 50, 3], 2)
    result, chosen = solve_instance(instance)
    assert result.value == 5 and chosen == [0]
    empty = Instance("e", [], [], 10)
    result, chosen = solve_instance(empty)
    assert result.value == 0 and chosen == []


def test_overflowing_totals_are_refused():
    big = 1 << 40
    instance = Instance("big", [big, big], [big, big], big)
    with pytest.raises(ValueError, match="too large"):
        prepare(instance)


def test_node_limit_returns_best_so_far():
    instance = generate(3, 200, 10000, seed=1)
    result, chosen = solve_instance(instance, "dantzig", node_limit=2000)
    assert result.status == "limit" and result.stop_reason == "nodes"
    check_solution(instance, result, chosen)


# ---------------------------------------------------------------- parsers and generator


def test_plain_and_pisinger_round_trip():
    instance = generate(5, 30, 1000, seed=3)
    (plain,) = parse(format_plain(instance), "x.txt")
    assert (plain.profits, plain.weights, plain.capacity) == (instance.profits, instance.weights, instance.capacity)
    both = parse(format_pisinger(instance) + format_pisinger(instance._replace(name="b", known_optimum=12)))
    assert [i.name for i in both] == [instance.name, "b"]
    assert both[0].known_optimum is None and both[1].known_optimum == 12
    assert both[1].profits == instance.profits


def test_generator_follows_the_class_formulas():
    r, r1 = 1000, 100
    assert all(p == w + r1 for p, w in zip(*_pw(generate(3, 200, r, 1)), strict=True))
    assert all(w == p + r1 for p, w in zip(*_pw(generate(4, 200, r, 1)), strict=True))
    assert all(p == w for p, w in zip(*_pw(generate(6, 200, r, 1)), strict=True))
    assert all(100 * r <= w <= 100 * r + r1 - 1 for w in generate(9, 200, r, 1).weights)
    assert all(abs(p - w) <= r1 and p >= 1 for p, w in zip(*_pw(generate(2, 200, r, 1)), strict=True))
    series = generate_series(1, 50, r, seed=2, count=4)
    for i, instance in enumerate(series, start=1):
        assert instance.capacity == max(i * sum(instance.weights) // 5, max(instance.weights))
    assert generate(1, 50, r, 9) == generate(1, 50, r, 9)


def _pw(instance):
    return instance.profits, instance.weights


BAD_INPUTS = {
    "negative weight": ("2 10\n3 4\n5 -1\n", ":3:"),
    "fraction": ("2 10\n3 4\n5 1.5\n", ":3:"),
    "too few plain items": ("3 10\n3 4\n5 1\n", "truncated"),
    "too many plain items": ("1 10\n3 4\n5 1\n", ":3:"),
    "truncated pisinger": ("a\nn 2\nc 5\nz 3\ntime 0\n1,3,4,0\n", "expected 2 items"),
    "missing separator": ("a\nn 1\nc 5\nz 3\ntime 0\n1,3,4,0\n", "truncated"),
    "extra pisinger item": ("a\nn 1\nc 5\n1,3,4,0\n2,3,4,0\n-----\n", ":5:"),
    "wrong item number": ("a\nn 2\nc 5\n1,3,4,0\n3,3,4,0\n-----\n", ":5:"),
    "bad count": ("a\nn two\nc 5\n", ":2:"),
    "empty": ("\n\n", "empty"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_with_exit_2(case, tmp_path, capsys):
    text, needle = BAD_INPUTS[case]
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(SystemExit) as stop:
        main(["knapsack", str(path), "--quiet"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and needle in err
    with pytest.raises(ParseError):
        read_instances(str(path))


def test_overflow_is_an_input_error(tmp_path, capsys):
    path = tmp_path / "big.txt"
    path.write_text(f"2 {1 << 40}\n{1 << 40} {1 << 40}\n1 1\n")
    with pytest.raises(SystemExit) as stop:
        main(["knapsack", str(path)])
    assert stop.value.code == 2
    assert "too large" in capsys.readouterr().err


# ---------------------------------------------------------------- command line


def test_cli_json_reports_known_optimum(capsys):
    main(["knapsack", str(DATA / "knapPI_13_20_1000.csv"), "--json", "--quiet"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 5
    for record in records:
        assert record["status"] == "optimal" and record["matches_known"] is True
        assert record["value"] == record["known_optimum"]
        assert record["solution"] == sorted(record["solution"])


def test_cli_instance_stdin_and_generate(capsys, monkeypatch, tmp_path):
    main(["knapsack", str(DATA / "knapPI_11_20_1000.csv"), "--instance", "knapPI_11_20_1000_2", "--json", "--quiet"])
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["instance"] == "knapPI_11_20_1000_2" and record["value"] == 3990
    out = tmp_path / "g.csv"
    main(["knapsack", "--generate", "3", "--n", "12", "--range", "100", "--count", "2", "--output", str(out)])
    generated = read_instances(str(out))
    assert [i.name for i in generated] == ["knapPI_3_12_100_1", "knapPI_3_12_100_2"]
    monkeypatch.setattr("sys.stdin", io.StringIO(format_plain(generated[0])))
    main(["knapsack", "-", "--json", "--quiet", "--strategy", "dantzig", "--backend", "python"])
    record = json.loads(capsys.readouterr().out)
    assert record["value"] == brute_force(generated[0]) and "known_optimum" not in record


def test_cli_unknown_instance_and_strategy(capsys):
    for argv in (
        ["knapsack", str(DATA / "knapPI_11_20_1000.csv"), "--instance", "nope"],
        ["knapsack", str(DATA / "knapPI_11_100_1000.csv"), "--strategy", "nope"],
        ["knapsack", str(DATA / "knapPI_11_100_1000.csv"), "--strategy", "bidirectional"],  # too many items
    ):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert capsys.readouterr().err.count("\n") == 1


def test_small_exhaustive_capacities():
    # Every capacity of a small strongly correlated instance, default strategy vs brute force.
    base = generate(3, 8, 100, seed=5)
    for capacity in range(0, sum(base.weights) + 1, 7):
        instance = base._replace(capacity=capacity)
        result, chosen = solve_instance(instance)
        assert result.value == brute_force(instance)
        check_solution(instance, result, chosen)


def test_brute_force_helper_itself():
    instance = Instance("t", [3, 4, 5], [2, 3, 4], 5)
    assert brute_force(instance) == 7
    assert (
        max(
            sum(p for p, x in zip(instance.profits, xs, strict=True) if x)
            for xs in itertools.product([0, 1], repeat=3)
            if sum(w for w, x in zip(instance.weights, xs, strict=True) if x) <= 5
        )
        == 7
    )


@st.composite
def spanner_instances(draw, max_items=12, min_items=1):
    """Pisinger-style spanner instances: every item a multiple of one of a few spanner items, so
    there are few ratio classes, many identical items and whole-unit structure in each class.
    With ``min_items`` >= 2, every item fits alone and not all of them together."""
    spanners = draw(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 12)), min_size=1, max_size=3))
    n = draw(st.integers(min_items, max_items))
    profits, weights = [], []
    for _ in range(n):
        p, w = draw(st.sampled_from(spanners))
        a = draw(st.integers(1, 4))
        profits.append(a * p)
        weights.append(a * w)
    low, high = (max(weights), sum(weights) - 1) if min_items >= 2 else (0, sum(weights))
    capacity = draw(st.integers(low, max(low, high)))
    return Instance("spanner", profits, weights, capacity)


def test_combo_unit_bound_on_spanner_instances_matches_brute_force():
    """The whole-unit bound of ratio classes (unit_bound) never cuts an optimum. Shortcuts off,
    lam = 0 and classes of any size (UNIT_CLASS_SIZE = 0): the bound is used on each example."""
    reached = Reached()
    constants = {"UNIT_CLASS_SIZE": 0, "_lagrange_safe": lambda instance: False}

    @settings(deadline=None, max_examples=200)
    @given(instance=spanner_instances(min_items=2))
    def check(instance):
        with pytest.MonkeyPatch.context() as patch:
            shortcuts_off(patch, lagrange=False, start=False)
            patch.setattr(model, "UNIT_CLASS_SIZE", 0)
            used = prepare(instance, "combo", core_search=False).unit_weight[0] > 0
        reached(used and check_on_both_backends(instance, "combo", True, **constants)[1])

    check()
    reached.check()


@settings(deadline=None, max_examples=300)
@given(instance=spanner_instances(max_items=10), data=st.data())
def test_unit_bound_is_an_upper_bound_at_every_interval(instance, data):
    """unit_bound directly: for any decided interval and decisions in it, no completion beats it
    (also where prepare would not use it: few items per ratio class). Preparation's shortcuts
    off and lam = 0: every item stays, and the ratio classes are built."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "UNIT_CLASS_SIZE", 0)
        shortcuts_off(patch, lagrange=False)
        problem = prepare(instance, "combo", core_search=False)
    assert problem.lam == 0
    assert problem.unit_weight[0] > 0 or problem.item[0] < 0  # classes built unless no item fits
    assume(problem.item[0] >= 0)
    m = problem.profit.shape[0]
    lo = data.draw(st.integers(0, m))
    hi = data.draw(st.integers(lo, m))
    decided = [data.draw(st.integers(0, 1)) for _ in range(hi - lo)]
    p, w = problem.profit.tolist(), problem.weight.tolist()
    base_p = problem.base_profit + sum(p[:lo]) + sum(pj for pj, x in zip(p[lo:hi], decided, strict=True) if x)
    base_w = sum(w[:lo]) + sum(wj for wj, x in zip(w[lo:hi], decided, strict=True) if x)
    free = list(range(lo)) + list(range(hi, m))
    best = model.NO_BOUND
    for mask in range(1 << len(free)):
        profit, weight = base_p - sum(p[:lo]), base_w - sum(w[:lo])
        for bit, j in enumerate(free):
            if mask >> bit & 1:
                profit += p[j]
                weight += w[j]
        if weight <= problem.capacity:
            best = max(best, profit)
    bound = model.unit_bound(problem, base_p, base_w, lo, hi)
    assert bound >= best


def _free_optimum(profits, weights, capacity):
    """Independent oracle: the best profit of a subset of the given items within ``capacity``
    (the textbook dynamic program over capacities); None when ``capacity`` < 0 (no completion)."""
    if capacity < 0:
        return None
    return dp_optimum(Instance("node", profits, weights, capacity))


def test_combo_bound_never_below_a_nodes_optimum_on_spanner_instances():
    """The bound hook the search calls (``lagrangian_bound``: with lam = 0 the LP bound tightened
    by unit_bound, rounded to the profit grid), at every node of every depth (any decisions in the
    decided interval), against the DP optimum of the node's free items in the room it leaves:
    a bound below it would cut that completion. Spanner instances (few ratio classes, whole
    units), shortcuts off, lam = 0 and classes of any size, so that unit_bound is in the hook."""
    reached = Reached()

    @settings(deadline=None, max_examples=300)
    @given(instance=spanner_instances(max_items=10, min_items=2))
    def check(instance):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(model, "UNIT_CLASS_SIZE", 0)
            shortcuts_off(patch, lagrange=False)
            problem = prepare(instance, "combo", core_search=False)
        assert problem.lam == 0
        if problem.item[0] < 0 or problem.unit_weight[0] == 0:
            reached(False)
            return
        p, w = problem.profit.tolist(), problem.weight.tolist()
        tight = 0
        for depth in range(len(problem.lo_at)):
            lo, hi = int(problem.lo_at[depth]), int(problem.hi_at[depth])
            free = list(range(lo)) + list(range(hi, len(p)))
            for size in range(hi - lo + 1):
                for taken in itertools.combinations(range(lo, hi), size):
                    state = np.zeros(model.STATE_WIDTH, np.int64)
                    decided_profit = sum(p[j] for j in taken)
                    decided_weight = sum(w[j] for j in taken)
                    state[model.PROFIT] = problem.base_profit + problem.prefix_profit[lo] + decided_profit
                    state[model.WEIGHT] = problem.prefix_weight[lo] + decided_weight
                    state[model.COUNT] = lo + size
                    state[model.DEPTH] = depth
                    rest = _free_optimum([p[j] for j in free], [w[j] for j in free], problem.capacity - decided_weight)
                    if rest is None:
                        continue
                    optimum = problem.base_profit + decided_profit + rest
                    bound = model.lagrangian_bound(problem, state, None, None)
                    assert bound >= optimum, (depth, taken, bound, optimum)
                    tight += bound == optimum
        reached(tight)

    check()
    reached.check()


@settings(deadline=None, max_examples=100)
@given(data=st.data())
def test_oracles_agree_with_brute_force(data):
    # The DP oracles used above, checked against brute force on small similar-weight instances.
    n = data.draw(st.integers(0, 9))
    weights = data.draw(st.lists(st.integers(50, 57), min_size=n, max_size=n))
    profits = data.draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    instance = Instance("o", profits, weights, data.draw(st.integers(0, sum(weights) + 1)))
    assert similar_weights_optimum(instance, 50) == dp_optimum(instance) == brute_force(instance)
