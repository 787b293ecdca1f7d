"""The ``backtrack`` command line: shared search options, output, errors and exit statuses.

Exit status: 0 when the search ran (whatever its status), 2 on bad usage or bad input (one line
on stderr), 130 on Ctrl-C after printing the best result so far. Each problem package declares
its command as an entry point of the group ``backtrack.problems``; the engine imports none of them.
"""

import functools
import importlib
import importlib.metadata
import json
import os
import sys

import click

import backtrack
from backtrack.parallel import ParallelCount
from backtrack.solver import Search

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class InputError(click.ClickException):
    """Bad input: reported as one line on stderr, exit status 2."""

    exit_code = EXIT_USAGE


class Interrupted(Exception):
    """The search was stopped by Ctrl-C (its result has been printed)."""


class ReaderGone(Exception):
    """stdout was closed by its reader (e.g. ``| head``): stop quietly."""


# ---------------------------------------------------------------- shared options


def search_options(goals, default_goal, strategies=None):
    """Options every problem command shares: the goal, strategy, backend, limits and output.

    With ``strategies`` (name -> Strategy), ``--list-strategies`` lists them before any argument
    is checked, so it needs no instance.
    """

    def list_and_exit(ctx, param, value):
        if value and not ctx.resilient_parsing:
            pick_strategy(strategies, None, None, True)

    def decorate(command):
        flags = {
            "first": "--first",
            "all": "--all",
            "count": "--count",
            "optimize": "--optimize",
        }
        helps = {
            "first": "find one solution",
            "all": "stream every solution",
            "count": "count the solutions exactly",
            "optimize": "find an optimal solution and prove it",
        }
        options = [
            click.option(
                flags[goal],
                "goal",
                flag_value=goal,
                help=helps[goal] + (" (default)" if goal == default_goal else ""),
                **({"default": True} if goal == default_goal else {}),
            )
            for goal in goals
        ]
        options += [
            click.option("--strategy", "strategy", default=None, help="pruning strategy (see --list-strategies)"),
            click.option(
                "--list-strategies",
                is_flag=True,
                help="list the strategies and exit",
                **({"is_eager": True, "callback": list_and_exit} if strategies else {}),
            ),
            click.option(
                "--backend",
                type=click.Choice(["numba", "python"]),
                default="numba",
                show_default=True,
                help="compiled or interpreted search",
            ),
            click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="seconds"),
            click.option("--node-limit", type=click.IntRange(min=1), help="stop after this many nodes"),
            click.option("--json", "as_json", is_flag=True, help="one JSON object per line on stdout"),
            *(
                [
                    click.option(
                        "--workers",
                        type=click.IntRange(min=1),
                        default=1,
                        show_default=True,
                        help="processes sharing a --count (the root's branches are shared out)",
                    )
                ]
                if "count" in goals
                else []
            ),
            click.option("--quiet", is_flag=True, help="no progress reports on stderr"),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def pick_strategy(strategies, name, default_name, list_only):
    """The strategy named ``name`` (or the default); with --list-strategies print them and exit."""
    if list_only:
        for key, strategy in strategies.items():
            click.echo(f"{key:18} {strategy.description}")
        sys.exit(0)
    name = name or default_name
    if name not in strategies:
        raise InputError(f"unknown strategy {name!r}; choose from {', '.join(strategies)}")
    return strategies[name]


# ---------------------------------------------------------------- running and reporting


class _ProgressPrinter:
    """Progress on stderr: a line rewritten in place on a terminal, a line every 10 s otherwise."""

    def __init__(self, label):
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, progress):
        if not self.tty and progress.elapsed_s - self.last < 10:
            return
        self.last = progress.elapsed_s
        rate = progress.nodes / progress.elapsed_s if progress.elapsed_s > 0 else 0.0
        parts = [f"{self.label}: {progress.elapsed_s:6.1f} s", f"{_si(progress.nodes)} nodes", f"{_si(rate)}/s"]
        if progress.value is not None:
            parts.append(f"best {progress.value}")
        elif progress.count:
            parts.append(f"count {progress.count}")
        elif progress.solutions:
            parts.append(f"{progress.solutions} solutions")
        line = "  ".join(parts)
        if self.tty:
            sys.stderr.write("\r" + line + "\x1b[K")
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        self.shown = True

    def close(self):
        if self.shown and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _si(x):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.1f}{unit}"
    return f"{x:.0f}"


def result_record(problem_name, instance_name, result, solution_json, extra=None):
    """The stable JSON object of one solved instance (keys documented in the README)."""
    record = {
        "problem": problem_name,
        "instance": instance_name,
        "goal": result.goal,
        "strategy": result.strategy,
        "backend": result.backend,
        "status": result.status,
        "stop_reason": result.stop_reason,
        "count": result.count,
        "value": result.value,
        "solution": solution_json(result.solution) if result.solution is not None else None,
        "stats": result.stats.as_dict(),
    }
    if extra:
        record.update(extra)
    return record


def run_search(
    *,
    problem_name,
    instance_name,
    problem,
    strategy,
    goal,
    backend,
    time_limit,
    node_limit,
    as_json,
    quiet,
    solution_json,
    show_solution,
    value_name="value",
    extra=None,
    search_class=Search,
    workers=1,
    **search_options,
):
    """Run one search from the CLI and print it; raise :class:`Interrupted` after Ctrl-C.

    ``solution_json(values)`` turns the engine's solution into its JSON form; ``show_solution``
    prints it readably. ``extra(result)`` may add keys to the JSON record. ``search_class`` is
    :class:`backtrack.Search` or :class:`backtrack.bidirectional.Bidirectional`; ``search_options``
    go to it (e.g. ``restarts``, or ``target`` and ``low_memory`` for a bidirectional search).
    ``workers`` > 1 counts in that many processes (:class:`backtrack.parallel.ParallelCount`).
    """
    if workers > 1:
        if goal != "count":
            raise InputError("--workers shares out a count: use it with --count")
        if search_class is not Search:
            raise InputError(f"--workers needs a depth-first strategy, not {strategy.name}; pick one with --strategy")
        search_class = ParallelCount
        search_options = {**search_options, "workers": workers}
    printer = None if quiet else _ProgressPrinter(f"{problem_name} {instance_name}")
    try:
        search = search_class(
            problem,
            strategy,
            goal,
            backend=backend,
            time_limit=time_limit,
            node_limit=node_limit,
            on_progress=printer,
            **search_options,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    try:
        for index, solution in enumerate(search.stream()):
            if goal != "all":
                continue
            if as_json:
                _emit(
                    {
                        "problem": problem_name,
                        "instance": instance_name,
                        "index": index,
                        "solution": solution_json(solution),
                    }
                )
            else:
                click.echo(f"solution {index + 1}:")
                show_solution(solution)
    except backtrack.HookCompileError as error:
        raise InputError(str(error)) from None
    except BrokenPipeError:
        raise ReaderGone() from None
    finally:
        if printer is not None:
            printer.close()
    result = search.result
    more = extra(result) if extra else {}
    if as_json:
        _emit(result_record(problem_name, instance_name, result, solution_json, more))
    else:
        _print_summary(problem_name, instance_name, result, show_solution, value_name, more)
    if result.interrupted:
        raise Interrupted()
    return result


def _emit(record):
    click.echo(json.dumps(record, separators=(",", ":")))


def _print_summary(problem_name, instance_name, result, show_solution, value_name, more):
    s = result.stats
    if result.solution is not None and result.goal in ("first", "optimize"):
        show_solution(result.solution)
    lines = [
        f"{problem_name} {instance_name}: {result.status}" + (f" ({result.stop_reason})" if result.stop_reason else "")
    ]
    if result.goal in ("count", "all"):
        lines.append(f"  count       {result.count}")
    if result.value is not None:
        lines.append(f"  {value_name:11} {result.value}")
    for key, value in more.items():
        lines.append(f"  {key:11} {value}")
    pruned = ", ".join(f"{k} {v}" for k, v in s.pruned.items() if v)
    lines.append(f"  strategy    {result.strategy} ({result.backend})")
    lines.append(f"  nodes       {s.nodes}" + (f"  (cut: {pruned})" if pruned else ""))
    lines.append(f"  max depth   {s.max_depth}")
    lines.append(f"  time        {s.time_s:.3f} s search, {s.compile_s:.3f} s compile")
    click.echo("\n".join(lines))


# ---------------------------------------------------------------- the command group


ENTRY_POINT_GROUP = "backtrack.problems"  # where problem packages declare their commands
BUILTIN_COMMANDS = {"bench": "benchmarks.cli:bench"}


class _ProblemGroup(click.Group):
    """The problem commands, discovered as plug-ins and loaded only when used (keeps ``--help`` fast).

    Every installed distribution may declare commands under the entry-point group
    ``backtrack.problems`` (``name = "package.module:click_command"``); ``bench`` is built in. A
    plug-in that fails to load is reported in one line on stderr, and the other commands still work.
    """

    def _targets(self):
        """Command name -> "module:attribute", the built-in ones first (a plug-in cannot shadow them)."""
        targets = {}
        for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            targets.setdefault(entry.name, entry.value)
        return {**targets, **BUILTIN_COMMANDS}

    def list_commands(self, ctx):
        return sorted(self._targets())

    def get_command(self, ctx, name):
        target = self._targets().get(name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
            command = getattr(module, attribute) if attribute else None
        except ModuleNotFoundError as error:
            if name in BUILTIN_COMMANDS and error.name and module_name.startswith(error.name):
                return None  # the benchmarks are not installed (outside a checkout)
            return self._broken(name, target, error)
        except Exception as error:  # a plug-in's own bug must not break the other commands
            return self._broken(name, target, error)
        if not isinstance(command, click.Command):
            return self._broken(name, target, TypeError(f"{target} is not a click command"))
        return command

    def _broken(self, name, target, error):
        """Report a plug-in that cannot be loaded in one line on stderr; the command then fails with status 2."""
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        message = f"plug-in command {name!r} ({target}) cannot be loaded: {reason}"
        click.echo(f"backtrack: warning: {message}", err=True)

        @click.command(name=name, help=f"(broken plug-in: {reason})", context_settings={"ignore_unknown_options": True})
        @click.argument("args", nargs=-1, type=click.UNPROCESSED)
        def unavailable(args):
            raise InputError(message)

        return unavailable


@click.group(cls=_ProblemGroup)
@click.version_option(backtrack.__version__, prog_name="backtrack")
def cli():
    """Backtracking search with plug-in pruning: solve bundled puzzles and instance files."""


def main(argv=None):
    """Console entry point: one-line errors with exit status 2, 130 after Ctrl-C."""
    try:
        cli.main(args=argv, prog_name="backtrack", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        click.echo(f"backtrack: error: {error.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except Interrupted:
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except (BrokenPipeError, ReaderGone):
        # The reader went away (e.g. `| head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


def with_input_errors(function):
    """Turn ValueError / OSError raised while reading input into one-line usage errors."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (ValueError, OSError) as error:
            raise InputError(str(error)) from None

    return wrapper
