"""Sudoku: solutions checked cell by cell by an independent checker, counts against brute force
(every 4x4 grid), uniqueness against a second strategy, both backends alike, the CLI."""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtrack.batch import Batch
from problems.sudoku.io import Puzzles
from problems.sudoku.model import STRATEGIES, build, given_domains, parse_grid

DATA = Path(__file__).resolve().parents[1] / "data" / "sudoku"


def valid_grid(side, grid, givens):
    """The oracle: each row, column and box holds 0..side-1 once; every given is kept (no engine code)."""
    box = int(round(side**0.5))
    rows = [list(grid[r * side : (r + 1) * side]) for r in range(side)]
    groups = rows + [list(col) for col in zip(*rows, strict=True)]
    groups += [
        [rows[r][c] for r in range(br, br + box) for c in range(bc, bc + box)]
        for br in range(0, side, box)
        for bc in range(0, side, box)
    ]
    digits = set(range(side))
    return all(set(g) == digits for g in groups) and all(g < 0 or g == v for g, v in zip(givens, grid, strict=True))


def all_4x4_grids():
    """Every valid 4x4 grid (288 of them): row permutations stacked while no column or box repeats,
    every stacked grid checked by ``valid_grid`` (no engine code)."""
    rows = list(itertools.permutations(range(4)))

    def fits(stack, row):
        r = len(stack)
        return all(
            row[c] != above[c] and (r % 2 == 0 or row[c] not in stack[-1][c // 2 * 2 : c // 2 * 2 + 2])
            for above in stack
            for c in range(4)
        )

    grids = [()]
    for _ in range(4):
        grids = [stack + (row,) for stack in grids for row in rows if fits(stack, row)]
    grids = [sum(stack, ()) for stack in grids]
    assert all(valid_grid(4, grid, [-1] * 16) for grid in grids)
    return grids


GRIDS_4 = all_4x4_grids()


def top95(count):
    lines = [line.strip() for line in (DATA / "top95.txt").read_text().splitlines() if line.strip()]
    return lines[:count]


def test_every_4x4_grid_is_found():
    # Interpreted: the compiled batch is checked on 9x9 and 16x16 grids below (each grid size
    # compiles its own machine code).
    assert len(GRIDS_4) == 288  # the known number of 4x4 Sudoku grids
    empty = build(4, [-1] * 16)
    for name, strategy in STRATEGIES.items():
        batch = Batch(empty, strategy, "all", given_domains(empty, empty.givens[None]), backend="python").run()
        assert batch.result(0).count == 288, name


@given(
    clues=st.lists(st.tuples(st.integers(0, 15), st.integers(0, 3)), max_size=8),
    name=st.sampled_from(sorted(STRATEGIES)),
)
def test_4x4_solutions_match_brute_force_on_both_backends(clues, name, both_backends):
    givens = [-1] * 16
    for cell, digit in clues:
        givens[cell] = digit
    expected = [g for g in GRIDS_4 if all(x < 0 or x == v for x, v in zip(givens, g, strict=True))]
    result, listed = both_backends(build(4, givens), STRATEGIES[name], "all")
    assert result.count == len(listed) == len(expected)
    assert sorted(listed) == sorted(expected)


@pytest.mark.parametrize("name", ["singles", "forward-checking"])
def test_hard_puzzles_are_solved_and_checked_cell_by_cell(name):
    lines = top95(12)
    givens = np.array([parse_grid(line, 9) for line in lines])
    problem = build(9, givens[0])
    batch = Batch(problem, STRATEGIES[name], "first", given_domains(problem, givens)).run()
    for i in range(len(lines)):  # goal first runs the compiled code of goal all: no second build
        result = batch.result(i)
        assert result.status == "satisfied"
        assert valid_grid(9, result.solution, givens[i].tolist())


def test_uniqueness_agrees_between_two_strategies():
    lines = top95(12)
    givens = np.array([parse_grid(line, 9) for line in lines])
    # Remove clues from some puzzles (more solutions) and add a clash to one (none).
    givens[1, np.flatnonzero(givens[1] >= 0)[:6]] = -1
    givens[2, :2] = [0, 0]
    problem = build(9, givens[0])
    outcomes = {}
    for name in ("singles", "forward-checking"):
        batch = Batch(problem, STRATEGIES[name], "all", given_domains(problem, givens), solution_limit=2).run()
        outcomes[name] = [(batch.result(i).count, batch.result(i).solution) for i in range(len(lines))]
    assert outcomes["singles"] == outcomes["forward-checking"]
    counts = [count for count, _ in outcomes["singles"]]
    assert counts[2] == 0 and counts[1] == 2 and counts.count(1) == len(lines) - 2


def batch_matches_one_search_per_puzzle(side, givens, strategy, both_backends):
    problem = build(side, givens[0])
    for goal, limit in (("first", None), ("all", 2)):
        batches = [
            Batch(problem, strategy, goal, given_domains(problem, givens), solution_limit=limit, backend=backend).run()
            for backend in ("python", "numba")
        ]
        for i in range(len(givens)):
            alone, _ = both_backends(build(side, givens[i]), strategy, goal, solution_limit=limit)
            for batch in batches:
                result = batch.result(i)
                assert (result.status, result.count, result.solution) == (alone.status, alone.count, alone.solution)
                assert (result.stats.nodes, result.stats.pruned) == (alone.stats.nodes, alone.stats.pruned)
                assert result.stats.max_depth == alone.stats.max_depth


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_batch_runs_the_same_search_as_one_search_per_4x4_puzzle(name, both_backends):
    rng = np.random.default_rng(5)
    givens = np.array([GRIDS_4[k] for k in rng.choice(len(GRIDS_4), 6)])
    for row, blanks in zip(givens, (10, 12, 13, 14, 16, 11), strict=True):
        row[rng.choice(16, blanks, replace=False)] = -1
    givens[5, :2] = [2, 2]  # a clash: no solution
    batch_matches_one_search_per_puzzle(4, givens, STRATEGIES[name], both_backends)


@pytest.mark.parametrize("name", ["singles", "forward-checking"])
def test_batch_runs_the_same_search_as_one_search_per_9x9_puzzle(name, both_backends):
    lines = top95(4)
    hard = np.array([parse_grid(line, 9) for line in lines])
    problem = build(9, hard[0])
    solved = Batch(problem, STRATEGIES["singles"], "first", given_domains(problem, hard)).run()
    rng = np.random.default_rng(3)
    givens = np.array([solved.result(i).solution for i in range(len(lines))])
    for row in givens:  # easier puzzles: the interpreted backend searches them in a second
        row[rng.choice(81, 50, replace=False)] = -1
    givens[1, np.flatnonzero(givens[1] >= 0)[:12]] = -1  # several solutions
    givens[2, :2] = [4, 4]  # a clash: none
    batch_matches_one_search_per_puzzle(9, givens, STRATEGIES[name], both_backends)


def test_a_16x16_puzzle():
    side, box = 16, 4
    solution = [(box * (r % box) + r // box + c) % side for r in range(side) for c in range(side)]
    assert valid_grid(side, solution, [-1] * 256)
    rng = np.random.default_rng(7)
    givens = np.array(solution)
    givens[rng.choice(256, 120, replace=False)] = -1
    problem = build(side, givens)
    batch = Batch(problem, STRATEGIES["singles"], "first", given_domains(problem, givens[None])).run()
    assert valid_grid(side, batch.result(0).solution, givens.tolist())


def test_reading_collections(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("# a comment line\n\n" + top95(1)[0] + "  # rated 9.9\n" + top95(2)[1].replace(".", "0") + " x\n")
    puzzles = Puzzles(9)
    puzzles.add_file(str(path))
    assert puzzles.names == [f"{path}:3", f"{path}:4"]
    assert (puzzles.givens[1] >= 0).sum() == sum(ch != "." for ch in top95(2)[1])
    bad = tmp_path / "bad.txt"
    bad.write_text(top95(1)[0] + "\n" + "x" * 81 + "\n")
    with pytest.raises(ValueError, match=":2: unexpected character"):
        Puzzles(9).add_file(str(bad))


def test_cli(backtrack_cli, tmp_path):
    lines = top95(3)
    path = tmp_path / "three.txt"
    path.write_text("\n".join(lines) + "\n")
    done = backtrack_cli("sudoku", "--file", path, "--count", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["uniqueness"] for r in records] == ["unique"] * 3
    assert all(valid_grid(9, parse_grid(r["solution"], 9), parse_grid(r["puzzle"], 9)) for r in records)
    clash = "11" + "." * 79
    none = backtrack_cli("sudoku", clash, "--count", "--json", "--quiet")
    assert json.loads(none.stdout)["uniqueness"] == "none"
    listed = backtrack_cli("sudoku", "--size", "4", "12..34..........", "--all", "--json", "--quiet")
    summary = json.loads(listed.stdout.splitlines()[-1])
    expected = [g for g in GRIDS_4 if g[:2] == (0, 1) and g[4:6] == (2, 3)]
    assert summary["count"] == len(expected) and summary["status"] == "complete"
    bad = backtrack_cli("sudoku", "123")
    assert bad.returncode == 2 and "81 cells" in bad.stderr and "Traceback" not in bad.stderr


def solved_by_singles(side, givens, hidden=True):
    """Oracle, independent of the engine: naked (and hidden) singles alone complete the grid."""
    box = int(round(side**0.5))
    cells = range(side * side)
    units = [[r * side + c for c in range(side)] for r in range(side)]
    units += [[r * side + c for r in range(side)] for c in range(side)]
    units += [
        [(br + r) * side + bc + c for r in range(box) for c in range(box)]
        for br in range(0, side, box)
        for bc in range(0, side, box)
    ]
    peers = [set().union(*(u for u in units if cell in u)) - {cell} for cell in cells]
    options = [set(range(side)) for _ in cells]
    placed = {}

    def place(cell, digit):
        placed[cell] = digit
        options[cell] = {digit}
        for peer in peers[cell]:
            options[peer].discard(digit)

    for cell, digit in enumerate(givens):
        if digit >= 0:
            place(cell, digit)
    progress = True
    while progress and len(placed) < side * side:
        progress = False
        for cell in cells:
            if cell not in placed and len(options[cell]) == 1:
                place(cell, next(iter(options[cell])))
                progress = True
        for unit in units if hidden else ():
            for digit in range(side):
                spots = [cell for cell in unit if digit in options[cell]]
                if len(spots) == 1 and spots[0] not in placed:
                    place(spots[0], digit)
                    progress = True
    return len(placed) == side * side and valid_grid(side, [placed[c] for c in cells], givens)


def singles_puzzle(solution, rng, blanks):
    """Blank cells of a solved grid in random order while the oracle's singles still complete it."""
    givens = list(solution)
    removed = 0
    for cell in rng.permutation(len(givens)):
        keep, givens[cell] = givens[cell], -1
        if solved_by_singles(9, givens):
            removed += 1
            if removed == blanks:
                break
        else:
            givens[cell] = keep
    return givens


def test_singles_alone_solve_what_the_oracle_solves_by_singles_without_a_branch():
    """Where naked and hidden singles complete the grid, the `singles` strategy makes no choice:
    one node per cell, nothing cut, on both backends (these grids need hidden singles)."""
    lines = top95(3)
    hard = np.array([parse_grid(line, 9) for line in lines])
    problem = build(9, hard[0])
    solved = Batch(problem, STRATEGIES["singles"], "first", given_domains(problem, hard)).run()
    rng = np.random.default_rng(11)
    givens = np.array([singles_puzzle(solved.result(i).solution, rng, 52) for i in range(len(lines))])
    assert not any(solved_by_singles(9, row.tolist(), hidden=False) for row in givens)
    for backend in ("python", "numba"):
        batch = Batch(problem, STRATEGIES["singles"], "first", given_domains(problem, givens), backend=backend).run()
        for i in range(len(givens)):
            result = batch.result(i)
            assert valid_grid(9, result.solution, givens[i].tolist())
            assert result.stats.nodes == 81 and sum(result.stats.pruned.values()) == 0, (backend, i)


@pytest.mark.parametrize("first, second", [(0, 0), (0, 1), (2, 3), (3, 3)])
def test_forced_decisions_of_a_subproblem_agree_with_brute_force(first, second, both_backends):
    """A prefix decides cells before the search; a value the propagation removed is a dead end."""
    expected = sum(1 for g in GRIDS_4 if g[0] == first and g[1] == second)
    for name in ("singles", "forward-checking"):
        result, _ = both_backends(build(4, [-1] * 16), STRATEGIES[name], "all", prefix=[(0, first), (1, second)])
        assert result.count == expected, name
