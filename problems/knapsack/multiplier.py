"""The Lagrangian multiplier ``lam`` of the cardinality constraint: its safe range in int64, the
root bound it gives, and the choice that minimises it."""

from functools import cmp_to_key

import numpy as np

from problems.knapsack.problem import SAFE_LIMIT


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

    def compare(a, b):
        diff = (profits[b] - lam) * weights[a] - (profits[a] - lam) * weights[b]
        if diff == 0:
            diff = profits[b] * weights[a] - profits[a] * weights[b]
        return diff if diff != 0 else a - b

    return sorted(indices, key=cmp_to_key(compare))
