"""The symmetry strategy's canonical boards, against an independent count of symmetry classes."""

import pytest

from backtrack import solve
from problems.nqueens import STRATEGIES, Queens
from problems.nqueens.model import allowed_distances, distance_rank, edge_queen_allowed


def all_boards(n):
    """Every solution as a tuple of columns, by plain recursion (no bit masks, no symmetry)."""
    boards = []

    def extend(columns):
        row = len(columns)
        if row == n:
            boards.append(tuple(columns))
            return
        for col in range(n):
            if all(col != c and abs(col - c) != row - r for r, c in enumerate(columns)):
                extend([*columns, col])

    extend([])
    return boards


def images(n, board):
    """The 8 images of a board under the square's symmetries, as sets of (row, column)."""
    cells = [(r, c) for r, c in enumerate(board)]
    maps = [
        lambda r, c: (r, c),
        lambda r, c: (r, n - 1 - c),
        lambda r, c: (n - 1 - r, c),
        lambda r, c: (n - 1 - r, n - 1 - c),
        lambda r, c: (c, r),
        lambda r, c: (c, n - 1 - r),
        lambda r, c: (n - 1 - c, r),
        lambda r, c: (n - 1 - c, n - 1 - r),
    ]
    return [frozenset(f(r, c) for r, c in cells) for f in maps]


@pytest.mark.parametrize("backend", ["numba", "python"])
@pytest.mark.parametrize("n", range(1, 10))
def test_one_leaf_per_symmetry_class(n, backend):
    boards = all_boards(n)
    classes = {min(tuple(sorted(image)) for image in images(n, board)) for board in boards}
    result = solve(Queens(n), STRATEGIES["symmetry"], "count", backend=backend)
    assert result.stats.solutions == len(classes)  # accepted leaves: one per class
    assert result.count == len(boards)  # each weighted by its class's size


@pytest.mark.parametrize("n", range(1, 63))
def test_the_fast_rule_is_the_ranking(n):
    middle = (n - 1) // 2
    ranks = [distance_rank(n, d) for d in range(middle + 1)]
    assert len(set(ranks)) == len(ranks)  # a strict order of the distances
    for t in range(middle + 1):
        near, middle_too = allowed_distances(n, t)
        for d in range(middle + 1):
            fast = d <= near or (bool(middle_too) and 2 * d == n - 1)
            assert fast == edge_queen_allowed(n, t, d), (t, d)
