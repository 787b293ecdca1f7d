"""Sudoku as engine hooks: one variable per cell, its digit (0..N-1) as the value.

The grid has N = box * box rows, columns and boxes (N = 4, 9 or 16). A given is a one-value
domain. Three strategies, from the weakest pruning to the strongest:

- ``plain``: cells in reading order, each value checked against the decided peers (feasibility);
- ``forward-checking``: a decision removes its digit from the peers' domains (propagation), and
  the cell with the fewest candidates is decided next (MRV);
- ``singles`` (default): candidates as bit words in the state row (problems/sudoku/singles.py),
  propagation to a fixpoint of naked singles (a cell with one candidate
  takes it from its peers) and hidden singles (a digit with one place left in a row, column or
  box is fixed there), then MRV.
"""

from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, dom_remove, jitable
from problems.sudoku.singles import fewest_in_domains, fix_cell, fixed_or_fewest, row_candidates, singles, state_width

SIZES = {4: 2, 9: 3, 16: 4}  # side -> box side
SYMBOLS = "123456789ABCDEFG"  # digit d (0-based) is written SYMBOLS[d]
BLANKS = ".0"


class Sudoku(NamedTuple):
    """A Sudoku grid's rules and givens.

    box, side: box side and grid side (side = box * box); givens int64[side * side]: the digit of
    each cell (0-based) or -1; peers int64[cells, P]: the other cells of each cell's row, column
    and box; units int64[3 * side, side]: the cells of each row, column and box; cell_units
    int64[cells]: the units of each cell as a bit word (bit u: unit u); work int64[cells + 1]:
    scratch for propagation (a stack of cells to process); full: the bit word of all digits;
    all_units: the bit word of all units.
    """

    box: int
    side: int
    givens: np.ndarray
    peers: np.ndarray
    units: np.ndarray
    cell_units: np.ndarray
    work: np.ndarray
    full: int
    all_units: int

    def space(self):
        domains = given_domains(self, self.givens[None])[0]
        # The row of the `singles` strategy (problems/sudoku/singles.py); the other strategies ignore it.
        state = np.zeros(state_width(self.side), np.int64)
        return Space(n_vars=self.side * self.side, n_values=self.side, domains=domains, state=state)


def rules(side):
    """Peers, units and each cell's units of a ``side`` x ``side`` grid:
    (peers int64[cells, P], units int64[3 side, side], cell_units int64[cells] as bit words)."""
    if side not in SIZES:
        raise ValueError(f"the grid side must be one of {', '.join(map(str, SIZES))}, not {side}")
    box = SIZES[side]
    cells = np.arange(side * side).reshape(side, side)
    rows = [cells[r, :] for r in range(side)]
    columns = [cells[:, c] for c in range(side)]
    boxes = [cells[r : r + box, c : c + box].reshape(-1) for r in range(0, side, box) for c in range(0, side, box)]
    units = np.array(rows + columns + boxes, dtype=np.int64)
    peers = []
    for cell in range(side * side):
        r, c = divmod(cell, side)
        others = set(rows[r]) | set(columns[c]) | set(boxes[(r // box) * box + c // box])
        others.discard(cell)
        peers.append(sorted(int(x) for x in others))
    cell_units = np.zeros(side * side, dtype=np.int64)
    for u, unit in enumerate(units):
        cell_units[unit] |= 1 << u
    return np.array(peers, dtype=np.int64), units, cell_units


def build(side, givens):
    """The problem of one puzzle: ``givens`` a sequence of side * side digits (0-based, -1 blank)."""
    peers, units, cell_units = rules(side)
    givens = np.asarray(givens, dtype=np.int64).reshape(side * side)
    work = np.zeros(side * side + 1, np.int64)
    return Sudoku(SIZES[side], side, givens, peers, units, cell_units, work, (1 << side) - 1, (1 << 3 * side) - 1)


def given_domains(problem, givens):
    """Root domains of many puzzles: bool[m, cells, side] from givens int64[m, cells] (-1 blank)."""
    givens = np.asarray(givens, dtype=np.int64)
    masks = np.ones(givens.shape + (problem.side,), dtype=bool)
    rows, cells = np.nonzero(givens >= 0)
    masks[rows, cells, :] = False
    masks[rows, cells, givens[rows, cells]] = True
    return masks


def parse_grid(text, side):
    """Digits of one puzzle line (0-based, -1 for a blank); ValueError on a malformed line."""
    if len(text) != side * side:
        raise ValueError(f"a {side}x{side} puzzle has {side * side} cells, this one {len(text)}")
    symbols = SYMBOLS[:side]
    digits = []
    for ch in text.upper():
        if ch in BLANKS and not (ch == "0" and "0" in symbols):
            digits.append(-1)
        elif ch in symbols:
            digits.append(symbols.index(ch))
        else:
            raise ValueError(f"unexpected character {ch!r} (digits {symbols}, blanks '.' or '0')")
    return digits


def format_grid(digits):
    """A solution (or puzzle) as one line of symbols, '.' for blanks."""
    return "".join(SYMBOLS[d] if d >= 0 else "." for d in digits)


def is_solution(problem, grid):
    """Independent check: every row, column and box holds each digit once, and the givens are kept."""
    grid = np.asarray(grid).reshape(problem.side * problem.side)
    if grid.min() < 0 or grid.max() >= problem.side:
        return False
    for unit in problem.units:
        if len(set(grid[unit].tolist())) != problem.side:
            return False
    return all(g < 0 or g == v for g, v in zip(problem.givens.tolist(), grid.tolist(), strict=True))


# ---------------------------------------------------------------- hooks


@jitable
def no_clash(problem, state, assign, var, value):
    """``is_feasible``: no decided peer holds the same digit."""
    for peer in problem.peers[var]:
        if assign[peer] == value:
            return False
    return True


@jitable
def candidates(problem, state, domains, assign, var):
    """``value_bits``: the cell's domain word (one 64-bit word holds up to 16 digits)."""
    return np.int64(domains.bits[var, 0])


@jitable
def fewest_candidates(problem, state, domains, assign, depth):
    """``select_variable`` (MRV): the undecided cell with the fewest candidates; a single one at once."""
    return fewest_in_domains(domains, assign)


@jitable
def remove_from_peers(problem, domains, var, value):
    """``propagate`` by forward checking: the digit leaves every peer's domain; False on a wipe-out."""
    for peer in problem.peers[var]:
        if not dom_remove(domains, peer, value):
            return False
    return True


@jitable
def forward_check(problem, state, domains, assign, var, value):
    """``propagate``: forward checking."""
    return remove_from_peers(problem, domains, var, value)


STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "plain",
            Sudoku,
            is_feasible=no_clash,
            value_bits=candidates,
            description="cells in reading order, a digit checked against its decided peers",
        ),
        Strategy(
            "forward-checking",
            Sudoku,
            propagate=forward_check,
            select_variable=fewest_candidates,
            value_bits=candidates,
            description="a digit leaves its peers' domains; fewest candidates first (MRV)",
        ),
        Strategy(
            "singles",
            Sudoku,
            apply=fix_cell,
            propagate=singles,
            select_variable=fixed_or_fewest,
            value_bits=row_candidates,
            description="candidates as bit words in the state row, naked and hidden singles to a fixpoint, "
            "then MRV (default)",
        ),
    )
}
DEFAULT_STRATEGY = "singles"
