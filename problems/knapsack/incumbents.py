"""First solutions for the search: greedy, local search, a start for few counts, and the engine
on core subproblems (:func:`_core_incumbent`)."""

import time

import numba
import numpy as np

from problems.knapsack.problem import SAFE_LIMIT, Instance
from problems.knapsack.reduction import _cardinality, _exact_sum, _mask


def greedy(profits, weights, order, capacity):
    """Greedy solution in ``order``: take each item that still fits; return (value, chosen set)."""
    if len(order) > 64 and capacity < SAFE_LIMIT:
        # The prefix that fits, then each later item that still does (the room only shrinks).
        items = np.asarray(order, np.int64)
        ws = np.asarray(weights, np.int64)[items]
        fit = int(np.searchsorted(np.cumsum(ws), capacity, side="right"))
        room = capacity - int(ws[:fit].sum())
        taken = np.zeros(len(items), bool)
        taken[:fit] = True
        _greedy_rest(ws, fit, room, taken)
        picked = items[taken]
        try:
            value = _exact_sum(np.asarray(profits, np.int64)[picked])
        except OverflowError:  # profits beyond int64
            value = sum(profits[j] for j in picked.tolist())
        return value, set(picked.tolist())
    profits = profits.tolist() if isinstance(profits, np.ndarray) else profits  # Python ints
    weights = weights.tolist() if isinstance(weights, np.ndarray) else weights
    room = capacity
    value = 0
    chosen = set()
    for j in order:
        if weights[j] <= room:
            room -= weights[j]
            value += profits[j]
            chosen.add(j)
    return value, chosen


@numba.njit(cache=True)
def _greedy_rest(ws, start, room, taken):
    """Marks in ``taken`` each item from position ``start`` on that still fits ``room``, in order."""
    for i in range(start, ws.shape[0]):
        if ws[i] <= room:
            room -= ws[i]
            taken[i] = True


def _improve(p, w, order, capacity, value, chosen, rounds=200):
    """Local search from the greedy solution: repeatedly the best single addition or 1-1 exchange
    (one item out, one in) that fits, while one gains; return (value, chosen set)."""
    items = np.array(order, np.int64)
    ps = np.asarray(p, np.int64)[items]
    ws = np.asarray(w, np.int64)[items]
    x = _mask(chosen, len(p))[items]
    room = capacity - int(ws[x].sum())
    lightest = np.argsort(ws, kind="stable")  # by weight, ties by position: filtered each round
    for _ in range(rounds):
        out = np.flatnonzero(~x)
        inn = np.flatnonzero(x)
        if out.size == 0:
            break
        gain, drop, add = 0, -1, -1
        fit = out[ws[out] <= room]
        if fit.size:
            best = fit[np.argmax(ps[fit])]
            gain, add = int(ps[best]), int(best)
        if inn.size:
            by_weight = lightest[~x[lightest]]  # the items out, by weight (ties by position)
            best_profit = np.maximum.accumulate(ps[by_weight])
            positions = np.arange(by_weight.size)
            best_at = np.maximum.accumulate(np.where(ps[by_weight] == best_profit, positions, 0))
            pos = np.searchsorted(ws[by_weight], room + ws[inn], side="right") - 1
            gains = np.where(pos >= 0, best_profit[np.maximum(pos, 0)] - ps[inn], -1)
            i = int(np.argmax(gains))
            if gains[i] > gain:
                gain, drop, add = int(gains[i]), int(inn[i]), int(by_weight[best_at[pos[i]]])
        if gain <= 0:
            break
        if drop >= 0:
            x[drop] = False
            room += int(ws[drop])
        x[add] = True
        room -= int(ws[add])
        value += gain
    return value, set(items[x].tolist())


FEW_COUNTS = 3  # _few_counts_start tries each count of a better solution when there are this few


def _few_counts_start(p, w, order, capacity, value, chosen):
    """A better incumbent when any better solution takes one of a few counts k of items (when
    the weights are similar, as in Pisinger's class 9): for each such k, the k best items by
    p - rho * w, with rho the smallest that makes them fit (bisection), improved by
    :func:`_improve`. The greedy solution may have another count (class 9, n = 10^4, instance 3:
    2514 items where better solutions take 2515; this start is worth 1877 more). Returns
    (value, chosen set), the given ones unless better."""
    if not order:
        return value, chosen
    items = np.array(order, np.int64)
    ps = np.asarray(p, np.int64)[items]
    ws = np.asarray(w, np.int64)[items]
    fewest, most = _cardinality(ps, ws, capacity, value)
    if most - fewest >= FEW_COUNTS or fewest > len(order):
        return value, chosen
    pf, wf = ps.astype(float), ws.astype(float)
    for k in range(fewest, most + 1):
        if k == 0 or np.sort(ws)[:k].sum() > capacity:
            continue

        def best_k(rho, k=k):
            return np.argsort(-(pf - rho * wf), kind="stable")[:k]

        low, high = 0.0, float(ps.max()) / float(max(ws.min(), 1)) + 1.0
        if ws[best_k(high)].sum() > capacity:
            high *= 1e6  # large enough: then the k lightest items, which fit
        for _ in range(60):
            mid = (low + high) / 2
            if ws[best_k(mid)].sum() <= capacity:
                high = mid
            else:
                low = mid
        pick = best_k(high)
        if ws[pick].sum() > capacity:
            continue
        start = {int(j) for j in items[pick]}
        found, start = _improve(p, w, order, capacity, int(ps[pick].sum()), start)
        if found > value:
            value, chosen = found, start
    return value, chosen


CORE_HALVES = (8, 16, 32, 64, 128)  # core subproblems: this many items each side of the break item
CORE_NODES = 65_000  # node limit of each core search (decisions cut by decision_bound count too)
CORE_ROUNDS = 3  # core searches, each followed by both reductions, while they improve the incumbent


def _core_incumbent(p, w, order, capacity, lam, target, chosen, backend, deadline=None):
    """Search core subproblems with the engine (``combo`` without core search): a window of
    ``order`` (lam order) around the break item is free, every other item keeps its value in
    the break solution, then (a large neighbourhood search) its value in the incumbent, whose
    window part is then the subproblem's first solution. Each window of ``CORE_HALVES`` is
    searched with up to ``CORE_NODES`` nodes; a window that would hold every item is not (that
    is the search itself). No search starts after ``deadline`` (a ``time.perf_counter()`` value),
    and each stops at it. Return (best value over ``order``'s items, chosen set, nodes searched)."""
    from backtrack import solve
    from problems.knapsack.preparation import prepare  # preparation calls this function: imported here
    from problems.knapsack.strategies import search_strategy

    m = len(order)
    items = np.asarray(order, np.int64)
    ps = np.asarray(p, np.int64)[items]
    ws = np.asarray(w, np.int64)[items]
    pp = np.concatenate(([0], np.cumsum(ps)))
    pw = np.concatenate(([0], np.cumsum(ws)))
    nodes = 0
    # The break solution: items in while they fit and are worth more than lam.
    stops = (pw[1:] > capacity) | (ps <= lam)
    pivot = int(np.argmax(stops)) if stops.any() else m
    taken = np.isin(items, np.fromiter(chosen, np.int64, len(chosen)))  # the incumbent's items
    for half in CORE_HALVES:
        lo, hi = max(0, pivot - half), min(m, pivot + half)
        if lo == 0 and hi == m:
            break
        window = order[lo:hi]
        # Outside the window: the break solution's values, then the incumbent's.
        # (The incumbent's values outside are those it had before this window's first search.)
        incumbent_outside = taken.copy()
        incumbent_outside[lo:hi] = False
        for outside in (None, incumbent_outside):
            if outside is None:
                outside_profit, outside_weight = int(pp[lo]), int(pw[lo])
            else:
                outside_profit, outside_weight = int(ps[outside].sum()), int(ws[outside].sum())
            sub = Instance("core", ps[lo:hi].tolist(), ws[lo:hi].tolist(), capacity - outside_weight)
            hint = {i for i in range(hi - lo) if taken[lo + i]}
            if outside_weight + int(ws[lo:hi][taken[lo:hi]].sum()) > capacity:
                hint = None
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                return target, chosen, nodes
            problem = prepare(sub, "combo", core_search=False, hint=hint)
            strategy = search_strategy(problem, "combo")
            result = solve(problem, strategy, "optimize", node_limit=CORE_NODES, time_limit=left, backend=backend)
            if result.interrupted:
                raise KeyboardInterrupt  # Ctrl-C during a core search stops the preparation
            nodes += result.stats.nodes
            if result.solution is not None and result.value + outside_profit > target:
                target = result.value + outside_profit
                inside = {window[i] for i in problem.chosen_items(result.solution)}
                kept = order[:lo] if outside is None else items[outside].tolist()
                chosen = (chosen - set(order)) | set(kept) | inside
                taken = np.isin(items, np.fromiter(chosen, np.int64, len(chosen)))
    return target, chosen, nodes
