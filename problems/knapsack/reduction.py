"""Root reduction: items fixed by the LP bound (:func:`_reduce`) or the Lagrangian one
(:func:`_lagrangian_reduce`), the ratio order and the branching order outwards from the break
item, and the cardinality range of a better solution."""

from functools import cmp_to_key

import numpy as np

from problems.knapsack.multiplier import _choose_lambda, by_ratios, lambda_order


def ratio_order(profits, weights, indices):
    """``indices`` sorted by decreasing profit/weight, exactly (integer cross products, or float
    quotients where they are exact: :func:`by_ratios`), ties by index."""
    if len(profits) > 64:
        fast = by_ratios((profits,), weights, indices)
        if fast is not None:
            return fast

    profits, weights = _python_ints(profits), _python_ints(weights)  # exact cross products

    def compare(a, b):
        diff = profits[b] * weights[a] - profits[a] * weights[b]
        return diff if diff != 0 else a - b

    return sorted(_python_ints(indices), key=cmp_to_key(compare))


def _python_ints(values):
    """``values`` as a list of Python ints if an array (exact products), else as given."""
    return values.tolist() if isinstance(values, np.ndarray) else values


def _gcd(values):
    """gcd (Python int) of an int64 array, as ``math.gcd`` of its elements."""
    return int(np.gcd.reduce(values)) if len(values) else 0


def _exact_sum(values):
    """Sum (Python int) of an int64 array of non-negative values, without int64 overflow."""
    if len(values) == 0:
        return 0
    if int(values.max()) * len(values) < 1 << 63 and int(values.min()) >= 0:
        return int(values.sum())
    return sum(values.tolist())


def _mask(chosen, size):
    """Boolean array over input indices ``[0, size)``: which ``chosen`` holds."""
    mask = np.zeros(size, bool)
    if chosen:
        mask[np.fromiter(chosen, np.int64, len(chosen))] = True
    return mask


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
    items = np.asarray(order, np.int64)
    ps = np.asarray(p, np.int64)[items]
    ws = np.asarray(w, np.int64)[items]
    pp = np.concatenate(([0], np.cumsum(ps))).astype(np.int64)
    pw = np.concatenate(([0], np.cumsum(ws))).astype(np.int64)
    idx = np.arange(len(order))
    taken = _mask(chosen, len(p))[items]
    without = _lp_without(ps, ws, pp, pw, idx, np.full(len(order), capacity, np.int64))
    forced = ps + _lp_without(ps, ws, pp, pw, idx, capacity - ws)
    g = _gcd(ps) if rounded else 1
    if g > 1:
        without = without // g * g
        forced = forced // g * g
    fix_in = taken & (without <= value)
    fix_out = ~taken & (forced <= value)
    return items[~(fix_in | fix_out)].tolist(), items[fix_in].tolist()


def _outwards(pivot, m):
    """Branching order from the break item outwards: pivot, pivot-1, pivot+1, pivot-2, ...
    (one to the right, then one to the left, while both sides have items; then the rest of the
    other side). Returns (branch, lo_at, hi_at): the item decided at each depth and the decided
    interval [lo, hi) after each depth."""
    both = min(pivot, m - pivot)  # steps right, and as many left, alternately
    right = np.zeros(m, bool)
    right[: 2 * both : 2] = True
    right[2 * both :] = pivot < m - pivot  # the longer side's rest
    hi_at = pivot + np.concatenate(([0], np.cumsum(right))).astype(np.int64)
    lo_at = pivot - np.concatenate(([0], np.cumsum(~right))).astype(np.int64)
    branch = np.where(right, hi_at[:-1], lo_at[1:]).astype(np.int64)
    return branch, lo_at, hi_at


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
    ps_all, ws_all = np.asarray(p, np.int64), np.asarray(w, np.int64)
    taken_all = _mask(chosen, len(ps_all))
    for _ in range(rounds):
        if not order:
            return order, fixed, 0
        items = np.asarray(order, np.int64)
        ps, ws = ps_all[items], ws_all[items]
        min_count, max_count = _cardinality(ps, ws, capacity, target)
        lam = _choose_lambda(ps, ws, capacity, min_count, max_count)
        if lam == 0:
            return ratio_order(p, w, order), fixed, 0
        order = lambda_order(p, w, order, lam)
        items = np.asarray(order, np.int64)
        ps, ws = ps_all[items], ws_all[items]
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
        taken = taken_all[items]
        without += lam * count
        forced += lam * count
        g = _gcd(ps)
        if g > 1:  # every solution over these items is worth a multiple of g
            without = without // g * g
            forced = forced // g * g
        fix_in = taken & (without <= target)
        fix_out = ~taken & ((forced <= target) | (ws > capacity))
        if not (fix_in.any() or fix_out.any()):
            break
        now_in = items[fix_in]
        fixed += now_in.tolist()
        capacity -= _exact_sum(ws[fix_in])
        target -= _exact_sum(ps[fix_in])
        order = items[~(fix_in | fix_out)].tolist()
    return order, fixed, lam
