"""The Lagrangian multiplier ``lam`` of the cardinality constraint: its safe range in int64, the
root bound it gives, and the choice that minimises it."""

from functools import cmp_to_key

import numba
import numpy as np

from problems.knapsack.problem import SAFE_LIMIT

EXACT_FLOAT_INT = 1 << 53  # integers below this are exact in float64, and so are their sums


def _lagrange_safe(instance):
    """Is the Lagrangian bound's arithmetic safe in int64 for some lam < 0 (see
    :func:`_lambda_range`)? Otherwise lam stays 0."""
    return _lambda_range(instance.profits, instance.weights, instance.capacity)[0] < 0


class _Totals:
    """What :func:`_lambda_range` reads of a profit or weight array (its max, sum and length,
    as Python ints) without the lists: ``max``, ``sum`` and ``len`` take it."""

    def __init__(self, values):
        self.top = int(values.max()) if values.size else 0
        self.total = int(values.sum()) if values.size else 0
        self.size = int(values.size)


def _python_sums(profit, weight):
    """The arguments :func:`_lambda_range` takes for int64 arrays ``profit`` and ``weight``:
    their lists, or, when no int64 sum can overflow, their totals (:class:`_Totals`)."""
    arrays = (np.asarray(profit), np.asarray(weight))

    def summable(a):
        return a.dtype == np.int64 and (a.size == 0 or (int(a.min()) >= 0 and int(a.max()) * a.size < 1 << 63))

    if all(summable(a) for a in arrays):
        return tuple(_Totals(a) for a in arrays)
    return profit.tolist(), weight.tolist()


def _lambda_range(profit, weight, capacity):
    """(lowest, highest) integer lam worth trying, within what int64 arithmetic allows.

    The reduced profits p - lam, their prefix sums, lam times a count and the LP's products of a
    residual capacity and a reduced profit all stay below ``SAFE_LIMIT / 8`` when
    ``|lam| + max p`` times the largest of the total weight, the capacity and the item count
    does. Below -max p * max w, the items' (p - lam) / w order no longer changes: the
    Lagrangian bound is linear in lam there, and its minimum is at one end. Similar weights
    (Pisinger's class 9) need lam far below -max p: their count multiplier is about -max w
    times the weight multiplier."""
    if isinstance(profit, _Totals):
        top, total_profit, count = profit.top, profit.total, profit.size
        total_weight, heaviest = weight.total, weight.top
    else:
        top, total_profit, count = max(profit, default=0), sum(profit), len(profit)
        total_weight, heaviest = sum(weight), max(weight, default=0)
    biggest = max(total_weight, capacity, count, 1)
    room = SAFE_LIMIT // (8 * biggest) - top  # the largest |lam| the arithmetic allows
    if room <= 0 or 8 * total_profit >= SAFE_LIMIT:
        return 0, 0
    return -min(room, max(top, 1) * (heaviest + 1)), min(room, top)


def _lagrangian_value(profit, weight, capacity, lam, min_count, max_count):
    """Root Lagrangian bound for ``lam`` (floating point: only used to choose ``lam``)."""
    count = max_count if lam >= 0 else min_count
    fast = _lagrangian_value_fast(profit, weight, capacity, lam, count)
    if fast is not None:
        return fast
    return _lagrangian_value_sorted(profit, weight, capacity, lam, min_count, max_count)


def _lagrangian_value_sorted(profit, weight, capacity, lam, min_count, max_count):
    """:func:`_lagrangian_value` by a stable sort of the ratios (any inputs)."""
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


def _lagrangian_value_fast(profit, weight, capacity, lam, count):
    """:func:`_lagrangian_value_sorted`'s value, bit for bit, by selecting the LP's break item
    (:func:`_lagrangian_lp`, linear time) instead of sorting; None unless that is exact: int64
    arrays, weights > 0, and every reduced profit, their sum, the weights' sum and the capacity
    below 2^53, so that the float sums the sort's version takes are exact integers (whatever
    their order) and its items before the break are those selected here."""
    if not (isinstance(profit, np.ndarray) and isinstance(weight, np.ndarray)):
        return None
    if profit.dtype != np.int64 or weight.dtype != np.int64 or profit.size == 0:
        return None
    n = profit.size
    top = int(profit.max())
    heaviest = int(weight.max())
    if int(profit.min()) < 0 or int(weight.min()) <= 0 or not 0 <= capacity < EXACT_FLOAT_INT:
        return None
    if (top + abs(lam)) * n >= EXACT_FLOAT_INT or heaviest * n >= EXACT_FLOAT_INT:
        return None
    if abs(lam) * max(count, 1) >= SAFE_LIMIT:
        return None
    return float(lam * count) + _lagrangian_lp(profit, weight, capacity, lam)


@numba.njit(cache=True)
def _lagrangian_lp(profit, weight, capacity, lam):
    """LP value (float) of the items with ``profit - lam`` > 0 in decreasing (p - lam) / w order
    (float quotients, ties by position) within ``capacity``: the sum of those before the break
    item plus its fraction, the break item found by a weighted quickselect."""
    n = profit.shape[0]
    key = np.empty(n, np.float64)
    perm = np.empty(n, np.int64)
    m = 0
    for j in range(n):
        r = profit[j] - lam
        if r > 0:
            key[j] = -(float(r) / float(weight[j]))
            perm[m] = j
            m += 1
    lo, hi = 0, m  # the break item is among perm[lo:hi]; those ranked before them are in
    room = capacity
    total = 0
    while lo < hi:
        # Median of three as the pivot, by (key, position).
        a, b, c = perm[lo], perm[(lo + hi) // 2], perm[hi - 1]
        if key[b] < key[a] or (key[b] == key[a] and b < a):
            a, b = b, a
        if key[c] < key[b] or (key[c] == key[b] and c < b):
            b, c = c, b
            if key[b] < key[a] or (key[b] == key[a] and b < a):
                a, b = b, a
        pivot = b
        pk = key[pivot]
        # Partition: those ranked before the pivot first, then those after it.
        i = lo
        for t in range(lo, hi):
            j = perm[t]
            if key[j] < pk or (key[j] == pk and j < pivot):
                perm[t] = perm[i]
                perm[i] = j
                i += 1
        before_weight = 0
        before_value = 0
        for t in range(lo, i):
            before_weight += weight[perm[t]]
            before_value += profit[perm[t]] - lam
        if before_weight > room:
            hi = i  # the break item ranks before the pivot
            continue
        room -= before_weight
        total += before_value
        if weight[pivot] > room:
            return float(total) + float(room) * float(profit[pivot] - lam) / float(weight[pivot])
        room -= weight[pivot]
        total += profit[pivot] - lam
        # The rest, without the pivot.
        k = i
        for t in range(i, hi):
            if perm[t] == pivot:
                k = t
                break
        perm[k] = perm[i]
        perm[i] = pivot
        lo = i + 1
    return float(total)


def _choose_lambda(profit, weight, capacity, min_count, max_count):
    """The integer lam in :func:`_lambda_range` minimising the root Lagrangian bound (a convex
    function of lam: ternary search); 0 unless another value is strictly better."""
    lo, hi = _lambda_range(*_python_sums(profit, weight), capacity)
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


EXACT_FLOAT_RATIO = 1 << 50  # |numerator| x weight below this: float quotients order the ratios exactly


def by_ratios(numerators, weights, indices):
    """``indices`` sorted by decreasing ``numerators[0][j] / weights[j]``, ties by the next
    numerator, then by index, with float keys (numpy arrays, weights > 0); None unless that is
    exact: two distinct fractions a/b and c/d differ by at least 1/(bd), a relative gap above
    the 2^-52 of two correctly rounded quotients when every |numerator| x weight stays below
    ``EXACT_FLOAT_RATIO``, and equal fractions round alike."""
    if len(indices) == 0:
        return []
    idx = np.asarray(indices, np.int64)
    w = np.asarray(weights, np.int64)[idx]
    if w.min() <= 0:
        return None
    keys = [idx]
    for values in reversed(numerators):
        v = np.asarray(values, np.int64)[idx] if not np.isscalar(values) else None
        if v is None or int(np.abs(v).max()) * int(w.max()) >= EXACT_FLOAT_RATIO:
            return None
        keys.append(-(v / w))
    return idx[np.lexsort(keys)].tolist()


def lambda_order(profits, weights, indices, lam):
    """``indices`` by decreasing (profit - lam) / weight, exactly; ties by profit/weight, then index."""
    if len(profits) > 64:
        p = np.asarray(profits, np.int64)
        fast = None if abs(lam) >= EXACT_FLOAT_RATIO else by_ratios((p - lam, p), weights, indices)
        if fast is not None:
            return fast

    if isinstance(profits, np.ndarray):
        profits = profits.tolist()  # exact products in Python ints
    if isinstance(weights, np.ndarray):
        weights = weights.tolist()
    if isinstance(indices, np.ndarray):
        indices = indices.tolist()

    def compare(a, b):
        diff = (profits[b] - lam) * weights[a] - (profits[a] - lam) * weights[b]
        if diff == 0:
            diff = profits[b] * weights[a] - profits[a] * weights[b]
        return diff if diff != 0 else a - b

    return sorted(indices, key=cmp_to_key(compare))
