"""The low-memory exact join of four quarter lists: pairs of pairs whose keys add up to the target.

``(a + b) + (c + d) == target`` with a, b, c, d the keys of four quarters of the variables, in
O(2^(n/4)) memory: the left sums ``a + b`` are split by their residue r modulo M (a power of two
near the quarters' length, the split of Howgrave-Graham and Joux 2010, which gives Schroeppel and
Shamir's memory bound with plain arrays instead of heaps). A left sum of residue r can only meet
a right sum ``c + d`` of residue ``target - r``; for each r, the left pairs are built (b's entries
of the needed residue are one bucket of b sorted by residue), put in a hash table, and the right
pairs of the matching residue are looked up in it. Every pair of pairs is met once, at the residue
of its left sum. About 2^(n/2) / M left and right pairs per residue, 2^(n/2) in all.
"""

import numpy as np
from numba.extending import register_jitable as jitable

HASH = 0x9E3779B1  # odd: key * HASH moves the key's high bits (which differ within a residue) down
COUNT_SPLIT = 1 << 62  # counts[1] carries into counts[0] at this value: the count is exact


@jitable
def _slot(key, wrap):
    """A slot of the table for ``key`` (int64 products wrap when compiled: any slot is correct)."""
    mixed = int(key) * HASH
    return (mixed ^ (mixed >> 29)) & wrap


@jitable
def modular_join(quarters, buckets, target, mask, residue, stop, table, first, counts, found):
    """Join the residues ``residue[0]`` .. ``stop - 1``; returns 0 (done), 1 (goal first: a match,
    quarter indices in found int64[4]) or 2 (the table is too small for residue[0]: grow it).

    quarters = (a, b, c, d) ascending keys; buckets = (b_order, b_starts, d_order, d_starts): b's
    indices sorted by residue mod M = mask + 1 and the start of each residue's run (M + 1 entries),
    the same for d. table = (keys, stamps, tallies, left_i, left_j), int64 arrays of a power of two
    slots; a slot is in use for residue r when its stamp is r + 1 (no clearing between residues).
    counts int64[2]: the count so far is counts[0] * COUNT_SPLIT + counts[1]. residue[0] is
    advanced past the residues done.
    """
    a, b, c, d = quarters
    b_order, b_starts, d_order, d_starts = buckets
    keys, stamps, tallies, left_i, left_j = table
    slots = keys.shape[0]
    wrap = slots - 1
    r = residue[0]
    while r < stop:
        stamp = r + 1
        filled = 0
        for i in range(a.shape[0]):
            want = (r - a[i]) & mask
            for t in range(b_starts[want], b_starts[want + 1]):
                j = b_order[t]
                key = a[i] + b[j]
                slot = _slot(key, wrap)
                while stamps[slot] == stamp and keys[slot] != key:
                    slot = (slot + 1) & wrap
                if stamps[slot] == stamp:
                    tallies[slot] += 1
                else:
                    filled += 1
                    if 2 * filled > slots:
                        residue[0] = r
                        return 2
                    stamps[slot] = stamp
                    keys[slot] = key
                    tallies[slot] = 1
                    left_i[slot] = i
                    left_j[slot] = j
        wanted = (target - r) & mask
        for k in range(c.shape[0]):
            want = (wanted - c[k]) & mask
            for t in range(d_starts[want], d_starts[want + 1]):
                m = d_order[t]
                key = target - c[k] - d[m]
                slot = _slot(key, wrap)
                while stamps[slot] == stamp:
                    if keys[slot] == key:
                        if first:
                            found[0] = left_i[slot]
                            found[1] = left_j[slot]
                            found[2] = k
                            found[3] = m
                            residue[0] = r + 1
                            return 1
                        counts[1] += tallies[slot]
                        if counts[1] >= COUNT_SPLIT:
                            counts[0] += 1
                            counts[1] -= COUNT_SPLIT
                        break
                    slot = (slot + 1) & wrap
        r += 1
    residue[0] = r
    return 0


def residue_buckets(keys, mask):
    """(order, starts): the indices of ``keys`` sorted by ``key & mask``, and where each residue starts."""
    residues = keys & mask
    order = np.argsort(residues, kind="stable").astype(np.int64)
    starts = np.searchsorted(residues[order], np.arange(mask + 2)).astype(np.int64)
    return order, starts


def new_table(slots):
    """A hash table of ``slots`` (a power of two) entries: (keys, stamps, tallies, left_i, left_j)."""
    return tuple(np.zeros(slots, dtype=np.int64) for _ in range(5))


def modulus_for(quarters):
    """M: the power of two nearest above the longest quarter (about one left pair per a entry)."""
    longest = max(len(q) for q in quarters)
    return 1 << max(0, (longest - 1).bit_length())


def total(counts):
    """The exact count that ``counts`` (int64[2], see :func:`modular_join`) holds, a Python int."""
    return int(counts[0]) * COUNT_SPLIT + int(counts[1])
