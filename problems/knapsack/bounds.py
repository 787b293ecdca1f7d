"""Upper bounds of a node, read from prefix sums: the LP (Dantzig) bound of a decided interval,
Martello-Toth's U2, and combo's Lagrangian bound of the cardinality constraint (alone or beside
the plain one)."""

from backtrack import jitable
from problems.knapsack.problem import DEPTH, NO_BOUND, PROFIT, WEIGHT


@jitable
def last_within(prefix, start, stop, limit):
    """Largest ``k`` in ``[start, stop]`` with ``prefix[k] <= limit`` (``prefix`` non-decreasing;
    ``prefix[start] <= limit`` is assumed). Galloping from ``start``: an LP fill usually ends a
    few items after it, so this takes O(log distance) steps instead of O(log(stop - start))."""
    low = start
    step = 1
    while low + step <= stop and prefix[low + step] <= limit:
        low += step
        step *= 2
    high = min(low + step - 1, stop)
    while low < high:
        mid = (low + high + 1) // 2
        if prefix[mid] <= limit:
            low = mid
        else:
            high = mid - 1
    return low


@jitable
def last_within_from_stop(prefix, start, stop, limit):
    """As :func:`last_within`, galloping down from ``stop``: an LP removal usually ends a few
    items before it."""
    if prefix[stop] <= limit:
        return stop
    high = stop  # prefix[high] > limit
    step = 1
    while high - step >= start and prefix[high - step] > limit:
        high -= step
        step *= 2
    low = max(high - step, start)  # prefix[low] <= limit
    while high - low > 1:
        mid = (low + high) // 2
        if prefix[mid] <= limit:
            low = mid
        else:
            high = mid
    return low


@jitable
def fill_end(prefix_weight, start, stop_max, residual):
    """The first item of ``[start, stop_max)`` that an LP fill of ``residual`` does not take
    whole (``stop_max`` if it takes them all)."""
    if start >= stop_max:
        return start
    return last_within(prefix_weight, start, stop_max, prefix_weight[start] + residual)


@jitable
def fill_value(prefix_weight, prefix_value, value, weight, start, stop_max, end, residual):
    """LP value of filling ``residual`` with items ``[start, stop_max)`` whose fill ends at
    ``end`` (:func:`fill_end`); the prefix sums and per-item arrays give what each item is worth."""
    if start >= stop_max:
        return 0
    gain = prefix_value[end] - prefix_value[start]
    if end < stop_max:
        room = residual - (prefix_weight[end] - prefix_weight[start])
        gain += room * value[end] // weight[end]
    return gain


@jitable
def lp_fill(prefix_weight, prefix_value, value, weight, start, stop_max, residual):
    """LP value of filling ``residual`` capacity with items ``[start, stop_max)`` in their order."""
    end = fill_end(prefix_weight, start, stop_max, residual)
    return fill_value(prefix_weight, prefix_value, value, weight, start, stop_max, end, residual)


@jitable
def removal_part(prefix_weight, stop, excess):
    """The item an LP removal of ``excess`` from items ``[0, stop)`` (last first) takes in part:
    items ``[part, stop)`` cover the excess and ``[part + 1, stop)`` do not (they go whole).
    Assumes the items weigh at least ``excess``."""
    return last_within_from_stop(prefix_weight, 0, stop, prefix_weight[stop] - excess)


@jitable
def removal_value(prefix_weight, prefix_value, value, weight, stop, part, excess):
    """LP cost (rounded up) of the removal of ``excess`` that :func:`removal_part` placed."""
    rest = excess - (prefix_weight[stop] - prefix_weight[part + 1])
    w = weight[part]
    return prefix_value[stop] - prefix_value[part + 1] + (rest * value[part] + w - 1) // w


@jitable
def lp_removal(prefix_weight, prefix_value, value, weight, stop, excess):
    """LP cost (rounded up) of removing ``excess`` weight from items ``[0, stop)``, last item
    first; -1 if they weigh less than ``excess``."""
    if prefix_weight[stop] < excess:
        return -1
    part = removal_part(prefix_weight, stop, excess)
    return removal_value(prefix_weight, prefix_value, value, weight, stop, part, excess)


@jitable
def fill_from(problem, start, residual):
    """LP value of filling ``residual`` capacity with items ``[start, n)`` in ratio order."""
    n = problem.profit.shape[0]
    return lp_fill(problem.prefix_weight, problem.prefix_profit, problem.profit, problem.weight, start, n, residual)


@jitable
def removal_cost(problem, stop, excess):
    """LP cost (rounded up) of removing ``excess`` weight from items ``[0, stop)``, lowest ratio
    first; -1 if they weigh less than ``excess``."""
    return lp_removal(problem.prefix_weight, problem.prefix_profit, problem.profit, problem.weight, stop, excess)


@jitable
def interval_bound(problem, profit, weight, lo, hi):
    """LP bound of a node whose decided items are ``[lo, hi)``: items left of ``lo`` are in
    (they may be removed), items from ``hi`` on are out (they may be added)."""
    capacity = problem.capacity
    if weight <= capacity:
        return profit + fill_from(problem, hi, capacity - weight)
    cost = removal_cost(problem, lo, weight - capacity)
    if cost < 0:
        return NO_BOUND
    return profit - cost


@jitable
def lp_bound(problem, state, domains, assign):
    """``bound`` of ``dantzig``, ``reduction`` and the core strategies: the LP relaxation of the
    undecided items (Dantzig's bound, generalised to a decided interval)."""
    depth = state[DEPTH]
    return interval_bound(problem, state[PROFIT], state[WEIGHT], problem.lo_at[depth], problem.hi_at[depth])


@jitable
def martello_toth_bound(problem, state, domains, assign):
    """``bound`` of ``martello-toth`` (ratio order): U2 = max of the bounds with the break item
    t out (the next item fills fractionally) and in (item t-1 is removed fractionally)."""
    n = problem.profit.shape[0]
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    hi = problem.hi_at[state[DEPTH]]
    residual = problem.capacity - state[WEIGHT]
    if residual < 0:
        return NO_BOUND
    t = last_within(pw, hi, n, pw[hi] + residual)
    profit = state[PROFIT] + pp[t] - pp[hi]
    if t == n:
        return profit
    residual -= pw[t] - pw[hi]
    without = profit
    if t + 1 < n:
        without += residual * problem.profit[t + 1] // problem.weight[t + 1]
    with_break = NO_BOUND
    if t > hi:
        w = problem.weight[t - 1]
        with_break = profit + problem.profit[t] - ((problem.weight[t] - residual) * problem.profit[t - 1] + w - 1) // w
    return max(without, with_break)


# ---------------------------------------------------------------- Lagrangian bound (combo)
#
# Any solution better than the incumbent takes between min_count and max_count free items, so
# for every lam its profit is sum (p - lam) x + lam * count <= lam * K + LP(p - lam), with
# K = max_count if lam >= 0 and min_count otherwise, and LP the Dantzig bound of the profits
# p - lam (items with p - lam <= 0 never added). lam is chosen at the root (see
# _choose_lambda); the items are numbered in decreasing (p - lam) / w order, so the LP of a
# decided interval is read from prefix sums as for the plain bound. With lam = 0 and every
# profit positive it is the plain bound.


@jitable
def reduced_fill_from(problem, start, residual):
    """LP value, in reduced profits, of filling ``residual`` with items ``[start, positive)``."""
    pw, pr = problem.prefix_weight, problem.prefix_reduced
    return lp_fill(pw, pr, problem.reduced, problem.weight, start, problem.positive, residual)


@jitable
def reduced_removal_cost(problem, stop, excess):
    """As :func:`removal_cost` in reduced profits (items ``[0, stop)``, ``stop <= positive``)."""
    return lp_removal(problem.prefix_weight, problem.prefix_reduced, problem.reduced, problem.weight, stop, excess)


@jitable
def lagrangian_interval_bound(problem, profit, weight, count, lo, hi):
    """Lagrangian bound of a node with ``profit``, ``weight``, ``count`` and decided items
    ``[lo, hi)`` (``lo <= positive``: the items left of the interval have reduced profit > 0)."""
    capacity = problem.capacity
    base = profit - problem.lam * count + problem.lam * problem.lam_count
    if weight <= capacity:
        return base + reduced_fill_from(problem, hi, capacity - weight)
    cost = reduced_removal_cost(problem, lo, weight - capacity)
    if cost < 0:
        return NO_BOUND
    return base - cost


@jitable
def both_interval_bound(problem, profit, weight, count, lo, hi):
    """The smaller of the Lagrangian and the plain LP bound of a node, for items whose lam order
    is also a profit/weight order (:func:`plain_bound_applies`; otherwise the plain LP over
    prefix sums is not a bound). With w = p + c, as in Pisinger's class 4, every reduced ratio
    is 1 for lam = -c: the Lagrangian bound is the same at every node that fits, and the plain
    one is what tells the nodes apart. One search places both LP fills (same weights, same
    order)."""
    capacity = problem.capacity
    base = profit - problem.lam * count + problem.lam * problem.lam_count
    pw, weights = problem.prefix_weight, problem.weight
    if weight <= capacity:
        residual = capacity - weight
        n = weights.shape[0]
        end = fill_end(pw, hi, n, residual)
        plain = profit + fill_value(pw, problem.prefix_profit, problem.profit, weights, hi, n, end, residual)
        last = problem.positive  # reduced profits: only the items worth more than lam are added
        reduced = fill_value(pw, problem.prefix_reduced, problem.reduced, weights, hi, last, min(end, last), residual)
        return min(base + reduced, plain)
    excess = weight - capacity
    if pw[lo] < excess:
        return NO_BOUND
    part = removal_part(pw, lo, excess)
    plain = profit - removal_value(pw, problem.prefix_profit, problem.profit, weights, lo, part, excess)
    return min(base - removal_value(pw, problem.prefix_reduced, problem.reduced, weights, lo, part, excess), plain)


@jitable
def on_profit_grid(problem, bound):
    """``bound`` rounded down to ``base_profit`` plus a multiple of ``profit_gcd`` (every solution
    value is one)."""
    g = problem.profit_gcd
    if g > 1 and bound != NO_BOUND:
        bound = problem.base_profit + (bound - problem.base_profit) // g * g
    return bound


def _plain_bound_sound(lam, profit, weight):
    """The test behind :func:`plain_bound_applies`, on the items (int64 arrays, in lam order)."""
    return lam != 0 and _in_ratio_order(profit, weight)


def _in_ratio_order(profit, weight):
    """Are the items (int64 arrays) in non-increasing profit/weight order? (Exact cross products.)"""
    if len(profit) < 2:
        return True
    return bool((profit[:-1].astype(object) * weight[1:] >= profit[1:].astype(object) * weight[:-1]).all())
