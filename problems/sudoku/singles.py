"""The ``singles`` strategy's hooks: candidate bit words held in the state row, naked and hidden
singles by bit operations, MRV from bitsets of cells.

The row of a search node (width ``state_width(side)``, ``words`` = ceil(cells / 32)):

- ``[0, cells)``: each cell's candidates as a bit word (bit d: digit d is still possible);
- ``OPEN`` (``words`` words of 32 cells): cells the search has not decided yet;
- ``FREE`` (``words`` words): cells with more than one candidate;
- ``DIRTY``: the units (bit u: unit u) where a candidate was removed since the last fixpoint;
- ``BUILT``: 0 in the root's row, whose content the first ``propagate`` builds from the root
  domains (the givens), so every instance of a batch starts from the same row.

``apply`` fixes a decided cell in the child's row; ``propagate`` takes fixed cells' digits from
their peers and fixes hidden singles of the changed units until nothing changes. A cell that the
propagation fixed is still decided by the search (one node each, as every cell is a variable),
but such a node finds nothing to do: ``select_variable`` returns it from the bitsets in O(words)
and ``propagate`` returns at once.
"""

import numpy as np

from backtrack import jitable
from backtrack.bits import lowest_bit_index, popcount

CELLS_PER_WORD = 32  # bitsets of cells use 32 bits of each int64 word (no sign bit on either backend)


def bitset_words(cells):
    return (cells + CELLS_PER_WORD - 1) // CELLS_PER_WORD


def state_width(side):
    """Length of the state row of a side x side grid: candidates, OPEN, FREE, DIRTY, BUILT."""
    cells = side * side
    return cells + 2 * bitset_words(cells) + 2


@jitable
def _layout(problem):
    cells = problem.side * problem.side
    words = (cells + 31) >> 5
    return cells, words, cells + words, cells + 2 * words  # cells, words, FREE offset, DIRTY offset


@jitable
def _clear_bit(state, at, cell):
    state[at + (cell >> 5)] &= ~(np.int64(1) << (cell & 31))


@jitable
def _build(problem, state, domains, assign):
    """Fill the root's row from the root domains; return the cells that already have one candidate
    (pushed on ``problem.work``) as their number."""
    cells, words, free_at, dirty_at = _layout(problem)
    work = problem.work
    for k in range(cells, dirty_at):
        state[k] = 0
    top = 0
    for cell in range(cells):
        word = np.int64(domains.bits[cell, 0])
        state[cell] = word
        bit = np.int64(1) << (cell & 31)
        if assign[cell] < 0:
            state[cells + (cell >> 5)] |= bit
        if word & (word - 1):
            state[free_at + (cell >> 5)] |= bit
        else:
            work[top] = cell
            top += 1
    state[dirty_at] = problem.all_units
    state[dirty_at + 1] = 1
    return top


@jitable
def _fixpoint(problem, state, top):
    """Naked and hidden singles until nothing changes, from the ``top`` fixed cells on the work
    stack and the DIRTY units; False when a cell loses its last candidate or a digit its last
    place in a unit."""
    cells, words, free_at, dirty_at = _layout(problem)
    work = problem.work
    peers = problem.peers
    units = problem.units
    cell_units = problem.cell_units
    side = problem.side
    full = problem.full
    dirty = state[dirty_at]
    while True:
        # Naked singles: a fixed cell's digit leaves its peers.
        while top > 0:
            top -= 1
            cell = work[top]
            digit = state[cell]
            if digit == 0:
                return False
            for j in range(peers.shape[1]):
                peer = peers[cell, j]
                word = state[peer]
                if word & digit:
                    word ^= digit
                    if word == 0:
                        return False
                    state[peer] = word
                    dirty |= cell_units[peer]
                    if word & (word - 1) == 0:
                        _clear_bit(state, free_at, peer)
                        work[top] = peer
                        top += 1
        if dirty == 0:
            break
        # Hidden singles: a digit with one place left in a changed unit is fixed there.
        pending = dirty
        dirty = 0
        while pending:
            u = lowest_bit_index(pending)
            pending &= pending - 1
            once = 0
            twice = 0
            fixed = 0
            for j in range(side):
                word = state[units[u, j]]
                twice |= once & word
                once |= word
                if word & (word - 1) == 0:
                    fixed |= word
            if once != full:
                return False
            hidden = once & ~twice & ~fixed
            while hidden:
                digit = hidden & -hidden
                hidden ^= digit
                for j in range(side):
                    cell = units[u, j]
                    if state[cell] & digit:
                        state[cell] = digit
                        _clear_bit(state, free_at, cell)
                        dirty |= cell_units[cell]
                        work[top] = cell
                        top += 1
                        break
        if top == 0:
            break
    state[dirty_at] = 0
    return True


@jitable
def fix_cell(problem, state, var, value):
    """``apply``: the decided cell leaves OPEN; a choice among several candidates fixes it (and
    marks its units for the propagation); a value that is no candidate leaves it none."""
    cells, words, free_at, dirty_at = _layout(problem)
    if state[dirty_at + 1] == 0:
        return  # the root's row: the propagation builds the child's row from the domains
    _clear_bit(state, cells, var)
    digit = np.int64(1) << value
    word = state[var]
    if word != digit:
        state[var] = word & digit
        _clear_bit(state, free_at, var)
        state[dirty_at] |= problem.cell_units[var]


@jitable
def singles(problem, state, domains, assign, var, value):
    """``propagate``: naked and hidden singles to a fixpoint; False when a cell or a digit runs out.

    A decision of a cell that was already fixed changes nothing: the row is still at the
    fixpoint the last propagation left, and the hook returns at once."""
    cells, words, free_at, dirty_at = _layout(problem)
    if state[dirty_at + 1] == 0:
        return _fixpoint(problem, state, _build(problem, state, domains, assign))
    if state[dirty_at] == 0:
        return True
    problem.work[0] = var
    return _fixpoint(problem, state, 1)


@jitable
def fixed_or_fewest(problem, state, domains, assign, depth):
    """``select_variable``: an open cell that is already fixed if there is one (no choice to make),
    else the free cell with the fewest candidates (MRV; the first with two at once)."""
    cells, words, free_at, dirty_at = _layout(problem)
    if state[dirty_at + 1] == 0:
        return fewest_in_domains(domains, assign)
    for k in range(words):
        fixed = state[cells + k] & ~state[free_at + k]
        if fixed:
            return 32 * k + lowest_bit_index(fixed)
    best_cell = -1
    best_size = 1 << 30
    for k in range(words):
        free = state[free_at + k]
        while free:
            cell = 32 * k + lowest_bit_index(free)
            free &= free - 1
            size = popcount(state[cell])
            if size < best_size:
                best_size = size
                best_cell = cell
                if size <= 2:
                    return cell
    return best_cell


@jitable
def fewest_in_domains(domains, assign):
    """MRV over the domains (the root, before the row is built; ``forward-checking`` everywhere):
    the undecided cell with the smallest domain, a single one at once."""
    best_cell = -1
    best_size = 1 << 30
    for cell in range(assign.shape[0]):
        if assign[cell] < 0:
            size = popcount(domains.bits[cell, 0])
            if size < best_size:
                if size <= 1:
                    return cell
                best_size = size
                best_cell = cell
    return best_cell


@jitable
def row_candidates(problem, state, domains, assign, var):
    """``value_bits``: the cell's candidates from the row (from its domain at the root)."""
    cells, words, free_at, dirty_at = _layout(problem)
    if state[dirty_at + 1] == 0:
        return np.int64(domains.bits[var, 0])
    return state[var]
