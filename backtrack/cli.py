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
from backtrack.parallel import ParallelSearch
from backtrack.solver import DEFAULT_TRACE_LIMIT, Search

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
            *parallel_options(goals),
            click.option("--quiet", is_flag=True, help="no progress reports on stderr"),
            *_TRACE_OPTIONS,
        ]
        command = _taking_trace_options(command)
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


class _Workers(click.ParamType):
    name = "K|auto"

    def convert(self, value, param, ctx):
        if value == "auto" or isinstance(value, int):
            return value
        try:
            workers = int(value)
        except ValueError:
            workers = 0
        if workers < 1:
            self.fail(f"must be a positive number or 'auto', not {value!r}", param, ctx)
        return workers


def _remember(ctx, param, value):
    """Keep a parallel option in the context (``run_search`` reads it), not in the command's arguments."""
    ctx.meta.setdefault(_PARALLEL, {})[param.name] = value


_PARALLEL = "backtrack.parallel"


def parallel_options(goals):
    """--workers, --scheduler, --checkpoint (and --ordered with goal all): the search's parallel run.

    They are not passed to the command: :func:`run_search` takes them from the click context.
    """
    common = {"expose_value": False, "callback": _remember}
    options = [
        click.option(
            "--workers",
            type=_Workers(),
            default=1,
            show_default=True,
            help="processes to search in ('auto': one per core); the tree is cut into subproblems",
            **common,
        ),
        click.option("--scheduler", metavar="ADDRESS", help="run the subproblems on this Dask cluster", **common),
        click.option(
            "--checkpoint",
            type=click.Path(dir_okay=False),
            help="record finished subproblems in FILE; run again with it to resume",
            **common,
        ),
    ]
    if "all" in goals:
        options.append(
            click.option("--ordered", is_flag=True, help="with --all in parallel: the sequential order", **common)
        )
    return options


def depth_first_requested():
    """Did the current command ask for what only a depth-first search does (--trace, --workers,
    --scheduler, --checkpoint)? A command whose default strategy searches level by level then
    takes a depth-first one."""
    ctx = click.get_current_context(silent=True)
    request = ctx.meta.get(_TRACE_KEY) if ctx is not None else None
    return parallel_requested() is not None or bool(request and request["path"] is not None)


def parallel_requested():
    """The parallel options given to the current command, or None when it runs in one process."""
    ctx = click.get_current_context(silent=True)
    given = dict(ctx.meta.get(_PARALLEL, {})) if ctx is not None else {}
    given.setdefault("workers", 1)
    if given["workers"] == 1 and not given.get("scheduler") and not given.get("checkpoint"):
        return None
    return given


# --trace / --trace-limit reach run_search through the click context, so problem commands need not
# pass them on; a command that never calls run_search (e.g. a DP) refuses them.
_TRACE_KEY = "backtrack.trace"
_TRACE_OPTIONS = [
    click.option(
        "--trace",
        "trace_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="record the search tree in FILE (CP-Profiler's SQLite format; draw it with `backtrack tree`)",
    ),
    click.option(
        "--trace-limit",
        type=click.IntRange(min=1),
        default=DEFAULT_TRACE_LIMIT,
        show_default=True,
        help="stop recording after this many nodes (the search goes on)",
    ),
]


def _taking_trace_options(command):
    @functools.wraps(command)
    def wrapper(*args, trace_path, trace_limit, **kwargs):
        ctx = click.get_current_context()
        ctx.meta[_TRACE_KEY] = {"path": trace_path, "limit": trace_limit, "used": False}
        outcome = command(*args, **kwargs)
        if trace_path is not None and not ctx.meta[_TRACE_KEY]["used"]:
            raise InputError("--trace records a depth-first search; this strategy has no search tree to record")
        return outcome

    return wrapper


def _trace_request(strategy, parallel, search_class):
    """The trace options of the current command for :class:`Search`, or {} (refused where unsupported)."""
    ctx = click.get_current_context(silent=True)
    request = ctx.meta.get(_TRACE_KEY) if ctx is not None else None
    if not request or request["path"] is None:
        return {}
    request["used"] = True
    if parallel is not None:
        raise InputError(
            "--trace records one process's search: drop --workers, --scheduler and --checkpoint "
            "(parallel runs are not traced yet)"
        )
    if search_class is not Search or strategy.level_dominance is not None:
        raise InputError(f"--trace records a depth-first search, not {strategy.name}; pick one with --strategy")

    def say_limit(limit):
        click.echo(f"trace: recorded the first {limit} nodes (--trace-limit); the search goes on unrecorded", err=True)

    return {"trace": request["path"], "trace_limit": request["limit"], "on_trace_limit": say_limit}


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
        if progress.subproblems is not None:
            parts.append(f"{progress.done}/{progress.subproblems} subproblems")
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
    if result.parallel is not None:
        record["parallel"] = result.parallel
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
    **search_options,
):
    """Run one search from the CLI and print it; raise :class:`Interrupted` after Ctrl-C.

    ``solution_json(values)`` turns the engine's solution into its JSON form; ``show_solution``
    prints it readably. ``extra(result)`` may add keys to the JSON record. ``search_class`` is
    :class:`backtrack.Search` or :class:`backtrack.bidirectional.Bidirectional`; ``search_options``
    go to it (e.g. ``restarts``, or ``target`` and ``low_memory`` for a bidirectional search).
    The command's parallel options (:func:`parallel_options`) make it a
    :class:`backtrack.parallel.ParallelSearch`.
    """
    parallel = parallel_requested()
    trace_options = _trace_request(strategy, parallel, search_class)
    if trace_options:
        search_options = {**search_options, **trace_options, "trace_meta": {"instance": instance_name}}
    if parallel is not None:
        if search_class is not Search or strategy.level_dominance is not None:
            raise InputError(
                f"--workers, --scheduler and --checkpoint need a depth-first strategy, not {strategy.name}; "
                "pick one with --strategy"
            )
        search_class = ParallelSearch
        search_options = {**search_options, **_parallel_setup(parallel, goal)}
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
    except (ValueError, OSError) as error:
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
    report(problem_name, instance_name, result, as_json, solution_json, show_solution, value_name, extra)
    if result.interrupted:
        raise Interrupted()
    return result


def report(problem_name, instance_name, result, as_json, solution_json, show_solution, value_name="value", extra=None):
    """Print a result as :func:`run_search` does: its JSON record, or a readable summary."""
    more = extra(result) if extra else {}
    if as_json:
        _emit(result_record(problem_name, instance_name, result, solution_json, more))
    else:
        _print_summary(problem_name, instance_name, result, show_solution, value_name, more)


def _parallel_setup(given, goal):
    """ParallelSearch's options from the command line: a Dask client for --scheduler (one per command)."""
    ctx = click.get_current_context()
    options = {"workers": given["workers"], "checkpoint": given.get("checkpoint"), "ordered": given.get("ordered")}
    if options["checkpoint"] is not None:
        if ctx.meta.get("backtrack.checkpointed"):
            raise InputError("--checkpoint records one search: pick one instance (e.g. --instance NAME)")
        ctx.meta["backtrack.checkpointed"] = True
    if given.get("scheduler"):
        if "backtrack.client" not in ctx.meta:
            from backtrack.cluster import connect

            try:
                ctx.meta["backtrack.client"] = connect(given["scheduler"])
            except (ImportError, OSError) as error:
                raise InputError(str(error)) from None
            ctx.call_on_close(ctx.meta["backtrack.client"].close)
        options["executor"] = ctx.meta["backtrack.client"]
    return options


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
    if result.parallel is not None:
        p = result.parallel
        resumed = f", {p['resumed']} from the checkpoint" if p["resumed"] else ""
        lines.append(f"  parallel    {p['workers']} workers ({p['executor']}), {p['subproblems']} subproblems{resumed}")
    lines.append(f"  time        {s.time_s:.3f} s search, {s.compile_s:.3f} s compile")
    click.echo("\n".join(lines))


# ---------------------------------------------------------------- the command group


ENTRY_POINT_GROUP = "backtrack.problems"  # where problem packages declare their commands
BUILTIN_COMMANDS = {"bench": "benchmarks.cli:bench", "tree": "backtrack.viz.command:tree"}


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
