"""A part of a bidirectional search generated in key order, when its key is a sum of per-decision terms.

A strategy declares ``summary_terms(problem) -> (key_terms, value_terms)``, two int64 arrays
``[n_vars, n_values]``: the leaf summary of a part is then the root's summary plus, for each of
its decisions ``var = value``, ``key_terms[var, value]`` (and ``value_terms[var, value]``).
Such a part needs no tree search and no sort: its list of leaves starts as the root's summary,
and each variable in turn merges the list shifted by each of its values' terms (Horowitz-Sahni's
construction), so the list stays sorted by key. With two values the merge runs in place from the
back (``L + t0`` and ``L + t1`` read from the array they are written to), so a part costs one array
per column kept, of its final size.

Pruning is by the key's bounds alone, which is what the declaration promises the strategy's other
hooks amount to: after each variable, entries whose key plus the smallest possible rest (of this
part and of the other parts) passes the target, or (exact joins) whose key plus the largest
possible rest stays below it, are dropped. Both are thresholds on the key, so they cut the ends
of the sorted list. Each (entry, value) pair tried counts as a node and each dropped one as a
feasibility cut, as in the engine's loop; for subset sum the counts are the same as the loop's.
"""

import mmap

import numpy as np
from numba.extending import register_jitable as jitable

INT64_ROOM = 1 << 62  # bounds on keys and values: sums of two stay within int64


@jitable
def _last_at_most(keys, size, limit):
    """Number of entries of the ascending ``keys[:size]`` that are <= limit."""
    low = 0
    high = size
    while low < high:
        middle = (low + high) // 2
        if keys[middle] <= limit:
            low = middle + 1
        else:
            high = middle
    return low


@jitable
def merge_step(keys, values, codes, size, key_terms, value_terms, code_unit, upper, lower, base):
    """Extend the sorted part ``keys[:size]`` (values, codes alongside when they have rows) by one variable.

    key_terms / value_terms: int64[n_values], the terms of the variable's values; code_unit: the
    weight of its digit in a leaf's code; entries keep keys in [lower, upper]. base: int64[3, m]
    scratch of at least ``size`` columns when there are more than two values (else unused).
    Returns the new size; the list stays ascending by key.
    """
    n_values = key_terms.shape[0]
    keep_values = values.shape[0] > 0
    keep_codes = codes.shape[0] > 0
    if n_values == 2:
        new_size = _merge_two(keys, values, codes, size, key_terms, value_terms, code_unit, upper)
    else:
        new_size = _merge_many(keys, values, codes, size, key_terms, value_terms, code_unit, upper, base)
    # The lower cut: the entries below `lower` are the list's first ones.
    low = _last_at_most(keys, new_size, lower - 1)
    if low > 0:
        for at in range(low, new_size):
            keys[at - low] = keys[at]
            if keep_values:
                values[at - low] = values[at]
            if keep_codes:
                codes[at - low] = codes[at]
        new_size -= low
    return new_size


@jitable
def _merge_two(keys, values, codes, size, key_terms, value_terms, code_unit, upper):
    """merge_step's merge for two values, in place from the back: ``L + lo`` and ``L + hi`` (lo, hi:
    the two key terms, lo <= hi) read from the array they are written to. The output slot i + j + 1
    is above both read positions, and i >= j throughout (an entry of the ``hi`` copy is never
    below the same entry of the ``lo`` copy, and ties take ``hi`` first), so ``i`` needs no test;
    the choice is a select, not a branch (the keys are in random order)."""
    keep_values = values.shape[0] > 0
    keep_codes = codes.shape[0] > 0
    v_lo = 0 if key_terms[0] <= key_terms[1] else 1
    v_hi = 1 - v_lo
    lo = key_terms[v_lo]
    hi = key_terms[v_hi]
    i = _last_at_most(keys, size, upper - lo) - 1
    j = _last_at_most(keys, size, upper - hi) - 1
    new_size = i + j + 2
    code_lo = v_lo * code_unit
    code_hi = v_hi * code_unit
    while j >= 0:
        at = np.uint64(i + j + 1)
        ui = np.uint64(i)
        uj = np.uint64(j)
        a = keys[ui] + lo
        b = keys[uj] + hi
        take_lo = a > b
        keys[at] = a if take_lo else b
        if keep_values:
            values[at] = (values[ui] + value_terms[v_lo]) if take_lo else (values[uj] + value_terms[v_hi])
        if keep_codes:
            codes[at] = (codes[ui] + code_lo) if take_lo else (codes[uj] + code_hi)
        i -= np.int64(take_lo)
        j -= np.int64(1) - np.int64(take_lo)
    # What is left of the lo copy is already in place, shifted by lo.
    if lo != 0 or (keep_values and value_terms[v_lo] != 0) or (keep_codes and code_lo != 0):
        for at in range(i + 1):
            keys[at] += lo
            if keep_values:
                values[at] += value_terms[v_lo]
            if keep_codes:
                codes[at] += code_lo
    return new_size


@jitable
def _merge_many(keys, values, codes, size, key_terms, value_terms, code_unit, upper, base):
    """merge_step's merge for more than two values: the old list is copied to ``base`` and each
    value's shifted copy is merged, from the back, into the list of the values before it."""
    keep_values = values.shape[0] > 0
    keep_codes = codes.shape[0] > 0
    for at in range(size):
        base[0, at] = keys[at]
        if keep_values:
            base[1, at] = values[at]
        if keep_codes:
            base[2, at] = codes[at]
    filled = 0
    for value in range(key_terms.shape[0]):
        term = key_terms[value]
        # Keys of this value's copy are base keys + term, ascending; the copy ends at `upper`.
        last = _last_at_most(base[0], size, upper - term)
        i = filled - 1
        j = last - 1
        while j >= 0:
            at = i + j + 1
            if i >= 0 and keys[i] > base[0, j] + term:
                keys[at] = keys[i]
                if keep_values:
                    values[at] = values[i]
                if keep_codes:
                    codes[at] = codes[i]
                i -= 1
            else:
                keys[at] = base[0, j] + term
                if keep_values:
                    values[at] = base[1, j] + value_terms[value]
                if keep_codes:
                    codes[at] = base[2, j] + value * code_unit
                j -= 1
        filled += last
    return filled


def part_range(key_terms, variables, base_key):
    """The smallest and largest key a part's leaves can have (its root summary plus its terms)."""
    low = base_key + sum(int(key_terms[var].min()) for var in variables)
    high = base_key + sum(int(key_terms[var].max()) for var in variables)
    return low, high


def terms_fit(key_terms, value_terms, base_key, base_value):
    """True when every key and value of the search, and sums of two of them, stay within int64."""
    key_span = abs(base_key) + int(np.abs(key_terms).max(axis=1).sum())
    value_span = abs(base_value) + int(np.abs(value_terms).max(axis=1).sum())
    return 2 * key_span < INT64_ROOM and 2 * value_span < INT64_ROOM


def collect_in_key_order(part, others, terms, root_summary, target, *, exact, keep_values, keep_codes, step, check):
    """Fill ``part.keys`` (and ``values``, ``codes``) in ascending key order; returns (nodes, cuts).

    others: the other parts (their variables bound the rest of a key); terms: the strategy's
    ``(key_terms, value_terms)``; root_summary: ``(key, value)`` of the root state, which every
    part's leaves include; exact: the join needs key sums equal to ``target`` (else at most it);
    step: ``merge_step``, compiled or not; check(nodes): called after each variable (raises to stop).
    """
    key_terms, value_terms = terms
    base_key, base_value = root_summary
    variables = part.variables.tolist()
    radix = part.radix
    others_min = sum(part_range(key_terms, other.variables.tolist(), base_key)[0] for other in others)
    others_max = sum(part_range(key_terms, other.variables.tolist(), base_key)[1] for other in others)
    rest_min = others_min + sum(int(key_terms[var].min()) for var in variables)
    rest_max = others_max + sum(int(key_terms[var].max()) for var in variables)
    bound = radix ** len(variables)
    # Pages never written are never resident: up to 2^27 entries, allocate the bound at once.
    capacity = min(bound, 1 << 27)
    columns = [_fresh_int64(capacity if keep else 0) for keep in (True, keep_values, keep_codes)]
    for column, first in zip(columns, (base_key, base_value, 0), strict=True):
        if column.shape[0]:
            column[0] = first
    base = np.empty((3, bound // radix if radix > 2 else 0), dtype=np.int64)
    size = 1
    nodes = cuts = 0
    for position, var in enumerate(variables):
        if radix * size > capacity:
            capacity = min(bound, max(2 * capacity, radix * size))
            columns = [_grown(column, capacity, size) for column in columns]
        rest_min -= int(key_terms[var].min())
        rest_max -= int(key_terms[var].max())
        upper = target - rest_min
        lower = target - rest_max if exact else -INT64_ROOM
        keys, values, codes = columns
        tried = radix * size
        unit = radix**position
        size = int(step(keys, values, codes, size, key_terms[var], value_terms[var], unit, upper, lower, base))
        nodes += tried
        cuts += tried - size
        check(nodes)
        if size == 0:
            break
    part.keys = columns[0][:size]
    part.values = columns[1][:size] if keep_values else None
    part.codes = columns[2][:size] if keep_codes else None
    return nodes, cuts


def _fresh_int64(size):
    """An int64 array on ordinary pages. numpy asks for transparent huge pages for large arrays,
    whose first touch cost 3-6x more system time here (two 256 MB arrays: 1.7-1.9 s against
    0.3-0.7 s); an anonymous mapping is zero-filled page by page as the merges reach it."""
    if size * 8 < 1 << 22:
        return np.empty(size, dtype=np.int64)
    return np.frombuffer(mmap.mmap(-1, size * 8), dtype=np.int64)


def _grown(column, capacity, size):
    if column.shape[0] == 0:
        return column
    grown = _fresh_int64(capacity)
    grown[:size] = column[:size]
    return grown


def declared_terms(strategy, problem, space):
    """The strategy's ``summary_terms`` as int64 arrays [n_vars, n_values], or None when not declared
    or when the problem's numbers need Python integers."""
    declare = getattr(strategy, "summary_terms", None)
    if declare is None or space.state.dtype == object:
        return None
    terms = declare(problem)
    if terms is None:
        return None
    shape = (space.n_vars, space.n_values)
    key_terms, value_terms = (np.ascontiguousarray(t, dtype=np.int64).reshape(shape) for t in terms)
    return key_terms, value_terms
