"""``backtrack knapsack FILE``: solve 0/1 knapsack instances; ``--generate`` writes new ones."""

import time

import click

from backtrack.bidirectional import Bidirectional
from backtrack.cli import (
    InputError,
    Interrupted,
    depth_first_requested,
    pick_strategy,
    report,
    run_search,
    search_options,
)
from backtrack.solver import Result
from problems.knapsack.generate import KINDS, generate_series
from problems.knapsack.io import format_pisinger, format_plain, read_instances
from problems.knapsack.preparation import prepare, search_time_left
from problems.knapsack.strategies import DEFAULT_STRATEGY, DEPTH_FIRST_DEFAULT, STRATEGIES, search_strategy


@click.command()
@click.argument("file", required=False)
@click.option("--instance", "instance_name", help="solve only the instance with this name")
@click.option(
    "--generate",
    "kind",
    type=click.Choice([str(k) for k in KINDS]),
    help="write instances of Pisinger's class CLASS instead of solving (see below)",
)
@click.option("--n", "n_items", type=click.IntRange(min=1), default=100, show_default=True, help="items (--generate)")
@click.option("--range", "value_range", type=click.IntRange(min=10), default=1000, show_default=True, help="R")
@click.option("--seed", type=int, default=0, show_default=True, help="random seed (--generate)")
@click.option("--count", "series", type=click.IntRange(min=1), default=1, show_default=True, help="instances")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="file to write (default stdout)")
@click.option("--format", "file_format", type=click.Choice(["pisinger", "plain"]), default="pisinger")
@search_options(goals=("optimize",), default_goal="optimize")
def knapsack(
    file,
    instance_name,
    kind,
    n_items,
    value_range,
    seed,
    series,
    output,
    file_format,
    goal,
    strategy,
    list_strategies,
    backend,
    time_limit,
    node_limit,
    as_json,
    quiet,
):
    """Choose items of maximum total profit whose total weight fits the capacity (0/1 knapsack).

    FILE holds instances in Pisinger's format (name line, 'n N', 'c C', 'z Z', 'time T', n lines
    'j,p,w,x', then '-----'; several per file) or the plain format ('n c', then n lines 'p w');
    '-' reads stdin. Every instance is solved in turn (one JSON line each with --json) unless
    --instance picks one; limits apply to each instance. The solution lists the chosen items,
    numbered from 0 in input order. When the file gives the optimum z, the output adds
    known_optimum and matches_known. --time-limit bounds each instance's whole solve: its
    preparation (reduction, core searches) and the search.

    \b
    --generate CLASS writes instances instead (no search), in Pisinger's format (without z):
      backtrack knapsack --generate 3 --n 1000 --range 10000 --seed 1 --count 5 --output s.csv
    CLASS: 1 uncorrelated, 2 weakly, 3 strongly, 4 inverse strongly, 5 almost strongly
    correlated, 6 subset sum, 9 similar weights; Pisinger's hard types 11-13 span(2,10) over
    classes 1-3, 14 mstr(3R/10,2R/10,6), 15 pceil(3), 16 circle(2/3); instance i of --count S
    has capacity max(i * sum(w) / (S + 1), max w).
    """
    if kind is not None:
        if file is not None:
            raise click.UsageError("--generate writes instances; give no FILE")
        _write(generate_series(int(kind), n_items, value_range, seed, series), output, file_format)
        return
    default = DEPTH_FIRST_DEFAULT if depth_first_requested() else DEFAULT_STRATEGY
    chosen = pick_strategy(STRATEGIES, strategy, default, list_strategies)
    if file is None:
        raise click.UsageError("give an instance FILE (or - for stdin), or --generate CLASS")
    try:
        instances = read_instances(file)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    if instance_name is not None:
        instances = [inst for inst in instances if inst.name == instance_name]
        if not instances:
            raise InputError(f"{file}: no instance named {instance_name!r}")
    for instance in instances:
        started = time.perf_counter()
        try:
            problem = prepare(instance, chosen.name, backend=backend, time_limit=time_limit)
        except ValueError as error:
            raise InputError(f"{file}: {error}") from None
        except KeyboardInterrupt:
            _interrupted_while_preparing(instance, chosen.name, backend, as_json)
        prepare_s = time.perf_counter() - started
        common = dict(
            problem_name="knapsack",
            instance_name=instance.name,
            problem=problem,
            strategy=search_strategy(problem, chosen.name),
            goal=goal,
            backend=backend,
            time_limit=None if time_limit is None else search_time_left(time_limit, prepare_s),
            node_limit=node_limit,
            as_json=as_json,
            quiet=quiet,
            solution_json=problem.chosen_items,
            show_solution=_shower(instance, problem),
            value_name="profit",
            extra=_extra(instance, problem, prepare_s),
        )
        if chosen.name == "bidirectional":
            run_search(search_class=Bidirectional, target=problem.capacity, **common)
        else:
            run_search(**common)


def _interrupted_while_preparing(instance, strategy_name, backend, as_json):
    """Ctrl-C before the search began: the partial result (status limit, nothing found yet), then
    exit status 130."""
    result = Result(status="limit", goal="optimize", strategy=strategy_name, backend=backend, stop_reason="interrupt")

    def keys(result):
        more = {"core_nodes": None}
        if instance.known_optimum is not None:
            more.update(known_optimum=instance.known_optimum, matches_known=False)
        return more

    report("knapsack", instance.name, result, as_json, list, None, "profit", keys)
    raise Interrupted()


def _extra(instance, problem, prepare_s):
    """JSON keys beyond the engine's: the file's optimum, and the work done while preparing."""

    def keys(result):
        more = {"core_nodes": problem.core_nodes, "prepare_s": round(prepare_s, 6)}
        if instance.known_optimum is not None:
            more["known_optimum"] = instance.known_optimum
            more["matches_known"] = result.value == instance.known_optimum
        return more

    return keys


def _shower(instance, problem):
    def show(values):
        items = problem.chosen_items(values)
        weight = sum(instance.weights[j] for j in items)
        click.echo(f"items ({len(items)}, weight {weight} of {instance.capacity}): {' '.join(map(str, items))}")

    return show


def _write(instances, output, file_format):
    text = "".join(format_pisinger(inst) if file_format == "pisinger" else format_plain(inst) for inst in instances)
    if file_format == "plain" and len(instances) > 1:
        raise click.UsageError("the plain format holds one instance; use --count 1 or --format pisinger")
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
