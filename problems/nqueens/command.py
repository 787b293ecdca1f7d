"""``backtrack nqueens N``: count, list or find placements of N queens."""

import click

from backtrack.cli import pick_strategy, run_search, search_options
from problems.nqueens.model import MAX_BITBOARD_N, STRATEGIES, build, default_strategy, run_options


def _show_board(columns):
    n = len(columns)
    for col in columns:
        click.echo(" ".join("Q" if c == col else "." for c in range(n)))


@click.command()
@click.argument("n", type=click.IntRange(min=1))
@search_options(goals=("count", "first", "all"), default_goal="count", strategies=STRATEGIES)
def nqueens(n, goal, strategy, list_strategies, backend, time_limit, node_limit, as_json, quiet):
    """Place N queens on an N x N board, no two attacking (OEIS A000170 counts them).

    --first and --all print boards (JSON: the column of the queen in each row).
    """
    chosen = pick_strategy(STRATEGIES, strategy, default_strategy(goal), list_strategies)
    if chosen.name in ("bitboard", "symmetry") and n > MAX_BITBOARD_N:
        raise click.UsageError(f"strategy {chosen.name} handles N up to {MAX_BITBOARD_N}; use mrv for larger boards")
    if chosen.name == "symmetry" and goal != "count":
        raise click.UsageError("strategy symmetry only counts; use bitboard to list solutions")
    problem = build(n, chosen.name, goal)
    run_search(
        problem_name="nqueens",
        instance_name=str(n),
        problem=problem,
        strategy=chosen,
        goal=goal,
        backend=backend,
        time_limit=time_limit,
        node_limit=node_limit,
        as_json=as_json,
        quiet=quiet,
        solution_json=list,
        show_solution=_show_board,
        **run_options(chosen.name, goal),
    )
