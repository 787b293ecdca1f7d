"""Finite integer domains as bitsets, with a trail so that changes are undone on backtrack.

A variable's domain is a row of uint64 words in ``Domains.bits`` (bit ``b`` of word ``w`` is value
``64 w + b``). Every change goes through these helpers, which record the old word on the trail;
the engine rewinds the trail when it backtracks. All helpers run interpreted and compiled.
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from backtrack.bits import lowest_bit_index, popcount


class Domains(NamedTuple):
    """Domains of all variables plus their undo trail.

    bits: uint64[n_vars, words]; trail_slot: int64[T] (flat index var * words + word);
    trail_old: uint64[T] (the word before the change); top: int64[1] (trail length).
    """

    bits: np.ndarray
    trail_slot: np.ndarray
    trail_old: np.ndarray
    top: np.ndarray


def words_for(n_values):
    """Number of 64-bit words that hold ``n_values`` values."""
    return max(1, (n_values + 63) // 64)


def new_domains(n_vars, n_values, allowed=None):
    """Full domains ``0..n_values-1`` for every variable, or the values where ``allowed[var, value]``."""
    words = words_for(n_values)
    mask = np.ones((n_vars, n_values), dtype=bool) if allowed is None else np.asarray(allowed, dtype=bool)
    if mask.shape != (n_vars, n_values):
        raise ValueError(f"domains must have shape ({n_vars}, {n_values}), got {mask.shape}")
    padded = np.zeros((n_vars, words * 64), dtype=np.uint64)
    padded[:, :n_values] = mask
    bits = (padded.reshape(n_vars, words, 64) << np.arange(64, dtype=np.uint64)).sum(axis=2, dtype=np.uint64)
    # Along one path each value is removed at most once, and fixing saves each word once.
    capacity = n_vars * (n_values + 2 * words) + 1
    return Domains(bits, np.zeros(capacity, np.int64), np.zeros(capacity, np.uint64), np.zeros(1, np.int64))


@register_jitable
def _save_word(domains, var, word):
    bits = domains.bits
    top = domains.top[0]
    domains.trail_slot[top] = var * bits.shape[1] + word
    domains.trail_old[top] = bits[var, word]
    domains.top[0] = top + 1


@register_jitable
def undo_to(domains, mark):
    """Restore every word changed since the trail had length ``mark``."""
    bits = domains.bits
    words = bits.shape[1]
    top = domains.top[0]
    while top > mark:
        top -= 1
        slot = domains.trail_slot[top]
        bits[slot // words, slot % words] = domains.trail_old[top]
    domains.top[0] = top


@register_jitable
def dom_contains(domains, var, value):
    """Is ``value`` in the domain of ``var``?"""
    if value < 0 or value >= 64 * domains.bits.shape[1]:
        return False
    return (domains.bits[var, value >> 6] >> np.uint64(value & 63)) & np.uint64(1) != np.uint64(0)


@register_jitable
def dom_size(domains, var):
    """Number of values left in the domain of ``var``."""
    size = 0
    for word in range(domains.bits.shape[1]):
        size += popcount(domains.bits[var, word])
    return size


@register_jitable
def dom_is_empty(domains, var):
    """Has the domain of ``var`` been wiped out?"""
    for word in range(domains.bits.shape[1]):
        if domains.bits[var, word] != np.uint64(0):
            return False
    return True


@register_jitable
def dom_min(domains, var):
    """Smallest value in the domain of ``var``, or -1 if it is empty."""
    for word in range(domains.bits.shape[1]):
        w = domains.bits[var, word]
        if w != np.uint64(0):
            return 64 * word + lowest_bit_index(w)
    return -1


@register_jitable
def dom_remove(domains, var, value):
    """Remove ``value`` from the domain of ``var``; return False if the domain is now empty."""
    if dom_contains(domains, var, value):
        word = value >> 6
        _save_word(domains, var, word)
        domains.bits[var, word] &= ~(np.uint64(1) << np.uint64(value & 63))
        if domains.bits[var, word] != np.uint64(0):
            return True
    return not dom_is_empty(domains, var)


@register_jitable
def dom_fix(domains, var, value):
    """Reduce the domain of ``var`` to ``{value}``."""
    bits = domains.bits
    for word in range(bits.shape[1]):
        if word == value >> 6:
            keep = np.uint64(1) << np.uint64(value & 63)
        else:
            keep = np.uint64(0)
        if bits[var, word] != keep:
            _save_word(domains, var, word)
            bits[var, word] = keep


@register_jitable
def dom_values(domains, var, out):
    """Write the values of ``var``'s domain in ascending order into ``out``; return how many."""
    count = 0
    for word in range(domains.bits.shape[1]):
        w = domains.bits[var, word]
        while w != np.uint64(0):
            out[count] = 64 * word + lowest_bit_index(w)
            count += 1
            w &= w - np.uint64(1)
    return count
