"""N-queens: place N queens on an N x N board so that no two attack each other.

Variables are rows, values are columns. The module only defines hooks; the engine searches.
Strategies, from no pruning to bit-parallel search:

- ``naive``: no pruning; a full board is checked at the leaf.
- ``feasibility``: each new queen is checked against the queens already placed.
- ``forward-checking``: after each queen, attacked columns leave the domains of the other rows;
  an empty domain cuts the branch.
- ``mrv``: forward checking, the row with the fewest columns left next, and its columns ordered
  least-constraining first; with restarts (new tie-breaking seed, larger node budget) to find one
  board fast for N in the thousands.
- ``bitboard``: columns and both diagonals as bit masks; the free columns of a row in O(1).
  When counting, the first queen takes only the left half of the board and each solution counts
  twice (its mirror image is the solution not searched); on odd boards, below a first queen in
  the middle column, the second queen takes the left half too.
- ``symmetry``: bitboard over one representative of each class of the board's 8 symmetries,
  each weighted by the size of its class (see the symmetry hooks below).
"""

from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, dom_remove, dom_size, dom_values, jitable, sort_prefix

MAX_BITBOARD_N = 62  # masks are int64 words


class Queens(NamedTuple):
    """An N-queens instance.

    ``mirror``: count with the left-right mirror (bitboard, goal count). ``seed``: how ``mrv``
    breaks ties (0: rows nearest the centre and columns nearest an edge first; otherwise a hash),
    so that restarts explore different trees.
    """

    n: int
    mirror: bool = False
    seed: int = 0

    def space(self):
        # State row: occupied columns, left diagonals, right diagonals (bitboard strategies).
        return Space(n_vars=self.n, n_values=self.n, state=np.zeros(3, np.int64))

    def decision_label(self, var, value):
        """A decision in the board's terms, for search traces."""
        return f"row {var} = col {value}"


# ---------------------------------------------------------------- shared hooks


@jitable
def row_by_depth(problem, state, domains, assign, depth):
    """Rows in order: row ``depth`` at depth ``depth``."""
    return depth


@jitable
def attacks(row_a, col_a, row_b, col_b):
    return col_a == col_b or abs(col_a - col_b) == abs(row_a - row_b)


@jitable
def board_is_valid(problem, state, assign):
    """Leaf check of ``naive``: no two queens attack each other."""
    for a in range(problem.n):
        for b in range(a + 1, problem.n):
            if attacks(a, assign[a], b, assign[b]):
                return False
    return True


@jitable
def safe_from_placed(problem, state, assign, var, value):
    """The new queen (row ``var``, column ``value``) attacks no queen already placed."""
    for row in range(problem.n):
        if assign[row] >= 0 and attacks(row, assign[row], var, value):
            return False
    return True


@jitable
def remove_attacked(problem, state, domains, assign, var, value):
    """Forward checking: remove the squares the new queen attacks from every free row."""
    n = problem.n
    for row in range(n):
        if assign[row] < 0:
            distance = abs(row - var)
            if not dom_remove(domains, row, value):
                return False
            if value - distance >= 0 and not dom_remove(domains, row, value - distance):
                return False
            if value + distance < n and not dom_remove(domains, row, value + distance):
                return False
    return True


@jitable
def tie_break(seed, x):
    """A 16-bit hash of (seed, x): a reproducible random order, the same on both backends."""
    h = (seed * 0x9E3779B1 + x * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 0x2C1B3C6D) & 0xFFFFFFFF
    h ^= h >> 12
    return h & 0xFFFF


@jitable
def fewest_columns_left(problem, state, domains, assign, depth):
    """MRV: the free row with the fewest columns left; ties to the row nearest the centre."""
    n = problem.n
    best_row = -1
    best_key = np.int64(1) << 62
    for row in range(n):
        if assign[row] < 0:
            tie = abs(2 * row - (n - 1)) if problem.seed == 0 else tie_break(problem.seed, row)
            key = dom_size(domains, row) * (1 << 20) + tie
            if key < best_key:
                best_key = key
                best_row = row
    return best_row


@jitable
def least_constraining_first(problem, state, domains, assign, var, out):
    """Columns of row ``var`` ordered by how few free squares they attack; ties to the edges."""
    n = problem.n
    count = dom_values(domains, var, out)
    for i in range(count):
        col = out[i]
        hits = 0
        for row in range(n):
            if assign[row] < 0 and row != var:
                distance = abs(row - var)
                for target in (col, col - distance, col + distance):
                    if 0 <= target < n and (domains.bits[row, target >> 6] >> np.uint64(target & 63)) & np.uint64(1):
                        hits += 1
        tie = min(col, n - 1 - col) if problem.seed == 0 else tie_break(problem.seed, col + 7919 * var)
        out[i] = (hits * (1 << 17) + tie) * n + col
    sort_prefix(out, count)
    for i in range(count):
        out[i] = out[i] % n
    return count


# ---------------------------------------------------------------- bitboard hooks

COLS, LEFT, RIGHT = 0, 1, 2  # slots of the state row


@jitable
def free_columns(problem, state, domains, assign, var):
    """Columns attacked by no queen, as a bit word from the three masks. When mirroring, the
    first row takes the left half (the middle column of an odd board included), and below a
    first queen in the middle column the second row takes the left half too: every board
    searched then stands for itself and its mirror image, which is not searched."""
    n = problem.n
    full = (np.int64(1) << n) - 1
    free = ~(state[COLS] | state[LEFT] | state[RIGHT]) & full
    if problem.mirror and var <= 1:
        if var == 0:
            free &= (np.int64(1) << ((n + 1) // 2)) - 1
        elif 2 * assign[0] + 1 == n:
            free &= (np.int64(1) << (n // 2)) - 1
    return free


@jitable
def attack_free_columns(problem, state, domains, assign, var):
    """Columns attacked by no queen (a bit word), before any symmetry breaking: what the
    not-offered counts compare ``free_columns`` and ``canonical_free_columns`` with."""
    full = (np.int64(1) << problem.n) - 1
    return ~(state[COLS] | state[LEFT] | state[RIGHT]) & full


@jitable
def place_on_masks(problem, state, var, value):
    """Occupy the column and both diagonals, shifted to the next row. The left diagonals' bits
    past the board are not cleared (the free columns are masked to the board, as in C)."""
    bit = np.int64(1) << value
    state[COLS] |= bit
    state[LEFT] = (state[LEFT] | bit) << 1
    state[RIGHT] = (state[RIGHT] | bit) >> 1


@jitable
def mirror_weight(problem, state, assign):
    """When mirroring, a solution stands for itself and its mirror image (``free_columns``); the
    1-queen board is its own mirror."""
    if problem.mirror and problem.n > 1:
        return 2
    return 1


# ---------------------------------------------------------------- symmetry hooks
#
# Each class of solutions under the board's 8 symmetries is counted once, through its smallest
# member, weighted by the number of distinct boards in the class. Boards are compared on the top
# queen's key first, then row by row on columns. The key ranks the top queen's distance d from
# the nearest corner (``distance_rank``), then its column, so the smallest member's top queen has
# the best-ranked distance among the four edge queens (a queen on an edge is the top queen of two
# images). Distances far from the corner rank first: then the queens on the sides are forbidden
# in the middle rows, which the search reaches early. The corner ranks last, so no board with a
# corner queen on top is the smallest (a corner-free edge always exists). On odd boards the middle
# column ranks after 2 (measured: 12-22 % fewer nodes than the nearest-to-a-corner-first order at
# N = 12-16, and 13 % fewer than plain farthest-first at N = 13 and 15).
# The search forbids what the ranking excludes (``canonical_free_columns``); a leaf that is still
# not the smallest of its class is rejected by ``accept``.


@jitable
def distance_rank(n, d):
    """Rank of a top queen d squares from the nearest corner; lower is preferred.

    Even n: farthest first (d = n/2 - 1, ..., 1, 0). Odd n, middle m: m - 1, ..., 2, m, 1, 0.
    """
    middle = (n - 1) // 2
    if n % 2 == 0 or d < 2:
        return middle - d
    if d == middle:
        return middle - 2
    return middle - 1 - d


@jitable
def top_key(n, column):
    """Order of the top queen's column in the comparison of images: by distance rank, then the
    left half before the right."""
    if 2 * column > n - 1:
        return n * n + column
    return distance_rank(n, column) * n + column


@jitable
def edge_queen_allowed(n, t, d):
    """Whether an edge queen d squares from a corner leaves a board with top queen column t
    possibly the smallest: its distance must not rank before t's."""
    return distance_rank(n, d) >= distance_rank(n, t)


@jitable
def allowed_distances(n, t):
    """``edge_queen_allowed(n, t, d)`` in closed form, for the search's hot path: the distances
    d <= near, and the middle of an odd board when ``middle_too``."""
    middle = (n - 1) >> 1
    odd = n & 1
    near = 1 if odd and t == middle else t
    return near, odd and t >= 2


@jitable
def canonical_free_columns(problem, state, domains, assign, var):
    """Free columns of row ``var`` (a bit word), restricted to boards that can be their class's
    smallest."""
    n = problem.n
    full = (np.int64(1) << n) - 1
    free = ~(state[COLS] | state[LEFT] | state[RIGHT]) & full
    if var == 0:
        # The left half, the middle column of odd boards included; no corner (n > 1).
        left = free & ((np.int64(1) << ((n + 1) // 2)) - 1)
        return left if n == 1 else left & ~np.int64(1)
    near, middle_too = allowed_distances(n, assign[0])
    if var < n - 1:
        # Rows near..n-1-near exclusive hold no side queen (the middle one may, on odd boards).
        if near < var < n - 1 - near and not (middle_too and 2 * var == n - 1):
            free &= ~(np.int64(1) | (np.int64(1) << (n - 1)))
        return free
    # The bottom row: the columns near a corner, and the middle one when allowed.
    ends = (np.int64(1) << (near + 1)) - 1
    allowed = ends | (ends << (n - 1 - near))
    if middle_too:
        allowed |= np.int64(1) << ((n - 1) >> 1)
    return free & allowed


@jitable
def _image_column(assign, n, symmetry, row):
    """Column of row ``row``'s queen in the image of the board under symmetry 0..7."""
    if symmetry == 0:
        return assign[row]
    if symmetry == 1:  # mirror left-right
        return n - 1 - assign[row]
    if symmetry == 2:  # mirror top-bottom
        return assign[n - 1 - row]
    if symmetry == 3:  # half turn
        return n - 1 - assign[n - 1 - row]
    # The other four swap rows and columns: find the queen in the matching column.
    if symmetry == 4:  # main diagonal: (r, c) -> (c, r)
        column = row
    elif symmetry == 5:  # quarter turn: (r, c) -> (c, n-1-r)
        column = row
    elif symmetry == 6:  # three quarter turns: (r, c) -> (n-1-c, r)
        column = n - 1 - row
    else:  # anti-diagonal: (r, c) -> (n-1-c, n-1-r)
        column = n - 1 - row
    for r in range(n):
        if assign[r] == column:
            if symmetry == 4 or symmetry == 6:
                return r
            return n - 1 - r
    return -1


@jitable
def _edge_rows(assign, n):
    """Rows of the queens in the first and in the last column."""
    first = last = -1
    for row in range(n):
        if assign[row] == 0:
            first = row
        if assign[row] == n - 1:
            last = row
    return first, last


@jitable
def _compare_image(assign, n, symmetry, first, last):
    """-1, 0 or 1 as the image under ``symmetry`` is smaller than, equal to or larger than the board.

    The image's top-row column comes in O(1) from the edge queens (``first``, ``last``: rows of
    the queens in the first and last columns) and is compared by ``top_key``; only a tie there
    needs the rows below.
    """
    top = (0, n - 1 - assign[0], assign[n - 1], n - 1 - assign[n - 1], first, n - 1 - first, last, n - 1 - last)[
        symmetry
    ]
    if top != assign[0]:
        return -1 if top_key(n, top) < top_key(n, assign[0]) else 1
    for row in range(1, n):
        image = _image_column(assign, n, symmetry, row)
        if image != assign[row]:
            return -1 if image < assign[row] else 1
    return 0


@jitable
def smallest_of_class(problem, state, assign):
    """Accept a board only if no symmetric image of it is lexicographically smaller."""
    n = problem.n
    first, last = _edge_rows(assign, n)
    for symmetry in range(1, 8):
        if _compare_image(assign, n, symmetry, first, last) < 0:
            return False
    return True


@jitable
def class_size(problem, state, assign):
    """Number of distinct boards among the 8 images: 8 divided by the symmetries that fix it."""
    n = problem.n
    first, last = _edge_rows(assign, n)
    fixed = 1
    for symmetry in range(1, 8):
        if _compare_image(assign, n, symmetry, first, last) == 0:
            fixed += 1
    return 8 // fixed


# ---------------------------------------------------------------- strategies

STRATEGIES = {
    s.name: s
    for s in (
        Strategy("naive", Queens, select_variable=row_by_depth, accept=board_is_valid, description="no pruning"),
        Strategy(
            "feasibility",
            Queens,
            select_variable=row_by_depth,
            is_feasible=safe_from_placed,
            description="check each queen against those placed",
        ),
        Strategy(
            "forward-checking",
            Queens,
            select_variable=row_by_depth,
            propagate=remove_attacked,
            description="remove attacked squares from the free rows",
        ),
        Strategy(
            "mrv",
            Queens,
            propagate=remove_attacked,
            select_variable=fewest_columns_left,
            order_values=least_constraining_first,
            description="forward checking, fewest-columns row first, least-constraining column first",
        ),
        Strategy(
            "bitboard",
            Queens,
            select_variable=row_by_depth,
            apply=place_on_masks,
            value_bits=free_columns,
            plain_value_bits=attack_free_columns,
            weight=mirror_weight,
            leaves_out="feasibility",
            description="bit masks of columns and diagonals",
        ),
        Strategy(
            "symmetry",
            Queens,
            select_variable=row_by_depth,
            apply=place_on_masks,
            value_bits=canonical_free_columns,
            plain_value_bits=attack_free_columns,
            accept=smallest_of_class,
            weight=class_size,
            leaves_out="feasibility",
            description="bitboard over one board per class of the 8 symmetries, weighted (count only)",
        ),
    )
}


def build(n, strategy_name, goal):
    """The problem value for ``strategy_name`` and ``goal``: bitboard counting uses the mirror."""
    return Queens(n, mirror=goal == "count" and strategy_name == "bitboard")


def run_options(strategy_name, goal):
    """How a strategy is best run for a goal: ``mrv`` finds one board with restarts."""
    return {"restarts": goal == "first" and strategy_name == "mrv"}


def default_strategy(goal):
    """The fastest strategy for the goal: bit masks to count or list, MRV to find one."""
    return "mrv" if goal == "first" else "bitboard"


def is_solution(columns):
    """Independent validator: ``columns[row]`` places one queen per row, none attacking another."""
    n = len(columns)
    if sorted(columns) != list(range(n)):
        return False
    return len({r + c for r, c in enumerate(columns)}) == n and len({r - c for r, c in enumerate(columns)}) == n
