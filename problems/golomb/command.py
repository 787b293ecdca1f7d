"""``backtrack golomb N``: the shortest ruler with N marks, proven optimal; or rulers within a length."""

import click

from backtrack.cli import InputError, pick_strategy, run_search, search_options
from problems.golomb.model import DEFAULT_STRATEGY, MAX_LENGTH, MAX_MARKS, STRATEGIES, build, is_golomb, ruler_of


def _show(solution):
    click.echo("ruler " + " ".join(map(str, ruler_of(solution))))


@click.command()
@click.argument("n", type=click.IntRange(min=1, max=MAX_MARKS))
@click.option("--length", type=click.IntRange(min=0, max=MAX_LENGTH), help="rulers of this length at most")
@search_options(goals=("optimize", "first", "count", "all"), default_goal="optimize", strategies=STRATEGIES)
def golomb(n, length, goal, strategy, list_strategies, backend, time_limit, node_limit, as_json, quiet):
    """Golomb rulers with N marks (all pairwise differences distinct).

    --optimize (default) finds the shortest and proves it, starting from the greedy ruler;
    --first, --count and --all need --length L and take the rulers of length at most L (a ruler
    and its mirror image count as two). JSON: the solution is the marks' positions, 0 first;
    value is the length.
    """
    chosen = pick_strategy(STRATEGIES, strategy, DEFAULT_STRATEGY, list_strategies)
    if goal != "optimize" and length is None:
        raise click.UsageError(f"--{goal} needs --length L (rulers of length at most L)")
    if n == 1:
        raise InputError("a ruler with 1 mark has length 0: nothing to search")
    try:
        problem = build(n, length)
    except ValueError as error:
        raise InputError(str(error)) from None
    result = run_search(
        problem_name="golomb",
        instance_name=str(n),
        problem=problem,
        strategy=chosen,
        goal=goal,
        backend=backend,
        time_limit=time_limit,
        node_limit=node_limit,
        as_json=as_json,
        quiet=quiet,
        solution_json=ruler_of,
        show_solution=_show,
        value_name="length",
    )
    if result.solution is not None and not is_golomb(ruler_of(result.solution)):
        raise click.ClickException("the search returned a ruler that repeats a difference (a bug)")
