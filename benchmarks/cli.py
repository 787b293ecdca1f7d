"""``backtrack bench PROBLEM``: run a benchmark suite and write its table, JSON and plots."""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import click

from benchmarks import harness


def _solver_names(suite, spec, no_peers):
    known = suite.solvers()
    if spec is None:
        names = list(suite.default_solvers() if suite.default_solvers is not None else known)
    elif spec.strip() == "all":
        names = list(known)
    else:
        names = [name.strip() for name in spec.split(",") if name.strip()]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise click.BadParameter(
                f"unknown solver(s) {', '.join(unknown)}; choose from {', '.join(known)}", param_hint="--strategies"
            )
    if no_peers:
        names = [name for name in names if known[name].kind != "peer"]
    return names


@click.command()
@click.argument("problem", type=click.Choice(sorted(harness.SUITES)))
@click.option("--sizes", help="sizes to run: '4-14', '4-14:2' (step), '8,10,12' [default: the suite's]")
@click.option(
    "--strategies",
    "-s",
    "strategies",
    help="comma-separated strategies and peers (see --list), or 'all' [default: all available]",
)
@click.option("--no-peers", is_flag=True, help="run our strategies only")
@click.option("--repeats", type=click.IntRange(min=1), default=3, show_default=True, help="timed runs per pair")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="seconds per run; a solver that passes it is not run at larger sizes",
)
@click.option(
    "--instances",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="instance file (repeatable), instead of generated sizes",
)
@click.option("--per-size", type=click.IntRange(min=1), default=1, show_default=True, help="instances per size or file")
@click.option(
    "--classes", help="comma-separated instance classes (knapsack: 1-6, 9; subsetsum: p3, p6, random-even, ...)"
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="output directory [default: benchmarks/out/PROBLEM in a checkout, else ./bench-out/PROBLEM]",
)
@click.option("--list", "list_only", is_flag=True, help="list the suite's strategies and peers and exit")
@click.option("--goals", is_flag=True, help="nqueens: measure the issue-3 speed goals against the C counter")
@click.option("--replot", is_flag=True, help="redraw the table and plots from --out's PROBLEM.json (nothing is run)")
def bench(
    problem, sizes, strategies, no_peers, repeats, time_limit, files, per_size, classes, out, list_only, goals, replot
):
    """Benchmark PROBLEM's strategies (and installed peers) over a range of sizes.

    Every (size, solver) pair runs in its own process: a warm-up run that compiles (its time is
    reported apart), then REPEATS timed runs (median shown). Writes a Markdown table, raw JSON and
    PNG plots (with matplotlib) into --out as PROBLEM.md, PROBLEM.json and PROBLEM-*.png, and
    prints the table. With --goals (nqueens): nqueens-goals.md and nqueens-goals.json.
    """
    try:
        suite = harness.load_suite(problem)
        known = suite.solvers()
    except (harness.SuiteUnavailable, ImportError) as error:
        raise click.ClickException(f"{error}; is problems.{problem} in place?") from None
    out = out or str(harness.default_out(problem))
    if list_only:
        for name, solver in known.items():
            click.echo(f"{name:20} {solver.kind:8} {solver.description}")
        return
    if replot:
        _replot(suite, problem, out)
        return
    if goals:
        if problem != "nqueens":
            raise click.UsageError("--goals exists for nqueens only")
        from benchmarks.nqueens import run_goals

        run_goals(out, repeats=repeats, echo=click.echo)
        click.echo(f"wrote {out}/nqueens-goals.md and nqueens-goals.json")
        return
    names = _solver_names(suite, strategies, no_peers)
    try:
        size_list = harness.parse_sizes(sizes) if sizes else list(suite.default_sizes)
        groups = [c.strip() for c in classes.split(",") if c.strip()] if classes else None
        instances = suite.instances(size_list, list(files), per_size, groups)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    started_at = harness.now_iso()
    load_start = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    total = len(instances) * len(names)
    with tempfile.TemporaryDirectory(prefix=f"bench-{problem}-") as workdir:
        with click.progressbar(
            length=total,
            label=f"bench {problem}",
            file=sys.stderr,
            show_pos=True,
            item_show_func=lambda item: item,
        ) as bar:

            def progress(label):
                bar.update(1, label)

            rows = harness.run_suite(
                suite,
                suite_name=problem,
                instances=instances,
                solver_names=names,
                repeats=repeats,
                time_limit=time_limit,
                workdir=workdir,
                progress=progress,
            )
    elapsed = time.perf_counter() - started
    options = {
        "sizes": size_list,
        "files": list(files),
        "per_size": per_size,
        "classes": groups,
        "solvers": names,
        "repeats": repeats,
        "time_limit": time_limit,
        "load_average_start": load_start,
    }
    plots, plot_note = harness.write_outputs(
        out,
        suite=suite,
        rows=rows,
        options=options,
        command=harness.command_line(),
        started=started_at,
        elapsed_s=elapsed,
    )
    click.echo(harness.text_table(rows, time_limit))
    for line in harness.notes(rows):
        click.echo(line)
    if plot_note:
        click.echo(plot_note)
    click.echo(f"wrote {out}/{problem}.md, {problem}.json" + "".join(f", {p.name}" for p in plots))


def _replot(suite, problem, out):
    """Rewrite PROBLEM.md and the plots from the raw figures of an earlier run."""
    path = Path(out) / f"{problem}.json"
    if not path.exists():
        raise click.UsageError(f"no {path} to redraw from")
    record = json.loads(path.read_text())
    harness.write_outputs(
        out,
        suite=suite,
        rows=record["rows"],
        options=record["options"],
        command=record["command"],
        started=record["date"],
        elapsed_s=record["elapsed_s"],
        machine=record["machine"],
    )
    click.echo(f"redrew {out}/{problem}.md and its plots from {path}")
