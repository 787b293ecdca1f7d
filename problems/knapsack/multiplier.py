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


def _exact_floats(profit, weight, capacity, lam_bound, count_bound):
    """Do the float sums of :func:`_lagrangian_value_sorted` stay exact integers for every
    ``|lam| <= lam_bound`` (and count up to ``count_bound``)? Then :func:`_lagrangian_lp` gives
    its values bit for bit: int64 arrays, profits >= 0, weights > 0, and every reduced profit,
    their sum, the weights' sum and the capacity below 2^53 (whatever the summation order, and
    the items before the break are those selected); ``lam`` times a count stays in int64."""
    if not (isinstance(profit, np.ndarray) and isinstance(weight, np.ndarray)):
        return False
    if profit.dtype != np.int64 or weight.dtype != np.int64 or profit.size == 0:
        return False
    n = profit.size
    if int(profit.min()) < 0 or int(weight.min()) <= 0 or not 0 <= capacity < EXACT_FLOAT_INT:
        return False
    if (int(profit.max()) + lam_bound) * n >= EXACT_FLOAT_INT or int(weight.max()) * n >= EXACT_FLOAT_INT:
        return False
    return lam_bound * max(count_bound, 1) < SAFE_LIMIT


def _lagrangian_value_fast(profit, weight, capacity, lam, count):
    """:func:`_lagrangian_value_sorted`'s value, bit for bit, by selecting the LP's break item
    (:func:`_lagrangian_lp`, linear time) instead of sorting; None unless that is exact
    (:func:`_exact_floats`)."""
    if not _exact_floats(profit, weight, capacity, abs(lam), count):
        return None
    return float(lam * count) + _lagrangian_lp(profit, weight, capacity, lam)


@numba.njit(cache=True)
def _ranks_before(key, a, b):
    """Is item ``a`` before item ``b`` in the LP's order (``key`` ascending, ties by position)?"""
    return key[a] < key[b] or (key[a] == key[b] and a < b)


@numba.njit(cache=True)
def _select_break(key, reduced, weight, perm, lo, hi, room, total):
    """LP value (float) of the items ``perm[lo:hi]`` (positions in ``key``, ``reduced`` and
    ``weight``) within ``room``, plus ``total`` (the value of the items before them): the break
    item by a weighted quickselect (median-of-three pivots), ``perm`` reordered."""
    while lo < hi:
        a, b, c = perm[lo], perm[(lo + hi) // 2], perm[hi - 1]
        if _ranks_before(key, b, a):
            a, b = b, a
        if _ranks_before(key, c, b):
            b, c = c, b
            if _ranks_before(key, b, a):
                a, b = b, a
        pivot = b
        i = lo  # partition: the items before the pivot first
        before_weight = 0
        before_value = 0
        for t in range(lo, hi):
            j = perm[t]
            if _ranks_before(key, j, pivot):
                perm[t] = perm[i]
                perm[i] = j
                i += 1
                before_weight += weight[j]
                before_value += reduced[j]
        if before_weight > room:
            hi = i  # the break item is before the pivot
            continue
        room -= before_weight
        total += before_value
        if weight[pivot] > room:
            return float(total) + float(room) * float(reduced[pivot]) / float(weight[pivot])
        room -= weight[pivot]
        total += reduced[pivot]
        k = i  # the rest, without the pivot
        for t in range(i, hi):
            if perm[t] == pivot:
                k = t
                break
        perm[k] = perm[i]
        perm[i] = pivot
        lo = i + 1
    return float(total)


SAMPLE_FROM = 4096  # items from which _lagrangian_lp first narrows the break item down by a sample


@numba.njit(cache=True)
def _lagrangian_lp(profit, weight, capacity, lam):
    """LP value (float) of the items with ``profit - lam`` > 0 in decreasing (p - lam) / w order
    (float quotients, ties by position) within ``capacity``: the sum of those before the break
    item plus its fraction. With many items, a strided sample estimates the break item's rank,
    and one pass sums the items certainly before it and keeps only those near it; a weighted
    quickselect (:func:`_select_break`) finishes, over every item if the break is not near."""
    n = profit.shape[0]
    if n >= SAMPLE_FROM:
        size = int(np.sqrt(n)) * 4
        stride = n // size
        sample_key = np.empty(size, np.float64)
        sample_at = np.empty(size, np.int64)
        s = 0
        for t in range(size):
            j = t * stride
            r = profit[j] - lam
            if r > 0:
                sample_key[s] = -(float(r) / float(weight[j]))
                sample_at[s] = j
                s += 1
        if s > 0:
            ranked = sample_at[:s][np.argsort(sample_key[:s], kind="mergesort")]  # ties by position
            scale = n / size
            used = 0.0
            at = s  # the sample's estimate of the break item's rank
            for t in range(s):
                used += scale * weight[ranked[t]]
                if used > capacity:
                    at = t
                    break
            margin = 2 * int(np.sqrt(s)) + 8
            first = ranked[at - margin] if 0 <= at - margin < s else -1  # items ranked up to it are in
            last = ranked[at + margin] if at + margin < s else -1  # items ranked after it are out
            if first >= 0 or last >= 0:
                kf = -(float(profit[first] - lam) / float(weight[first])) if first >= 0 else -np.inf
                kl = -(float(profit[last] - lam) / float(weight[last])) if last >= 0 else np.inf
                key = np.empty(n, np.float64)
                reduced = np.empty(n, np.int64)
                weights = np.empty(n, np.int64)
                in_weight = 0
                in_value = 0
                kept = 0
                kept_weight = 0
                for j in range(n):
                    r = profit[j] - lam
                    if r <= 0:
                        continue
                    wj = weight[j]
                    kj = -(float(r) / float(wj))
                    inside = (first >= 0) & ((kj < kf) | ((kj == kf) & (j <= first)))
                    near = (not inside) & ((last < 0) | (kj < kl) | ((kj == kl) & (j <= last)))
                    in_weight += wj * inside
                    in_value += r * inside
                    key[kept] = kj  # ties by position: kept in input order
                    reduced[kept] = r
                    weights[kept] = wj
                    kept += near
                    kept_weight += wj * near
                if in_weight <= capacity and (last < 0 or in_weight + kept_weight > capacity):
                    perm = np.arange(kept)
                    return _select_break(key, reduced, weights, perm, 0, kept, capacity - in_weight, in_value)
    key = np.empty(n, np.float64)
    reduced = np.empty(n, np.int64)
    weights = np.empty(n, np.int64)
    m = 0
    for j in range(n):
        r = profit[j] - lam
        if r > 0:
            key[m] = -(float(r) / float(weight[j]))
            reduced[m] = r
            weights[m] = weight[j]
            m += 1
    perm = np.arange(m)
    return _select_break(key, reduced, weights, perm, 0, m, capacity, 0)


@numba.njit(cache=True)
def _ternary_lambda(profit, weight, capacity, lo, hi, min_count, max_count):
    """:func:`_choose_lambda`'s search over [lo, hi] with :func:`_lagrangian_lp` (exact inputs)."""
    while hi - lo > 2:
        m1 = lo + (hi - lo) // 3
        m2 = hi - (hi - lo) // 3
        v1 = float(m1 * (max_count if m1 >= 0 else min_count)) + _lagrangian_lp(profit, weight, capacity, m1)
        v2 = float(m2 * (max_count if m2 >= 0 else min_count)) + _lagrangian_lp(profit, weight, capacity, m2)
        if v1 <= v2:
            hi = m2
        else:
            lo = m1
    best = lo
    best_value = 0.0
    for lam in range(lo, hi + 1):
        v = float(lam * (max_count if lam >= 0 else min_count)) + _lagrangian_lp(profit, weight, capacity, lam)
        if lam == lo or v < best_value or (v == best_value and abs(lam) < abs(best)):
            best, best_value = lam, v
    zero = _lagrangian_lp(profit, weight, capacity, 0)
    return best if best_value < zero - 0.5 else 0


def _choose_lambda(profit, weight, capacity, min_count, max_count):
    """The integer lam in :func:`_lambda_range` minimising the root Lagrangian bound (a convex
    function of lam: ternary search); 0 unless another value is strictly better. Compiled
    (:func:`_ternary_lambda`) when the bound's float sums are exact (:func:`_exact_floats`): the
    same values, hence the same lam."""
    lo, hi = _lambda_range(*_python_sums(profit, weight), capacity)
    if _exact_floats(profit, weight, capacity, max(-lo, hi), max(min_count, max_count)):
        return int(_ternary_lambda(profit, weight, capacity, lo, hi, min_count, max_count))
    cache = {}

    def value(lam):
        if lam not in cache:
            cache[lam] = _lagrangian_value(profit, weight, capacity, lam, min_count, max_count)
        return cache[lam]

    return _ternary_search(value, lo, hi)


def _ternary_search(value, lo, hi):
    """:func:`_choose_lambda`'s search over [lo, hi] for a function ``value`` of lam."""
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
