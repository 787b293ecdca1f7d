"""``backtrack colour FILE.col``: the chromatic number of a DIMACS graph, proven; or its colourings with K colours."""

import click

from backtrack.cli import InputError, pick_strategy, run_search, search_options
from problems.colour.graph import is_proper
from problems.colour.io import read_dimacs
from problems.colour.model import DEFAULT_STRATEGY, STRATEGIES, build, colours_of


@click.command()
@click.argument("file")
@click.option(
    "--colours",
    "--colors",
    "colours",
    type=click.IntRange(min=1),
    help="with --first/--count/--all: colourings with at most K colours",
)
@search_options(goals=("optimize", "first", "count", "all"), default_goal="optimize", strategies=STRATEGIES)
def colour(file, colours, goal, strategy, list_strategies, backend, time_limit, node_limit, as_json, quiet):
    """Colour the vertices of the DIMACS graph FILE ('-': stdin; .gz read as is) so that the ends
    of every edge differ.

    --optimize (default) finds the chromatic number and proves it (DSATUR branch and bound from the
    greedy DSATUR colouring, a greedy clique as the lower bound). --colours K with --first,
    --count or --all: colourings with at most K colours, counted up to a renaming of the colours
    (each partition of the vertices into at most K independent sets once). Each colouring is
    checked edge by edge; JSON: the solution is the colour (1..k) of vertex 1, 2, ...
    """
    chosen = pick_strategy(STRATEGIES, strategy, DEFAULT_STRATEGY, list_strategies)
    if goal == "optimize" and colours is not None:
        raise click.UsageError("--colours K asks whether K colours suffice: use it with --first, --count or --all")
    if goal != "optimize" and colours is None:
        raise click.UsageError(f"--{goal} needs --colours K")
    try:
        graph = read_dimacs(file)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    problem = build(graph, colours)

    def checked(solution):
        if not is_proper(graph.n, graph.edges, solution):
            raise click.ClickException("the search returned a colouring with a clash (a bug)")
        return colours_of(solution)

    def show(solution):
        click.echo("colours " + " ".join(map(str, checked(solution))))

    facts = {"vertices": graph.n, "edges": len(graph.edges), "clique": len(problem.clique)}
    if goal == "optimize":
        facts["greedy"] = problem.colours
    run_search(
        problem_name="colour",
        instance_name=graph.name,
        problem=problem,
        strategy=chosen,
        goal=goal,
        backend=backend,
        time_limit=time_limit,
        node_limit=node_limit,
        as_json=as_json,
        quiet=quiet,
        solution_json=checked,
        show_solution=show,
        value_name="colours",
        extra=lambda result: facts,
    )
