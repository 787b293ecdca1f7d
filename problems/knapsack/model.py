"""0/1 knapsack as engine hooks: maximise the profit of the chosen items within the capacity.

The module only defines hooks and the plain-Python preprocessing that builds a problem value;
the engine (:mod:`backtrack.search`) does every search. Strategies, from no pruning to the
default:

- ``naive``: enumerate every subset; the capacity is checked at the leaves (``accept``).
- ``feasibility``: cut a branch as soon as its weight exceeds the capacity.
- ``dantzig``: feasibility, items in profit/weight order, the LP (Dantzig) upper bound, the
  greedy solution as the first incumbent.
- ``martello-toth``: as ``dantzig`` with the Martello-Toth bound U2 (<= Dantzig's).
- ``reduction``: as ``dantzig``, plus propagation: after each decision, the items that no longer
  fit, and those whose opposite value cannot beat the incumbent by bound, are fixed
  (``propagate`` with :func:`backtrack.dom_remove`).
- ``core``: items fixed at the root by reduction, then branching outwards from the break item
  (a *core*), with the LP bound of the decided interval.
- ``combo`` (default): ``core`` plus dominance between (profit, weight) states and a
  cardinality bound (see :func:`dominated_by_earlier` for why it is sound); without a Lagrangian
  multiplier, the bound also takes whole units of the break item's ratio class (:func:`unit_bound`);
  when the items in multiplier order are also in profit/weight order, the smaller of the
  Lagrangian and plain LP bounds (a variant compiled on its own, see :func:`search_strategy`).
- ``bidirectional``: meet in the middle (Horowitz-Sahni) through :mod:`backtrack.bidirectional`:
  each half's (weight, profit) pairs, joined on weight <= capacity; up to 50 items.

Variables are the items left after preprocessing, numbered in decreasing profit/weight order;
value 1 takes an item. The state row of a node holds ``PROFIT``, ``WEIGHT``, ``DEPTH`` and
``COUNT``. Items ``[0, pivot)`` are *in* at the root (the break solution of the core strategies;
``pivot`` is 0 for the plain ones), so a decision adds an item right of the pivot or removes one
left of it. After ``d`` decisions the decided items are the interval ``[lo_at[d], hi_at[d])``:
the items left of it are still in, those right of it still out, and the LP bound over them is
read from prefix sums.

All strategies are for goal ``optimize``.
"""

import math
from functools import cmp_to_key
from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, dom_contains, dom_remove, jitable

PROFIT, WEIGHT, DEPTH, COUNT = 0, 1, 2, 3  # slots of the state row
STATE_WIDTH = 4
NO_BOUND = -(1 << 62)  # bound of a node that cannot be completed feasibly
SAFE_LIMIT = 1 << 62  # products and totals must stay below this (int64 arithmetic in hooks)
PARETO_ENTRIES = 1 << 20  # states kept by the Pareto lists of the dominance memo, over all depths (2 x 8 MiB)
# States per Pareto list when the windows hold every live weight: the window then cuts the same
# nodes, with one read per query where a list insertion shifts its entries (1.2-1.7x faster on
# Pisinger's types 14 and 16, n = 1000).
PARETO_SLOTS_BESIDE_WINDOWS = 64
MEMO_ENTRIES = 1 << 23  # weights covered by the memo's windows, over all depths (at most 64 MiB)
MEMO_SIZE, MEMO_START, MEMO_LENGTH, MEMO_LOW = 0, 1, 2, 3  # columns of Knapsack.memo_index
LIVE_GRID = 256  # node weights per depth at which _live_weights evaluates the bound (at most)
LIVE_CELLS = 1 << 18  # (depth, weight) pairs evaluated by _live_weights (fewer weights per depth when deep)
UNCACHED = NO_BOUND - 1  # cached_bound: not computed yet
BEST, CACHE_WIDTH = 0, 4  # Knapsack.scratch: the best value found, then the bound cache's entries
MAX_BIDIRECTIONAL = 50  # items: each half lists up to 2^25 (weight, profit) pairs


class Knapsack(NamedTuple):
    """A knapsack instance prepared for the engine (build it with :func:`prepare`).

    Item arrays (int64[n], n = free items, in decreasing profit/weight order): ``profit``,
    ``weight``, ``item`` (its index in the input, -1 for a padding item). ``prefix_profit`` and
    ``prefix_weight`` (int64[n+1]) are their prefix sums. ``branch`` (int64[n]) is the variable
    decided at each depth; ``lo_at``/``hi_at`` (int64[n+1]) the decided interval after each depth.
    ``pivot``: items ``[0, pivot)`` are in at the root. ``capacity`` is what is left after the
    items fixed in before the search (``fixed_in``, input indices), whose profit ``base_profit``
    starts the root state's ``PROFIT`` (so profits in states, bounds and incumbents are whole
    solution values). ``min_count``/``max_count`` bound the number of free items of any solution
    better than the greedy one. ``scratch`` (int64) is written by hooks: ``scratch[BEST]`` tracks
    the best value found (read by ``propagate``), then the bound cache of ``combo`` (per depth
    and value of the decision that leads there, the profit, weight and count of the child last
    ordered by :func:`better_lagrangian_first` and its Lagrangian interval bound, see
    :func:`cache_slot`; a separate array would be one more field of this tuple, and one more
    field halved the node rate of the compiled loop). ``memo_*`` is the dominance memo (see
    :func:`dominated_by_earlier`):
    per depth ``d``, a Pareto list of (weight, profit) sorted by weight in ``memo_lists[0, d]`` and
    ``memo_lists[1, d]``, and for the states beyond a full list a window of node weights
    (``memo_index[d]``: list size, start in ``memo_best`` or -1 until the list fills, length,
    lowest weight) holding for each weight the best profit recorded at that weight or less; the
    windows are taken from ``memo_best`` (int32 when every profit fits, else int64) in the order
    the lists fill (its next free entry is
    ``memo_index[-1, MEMO_START]``). ``start_value``/``start_choice`` are the greedy
    incumbent handed to the engine (or -1 and empty).

    Lagrangian relaxation of the cardinality constraint (``combo``): ``lam`` (int, 0 if unused)
    and ``lam_count`` (``max_count`` if ``lam`` >= 0, else ``min_count``); ``reduced`` (int64[n])
    = ``profit - lam`` and ``prefix_reduced`` its prefix sums; items are then in decreasing
    ``reduced / weight`` order and the first ``positive`` of them have ``reduced`` > 0.
    ``profit_gcd``: gcd of the free items' profits (1 if unused): every solution is worth
    ``base_profit`` plus a multiple of it, so bounds are rounded down to such values.

    Ratio classes (``combo`` with ``lam`` = 0, see :func:`unit_bound`): items of equal
    profit/weight are consecutive; item ``j``'s class is ``[class_start[j], class_end[j])`` and
    every item of it is a whole multiple of the class's unit item ``(unit_profit[j],
    unit_weight[j])`` (the ratio in lowest terms). ``unit_weight`` is all zero when unused.
    """

    profit: np.ndarray
    weight: np.ndarray
    item: np.ndarray
    prefix_profit: np.ndarray
    prefix_weight: np.ndarray
    branch: np.ndarray
    lo_at: np.ndarray
    hi_at: np.ndarray
    pivot: int
    capacity: int
    base_profit: int
    fixed_in: np.ndarray
    min_count: int
    max_count: int
    scratch: np.ndarray
    memo_lists: np.ndarray
    memo_index: np.ndarray
    memo_best: np.ndarray
    start_value: int
    start_choice: np.ndarray
    lam: int
    lam_count: int
    reduced: np.ndarray
    prefix_reduced: np.ndarray
    positive: int
    profit_gcd: int
    class_start: np.ndarray
    class_end: np.ndarray
    unit_profit: np.ndarray
    unit_weight: np.ndarray
    core_nodes: int = 0  # nodes the engine spent on core subproblems while preparing (not in the search's stats)

    def space(self):
        """The engine's view; also clears the scratch arrays, so a problem value can be re-solved."""
        n = self.profit.shape[0]
        self.memo_index[:, MEMO_SIZE] = 0
        self.memo_index[:, MEMO_START] = -1  # windows are taken (and cleared) when their list fills
        self.memo_index[-1, MEMO_START] = 0
        self.scratch[BEST] = self.start_value
        self.scratch[BEST + 1 :] = -1  # no node has a negative profit: the bound cache matches none
        state = np.zeros(STATE_WIDTH, np.int64)
        state[PROFIT] = self.base_profit + self.prefix_profit[self.pivot]
        state[WEIGHT] = self.prefix_weight[self.pivot]
        state[COUNT] = self.pivot
        incumbent = None
        if self.start_value >= 0:
            incumbent = (int(self.start_value), self.start_choice.tolist())
        return Space(n_vars=n, n_values=2, state=state, incumbent=incumbent)

    def chosen_items(self, values):
        """Input indices (sorted) of the items a solution of the engine takes."""
        chosen = [int(i) for i in self.fixed_in]
        chosen += [int(self.item[var]) for var, value in enumerate(values) if value == 1 and self.item[var] >= 0]
        return sorted(chosen)


# ---------------------------------------------------------------- LP bounds from prefix sums


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


# ---------------------------------------------------------------- ratio classes (combo, lam = 0)
#
# The free items of a node with decided interval [lo, hi) are F = [0, lo) (in) and [hi, n) (out);
# in ratio order, the LP relaxation over F (capacity: what the decided items leave) is the plain
# bound. Items of equal ratio form a class, consecutive in ratio order; the class's unit (pu, wu)
# has wu = the gcd of its weights, so the free items of a class that any solution takes weigh a
# whole number a of units and are worth a pu. Let c = [cs, ce) be the class of the LP's break
# item and Rc the room the LP leaves it after F's items before cs; K = floor(Rc / wu).
# - Solutions with a <= k units of c: the LP with c capped at k units bounds them (F's items
#   before cs, k units, the rest filled from ce on), and it decreases with k. For each exact
#   a = K, K-1, ..., the next class is also taken in whole units (units_then_fill); the
#   enumeration stops when the capped LP of the next a cannot beat the best so far, or after
#   UNIT_STEPS values (then that capped LP is the bound of the rest).
# - Solutions with a >= k > K units: the LP with at least k units takes exactly k (more only
#   displaces higher ratios) and removes the excess from F's items before cs; it decreases with
#   k. For each exact a = K+1, K+2, ..., the class before c is removed in whole units
#   (removal_in_units), with the same stopping rule.
# The bound is the largest value over both sides, never above the LP bound. On Pisinger's
# spanner instances (types 11-13: every item a multiple 1..10 of one of two spanner items, so
# two classes whose units are the spanner items) it is the exact optimum of the two-class
# integer relaxation, which at the root already equals the optimum in the instances looked at.


@jitable
def free_weight(problem, x, lo, hi):
    """Weight of the free items (``[0, lo)`` and ``[hi, n)``) before ratio position ``x``."""
    pw = problem.prefix_weight
    return pw[min(x, lo)] + max(0, pw[max(x, hi)] - pw[hi])


@jitable
def free_profit(problem, x, lo, hi):
    """Profit of the free items before ratio position ``x``."""
    pp = problem.prefix_profit
    return pp[min(x, lo)] + max(0, pp[max(x, hi)] - pp[hi])


@jitable
def range_fill(problem, start, stop, residual):
    """LP value of filling ``residual`` with items ``[start, stop)`` in ratio order."""
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    end = last_within(pw, start, stop, pw[start] + residual)
    gain = pp[end] - pp[start]
    if end < stop:
        room = residual - (pw[end] - pw[start])
        gain += room * problem.profit[end] // problem.weight[end]
    return gain


@jitable
def free_fill(problem, x, lo, hi, residual):
    """LP value of filling ``residual`` with the free items from ratio position ``x`` on."""
    n = problem.profit.shape[0]
    gain = 0
    if x < lo:
        first = problem.prefix_weight[lo] - problem.prefix_weight[x]
        if residual <= first:
            return range_fill(problem, x, lo, residual)
        gain = problem.prefix_profit[lo] - problem.prefix_profit[x]
        residual -= first
    start = max(x, hi)
    return gain + range_fill(problem, start, n, residual)


@jitable
def range_removal(problem, start, stop, excess):
    """LP cost (rounded up) of removing ``excess`` (> 0, at most their weight) from items
    ``[start, stop)``, lowest ratio first."""
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    part = last_within_from_stop(pw, start, stop, pw[stop] - excess)
    rest = excess - (pw[stop] - pw[part + 1])
    w = problem.weight[part]
    return pp[stop] - pp[part + 1] + (rest * problem.profit[part] + w - 1) // w


@jitable
def free_removal(problem, x, lo, hi, excess):
    """LP cost of removing ``excess`` (> 0) from the free items before ratio position ``x``
    (lowest ratio first); -1 if they weigh less."""
    if free_weight(problem, x, lo, hi) < excess:
        return -1
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    cost = 0
    if x > hi:
        last = pw[x] - pw[hi]
        if excess <= last:
            return range_removal(problem, hi, x, excess)
        cost = pp[x] - pp[hi]
        excess -= last
    return cost + range_removal(problem, 0, min(x, lo), excess)


UNIT_STEPS = 256  # unit counts of the break item's class tried by unit_bound
UNIT_CLASS_SIZE = 2  # items per ratio class, on average, for unit_bound to be used


@jitable
def next_free(x, lo, hi):
    """The first free ratio position from ``x`` on."""
    if lo <= x < hi:
        return hi
    return x


@jitable
def units_then_fill(problem, cs, x, lo, hi, residual):
    """Upper bound of what the free items from ratio position ``x`` on add within ``residual``
    when those before ``cs`` may be removed (and those in ``[cs, x)`` stay as they are), the
    first class from ``x`` (whose free items weigh multiples of its unit) taken in whole units.
    With at most ``k = residual // unit`` units, the value grows with them (the later items have
    lower ratios, removing earlier ones does not pay): k, the rest filled by LP. With more, the
    LP takes exactly k + 1 and removes the excess from the items before ``cs``."""
    n = problem.profit.shape[0]
    x = next_free(x, lo, hi)
    if x >= n:
        return 0
    end = problem.class_end[x]
    wu = problem.unit_weight[x]
    pu = problem.unit_profit[x]
    available = free_weight(problem, end, lo, hi) - free_weight(problem, x, lo, hi)
    units = min(residual, available) // wu
    best = units * pu + free_fill(problem, end, lo, hi, residual - units * wu)
    if (units + 1) * wu <= available:
        cost = free_removal(problem, cs, lo, hi, (units + 1) * wu - residual)
        if cost >= 0:
            best = max(best, (units + 1) * pu - cost)
    return best


@jitable
def removal_in_units(problem, cs, ce, lo, hi, excess):
    """Upper bound of the net value (<= 0) of removing ``excess`` (> 0) weight from the free items
    before ratio position ``cs`` (the items in ``[cs, ce)`` staying as they are), the last class
    before ``cs`` (whose free items weigh multiples of its unit) removed in whole units; NO_BOUND
    if impossible. Removing d >= k = ceil(excess / unit) units costs the most for k (each further
    unit costs its profit and frees room worth at most that, refilled from ``ce`` on by LP);
    removing fewer, the LP removes as many as it can (up to k - 1) and the rest from the classes
    before it."""
    if cs > hi:
        x = cs - 1
    elif cs > lo:
        x = lo - 1
    else:
        x = cs - 1
    if x < 0:
        return NO_BOUND
    start = problem.class_start[x]
    wu = problem.unit_weight[x]
    pu = problem.unit_profit[x]
    available = free_weight(problem, problem.class_end[x], lo, hi) - free_weight(problem, start, lo, hi)
    units = (excess + wu - 1) // wu
    best = NO_BOUND
    if units * wu <= available:
        best = -units * pu + free_fill(problem, ce, lo, hi, units * wu - excess)
    fewer = min(units - 1, available // wu)
    cost = free_removal(problem, start, lo, hi, excess - fewer * wu)
    if cost >= 0:
        best = max(best, -fewer * pu - cost)
    return best


@jitable
def unit_bound(problem, profit, weight, lo, hi):
    """Bound of a node (``profit``, ``weight``, decided interval ``[lo, hi)``) with whole units of
    its break item's ratio class and of the class next to it (see above); ``lam`` must be 0."""
    n = problem.profit.shape[0]
    pw = problem.prefix_weight
    decided_weight = weight - pw[lo]
    decided_profit = profit - problem.prefix_profit[lo]
    room = problem.capacity - decided_weight
    total = free_weight(problem, n, lo, hi)
    if room >= total:
        return decided_profit + free_profit(problem, n, lo, hi)
    if room < 0:
        return NO_BOUND
    # The break item: the first free item that does not fit whole.
    if room < pw[lo]:
        b = last_within(pw, 0, lo, room)
    else:
        b = last_within(pw, hi, n, room - pw[lo] + pw[hi])
    cs = problem.class_start[b]
    ce = problem.class_end[b]
    wu = problem.unit_weight[b]
    pu = problem.unit_profit[b]
    before = free_weight(problem, cs, lo, hi)
    rc = room - before
    available = free_weight(problem, ce, lo, hi) - before
    units = rc // wu
    base = decided_profit + free_profit(problem, cs, lo, hi)
    # Solutions with a <= units of the class: the LP with the class capped at a bounds all of
    # them (and decreases with a); each a is bounded with whole units of the next class.
    best = NO_BOUND
    a = units
    steps = 0
    while a >= 0:
        capped = base + a * pu + free_fill(problem, ce, lo, hi, rc - a * wu)
        if capped <= best:
            break
        if steps == UNIT_STEPS:
            best = capped
            break
        best = max(best, base + a * pu + units_then_fill(problem, cs, ce, lo, hi, rc - a * wu))
        a -= 1
        steps += 1
    # Solutions with a > units: the LP with at least a of the class (removing the excess from
    # the items before it) bounds them; each a is bounded with whole units removed of the class
    # before.
    a = units + 1
    steps = 0
    while a * wu <= available:
        cost = free_removal(problem, cs, lo, hi, a * wu - rc)
        if cost < 0:
            break
        capped = base + a * pu - cost
        if capped <= best:
            break
        if steps == UNIT_STEPS:
            best = capped
            break
        net = removal_in_units(problem, cs, ce, lo, hi, a * wu - rc)
        if net != NO_BOUND:
            best = max(best, base + a * pu + net)
        a += 1
        steps += 1
    return best


@jitable
def on_profit_grid(problem, bound):
    """``bound`` rounded down to ``base_profit`` plus a multiple of ``profit_gcd`` (every solution
    value is one)."""
    g = problem.profit_gcd
    if g > 1 and bound != NO_BOUND:
        bound = problem.base_profit + (bound - problem.base_profit) // g * g
    return bound


@jitable
def cache_slot(depth, value):
    """Where the bound cache entry (profit, weight, count, bound) of the child reached at
    ``depth`` by ``value`` starts in ``Knapsack.scratch``."""
    return BEST + 1 + CACHE_WIDTH * (2 * depth + value)


@jitable
def cached_bound(problem, depth, profit, weight, count):
    """The Lagrangian interval bound of a node at ``depth`` with these totals if
    :func:`better_lagrangian_first` computed it when ordering its parent's values, else
    ``UNCACHED``."""
    cache = problem.scratch
    for value in range(2):
        at = cache_slot(depth, value)
        if cache[at] == profit and cache[at + 1] == weight and cache[at + 2] == count:
            return cache[at + 3]
    return UNCACHED


def _bound_hooks(interval_bound_of):
    """``combo``'s three bound hooks around an interval bound (:func:`lagrangian_interval_bound`
    or :func:`both_interval_bound`): each variant is compiled with only its own bound."""

    @jitable
    def bound_first(problem, state, domains, assign, var, out):
        """``order_values``: as :func:`better_bound_first` with the interval bound; the two
        children's bounds are cached in ``scratch`` for the two hooks below to read."""
        depth = state[DEPTH] + 1
        lo = problem.lo_at[depth]
        hi = problem.hi_at[depth]
        cache = problem.scratch
        for value in range(2):
            at = cache_slot(depth, value)
            profit, weight, count = child_totals(problem, state, var, value)
            cache[at] = profit
            cache[at + 1] = weight
            cache[at + 2] = count
            cache[at + 3] = interval_bound_of(problem, profit, weight, count, lo, hi)
        bound_in = cache[cache_slot(depth, 1) + 3]
        bound_out = cache[cache_slot(depth, 0) + 3]
        return higher_bound_first(problem, var, bound_in, bound_out, out)

    @jitable
    def decision_bound(problem, state, domains, assign, var, value):
        """``decision_bound``: the interval bound of the child ``var = value`` from its parent's
        totals (read from the cache that ordering the values filled, computed when the decision
        was forced by a prefix), rounded like ``bound``: a child that cannot beat the incumbent
        is cut before it is built."""
        depth = state[DEPTH] + 1
        profit, weight, count = child_totals(problem, state, var, value)
        bound = cached_bound(problem, depth, profit, weight, count)
        if bound == UNCACHED:
            bound = interval_bound_of(problem, profit, weight, count, problem.lo_at[depth], problem.hi_at[depth])
        return on_profit_grid(problem, bound)

    @jitable(inline="always")
    def bound(problem, state, domains, assign):
        """``bound``: the interval bound (with ``lam`` = 0, the LP bound tightened by
        :func:`unit_bound`), rounded down to ``base_profit`` plus a multiple of ``profit_gcd``;
        usually read from the cache that ordering the parent's values filled."""
        depth = state[DEPTH]
        lo, hi = problem.lo_at[depth], problem.hi_at[depth]
        value = cached_bound(problem, depth, state[PROFIT], state[WEIGHT], state[COUNT])
        if value == UNCACHED:
            value = interval_bound_of(problem, state[PROFIT], state[WEIGHT], state[COUNT], lo, hi)
        if problem.lam == 0 and problem.unit_weight[0] > 0 and value != NO_BOUND:
            value = min(value, unit_bound(problem, state[PROFIT], state[WEIGHT], lo, hi))
        return on_profit_grid(problem, value)

    return bound_first, decision_bound, bound


# The Lagrangian bound hooks of combo, and those of its variant with the plain bound beside.
better_lagrangian_first, lagrangian_decision_bound, lagrangian_bound = _bound_hooks(lagrangian_interval_bound)
better_of_both_first, both_decision_bound, both_bound = _bound_hooks(both_interval_bound)


# ---------------------------------------------------------------- decisions


@jitable
def take_or_leave(problem, state, var, value):
    """``apply``: a decision on an item left of the pivot may remove it, right of it add it."""
    if var < problem.pivot:
        if value == 0:
            state[PROFIT] -= problem.profit[var]
            state[WEIGHT] -= problem.weight[var]
            state[COUNT] -= 1
    elif value == 1:
        state[PROFIT] += problem.profit[var]
        state[WEIGHT] += problem.weight[var]
        state[COUNT] += 1
    state[DEPTH] += 1


@jitable
def child_weight(problem, state, var, value):
    weight = state[WEIGHT]
    if var < problem.pivot:
        if value == 0:
            weight -= problem.weight[var]
    elif value == 1:
        weight += problem.weight[var]
    return weight


@jitable
def fits(problem, state, assign, var, value):
    """``is_feasible``: the child can still be made to fit, even by removing every item left of
    its decided interval."""
    lo = problem.lo_at[state[DEPTH] + 1]
    return child_weight(problem, state, var, value) - problem.prefix_weight[lo] <= problem.capacity


@jitable
def within_capacity(problem, state, assign):
    """``accept`` of ``naive``: the complete assignment fits."""
    return state[WEIGHT] <= problem.capacity


@jitable
def total_profit(problem, state, assign):
    """``objective``: the profit of the chosen items. Also records the best value reached in the
    ``scratch[BEST]`` slot (the engine takes the same maximum) for ``propagate`` to read."""
    value = state[PROFIT]
    if value > problem.scratch[BEST]:
        problem.scratch[BEST] = value
    return value


@jitable
def by_depth(problem, state, domains, assign, depth):
    """``select_variable``: the precomputed branching order (ratio order or outwards from the break)."""
    return problem.branch[depth]


@jitable
def take_first(problem, state, domains, assign, var, out):
    """``order_values``: take the item first, then leave it (values left in its domain only)."""
    count = 0
    if dom_contains(domains, var, 1):
        out[count] = 1
        count += 1
    if dom_contains(domains, var, 0):
        out[count] = 0
        count += 1
    return count


@jitable
def child_totals(problem, state, var, value):
    """(profit, weight, count) of the child that gives ``var`` the value ``value``."""
    profit, weight, count = state[PROFIT], state[WEIGHT], state[COUNT]
    if var < problem.pivot:
        if value == 0:
            profit -= problem.profit[var]
            weight -= problem.weight[var]
            count -= 1
    elif value == 1:
        profit += problem.profit[var]
        weight += problem.weight[var]
        count += 1
    return profit, weight, count


@jitable
def higher_bound_first(problem, var, bound_in, bound_out, out):
    """Write the value whose child has the higher bound first (ties: the break solution's value)."""
    first = 1 if var < problem.pivot else 0
    if bound_in > bound_out:
        first = 1
    elif bound_out > bound_in:
        first = 0
    out[0] = first
    out[1] = 1 - first
    return 2


@jitable(inline="always")
def better_bound_first(problem, state, domains, assign, var, out):
    """``order_values`` of the core strategies: the child with the higher LP bound first (ties:
    the break solution's value), so good states reach the dominance memo early."""
    lo = problem.lo_at[state[DEPTH] + 1]
    hi = problem.hi_at[state[DEPTH] + 1]
    profit_in, weight_in, _ = child_totals(problem, state, var, 1)
    profit_out, weight_out, _ = child_totals(problem, state, var, 0)
    bound_in = interval_bound(problem, profit_in, weight_in, lo, hi)
    bound_out = interval_bound(problem, profit_out, weight_out, lo, hi)
    return higher_bound_first(problem, var, bound_in, bound_out, out)


# ---------------------------------------------------------------- propagation (strategy reduction)


@jitable
def fill_skipping(problem, start, residual, skip):
    """LP value of filling ``residual`` with items ``[start, n)`` except item ``skip``."""
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    before = pw[skip] - pw[start]
    if residual <= before:
        return fill_from(problem, start, residual) if residual < before else pp[skip] - pp[start]
    return pp[skip] - pp[start] + fill_from(problem, skip + 1, residual - before)


@jitable(inline="always")
def fix_by_bound(problem, state, domains, assign, var, value):
    """``propagate`` of ``reduction`` (ratio order: the undecided items are ``[hi, n)``): remove
    value 1 of an item that no longer fits or whose taking cannot beat the incumbent, and value 0
    of an item whose leaving cannot; a domain wiped out cuts the node."""
    n = problem.profit.shape[0]
    hi = problem.hi_at[state[DEPTH]]
    residual = problem.capacity - state[WEIGHT]
    best = problem.scratch[BEST]
    for j in range(hi, n):
        if dom_contains(domains, j, 1):
            w = problem.weight[j]
            if w > residual:
                if not dom_remove(domains, j, 1):
                    return False
            elif state[PROFIT] + problem.profit[j] + fill_skipping(problem, hi, residual - w, j) <= best:
                if not dom_remove(domains, j, 1):
                    return False
        if dom_contains(domains, j, 0):
            if state[PROFIT] + fill_skipping(problem, hi, residual, j) <= best:
                if not dom_remove(domains, j, 0):
                    return False
    return True


# ---------------------------------------------------------------- dominance and cardinality (combo)


@jitable
def cardinality_cut(problem, state):
    """A node whose item count cannot end within [min_count, max_count] cannot beat the incumbent."""
    depth = state[DEPTH]
    fewest = state[COUNT] - problem.lo_at[depth]  # every item left of the interval removed
    most = state[COUNT] + problem.profit.shape[0] - problem.hi_at[depth]  # every item right of it added
    return fewest > problem.max_count or most < problem.min_count


@jitable
def pareto_dominated(lists, index, depth, weight, profit):
    """Is (weight, profit) dominated by a state of the Pareto list of ``depth`` (``lists``,
    ``index``: ``Knapsack.memo_lists`` and ``memo_index``)? If not, the list takes it (dropping
    the states it dominates); returns -1 if the list is full and did not."""
    ws = lists[0, depth]
    ps = lists[1, depth]
    size = index[depth, MEMO_SIZE]
    # The last entry with weight <= ours has the highest profit among all such entries.
    low = 0
    high = size
    while low < high:
        mid = (low + high) // 2
        if ws[mid] <= weight:
            low = mid + 1
        else:
            high = mid
    at = low  # entries [0, at) weigh <= weight
    if at > 0 and ps[at - 1] >= profit:
        return 1
    start = at
    if at > 0 and ws[at - 1] == weight:
        start = at - 1  # same weight, less profit: replaced
    stop = start
    while stop < size and ps[stop] <= profit:
        stop += 1  # entries [start, stop) are dominated by the new state
    capacity = ws.shape[0]
    if stop == start and size == capacity:
        return -1
    shift = 1 - (stop - start)
    if shift > 0:
        for i in range(size - 1, stop - 1, -1):
            ws[i + 1] = ws[i]
            ps[i + 1] = ps[i]
    elif shift < 0:
        for i in range(stop, size):
            ws[i + shift] = ws[i]
            ps[i + shift] = ps[i]
    ws[start] = weight
    ps[start] = profit
    index[depth, MEMO_SIZE] = size + shift
    return 0


@jitable
def memo_window(index, best, depth):
    """Start in ``best`` (``Knapsack.memo_best``) of the window of ``depth``; the first call (its
    Pareto list has just filled) takes the window from the pool and clears it, so only the
    depths that need a window cost memory and time."""
    start = index[depth, MEMO_START]
    if start < 0:
        pool = index.shape[0] - 1
        start = index[pool, MEMO_START]
        stop = start + index[depth, MEMO_LENGTH]
        for i in range(start, stop):
            best[i] = -1  # below every state's profit (profits are >= 0)
        index[pool, MEMO_START] = stop
        index[depth, MEMO_START] = start
    return start


@jitable
def memo_record(index, best, depth, start, weight, profit):
    """Record a state at ``depth`` in its window (at ``start``): raise the prefix maxima from its
    weight on (a state lighter than the window counts as weighing its bottom: weaker, still
    sound; one heavier than the window is not recorded)."""
    i = start + max(weight - index[depth, MEMO_LOW], 0)
    stop = start + index[depth, MEMO_LENGTH]
    while i < stop and best[i] < profit:
        best[i] = profit
        i += 1


@jitable
def memo_dominated(lists, index, best, depth, weight, profit):
    """Is (weight, profit) dominated by a state recorded at ``depth`` in the dominance memo
    (``Knapsack.memo_lists``, ``memo_index``, ``memo_best``)? If not, the memo records it.
    Only the memo's arrays are passed: a call that is not inlined stays cheap."""
    listed = pareto_dominated(lists, index, depth, weight, profit)
    if listed >= 0:
        return listed == 1
    # The Pareto list of this depth is full: the states beyond it are in the window.
    start = memo_window(index, best, depth)
    if weight < index[depth, MEMO_LOW]:
        return False  # no state of the window is known to weigh less
    offset = min(weight - index[depth, MEMO_LOW], index[depth, MEMO_LENGTH] - 1)
    if best[start + offset] >= profit:
        return True
    memo_record(index, best, depth, start, weight, profit)
    return False


@jitable
def dominated_by_earlier(problem, state, assign, depth):
    """``dominated`` of ``combo``: cut a node whose (profit, weight) is dominated by an earlier
    node at the same depth (profit >= and weight <=), or that fails the cardinality bound.

    Sound for goal optimize because the branching order is fixed (every node at a depth has
    decided the same items, so the dominating node has every completion of this one, at least
    as profitable) and the search is depth-first: an earlier node at the same depth has had its
    subtree searched to the end, or cut by a test that proves it cannot beat the incumbent
    (bound, reduction, dominance), and the incumbent only improves. The memo keeps, per depth,
    the Pareto list of (weight, profit) seen (:func:`pareto_dominated`); once it is full, further
    states go to a window of weights (:func:`_memo_windows`) that holds, for each weight w, the
    best profit seen with a weight up to w: a query reads one entry, a record raises the entries
    from its weight up to the next better state. States outside the window are recorded weaker
    or not at all (fewer cuts, never a wrong one).
    """
    if cardinality_cut(problem, state):
        return True
    return memo_dominated(
        problem.memo_lists, problem.memo_index, problem.memo_best, depth, state[WEIGHT], state[PROFIT]
    )


@jitable
def weight_and_profit(problem, state, assign):
    """``summarize`` for meet in the middle: join halves on weight, score by profit."""
    return state[WEIGHT], state[PROFIT]


# ---------------------------------------------------------------- strategies


def _combo(bound_hooks, description):
    """A ``combo`` strategy around one set of its bound hooks (see :func:`_bound_hooks`)."""
    order_values, decision_bound, bound = bound_hooks
    return Strategy(
        "combo",
        Knapsack,
        select_variable=by_depth,
        order_values=order_values,
        apply=take_or_leave,
        objective=total_profit,
        is_feasible=fits,
        decision_bound=decision_bound,
        bound=bound,
        dominated=dominated_by_earlier,
        description=description,
    )


STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "naive",
            Knapsack,
            select_variable=by_depth,
            apply=take_or_leave,
            objective=total_profit,
            accept=within_capacity,
            description="enumerate every subset, check the capacity at the leaves",
        ),
        Strategy(
            "feasibility",
            Knapsack,
            select_variable=by_depth,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            description="cut when the weight exceeds the capacity",
        ),
        Strategy(
            "dantzig",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            description="feasibility + LP (Dantzig) bound, ratio order, greedy incumbent",
        ),
        Strategy(
            "martello-toth",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=martello_toth_bound,
            description="feasibility + Martello-Toth bound U2, ratio order, greedy incumbent",
        ),
        Strategy(
            "reduction",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            propagate=fix_by_bound,
            description="dantzig + fix items that cannot fit or whose other value cannot beat the incumbent",
        ),
        Strategy(
            "core",
            Knapsack,
            select_variable=by_depth,
            order_values=better_bound_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            description="root reduction, branch outwards from the break item, LP bound of the interval",
        ),
        _combo(
            (better_lagrangian_first, lagrangian_decision_bound, lagrangian_bound),
            "core + improved incumbent, Lagrangian cardinality bound and reduction, dominance "
            "of (profit, weight) states per depth (default)",
        ),
    )
}

DEFAULT_STRATEGY = "combo"

# combo with the plain LP bound beside the Lagrangian one (both_interval_bound), for the problems
# where that is sound; search_strategy picks it. A separate compiled loop: testing at every node
# whether the plain bound applies made combo 30-50 % slower on the other instances.
COMBO_BOTH_BOUNDS = _combo(
    (better_of_both_first, both_decision_bound, both_bound),
    "combo, bounded by the smaller of the Lagrangian and plain LP bounds",
)


def plain_bound_applies(problem):
    """Is the plain LP bound sound beside the Lagrangian one for ``problem`` (a :class:`Knapsack`):
    lam is not 0 and the items, in lam order, are also in profit/weight order?"""
    return _plain_bound_sound(problem.lam, problem.profit, problem.weight)


def search_strategy(problem, strategy_name):
    """The strategy that searches ``problem`` for ``strategy_name``: ``combo`` takes its variant
    with both bounds when :func:`plain_bound_applies`."""
    if strategy_name == "combo" and plain_bound_applies(problem):
        return COMBO_BOTH_BOUNDS
    return STRATEGIES[strategy_name]


# How each strategy's problem value is prepared: core = branch outwards from the break item,
# reduce = fix items at the root by bound, incumbent = start from the greedy solution,
# memo = allocate the dominance memo, lagrange = improve the incumbent by local search, choose
# the Lagrangian multiplier of the cardinality constraint, reduce with its bound and order the
# items by reduced profit / weight.
LAYOUTS = {
    "naive": {"core": False, "reduce": False, "incumbent": False, "memo": False},
    "feasibility": {"core": False, "reduce": False, "incumbent": False, "memo": False},
    "dantzig": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "martello-toth": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "reduction": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "core": {"core": True, "reduce": True, "incumbent": True, "memo": False},
    "combo": {"core": True, "reduce": True, "incumbent": True, "memo": True, "lagrange": True},
}

# Meet in the middle: each half of the items is enumerated by the engine (``fits`` prunes a half
# that is already too heavy) and summarised as (weight, profit); backtrack.bidirectional joins the
# halves on weight <= capacity. Zero-weight items stay free variables here, so that no profit is
# counted in both halves' root states.
STRATEGIES["bidirectional"] = Strategy(
    "bidirectional",
    Knapsack,
    select_variable=by_depth,
    apply=take_or_leave,
    objective=total_profit,
    is_feasible=fits,
    summarize=weight_and_profit,
    description=f"meet in the middle: best profit per weight in each half, joined (n <= {MAX_BIDIRECTIONAL})",
)
LAYOUTS["bidirectional"] = {"core": False, "reduce": False, "incumbent": False, "memo": False, "keep_zero": True}


# ---------------------------------------------------------------- preprocessing (plain Python)


class Instance(NamedTuple):
    """A knapsack instance as read: profits and weights (lists of int), capacity, name, and the
    optimum given by the file (or None)."""

    name: str
    profits: list
    weights: list
    capacity: int
    known_optimum: int | None = None


def check_range(instance):
    """Refuse an instance whose totals could overflow the hooks' int64 arithmetic."""
    p, w, c = instance.profits, instance.weights, instance.capacity
    if any(x < 0 for x in p) or any(x < 0 for x in w) or c < 0:
        raise ValueError(f"{instance.name}: profits, weights and the capacity must be non-negative")
    total_p = sum(p)
    total_w = sum(w)
    biggest = max(total_w, c, 1)
    if total_p >= SAFE_LIMIT or biggest >= SAFE_LIMIT or biggest * max(p, default=1) >= SAFE_LIMIT:
        raise ValueError(
            f"{instance.name}: profits and weights too large (sum of weights x largest profit must stay "
            f"below 2^62 for exact int64 bounds)"
        )


def ratio_order(profits, weights, indices):
    """``indices`` sorted by decreasing profit/weight, exactly (integer cross products), ties by index."""

    def compare(a, b):
        diff = profits[b] * weights[a] - profits[a] * weights[b]
        return diff if diff != 0 else a - b

    return sorted(indices, key=cmp_to_key(compare))


def greedy(profits, weights, order, capacity):
    """Greedy solution in ``order``: take each item that still fits; return (value, chosen set)."""
    room = capacity
    value = 0
    chosen = set()
    for j in order:
        if weights[j] <= room:
            room -= weights[j]
            value += profits[j]
            chosen.add(j)
    return value, chosen


def prepare(instance, strategy_name=DEFAULT_STRATEGY, core_search=True, hint=None, backend="numba"):
    """Build the :class:`Knapsack` problem value a strategy searches (see ``LAYOUTS``).

    Items that weigh nothing are taken and items heavier than the capacity left out before any
    strategy runs. With ``reduce``, the root LP bound fixes every item whose other value cannot
    beat the greedy incumbent (unless the incumbent itself has the other value). With
    ``lagrange``, the incumbent is first improved by local search, the Lagrangian bound reduces
    further, and (``core_search``) the engine searches core subproblems (:func:`_core_incumbent`)
    for a better incumbent, after which both reductions run again. ``hint`` (a set of input
    indices that fits) replaces the first incumbent if it is worth more. ``backend`` runs the core
    searches; their nodes are reported in ``Knapsack.core_nodes``.
    """
    check_range(instance)
    layout = LAYOUTS[strategy_name]
    p, w, capacity = instance.profits, instance.weights, instance.capacity
    n = len(p)
    if layout.get("keep_zero"):
        if n > MAX_BIDIRECTIONAL:
            raise ValueError(f"{instance.name}: bidirectional search takes up to {MAX_BIDIRECTIONAL} items, not {n}")
        fixed_in = []
        free = [j for j in range(n) if w[j] <= capacity]
    else:
        fixed_in = [j for j in range(n) if w[j] == 0]
        free = [j for j in range(n) if 0 < w[j] <= capacity]
    core_nodes = 0
    order = ratio_order(p, w, free)
    value, chosen = greedy(p, w, order, capacity)
    lagrange = layout.get("lagrange", False) and bool(order)
    if lagrange:
        value, chosen = _improve(p, w, order, capacity, value, chosen)
        value, chosen = _few_counts_start(p, w, order, capacity, value, chosen)
    if hint is not None and layout["incumbent"]:
        hinted = {j for j in hint if w[j] > 0}
        if sum(w[j] for j in hinted) > capacity:
            raise ValueError(f"{instance.name}: the hinted solution does not fit")
        if sum(p[j] for j in hinted) > value:
            value, chosen = sum(p[j] for j in hinted), hinted
    lam = 0
    for attempt in range(CORE_ROUNDS + 1):
        if layout["reduce"] and order:
            if lam != 0:
                order = ratio_order(p, w, order)
            target = value - sum(p[j] for j in fixed_in if w[j] > 0)  # the incumbent's free items
            order, fixed_now = _reduce(p, w, order, capacity, target, chosen, rounded=lagrange)
            fixed_in += fixed_now
            capacity -= sum(w[j] for j in fixed_now)
        lam = 0
        if lagrange and order and _lagrange_safe(instance):
            target = value - sum(p[j] for j in fixed_in if w[j] > 0)  # the incumbent's free items
            order, fixed_now, lam = _lagrangian_reduce(p, w, order, capacity, target, chosen)
            fixed_in += fixed_now
            capacity -= sum(w[j] for j in fixed_now)
        if attempt == CORE_ROUNDS or not (lagrange and core_search and order):
            break
        # A better incumbent from the engine on core subproblems, then reduce again with it.
        target = value - sum(p[j] for j in fixed_in if w[j] > 0)
        better, chosen, nodes = _core_incumbent(p, w, order, capacity, lam, target, chosen, backend)
        core_nodes += nodes
        if better <= target:
            break
        value += better - target
    base_profit = sum(p[j] for j in fixed_in)
    start_value = value + sum(p[j] for j in fixed_in if w[j] == 0) if layout["incumbent"] else -1
    items = list(order)
    if not items:
        items = [-1]  # the engine needs a variable: a padding item worth nothing
    m = len(items)
    profit = np.array([p[j] if j >= 0 else 0 for j in items], np.int64)
    weight = np.array([w[j] if j >= 0 else 0 for j in items], np.int64)
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
        slots = max(1, min(PARETO_ENTRIES // (m + 1), 1 << 16))
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
    start_choice = np.array([1 if j in chosen else 0 for j in items], np.int64)
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
        profit_gcd=math.gcd(*(int(x) for x in profit)) or 1 if lagrange else 1,
        class_start=class_start,
        class_end=class_end,
        unit_profit=unit_profit,
        unit_weight=unit_weight,
        core_nodes=core_nodes,
    )


def _plain_bound_sound(lam, profit, weight):
    """The test behind :func:`plain_bound_applies`, on the items (int64 arrays, in lam order)."""
    return lam != 0 and _in_ratio_order(profit, weight)


def _in_ratio_order(profit, weight):
    """Are the items (int64 arrays) in non-increasing profit/weight order? (Exact cross products.)"""
    if len(profit) < 2:
        return True
    return bool((profit[:-1].astype(object) * weight[1:] >= profit[1:].astype(object) * weight[:-1]).all())


def _ratio_classes(profit, weight, used):
    """(class_start, class_end, unit_profit, unit_weight) of the items in ratio order (see
    :class:`Knapsack`); unit weights all zero (:func:`unit_bound` unused) unless ``used``, every
    item weighs > 0 and the classes hold at least ``UNIT_CLASS_SIZE`` items on average (with
    mostly distinct ratios, as in Pisinger's types 14 and 16, it saved about 5% of the nodes at a
    higher cost per node: a net loss)."""
    m = len(profit)
    start = np.zeros(m, np.int64)
    end = np.zeros(m, np.int64)
    up = np.zeros(m, np.int64)
    uw = np.zeros(m, np.int64)
    if not used or m == 0 or (weight <= 0).any():
        return start, end, up, uw
    units = []
    seen = set()
    for j in range(m):
        g = math.gcd(int(profit[j]), int(weight[j]))
        units.append((int(profit[j]) // g, int(weight[j]) // g))
    j = 0
    while j < m:
        k = j
        while k < m and units[k] == units[j]:
            k += 1
        if units[j] in seen or (j > 0 and units[j][0] * units[j - 1][1] >= units[j - 1][0] * units[j][1]):
            return start, end, up, np.zeros(m, np.int64)  # not in decreasing ratio order: unused
        seen.add(units[j])
        # The class's unit: the gcd of its weights (each item is a whole number of them).
        unit = math.gcd(*(int(x) for x in weight[j:k]))
        start[j:k] = j
        end[j:k] = k
        up[j:k] = unit // units[j][1] * units[j][0]
        uw[j:k] = unit
        j = k
    if len(seen) * UNIT_CLASS_SIZE > m:
        return start, end, up, np.zeros(m, np.int64)
    return start, end, up, uw


def _lp_curve(prefix_weight, prefix_value, start, stop, amount):
    """LP value (float) of filling ``amount`` with items ``[start, stop)`` in their order, from the
    prefix sums (the arguments broadcast: one value per element)."""
    pw = prefix_weight.astype(float)
    limit = pw[start] + amount
    k = np.clip(np.searchsorted(pw, limit, side="right") - 1, start, stop)
    after = np.minimum(k + 1, len(pw) - 1)
    step = pw[after] - pw[k]
    partial = (k < stop) & (step > 0)
    slope = np.where(partial, (prefix_value[after] - prefix_value[k]) / np.where(partial, step, 1.0), 0.0)
    return prefix_value[k] - prefix_value[start] + (limit - pw[k]) * slope


def _live_weights(prefix_weight, prefix_reduced, positive, lo_at, hi_at, capacity, threshold, plain=None):
    """(low, high) int64 arrays: per depth, node weights outside [low, high] have a Lagrangian LP
    bound (in reduced profits, without its constant) of at most ``threshold``, or, with
    ``plain`` = (prefix_profit, plain threshold) when the plain bound applies too, a plain LP
    bound of at most that threshold; such nodes are cut by bound and the dominance memo need not
    cover them.

    At depth d (decided items [lo, hi)) the best such bound of a node weighing W is that of the
    items [0, lo) in, the decided items filling W - pw[lo] exactly by LP, and the LP completion
    (filling from hi, or removing from [0, lo)): a concave function of W, evaluated at
    ``LIVE_GRID`` weights (fewer when there are more than ``LIVE_CELLS / LIVE_GRID`` depths, so
    that the cost stays bounded); the interval of its grid points above the threshold is widened
    by one grid step each side. Only a placement heuristic: any window is sound.
    """
    pw = prefix_weight.astype(float)
    lo, hi = lo_at[:, None], hi_at[:, None]
    span = np.minimum(pw[hi_at] - pw[lo_at], capacity)[:, None]  # decided weight of a node that fits
    points = max(8, min(LIVE_GRID, LIVE_CELLS // len(lo_at)))
    decided = span * np.linspace(0.0, 1.0, points)[None, :]
    weight = pw[lo] + decided
    excess = np.maximum(weight - capacity, 0.0)

    def best_bound(prefix_value, stop):
        pv = prefix_value.astype(float)
        added = _lp_curve(prefix_weight, pv, hi, np.maximum(hi, stop), np.maximum(capacity - weight, 0.0))
        removed = pv[lo] - _lp_curve(prefix_weight, pv, 0, lo, np.maximum(pw[lo] - excess, 0.0))
        return pv[lo] + _lp_curve(prefix_weight, pv, lo, hi, decided) + np.where(excess > 0, -removed, added)

    bound = best_bound(prefix_reduced, positive)
    live = bound > threshold - 1.0
    if plain is not None:
        prefix_profit, plain_threshold = plain
        live &= best_bound(prefix_profit, len(prefix_profit) - 1) > plain_threshold - 1.0
    bound[excess > pw[lo]] = -np.inf
    live &= excess <= pw[lo]
    last = points - 1
    first = np.where(live.any(axis=1), live.argmax(axis=1), bound.argmax(axis=1))
    final = np.where(live.any(axis=1), last - live[:, ::-1].argmax(axis=1), bound.argmax(axis=1))
    rows = np.arange(len(lo_at))
    low = np.floor(weight[rows, np.maximum(first - 1, 0)])
    high = np.ceil(weight[rows, np.minimum(final + 1, last)])
    return low.astype(np.int64), high.astype(np.int64)


def _memo_windows(low, high):
    """(length, low) of each depth's memo window (int64 arrays, see :class:`Knapsack`): the live
    weights [low, high] of :func:`_live_weights`, or, when their total would exceed
    ``MEMO_ENTRIES``, the widest equal cap of them centred on each interval."""
    span = np.maximum(high - low + 1, 1)
    if int(span.sum()) > MEMO_ENTRIES:
        bottom, top = 1, int(span.max())  # the largest cap whose total fits
        while bottom < top:
            mid = (bottom + top + 1) // 2
            if int(np.minimum(span, mid).sum()) <= MEMO_ENTRIES:
                bottom = mid
            else:
                top = mid - 1
        length = np.minimum(span, bottom)
        low = low + (span - length) // 2
        span = length
    return span.astype(np.int64), low.astype(np.int64)


def _lp_without(p, w, pp, pw, idx, cap):
    """LP bounds (int64 arrays) of the sorted items without position ``idx[i]`` and capacity ``cap[i]``."""
    m = len(p)
    before = pw[idx]  # the items ahead of idx
    breaks_before = cap < before
    k = np.where(
        breaks_before,
        np.searchsorted(pw, cap, side="right") - 1,
        np.searchsorted(pw, cap + w[idx], side="right") - 1,  # prefix sums shift by w[idx] after idx
    )
    used = np.where(breaks_before, pw[k], pw[k] - w[idx])
    gain = np.where(breaks_before, pp[k], pp[k] - p[idx])
    at = np.minimum(k, m - 1)
    return gain + np.where(k < m, (cap - used) * p[at] // w[at], 0)


def _reduce(p, w, order, capacity, value, chosen, rounded=False):
    """Root reduction: (free items in ratio order, items fixed in). Items fixed out are dropped.

    An item the greedy solution takes is fixed in when the LP bound without it cannot beat the
    greedy value; an item it leaves is fixed out when the LP bound with it cannot. With
    ``rounded``, bounds are first rounded down to multiples of the gcd of the profits.
    """
    ps = np.array([p[j] for j in order], np.int64)
    ws = np.array([w[j] for j in order], np.int64)
    pp = np.concatenate(([0], np.cumsum(ps))).astype(np.int64)
    pw = np.concatenate(([0], np.cumsum(ws))).astype(np.int64)
    idx = np.arange(len(order))
    taken = np.array([j in chosen for j in order], bool)
    without = _lp_without(ps, ws, pp, pw, idx, np.full(len(order), capacity, np.int64))
    forced = ps + _lp_without(ps, ws, pp, pw, idx, capacity - ws)
    g = math.gcd(*(int(x) for x in ps)) if rounded else 1
    if g > 1:
        without = without // g * g
        forced = forced // g * g
    fix_in = taken & (without <= value)
    fix_out = ~taken & (forced <= value)
    free = [j for j, a, b in zip(order, fix_in, fix_out, strict=True) if not (a or b)]
    return free, [j for j, a in zip(order, fix_in, strict=True) if a]


def _outwards(pivot, m):
    """Branching order from the break item outwards: pivot, pivot-1, pivot+1, pivot-2, ..."""
    branch = []
    lo_at = [pivot]
    hi_at = [pivot]
    lo, hi = pivot, pivot
    while lo > 0 or hi < m:
        if hi < m and (hi - pivot <= pivot - lo or lo == 0):
            branch.append(hi)
            hi += 1
        else:
            lo -= 1
            branch.append(lo)
        lo_at.append(lo)
        hi_at.append(hi)
    return np.array(branch, np.int64), np.array(lo_at, np.int64), np.array(hi_at, np.int64)


def _improve(p, w, order, capacity, value, chosen, rounds=200):
    """Local search from the greedy solution: repeatedly the best single addition or 1-1 exchange
    (one item out, one in) that fits, while one gains; return (value, chosen set)."""
    items = np.array(order, np.int64)
    ps = np.array([p[j] for j in order], np.int64)
    ws = np.array([w[j] for j in order], np.int64)
    x = np.array([j in chosen for j in order], bool)
    room = capacity - int(ws[x].sum())
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
            by_weight = out[np.argsort(ws[out], kind="stable")]
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
    return value, {int(j) for j in items[x]}


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
    ps = np.array([p[j] for j in order], np.int64)
    ws = np.array([w[j] for j in order], np.int64)
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


def _lagrange_safe(instance):
    """Is the Lagrangian bound's arithmetic safe in int64 for some lam < 0 (see
    :func:`_lambda_range`)? Otherwise lam stays 0."""
    return _lambda_range(instance.profits, instance.weights, instance.capacity)[0] < 0


def _lambda_range(profit, weight, capacity):
    """(lowest, highest) integer lam worth trying, within what int64 arithmetic allows.

    The reduced profits p - lam, their prefix sums, lam times a count and the LP's products of a
    residual capacity and a reduced profit all stay below ``SAFE_LIMIT / 8`` when
    ``|lam| + max p`` times the largest of the total weight, the capacity and the item count
    does. Below -max p * max w, the items' (p - lam) / w order no longer changes: the
    Lagrangian bound is linear in lam there, and its minimum is at one end. Similar weights
    (Pisinger's class 9) need lam far below -max p: their count multiplier is about -max w
    times the weight multiplier."""
    top = max(profit, default=0)
    biggest = max(sum(weight), capacity, len(profit), 1)
    room = SAFE_LIMIT // (8 * biggest) - top  # the largest |lam| the arithmetic allows
    if room <= 0 or 8 * sum(profit) >= SAFE_LIMIT:
        return 0, 0
    return -min(room, max(top, 1) * (max(weight, default=0) + 1)), min(room, top)


def _lagrangian_value(profit, weight, capacity, lam, min_count, max_count):
    """Root Lagrangian bound for ``lam`` (floating point: only used to choose ``lam``)."""
    reduced = profit - float(lam)
    keep = reduced > 0
    r = reduced[keep]
    w = weight[keep].astype(float)
    order = np.argsort(-(r / w), kind="stable")
    r, w = r[order], w[order]
    cw = np.cumsum(w)
    k = int(np.searchsorted(cw, capacity, side="right"))
    value = float(r[:k].sum())
    if k < r.size:
        value += (capacity - (cw[k - 1] if k else 0.0)) * r[k] / w[k]
    return lam * (max_count if lam >= 0 else min_count) + value


def _choose_lambda(profit, weight, capacity, min_count, max_count):
    """The integer lam in :func:`_lambda_range` minimising the root Lagrangian bound (a convex
    function of lam: ternary search); 0 unless another value is strictly better."""
    lo, hi = _lambda_range(profit.tolist(), weight.tolist(), capacity)
    cache = {}

    def value(lam):
        if lam not in cache:
            cache[lam] = _lagrangian_value(profit, weight, capacity, lam, min_count, max_count)
        return cache[lam]

    while hi - lo > 2:
        m1 = lo + (hi - lo) // 3
        m2 = hi - (hi - lo) // 3
        if value(m1) <= value(m2):
            hi = m2
        else:
            lo = m1
    best = min(range(lo, hi + 1), key=lambda lam: (value(lam), abs(lam)))
    return best if value(best) < value(0) - 0.5 else 0


def lambda_order(profits, weights, indices, lam):
    """``indices`` by decreasing (profit - lam) / weight, exactly; ties by profit/weight, then index."""

    def compare(a, b):
        diff = (profits[b] - lam) * weights[a] - (profits[a] - lam) * weights[b]
        if diff == 0:
            diff = profits[b] * weights[a] - profits[a] * weights[b]
        return diff if diff != 0 else a - b

    return sorted(indices, key=cmp_to_key(compare))


def _lp_at(r, w, pr, pw, cap):
    """LP bounds (int64 array) of all the sorted items ``r``/``w`` at each capacity ``cap[i]``."""
    m = len(r)
    if m == 0:
        return np.zeros(len(cap), np.int64)
    k = np.searchsorted(pw, cap, side="right") - 1
    at = np.minimum(k, m - 1)
    return pr[k] + np.where(k < m, (cap - pw[k]) * r[at] // w[at], 0)


def _lagrangian_reduce(p, w, order, capacity, target, chosen, rounds=4):
    """Root reduction with the Lagrangian bound, repeated while it fixes items: (free items in
    lam order, items fixed in, lam). ``target`` is the incumbent's profit over ``order``'s items;
    items fixed out are dropped."""
    fixed = []
    lam = 0
    for _ in range(rounds):
        if not order:
            return order, fixed, 0
        ps = np.array([p[j] for j in order], np.int64)
        ws = np.array([w[j] for j in order], np.int64)
        min_count, max_count = _cardinality(ps, ws, capacity, target)
        lam = _choose_lambda(ps, ws, capacity, min_count, max_count)
        if lam == 0:
            return ratio_order(p, w, order), fixed, 0
        order = lambda_order(p, w, order, lam)
        ps = np.array([p[j] for j in order], np.int64)
        ws = np.array([w[j] for j in order], np.int64)
        rs = ps - lam
        count = max_count if lam >= 0 else min_count
        m = len(order)
        positive = int(np.count_nonzero(rs > 0))  # the first ones in lam order
        rp, wp = rs[:positive], ws[:positive]
        pr = np.concatenate(([0], np.cumsum(rp))).astype(np.int64)
        pw = np.concatenate(([0], np.cumsum(wp))).astype(np.int64)
        room = np.maximum(capacity - ws, 0)
        without = np.full(m, _lp_at(rp, wp, pr, pw, np.array([capacity]))[0], np.int64)
        forced = rs + _lp_at(rp, wp, pr, pw, room)
        if positive:
            idx = np.arange(positive)
            without[:positive] = _lp_without(rp, wp, pr, pw, idx, np.full(positive, capacity, np.int64))
            forced[:positive] = rp + _lp_without(rp, wp, pr, pw, idx, room[:positive])
        taken = np.array([j in chosen for j in order], bool)
        without += lam * count
        forced += lam * count
        g = math.gcd(*(int(x) for x in ps))
        if g > 1:  # every solution over these items is worth a multiple of g
            without = without // g * g
            forced = forced // g * g
        fix_in = taken & (without <= target)
        fix_out = ~taken & ((forced <= target) | (ws > capacity))
        if not (fix_in.any() or fix_out.any()):
            break
        now_in = [j for j, a in zip(order, fix_in, strict=True) if a]
        fixed += now_in
        capacity -= sum(w[j] for j in now_in)
        target -= sum(p[j] for j in now_in)
        order = [j for j, a, b in zip(order, fix_in, fix_out, strict=True) if not (a or b)]
    return order, fixed, lam


CORE_HALVES = (8, 16, 32, 64, 128)  # core subproblems: this many items each side of the break item
CORE_NODES = 65_000  # node limit of each core search (decisions cut by decision_bound count too)
CORE_ROUNDS = 3  # core searches, each followed by both reductions, while they improve the incumbent


def _core_incumbent(p, w, order, capacity, lam, target, chosen, backend):
    """Search core subproblems with the engine (``combo`` without core search): a window of
    ``order`` (lam order) around the break item is free, every other item keeps its value in
    the break solution, then (a large neighbourhood search) its value in the incumbent, whose
    window part is then the subproblem's first solution. Each window of ``CORE_HALVES`` is
    searched with up to ``CORE_NODES`` nodes; a window that would hold every item is not (that
    is the search itself). Return (best value over ``order``'s items, chosen set, nodes searched)."""
    from backtrack import solve

    m = len(order)
    room = capacity
    pivot = 0
    nodes = 0
    while pivot < m and w[order[pivot]] <= room and p[order[pivot]] > lam:
        room -= w[order[pivot]]
        pivot += 1
    for half in CORE_HALVES:
        lo, hi = max(0, pivot - half), min(m, pivot + half)
        if lo == 0 and hi == m:
            break
        window = order[lo:hi]
        # Outside the window: the break solution's values, then the incumbent's.
        for outside in (order[:lo], [j for j in order[:lo] + order[hi:] if j in chosen]):
            outside_profit = sum(p[j] for j in outside)
            sub = Instance(
                "core", [p[j] for j in window], [w[j] for j in window], capacity - sum(w[j] for j in outside)
            )
            hint = {i for i, j in enumerate(window) if j in chosen}
            if sum(w[j] for j in outside) + sum(w[window[i]] for i in hint) > capacity:
                hint = None
            problem = prepare(sub, "combo", core_search=False, hint=hint)
            strategy = search_strategy(problem, "combo")
            result = solve(problem, strategy, "optimize", node_limit=CORE_NODES, backend=backend)
            if result.interrupted:
                raise KeyboardInterrupt  # Ctrl-C during a core search stops the preparation
            nodes += result.stats.nodes
            if result.solution is not None and result.value + outside_profit > target:
                target = result.value + outside_profit
                inside = {window[i] for i in problem.chosen_items(result.solution)}
                chosen = (chosen - set(order)) | set(outside) | inside
    return target, chosen, nodes


def _cardinality(profit, weight, capacity, start_value):
    """(min, max) number of free items of a solution better than ``start_value``: at most as
    many as the lightest items that fit, at least as many as the most profitable ones needed."""
    m = len(profit)
    lightest = np.cumsum(np.sort(weight))
    max_count = int(np.searchsorted(lightest, capacity, side="right"))
    if start_value < 0:
        return 0, max_count
    richest = np.cumsum(np.sort(profit)[::-1])
    min_count = int(np.searchsorted(richest, start_value, side="right")) + 1  # sum must exceed start
    return min(min_count, m + 1), max_count


def solve_instance(instance, strategy_name=DEFAULT_STRATEGY, **options):
    """Prepare and solve ``instance``; return (result, chosen input indices or None).

    ``options`` are those of :class:`backtrack.Search` (backend, time_limit, node_limit, ...).
    """
    from backtrack import solve
    from backtrack.bidirectional import solve_bidirectional

    problem = prepare(instance, strategy_name, backend=options.get("backend", "numba"))
    if strategy_name == "bidirectional":
        result = solve_bidirectional(problem, STRATEGIES[strategy_name], "optimize", target=problem.capacity, **options)
    else:
        result = solve(problem, search_strategy(problem, strategy_name), "optimize", **options)
    chosen = problem.chosen_items(result.solution) if result.solution is not None else None
    return result, chosen
