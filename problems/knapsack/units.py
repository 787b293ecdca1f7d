"""combo's bound in whole units of ratio classes (with ``lam`` = 0): :func:`unit_bound`, and the
classes it reads (:func:`_ratio_classes`, at preparation)."""

import math

import numpy as np

from backtrack import jitable
from problems.knapsack.bounds import last_within, last_within_from_stop
from problems.knapsack.problem import NO_BOUND

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
    if int(profit.max()) * int(weight.max()) < 1 << 62 and int(profit.min()) >= 0:
        return _ratio_classes_arrays(profit, weight)
    return _ratio_classes_python(profit, weight)


def _ratio_classes_python(profit, weight):
    """:func:`_ratio_classes` (used, weights > 0) in Python ints, for any profits and weights."""
    m = len(profit)
    start = np.zeros(m, np.int64)
    end = np.zeros(m, np.int64)
    up = np.zeros(m, np.int64)
    uw = np.zeros(m, np.int64)
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


def _ratio_classes_arrays(profit, weight):
    """:func:`_ratio_classes` (used, weights > 0) with numpy, when the cross products of the
    units (at most max profit x max weight) fit in int64: the same arrays, including the
    classes filled before the first one out of decreasing ratio order."""
    m = len(profit)
    start = np.zeros(m, np.int64)
    end = np.zeros(m, np.int64)
    up = np.zeros(m, np.int64)
    g = np.gcd(profit, weight)
    pu, wu = profit // g, weight // g  # each item's ratio in lowest terms
    first = np.flatnonzero(np.concatenate(([True], (pu[1:] != pu[:-1]) | (wu[1:] != wu[:-1]))))
    last = np.append(first[1:], m)
    # The first class whose ratio is not below the one before (a repeated unit is one too):
    # the classes before it are filled, and the units unused.
    cp, cw = pu[first], wu[first]
    rising = np.flatnonzero(cp[1:] * cw[:-1] >= cp[:-1] * cw[1:])
    classes = len(first) if rising.size == 0 else int(rising[0]) + 1
    unit = np.gcd.reduceat(weight, first)[:classes]  # the gcd of each class's weights
    sizes = (last - first)[:classes]
    covered = int(last[classes - 1])
    start[:covered] = np.repeat(first[:classes], sizes)
    end[:covered] = np.repeat(last[:classes], sizes)
    up[:covered] = np.repeat(unit // cw[:classes] * cp[:classes], sizes)
    if rising.size or classes * UNIT_CLASS_SIZE > m:
        return start, end, up, np.zeros(m, np.int64)
    return start, end, up, np.repeat(unit, sizes)
