"""Golomb rulers as engine hooks: N marks at integer positions, all pairwise differences distinct.

Mark 0 is at 0; variable i is the position of mark i + 1, decided in increasing order (ordering);
the value is the position (0..limit). All five pruning kinds have a natural role:

- feasibility: a new mark must not repeat a difference (``is_feasible``);
- bound: the marks still to place need as many new, distinct differences between consecutive
  marks, so at least the sum of that many smallest unused differences (``decision_bound``, ``bound``);
- propagation: placing a mark removes from the next mark's domain every position that would repeat
  a difference (``propagate``);
- ordering: marks in increasing order, positions ascending (``select_variable``, the domains);
- symmetry: a ruler and its mirror image are the same ruler; only the one whose first gap is the
  smaller is kept (``dominated``), counted twice (``weight``).

The state row: ``[K, X, S0, S1, S2, D0..D3, M0..M15]``: marks placed, last position, the sums of
the R, R - 1 and R - 2 smallest unused differences (R: marks still to place; kept so that each
bound is O(1)), the differences used as a 256-bit set, the marks' positions.
"""

from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, dom_remove, jitable

MAX_MARKS = 16
MAX_LENGTH = 255  # the differences are a 256-bit set
WORDS = 4
K, X, S0, S1, S2 = 0, 1, 2, 3, 4  # slots of the state row
D = 5  # the differences used: WORDS words
M = D + WORDS  # the marks' positions
WIDTH = M + MAX_MARKS


class Golomb(NamedTuple):
    """Rulers with ``marks`` marks and length at most ``limit``; ``incumbent``: a known ruler
    (positions, 0 first) to start the optimisation from, or an empty array."""

    marks: int
    limit: int
    incumbent: np.ndarray

    def space(self):
        n = self.marks - 1
        state = np.zeros(WIDTH, np.int64)
        state[K] = 1
        left = self.marks - 1  # no difference used yet: the smallest are 1, 2, 3, ...
        state[S0], state[S1], state[S2] = (max(r, 0) * (max(r, 0) + 1) // 2 for r in (left, left - 1, left - 2))
        domains = np.zeros((n, self.limit + 1), dtype=bool)
        for i in range(1, self.marks):
            # i gaps before mark i and marks - 1 - i after it, all distinct and positive.
            low = i * (i + 1) // 2
            high = self.limit - (self.marks - 1 - i) * (self.marks - i) // 2
            if low <= high:
                domains[i - 1, low : high + 1] = True
        incumbent = None
        if len(self.incumbent):
            incumbent = (int(self.incumbent[-1]), [int(p) for p in self.incumbent[1:]])
        return Space(
            n_vars=n, n_values=self.limit + 1, state=state, domains=domains, maximize=False, incumbent=incumbent
        )


def greedy_ruler(marks):
    """Each mark at the smallest position that repeats no difference (the Mian-Chowla sequence)."""
    ruler, used = [0], set()
    while len(ruler) < marks:
        p = ruler[-1] + 1
        while any(p - q in used for q in ruler):
            p += 1
        used.update(p - q for q in ruler)
        ruler.append(p)
    return ruler


def build(marks, length=None):
    """The problem of ``marks`` marks: rulers of length at most ``length``; without it, the
    optimisation starts from the greedy ruler (its length is the limit)."""
    if not 2 <= marks <= MAX_MARKS:
        raise ValueError(f"the number of marks must be 2..{MAX_MARKS}, not {marks}")
    if length is None:
        start = greedy_ruler(marks)
        return Golomb(marks, start[-1], np.array(start, dtype=np.int64))
    if not 0 <= length <= MAX_LENGTH:
        raise ValueError(f"the length must be 0..{MAX_LENGTH}, not {length}")
    return Golomb(marks, length, np.zeros(0, np.int64))


def ruler_of(solution):
    """The marks' positions of a solution (mark 0 at 0 first)."""
    return [0] + [int(p) for p in solution]


def is_golomb(ruler):
    """Independent check: increasing marks from 0 whose pairwise differences are all distinct."""
    diffs = [b - a for i, a in enumerate(ruler) for b in ruler[i + 1 :]]
    return (
        ruler[0] == 0 and all(a < b for a, b in zip(ruler, ruler[1:], strict=False)) and len(set(diffs)) == len(diffs)
    )


# ---------------------------------------------------------------- bit sets in the state row


@jitable
def has_difference(state, d):
    return (np.uint64(state[D + (d >> 6)]) >> np.uint64(d & 63)) & np.uint64(1) != np.uint64(0)


@jitable
def store_unused_sums(state, count):
    """Store in S0, S1, S2 the sums of the ``count``, ``count - 1`` and ``count - 2`` smallest
    positive differences not used yet (past MAX_LENGTH each missing one counts MAX_LENGTH + 1)."""
    sums = 0
    taken = 0
    d = 1
    state[S1] = 0
    state[S2] = 0
    while taken < count:
        if d > MAX_LENGTH or not has_difference(state, d):
            taken += 1
            sums += d if d <= MAX_LENGTH else MAX_LENGTH + 1
            if taken == count - 2:
                state[S2] = sums
            if taken == count - 1:
                state[S1] = sums
        d += 1
    state[S0] = sums


# ---------------------------------------------------------------- hooks


@jitable
def next_mark(problem, state, domains, assign, depth):
    """``select_variable``: the marks in increasing order."""
    return depth


@jitable
def repeats_no_difference(problem, state, assign, var, value):
    """``is_feasible``: the new mark lies beyond the last and repeats no difference."""
    if value <= state[X]:
        return False
    for j in range(state[K]):
        if has_difference(state, value - state[M + j]):
            return False
    return True


@jitable
def place_mark(problem, state, var, value):
    """``apply``: record the new differences and the mark."""
    for j in range(state[K]):
        d = value - state[M + j]
        state[D + (d >> 6)] = np.int64(np.uint64(state[D + (d >> 6)]) | (np.uint64(1) << np.uint64(d & 63)))
    state[M + state[K]] = value
    state[K] += 1
    state[X] = value
    store_unused_sums(state, problem.marks - state[K])


@jitable
def length(problem, state, assign):
    """``objective`` (minimised): the position of the last mark."""
    return state[X]


@jitable
def length_bound_before(problem, state, domains, assign, var, value):
    """``decision_bound``: the length a ruler through this mark needs at least (the marks after it
    need distinct differences not used before)."""
    return value + state[S1]  # the parent has R marks to place, R - 1 after this one


@jitable
def length_bound(problem, state, domains, assign):
    """``bound``: the same from the child, whose new differences are used too."""
    return state[X] + state[S0]


@jitable
def mirror_length_bound_before(problem, state, domains, assign, var, value):
    """``decision_bound`` with the mirror rule: the ruler kept has its last gap above its first, and
    that gap is one of those still to come (the others need distinct unused differences)."""
    plain = value + state[S1]
    if problem.marks - 2 - var == 0:
        return plain
    first_gap = value if var == 0 else state[M + 1]
    return max(plain, value + state[S2] + first_gap + 1)


@jitable
def mirror_length_bound(problem, state, domains, assign):
    """``bound`` with the mirror rule."""
    plain = state[X] + state[S0]
    if problem.marks == state[K]:
        return plain
    return max(plain, state[X] + state[S1] + state[M + 1] + 1)


@jitable
def rule_out_differences(problem, state, domains, assign, var, value):
    """``propagate``: remove from the next mark's domain the positions up to this mark and every
    position that would repeat a used difference; False when none is left."""
    following = var + 1
    if following >= problem.marks - 1:
        return True
    words = domains.bits.shape[1]
    for w in range(words):
        forbidden = np.uint64(0)
        for j in range(state[K]):
            # Bits of word w of (differences << M[j]): position q is forbidden if q - M[j] is used.
            shift = state[M + j]
            source = w - (shift >> 6)
            bits = np.uint64(shift & 63)
            if 0 <= source < WORDS:
                forbidden |= np.uint64(state[D + source]) << bits
            if bits != np.uint64(0) and 0 <= source - 1 < WORDS:
                forbidden |= np.uint64(state[D + source - 1]) >> (np.uint64(64) - bits)
        low = 64 * w
        if value >= low + 63:
            forbidden = ~np.uint64(0)
        elif value >= low:
            forbidden |= (np.uint64(1) << np.uint64(value - low + 1)) - np.uint64(1)
        remove = domains.bits[following, w] & forbidden
        while remove != np.uint64(0):
            low_bit = remove & (~remove + np.uint64(1))
            position = low + np.int64(_bit_index(low_bit))
            remove ^= low_bit
            if not dom_remove(domains, following, position):
                return False
    return True


@jitable
def _bit_index(single_bit):
    index = 0
    while single_bit > np.uint64(1):
        single_bit >>= np.uint64(1)
        index += 1
    return index


@jitable
def mirror_searched_instead(problem, state, assign, depth):
    """``dominated`` (symmetry): a complete ruler whose first gap exceeds its last is the mirror of
    one that is kept."""
    if state[K] == problem.marks and problem.marks >= 3:
        return state[M + 1] > state[X] - state[M + problem.marks - 2]
    return False


@jitable
def mirror_weight(problem, state, assign):
    """``weight``: a kept ruler stands for itself and its mirror (never equal from 3 marks on)."""
    return 2 if problem.marks >= 3 else 1


_COMMON = {"select_variable": next_mark, "apply": place_mark, "objective": length}
STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "feasibility",
            Golomb,
            is_feasible=repeats_no_difference,
            description="marks in increasing order, a repeated difference cut",
            **_COMMON,
        ),
        Strategy(
            "bound",
            Golomb,
            is_feasible=repeats_no_difference,
            decision_bound=length_bound_before,
            bound=length_bound,
            description="+ length bound: the marks left need that many unused differences",
            **_COMMON,
        ),
        Strategy(
            "propagation",
            Golomb,
            propagate=rule_out_differences,
            decision_bound=length_bound_before,
            bound=length_bound,
            description="+ the next mark's domain loses every position that repeats a difference",
            **_COMMON,
        ),
        Strategy(
            "symmetry",
            Golomb,
            propagate=rule_out_differences,
            decision_bound=mirror_length_bound_before,
            bound=mirror_length_bound,
            dominated=mirror_searched_instead,
            weight=mirror_weight,
            description="+ only one of a ruler and its mirror (first gap < last gap); default",
            **_COMMON,
        ),
    )
}
DEFAULT_STRATEGY = "symmetry"
