"""N-queens: every strategy against OEIS A000170, an independent validator, and across backends.

Adding a strategy is one line in ``CASES``; ``test_every_strategy_is_tested`` fails until it is there.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from backtrack import solve
from problems.nqueens import STRATEGIES, Queens

# OEIS A000170: number of ways to place n non-attacking queens on an n x n board, n = 1, 2, ...
A000170 = [1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596, 2279184, 14772512]


def solutions_of(n):
    return A000170[n - 1]


def mirrored(n):
    return Queens(n, mirror=True)


@dataclass(frozen=True)
class Case:
    """How far a strategy is checked. ``count_problem``: the instance it counts on (as the CLI builds it)."""

    count_up_to: int  # compiled counts checked for N = 1..count_up_to
    python_up_to: int = 6  # interpreted counts checked for N = 1..python_up_to
    lists: bool = True  # can list solutions (goals first and all)
    count_problem: Callable = Queens


CASES = {
    "naive": Case(count_up_to=7, python_up_to=5),
    "feasibility": Case(count_up_to=10),
    "forward-checking": Case(count_up_to=10),
    "mrv": Case(count_up_to=10),
    "bitboard": Case(count_up_to=13, count_problem=mirrored),
    "symmetry": Case(count_up_to=13, lists=False),
}
LISTING = [name for name, case in CASES.items() if case.lists]


def attacks(row_a, col_a, row_b, col_b):
    return col_a == col_b or abs(col_a - col_b) == abs(row_a - row_b)


def valid_board(n, columns):
    """Independent validator: one queen per row, inside the board, no two attacking."""
    columns = list(columns)
    return (
        len(columns) == n
        and all(0 <= c < n for c in columns)
        and not any(attacks(a, columns[a], b, columns[b]) for a in range(n) for b in range(a + 1, n))
    )


def test_every_strategy_is_tested():
    assert set(CASES) == set(STRATEGIES)


def test_validator():
    assert valid_board(4, [1, 3, 0, 2]) and valid_board(1, [0])
    assert not valid_board(4, [1, 3, 0, 0])  # same column
    assert not valid_board(4, [0, 1, 3, 2])  # diagonal
    assert not valid_board(4, [1, 3, 0]) and not valid_board(4, [1, 3, 0, 4])


def count_params(backend):
    params = []
    for name, case in CASES.items():
        up_to = case.count_up_to if backend == "numba" else case.python_up_to
        params += [pytest.param(name, n, id=f"{name}-{n}") for n in range(1, up_to + 1)]
    return params


@pytest.mark.parametrize(("name", "n"), count_params("numba"))
def test_counts_compiled(name, n):
    result = solve(CASES[name].count_problem(n), STRATEGIES[name], "count", backend="numba")
    assert result.status == "complete"
    assert result.count == solutions_of(n)


@pytest.mark.parametrize(("name", "n"), count_params("python"))
def test_counts_interpreted(name, n):
    result = solve(CASES[name].count_problem(n), STRATEGIES[name], "count", backend="python")
    assert result.count == solutions_of(n)


@pytest.mark.parametrize("n", range(1, 11))
def test_bitboard_counts_without_the_mirror(n):
    assert solve(Queens(n), STRATEGIES["bitboard"], "count").count == solutions_of(n)


def listing_params(largest, naive_largest):
    return [
        pytest.param(name, n, id=f"{name}-{n}")
        for name in LISTING
        for n in range(1, (naive_largest if name == "naive" else largest) + 1)
    ]


@pytest.mark.parametrize(("name", "n"), listing_params(largest=10, naive_largest=8))
def test_first(one_search, name, n):
    result, streamed = one_search(Queens(n), STRATEGIES[name], "first", "numba")
    if solutions_of(n) == 0:
        assert (result.status, result.solution, streamed) == ("unsatisfiable", None, [])
    else:
        assert result.status == "satisfied"
        assert valid_board(n, result.solution)
        assert streamed == [tuple(result.solution)]


@pytest.mark.parametrize(("name", "n"), listing_params(largest=8, naive_largest=7))
def test_all_lists_each_solution_once(one_search, name, n):
    result, streamed = one_search(Queens(n), STRATEGIES[name], "all", "numba")
    assert result.status == "complete"
    assert all(valid_board(n, s) for s in streamed)
    assert len(streamed) == len(set(streamed)) == solutions_of(n)
    assert result.count == solutions_of(n)


@pytest.mark.parametrize(("name", "n"), listing_params(largest=6, naive_largest=5))
def test_first_and_all_agree_across_backends(both_backends, name, n):
    both_backends(Queens(n), STRATEGIES[name], "first")
    both_backends(Queens(n), STRATEGIES[name], "all")


def backend_params():
    params = []
    for name in CASES:
        for n in range(4, 8):
            marks = [pytest.mark.slow] if (name, n) == ("naive", 7) else []  # ~1e6 nodes interpreted
            params.append(pytest.param(name, n, id=f"{name}-{n}", marks=marks))
    return params


@pytest.mark.parametrize(("name", "n"), backend_params())
def test_both_backends_visit_the_same_nodes(both_backends, name, n):
    result, _ = both_backends(CASES[name].count_problem(n), STRATEGIES[name], "count")
    assert result.count == solutions_of(n)


# ---------------------------------------------------------------- stronger pruning, fewer nodes


def nodes(name, n, goal="count"):
    return solve(Queens(n), STRATEGIES[name], goal).stats.nodes


@pytest.mark.parametrize("goal", ["count", "first"])
@pytest.mark.parametrize("n", range(1, 11))
def test_stronger_pruning_never_visits_more_nodes(n, goal):
    # Same row order, columns ascending: each strategy's tree is a subtree of the one before.
    # bitboard tries only the free columns, as forward checking does, without its wipe-out cut.
    chain = ["naive", "feasibility", "bitboard", "forward-checking"]
    if n > 8:
        chain.remove("naive")  # 9^9 leaves: too slow to count here
    counts = [nodes(name, n, goal) for name in chain]
    assert counts == sorted(counts, reverse=True), dict(zip(chain, counts, strict=True))


@pytest.mark.parametrize("n", range(1, 11))
def test_mrv_counts_with_no_more_nodes_than_forward_checking(n):
    # Not guaranteed by construction (MRV changes the order), but checked to hold for every
    # N = 1..12 when counting. It does not hold for goal first (N = 6: 36 > 27; N = 11: 173 > 40).
    assert nodes("mrv", n) <= nodes("forward-checking", n)


@pytest.mark.parametrize("n", range(1, 14))
def test_symmetry_never_visits_more_nodes_than_the_mirrored_bitboard(n):
    # Same rows in order, the first row's left half; symmetry only removes columns from the
    # bitboard's free columns, so its tree is a subtree of the mirrored bitboard's.
    symmetry = solve(CASES["symmetry"].count_problem(n), STRATEGIES["symmetry"], "count").stats.nodes
    assert symmetry <= solve(Queens(n, mirror=True), STRATEGIES["bitboard"], "count").stats.nodes


@pytest.mark.parametrize("n", range(4, 11))
def test_each_check_cuts_some_nodes(n):
    assert nodes("forward-checking", n) < nodes("feasibility", n)
    if n <= 8:
        assert nodes("feasibility", n) < nodes("naive", n)


@pytest.mark.parametrize("n", [63, 64, 65, 100, 200])
def test_mrv_finds_a_board_beyond_one_domain_word(n):
    # More than 64 columns: domains span several 64-bit words. MRV with forward checking finds
    # these quickly (NOTES.md: a few hundred nodes); the node limit only keeps a regression from
    # hanging the suite, the same on every machine.
    result = solve(Queens(n), STRATEGIES["mrv"], "first", node_limit=10**6)
    assert result.status == "satisfied"
    assert valid_board(n, result.solution)
