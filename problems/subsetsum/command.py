"""``backtrack subsetsum``: find, count or list subsets of weights that sum to a target."""

import sys

import click

from backtrack.bidirectional import Bidirectional
from backtrack.cli import (
    InputError,
    _emit,
    _print_summary,
    parallel_requested,
    pick_strategy,
    result_record,
    run_search,
    search_options,
)
from problems.subsetsum.generate import CLASSES, generate, instance_text
from problems.subsetsum.model import (
    STRATEGIES,
    chosen_indices,
    default_strategy,
    make_problem,
    needs_python_ints,
    solve_dp,
    use_low_memory,
)


def _parse_int(token, what):
    try:
        return int(token)
    except ValueError:
        raise InputError(f"{what} must be an integer, not {token!r}") from None


def read_instance(path):
    """Target and weights from a file (``-``: stdin): the target first, then the weights."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path) as handle:
                text = handle.read()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    tokens = text.split()
    if not tokens:
        raise InputError(f"{path}: empty file (expected the target, then the weights)")
    return _parse_int(tokens[0], "the target"), [_parse_int(t, "a weight") for t in tokens[1:]]


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("weights", nargs=-1)
@click.option("--target", "-t", "target_text", help="the sum to reach")
@click.option("--file", "path", help="instance file: the target, then the weights (- for stdin)")
@click.option("--closest", "goal", flag_value="optimize", help="the largest sum not above the target")
@search_options(goals=("first", "count", "all"), default_goal="first")
@click.option(
    "--low-memory",
    is_flag=True,
    help="bidirectional: Schroeppel-Shamir, O(2^(n/4)) memory (first, count; default past 50 items)",
)
@click.option("--generate", "kind", type=click.Choice(CLASSES), help="print an instance of this class and exit")
@click.option("--n", "n_items", type=click.IntRange(min=1), default=20, show_default=True, help="items (--generate)")
@click.option("--seed", type=int, default=0, show_default=True, help="random seed (--generate)")
@click.option("--bits", type=click.IntRange(min=2), default=40, show_default=True, help="weight size (random classes)")
def subsetsum(
    weights,
    target_text,
    path,
    goal,
    strategy,
    list_strategies,
    backend,
    time_limit,
    node_limit,
    as_json,
    quiet,
    low_memory,
    kind,
    n_items,
    seed,
    bits,
):
    """Choose weights that sum exactly to the target (non-negative integers of any size).

    --first (default) finds one subset, --count counts them exactly, --all lists them, --closest
    finds the largest sum not above the target. Give the weights as arguments with --target, or
    --file. JSON solution: the chosen indices, 0-based, in input order.
    """
    if kind is not None:
        chosen_weights, chosen_target = generate(kind, n_items, seed, bits)
        click.echo(instance_text(chosen_weights, chosen_target), nl=False)
        return
    if list_strategies:
        pick_strategy(STRATEGIES, None, "ordering", True)
    if path is not None:
        if weights or target_text is not None:
            raise InputError("give either --file or --target with weights, not both")
        target, numbers = read_instance(path)
        instance_name = path
    else:
        if target_text is None:
            raise InputError("missing --target (or --file)")
        target = _parse_int(target_text, "the target")
        numbers = [_parse_int(w, "a weight") for w in weights]
        instance_name = f"{len(numbers)} weights"
    if not numbers:
        raise InputError("no weights given")
    try:
        problem = make_problem(numbers, target, exact=(goal != "optimize"))
    except ValueError as error:
        raise InputError(str(error)) from None
    big = needs_python_ints(problem)
    chosen = pick_strategy(STRATEGIES, strategy, default_strategy(len(numbers), target, goal, big), False)
    if big and backend == "numba" and chosen.name != "dp":
        if not quiet:
            click.echo("subsetsum: sums beyond int64: exact Python integers, interpreted", err=True)
        backend = "python"
    if low_memory and chosen.name != "bidirectional":
        raise InputError("--low-memory applies to --strategy bidirectional")
    low_memory = low_memory or use_low_memory(len(numbers), goal)

    def show(solution):
        picked = chosen_indices(solution)
        click.echo(f"indices {' '.join(map(str, picked))}")
        click.echo(f"sum     {sum(numbers[i] for i in picked)} (target {target})")

    common = {
        "problem_name": "subsetsum",
        "instance_name": instance_name,
        "problem": problem,
        "strategy": chosen,
        "goal": goal,
        "backend": backend,
        "time_limit": time_limit,
        "node_limit": node_limit,
        "as_json": as_json,
        "quiet": quiet,
        "solution_json": chosen_indices,
        "show_solution": show,
        "value_name": "sum",
    }
    if chosen.name == "dp":
        if parallel_requested() is not None:
            raise InputError("--workers, --scheduler and --checkpoint need a depth-first strategy, not dp")
        try:
            result = solve_dp(problem, goal, time_limit=time_limit)
        except ValueError as error:
            raise InputError(str(error)) from None
        if as_json:
            _emit(result_record("subsetsum", instance_name, result, chosen_indices))
        else:
            _print_summary("subsetsum", instance_name, result, show, "sum", {})
        return
    if chosen.name == "bidirectional":
        run_search(search_class=Bidirectional, target=target, low_memory=low_memory, **common)
        return
    run_search(**common)
