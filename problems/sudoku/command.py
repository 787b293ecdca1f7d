"""``backtrack sudoku``: solve puzzles given as arguments or read from files, many per process."""

import sys

import click

from backtrack.batch import Batch
from backtrack.cli import (
    InputError,
    Interrupted,
    parallel_requested,
    pick_strategy,
    result_record,
    run_search,
    search_options,
)
from problems.sudoku.io import Puzzles
from problems.sudoku.model import DEFAULT_STRATEGY, SIZES, STRATEGIES, build, format_grid, is_solution

UNIQUENESS = {0: "none", 1: "unique", 2: "multiple"}


def _grid_lines(side, digits):
    box = SIZES[side]
    text = format_grid(digits)
    for r in range(side):
        row = text[r * side : (r + 1) * side]
        click.echo(" ".join(" ".join(row[c : c + box]) for c in range(0, side, box)))


@click.command()
@click.argument("puzzles", nargs=-1)
@click.option("--file", "files", multiple=True, help="a file of puzzles, one per line ('-': stdin); repeatable")
@click.option("--size", type=click.Choice([str(s) for s in SIZES]), default="9", show_default=True, help="grid side")
@search_options(goals=("first", "count", "all"), default_goal="first", strategies=STRATEGIES)
def sudoku(puzzles, files, size, goal, strategy, list_strategies, backend, time_limit, node_limit, as_json, quiet):
    """Solve Sudoku puzzles: each a line of SIZE*SIZE cells, digits 1-9 (then A-G for 16x16), '.'
    or '0' for a blank (4x4 and 9x9; 16x16 blanks are '.').

    PUZZLES are puzzle lines, or '-' to read them from stdin; --file reads a collection (one
    per line; lines starting with '#' and anything after a puzzle on its line are skipped).
    --first (default) solves, --count tells unique from multiple (it stops at 2 solutions:
    unique, multiple or none), --all lists every solution of each puzzle. All puzzles are
    searched in one compiled batch; --node-limit applies to each puzzle, --time-limit to all.
    """
    chosen = pick_strategy(STRATEGIES, strategy, DEFAULT_STRATEGY, list_strategies)
    side = int(size)
    collection = Puzzles(side)
    try:
        for index, text in enumerate(puzzles, 1):
            if text == "-":
                collection.add_file("-")
            else:
                collection.add(f"arg{index}", text)
        for path in files:
            collection.add_file(path)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    if not collection:
        raise click.UsageError("give puzzles as arguments, or --file FILE ('-' for stdin)")
    if parallel_requested() is not None:
        raise click.UsageError("sudoku searches its puzzles in one process (a batch): drop --workers and --checkpoint")
    if goal == "all":
        _list_all(collection, chosen, backend, time_limit, node_limit, as_json, quiet)
        return
    _solve_batch(collection, chosen, goal, backend, time_limit, node_limit, as_json, quiet)


def _solve_batch(collection, chosen, goal, backend, time_limit, node_limit, as_json, quiet):
    problem = collection.problem()
    progress = None if quiet else _BatchProgress()
    batch = Batch(
        problem,
        chosen,
        "first" if goal == "first" else "all",  # a count stops at 2 solutions
        collection.domains(problem),
        backend=backend,
        solution_limit=2 if goal == "count" else None,
        node_limit=node_limit,
        time_limit=time_limit,
        on_progress=progress,
    ).run()
    if progress is not None:
        progress.close()
    givens = collection.givens
    unsolved = 0
    for i, name in enumerate(collection.names):
        result = batch.result(i)
        result.goal = goal
        extra = {"puzzle": collection.texts[i]}
        if result.solution is not None and not is_solution(problem._replace(givens=givens[i]), result.solution):
            raise click.ClickException(f"{name}: the search returned a grid that breaks the rules (a bug)")
        if goal == "count":
            finished = result.status in ("complete",) or result.stop_reason == "solutions"
            extra["uniqueness"] = UNIQUENESS[min(result.count, 2)] if finished else None
        unsolved += result.solution is None
        if as_json:
            click.echo(_json(result_record("sudoku", name, result, format_grid, extra)))
        else:
            _print_line(name, result, extra)
    if not quiet and len(collection) > 1:
        rate = len(collection) / batch.stats.time_s if batch.stats.time_s > 0 else float("inf")
        click.echo(
            f"sudoku: {len(collection)} puzzles in {batch.stats.time_s:.3f} s ({rate:.0f}/s, compile "
            f"{batch.stats.compile_s:.2f} s), {len(collection) - unsolved} solved, every solution checked",
            err=True,
        )
    if batch.stop_reason == "interrupt":
        raise Interrupted()


def _json(record):
    import json

    return json.dumps(record, separators=(",", ":"))


def _print_line(name, result, extra):
    status = result.status + (f" ({result.stop_reason})" if result.stop_reason else "")
    if "uniqueness" in extra and extra["uniqueness"]:
        status = extra["uniqueness"]
    grid = format_grid(result.solution) if result.solution is not None else extra["puzzle"]
    click.echo(f"{name}  {status:12}  {grid}  nodes {result.stats.nodes}")


def _list_all(collection, chosen, backend, time_limit, node_limit, as_json, quiet):
    """--all: each puzzle's solutions streamed by an ordinary search."""
    givens = collection.givens
    for i, name in enumerate(collection.names):
        problem = build(collection.side, givens[i])
        run_search(
            problem_name="sudoku",
            instance_name=name,
            problem=problem,
            strategy=chosen,
            goal="all",
            backend=backend,
            time_limit=time_limit,
            node_limit=node_limit,
            as_json=as_json,
            quiet=quiet,
            solution_json=format_grid,
            show_solution=lambda digits: _grid_lines(collection.side, digits),
            extra=lambda result, i=i: {"puzzle": collection.texts[i]},
        )


class _BatchProgress:
    """Progress of a batch on stderr: puzzles done, nodes, every 10 s (in place on a terminal)."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, progress):
        if not self.tty and progress.elapsed_s - self.last < 10:
            return
        self.last = progress.elapsed_s
        line = f"sudoku: {progress.elapsed_s:6.1f} s  {progress.done}/{progress.total} puzzles  {progress.nodes} nodes"
        sys.stderr.write(("\r" + line + "\x1b[K") if self.tty else line + "\n")
        sys.stderr.flush()
        self.shown = True

    def close(self):
        if self.shown and self.tty:
            sys.stderr.write("\n")
