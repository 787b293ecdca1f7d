"""Preparation: from an :class:`Instance` to the :class:`Knapsack` value a strategy searches
(reduction, the multiplier, incumbents, the memo's placement), and :func:`solve_instance`."""

import time

import numpy as np

from problems.knapsack import memo
from problems.knapsack.bounds import _plain_bound_sound
from problems.knapsack.incumbents import CORE_ROUNDS, _core_incumbent, _few_counts_start, _improve, greedy
from problems.knapsack.memo import PARETO_SLOTS_BESIDE_WINDOWS, _live_weights, _memo_windows
from problems.knapsack.multiplier import _lagrange_safe
from problems.knapsack.problem import BEST, CACHE_WIDTH, MAX_BIDIRECTIONAL, Knapsack, check_range
from problems.knapsack.reduction import (
    _cardinality,
    _exact_sum,
    _gcd,
    _lagrangian_reduce,
    _mask,
    _outwards,
    _reduce,
    ratio_order,
)
from problems.knapsack.strategies import DEFAULT_STRATEGY, LAYOUTS, STRATEGIES, search_strategy
from problems.knapsack.units import _ratio_classes

PROBE_NODES = 20_000  # node budget of the search that may make the core searches unnecessary
# ``levels`` probes for at least this many nodes per item: one depth-first dive costs about one
# node per item, and the probe's incumbent is what the level search starts from (class 4,
# n = 10^4, R = 10^6, instance 0 of seed 1: unproven in 10 s after a 20k-node probe, proven in
# 0.66 s after a 200k one; types 14 and 16 at n = 2000-10000 pay 0.1-0.6 s more).
LEVELS_PROBE_NODES_PER_ITEM = 20
# Items up to which the probe runs: it costs a second preparation, seconds at n = 10^5 (class 5,
# R = 10^4: 9.3 s of preparation without the probe, 19.7 s with it, on a loaded machine).
PROBE_MAX_ITEMS = 2000
# ``levels`` probes with the depth-first ``combo`` up to this many items: a depth-first search
# finds better incumbents early (a level search finds solutions at its last level only), and on
# instances of many equal items (Pisinger's type 12, n = 5000, instance 17: 10k nodes depth-first,
# 188 M level by level) it also proves what the levels do not.
LEVELS_PROBE_MAX_ITEMS = 20_000


def prepare(instance, strategy_name=DEFAULT_STRATEGY, core_search=True, hint=None, backend="numba", time_limit=None):
    """The :class:`Knapsack` value a strategy searches (see :func:`prepare_layout`). With core
    searches (``combo``), the engine first searches the value prepared without them for up to
    ``PROBE_NODES`` nodes: if that proves the optimum, the value is returned with the optimum
    as its incumbent (the search then only repeats the proof, with that bound from the start);
    otherwise its best solution is the hint of the full preparation. Core searches are a loss
    on instances that a short search proves (Pisinger's hard set: 2-4x the whole solve at
    n <= 100) and needed on others (class 5, n = 1000: unproven at 10 s without them), and the
    probe tells them apart. Its nodes count as ``core_nodes``. Only up to ``PROBE_MAX_ITEMS``
    items."""
    layout = LAYOUTS[strategy_name]
    probe_name = "combo" if strategy_name == "levels" else strategy_name
    most = LEVELS_PROBE_MAX_ITEMS if strategy_name == "levels" else PROBE_MAX_ITEMS
    if not (core_search and layout.get("lagrange")) or len(instance.profits) > most:
        return prepare_layout(instance, strategy_name, core_search, hint, backend, time_limit)
    from backtrack import solve

    started = time.perf_counter()
    quick = prepare_layout(instance, probe_name, False, hint, backend, time_limit)
    left = None if time_limit is None else time_limit - (time.perf_counter() - started)
    if left is not None and left <= 0:
        return quick if probe_name == strategy_name else prepare_layout(instance, strategy_name, False, hint, backend)
    probe = solve(
        quick,
        search_strategy(quick, probe_name),
        "optimize",
        node_limit=max(PROBE_NODES, LEVELS_PROBE_NODES_PER_ITEM * len(instance.profits))
        if strategy_name == "levels"
        else PROBE_NODES,
        time_limit=left,
        backend=backend,
    )
    if probe.interrupted:
        raise KeyboardInterrupt  # Ctrl-C during the probe stops the preparation
    if probe.status == "optimal" and probe.solution is not None:
        if probe_name != strategy_name:  # the strategy's own value, with the optimum as its incumbent
            optimum = set(quick.chosen_items(probe.solution))
            proven = prepare_layout(instance, strategy_name, False, optimum, backend)
            return proven._replace(core_nodes=proven.core_nodes + probe.stats.nodes)
        return quick._replace(
            start_value=int(probe.value),
            start_choice=np.array(probe.solution, np.int64),
            core_nodes=quick.core_nodes + probe.stats.nodes,
        )
    if probe.solution is not None:
        hint = set(quick.chosen_items(probe.solution))
    left = None if time_limit is None else max(time_limit - (time.perf_counter() - started), 1e-3)
    full = prepare_layout(instance, strategy_name, True, hint, backend, left)
    return full._replace(core_nodes=full.core_nodes + probe.stats.nodes)


def prepare_layout(
    instance, strategy_name=DEFAULT_STRATEGY, core_search=True, hint=None, backend="numba", time_limit=None
):
    """Build the :class:`Knapsack` problem value a strategy searches (see ``LAYOUTS``).

    Items that weigh nothing are taken and items heavier than the capacity left out before any
    strategy runs. With ``reduce``, the root LP bound fixes every item whose other value cannot
    beat the greedy incumbent (unless the incumbent itself has the other value). With
    ``lagrange``, the incumbent is first improved by local search, the Lagrangian bound reduces
    further, and (``core_search``) the engine searches core subproblems (:func:`_core_incumbent`)
    for a better incumbent, after which both reductions run again. ``hint`` (a set of input
    indices that fits) replaces the first incumbent if it is worth more. ``backend`` runs the core
    searches; their nodes are reported in ``Knapsack.core_nodes``. ``time_limit`` (seconds) bounds
    the core searches: none starts after it, and each stops at it; past it, the local searches
    and the Lagrangian reduction are skipped too (a weaker but sound value).
    """
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    check_range(instance)
    layout = LAYOUTS[strategy_name]
    capacity = instance.capacity
    # int64 arrays (each value is below 2^62 after check_range, and so is any sum of them): the
    # steps below index them; sums of them are taken exactly (Python ints).
    p, w = np.array(instance.profits, np.int64), np.array(instance.weights, np.int64)
    n = len(p)
    if layout.get("keep_zero"):
        if n > MAX_BIDIRECTIONAL:
            raise ValueError(f"{instance.name}: bidirectional search takes up to {MAX_BIDIRECTIONAL} items, not {n}")
        fixed_in = []
        free = np.flatnonzero(w <= capacity).tolist()
    else:
        fixed_in = np.flatnonzero(w == 0).tolist()
        free = np.flatnonzero((w > 0) & (w <= capacity)).tolist()
    core_nodes = 0
    order = ratio_order(p, w, free)
    value, chosen = greedy(p, w, order, capacity)
    lagrange = layout.get("lagrange", False) and bool(order)
    if lagrange and not _past(deadline):
        value, chosen = _improve(p, w, order, capacity, value, chosen)
        if not _past(deadline):
            value, chosen = _few_counts_start(p, w, order, capacity, value, chosen)
    if hint is not None and layout["incumbent"]:
        hinted = {j for j in hint if instance.weights[j] > 0}
        if sum(instance.weights[j] for j in hinted) > capacity:
            raise ValueError(f"{instance.name}: the hinted solution does not fit")
        if sum(instance.profits[j] for j in hinted) > value:
            value, chosen = sum(instance.profits[j] for j in hinted), hinted
    lam = 0
    fixed_profit = _exact_sum(p[fixed_in])  # of the items fixed in so far; the zero weights' first
    zero_profit = fixed_profit
    safe = None  # _lagrange_safe(instance), once needed
    for attempt in range(CORE_ROUNDS + 1):
        if layout["reduce"] and order:
            if lam != 0:
                order = ratio_order(p, w, order)
            target = value - (fixed_profit - zero_profit)  # the incumbent's free items
            order, fixed_now = _reduce(p, w, order, capacity, target, chosen, rounded=lagrange)
            fixed_in += fixed_now
            fixed_profit += _exact_sum(p[fixed_now])
            capacity -= _exact_sum(w[fixed_now])
        lam = 0
        if lagrange and order and safe is None:
            safe = _lagrange_safe(instance)
        if lagrange and order and safe and not _past(deadline):  # past the limit: lam = 0, still sound
            target = value - (fixed_profit - zero_profit)  # the incumbent's free items
            order, fixed_now, lam = _lagrangian_reduce(p, w, order, capacity, target, chosen)
            fixed_in += fixed_now
            fixed_profit += _exact_sum(p[fixed_now])
            capacity -= _exact_sum(w[fixed_now])
        if attempt == CORE_ROUNDS or not (lagrange and core_search and order):
            break
        if _past(deadline):
            break
        # A better incumbent from the engine on core subproblems, then reduce again with it.
        target = value - (fixed_profit - zero_profit)
        better, chosen, nodes = _core_incumbent(p, w, order, capacity, lam, target, chosen, backend, deadline)
        core_nodes += nodes
        if better <= target:
            break
        value += better - target
    base_profit = fixed_profit
    start_value = value + zero_profit if layout["incumbent"] else -1
    items = list(order)
    if not items:
        items = [-1]  # the engine needs a variable: a padding item worth nothing
    m = len(items)
    if items == [-1]:
        profit, weight = np.zeros(1, np.int64), np.zeros(1, np.int64)
    else:
        profit, weight = p[items], w[items]
    prefix_profit = np.concatenate(([0], np.cumsum(profit))).astype(np.int64)
    prefix_weight = np.concatenate(([0], np.cumsum(weight))).astype(np.int64)
    reduced = profit - lam
    prefix_reduced = np.concatenate(([0], np.cumsum(reduced))).astype(np.int64)
    positive = int(np.count_nonzero(reduced > 0)) if lam != 0 else m
    if layout["core"]:
        pivot = int(np.searchsorted(prefix_weight, capacity, side="right")) - 1  # items [0, pivot) fit
        pivot = min(pivot, positive)
        branch, lo_at, hi_at = _outwards(pivot, m)
    else:
        pivot = 0
        branch = np.arange(m, dtype=np.int64)
        lo_at = np.zeros(m + 1, np.int64)
        hi_at = np.arange(m + 1, dtype=np.int64)
    min_count, max_count = _cardinality(profit, weight, capacity, start_value - base_profit)
    class_start, class_end, unit_profit, unit_weight = _ratio_classes(profit, weight, lagrange and lam == 0)
    lam_count = max_count if lam >= 0 else min_count
    plain_too = _plain_bound_sound(lam, profit, weight)
    if layout["memo"]:
        live_low, live_high = _live_weights(
            prefix_weight,
            prefix_reduced,
            positive,
            lo_at,
            hi_at,
            capacity,
            start_value - base_profit - lam * lam_count,
            (prefix_profit, start_value - base_profit) if plain_too else None,
        )
        memo_length, memo_low = _memo_windows(live_low, live_high)
        slots = max(1, min(memo.PARETO_ENTRIES // (m + 1), 1 << 16))
        if (memo_length == live_high - live_low + 1).all():
            slots = min(slots, PARETO_SLOTS_BESIDE_WINDOWS)
    else:
        memo_length, memo_low = np.ones(m + 1, np.int64), np.zeros(m + 1, np.int64)
        slots = 1
    pool = np.array([[0, 0, 0, 0]], np.int64)  # memo_index's last row: the pool's next free entry
    # Profits in 32 bits when every state's fits: half the memory the windows' random reads touch
    # (17-28 % faster on Pisinger's type 16, n = 1000).
    small = np.iinfo(np.int32).max
    memo_dtype = np.int32 if base_profit + int(profit.sum()) < small else np.int64
    list_dtype = np.int32 if memo_dtype == np.int32 and int(weight.sum()) < small else np.int64
    start_choice = np.zeros(m, np.int64) if items == [-1] else _mask(chosen, n)[items].astype(np.int64)
    return Knapsack(
        profit=profit,
        weight=weight,
        item=np.array(items, np.int64),
        prefix_profit=prefix_profit,
        prefix_weight=prefix_weight,
        branch=branch,
        lo_at=lo_at,
        hi_at=hi_at,
        pivot=pivot,
        capacity=capacity,
        base_profit=base_profit,
        fixed_in=np.array(sorted(fixed_in), np.int64),
        min_count=min_count,
        max_count=max_count,
        scratch=np.full(BEST + 1 + 2 * CACHE_WIDTH * (m + 1), -1, np.int64),  # see space()
        memo_lists=np.zeros((2, m + 1, slots), list_dtype),
        memo_index=np.concatenate(
            (np.stack([np.zeros(m + 1, np.int64), np.full(m + 1, -1), memo_length, memo_low], axis=1), pool)
        ),
        memo_best=np.empty(int(memo_length.sum()), memo_dtype),  # each window cleared when taken
        start_value=start_value,
        start_choice=start_choice if start_value >= 0 else np.zeros(0, np.int64),
        lam=lam,
        lam_count=lam_count,
        reduced=reduced.astype(np.int64),
        prefix_reduced=prefix_reduced,
        positive=positive,
        profit_gcd=_gcd(profit) or 1 if lagrange else 1,
        class_start=class_start,
        class_end=class_end,
        unit_profit=unit_profit,
        unit_weight=unit_weight,
        core_nodes=core_nodes,
    )


def _past(deadline):
    """Is the ``time.perf_counter()`` value ``deadline`` (None: no limit) reached?"""
    return deadline is not None and time.perf_counter() >= deadline


def solve_instance(instance, strategy_name=DEFAULT_STRATEGY, **options):
    """Prepare and solve ``instance``; return (result, chosen input indices or None).

    ``options`` are those of :class:`backtrack.Search` (backend, time_limit, node_limit, ...);
    ``time_limit`` bounds the whole solve, preparation included.
    """
    from backtrack import solve
    from backtrack.bidirectional import solve_bidirectional

    started = time.perf_counter()
    time_limit = options.get("time_limit")
    problem = prepare(instance, strategy_name, backend=options.get("backend", "numba"), time_limit=time_limit)
    if time_limit is not None:
        options["time_limit"] = search_time_left(time_limit, time.perf_counter() - started)
    if strategy_name == "bidirectional":
        result = solve_bidirectional(problem, STRATEGIES[strategy_name], "optimize", target=problem.capacity, **options)
    else:
        result = solve(problem, search_strategy(problem, strategy_name), "optimize", **options)
    chosen = problem.chosen_items(result.solution) if result.solution is not None else None
    return result, chosen


def search_time_left(time_limit, prepare_s):
    """What a whole-solve ``time_limit`` leaves the search after ``prepare_s`` seconds of
    preparation; a search always gets a moment (one slice) to report the incumbent."""
    return max(time_limit - prepare_s, 1e-3)
