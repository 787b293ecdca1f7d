"""Parallel search for every goal: the tree cut into subproblems, shared out among workers.

:func:`backtrack.decompose.decompose` cuts the tree into subproblems (decision prefixes, in
depth-first order); each is searched to its end by an ordinary :class:`backtrack.Search` with that
``prefix``, in a worker: a local process (forked, so it shares the compiled engine and the problem
without pickling them), this process, or a Dask cluster (:mod:`backtrack.cluster`). The workers
share a :class:`backtrack.solver.Coordinator` between slices: a stop flag, the best objective
found so far (goal optimize) and the nodes searched. Goal by goal:

- count: the subproblems' counts add up exactly; so do nodes and cuts, with those of the levels the
  decomposition enumerated (as long as the hooks' results depend only on the path, not on the order
  of the search);
- all: each subproblem's solutions are streamed as it finishes (``ordered=True``: in the sequential
  order, the solutions of subproblems finished ahead of their turn waiting in temporary files);
- first: the first solution any worker finds; the others stop at their next slice. With
  ``restarts`` it is a portfolio: every worker searches the whole tree with its own seed;
- optimize: one incumbent shared by all, optimal once every subproblem is finished.

``checkpoint`` appends each finished subproblem to a file (:mod:`backtrack.checkpoint`); running
again with it searches only what is not finished. A worker that dies has its subproblems searched
again (a new pool of processes locally; Dask reschedules them itself).
"""

import pickle
import signal
import tempfile
import threading
import time
from contextlib import contextmanager

from backtrack.checkpoint import Checkpoint, fingerprint
from backtrack.decompose import DeadlineReached, Decomposition, Subproblem, decompose
from backtrack.search import new_arrays
from backtrack.solver import (
    GOALS,
    PRUNING_KINDS,
    Progress,
    Result,
    Search,
    Stats,
    Streaming,
    check_arguments,
    final_status,
    unpruned_nodes,
)
from backtrack.workers import Job, LocalProcesses, Task, resolve_workers

SUBPROBLEMS_PER_WORKER = 50  # Regin et al.: 30-100 per worker balance well
PORTFOLIO_SEED_STRIDE = 1_000_003  # seeds of portfolio workers: apart by more than any run's restarts
LOST_ATTEMPTS = 3  # a subproblem whose worker died this many times is an error, not a fault


# ---------------------------------------------------------------- the driver


class ParallelSearch(Streaming):
    """A search of ``problem`` with ``strategy`` for any goal, shared out among ``workers``.

    Takes :class:`backtrack.Search`'s options (except ``prefix``) and: ``workers`` (a number or
    ``"auto"``); ``executor``, a ``distributed.Client`` to run on a Dask cluster; ``checkpoint``,
    a file to record finished subproblems in and resume from; ``ordered`` (goal all): solutions in
    the sequential order; ``subproblems_per_worker`` (default 50; 1 for strategies with a ``dominated``
    hook, whose memo of earlier nodes each subproblem starts without). Time limit, node limit and Ctrl-C end it with
    status ``limit`` and everything found so far. ``result.parallel`` holds its figures.
    """

    def __init__(
        self,
        problem,
        strategy,
        goal="first",
        *,
        workers=1,
        executor=None,
        checkpoint=None,
        ordered=False,
        subproblems_per_worker=None,
        backend="numba",
        time_limit=None,
        node_limit=None,
        solution_limit=None,
        prefix=(),
        on_progress=None,
        progress_every=1.0,
        restarts=False,
        trace=None,
        **trace_options,
    ):
        if trace is not None:
            raise ValueError("trace records a search in one process: use workers=1 to trace")
        if goal not in GOALS:
            raise ValueError(f"goal must be one of {', '.join(GOALS)}, not {goal!r}")
        check_arguments(
            problem, strategy, backend, time_limit=time_limit, node_limit=node_limit, solution_limit=solution_limit
        )
        if list(prefix):
            raise ValueError("a parallel search cuts the whole tree into prefixes: it takes no prefix of its own")
        if restarts and (goal != "first" or "seed" not in getattr(problem, "_fields", ())):
            raise ValueError("restarts need goal 'first' and a problem with a 'seed' field")
        if restarts and checkpoint is not None:
            raise ValueError("a portfolio of restarts (goal first) cannot be resumed: drop the checkpoint")
        if ordered and goal != "all":
            raise ValueError("ordered applies to goal 'all'")
        if subproblems_per_worker is None:
            # A dominance hook compares a node with nodes searched before it (the knapsack memo):
            # every subproblem starts without them, so the tree is cut into as few pieces as workers.
            subproblems_per_worker = 1 if "dominated" in strategy.custom else SUBPROBLEMS_PER_WORKER
        if subproblems_per_worker < 1:
            raise ValueError("subproblems_per_worker must be positive")
        self.workers = resolve_workers(workers)
        self.problem, self.strategy, self.goal, self.backend = problem, strategy, goal, backend
        self.executor, self.checkpoint_path, self.ordered = executor, checkpoint, ordered
        self.per_worker = subproblems_per_worker
        self.time_limit, self.node_limit, self.solution_limit = time_limit, node_limit, solution_limit
        self.on_progress, self.progress_every, self.restarts = on_progress, progress_every, restarts
        self.space = problem.space()
        self.sense = 1 if self.space.maximize else -1
        self.checkpoint = None
        self._kind = "dask" if executor is not None else "processes" if self.workers > 1 else "this process"
        if checkpoint is not None:  # read (and refuse a foreign file) before anything runs
            describe = f"{type(problem).__name__}, strategy {strategy.name}, goal {goal}"
            self.checkpoint = Checkpoint(checkpoint, fingerprint(problem, strategy, goal), describe)
        self.result = None

    # ------------------------------------------------------------ planning

    def _plan(self, deadline):
        """The tasks to run: portfolio seeds, the checkpoint's subproblems, or a fresh decomposition."""
        if self.restarts:
            seeds = [self.problem.seed + k * PORTFOLIO_SEED_STRIDE for k in range(self._worker_count())]
            return Decomposition([], 0), [Task(k, seed=seed) for k, seed in enumerate(seeds)]
        header = self.checkpoint.header if self.checkpoint is not None else None
        if header is not None:
            pieces = [Subproblem(i, tuple(tuple(d) for d in p)) for i, p in enumerate(header["subproblems"])]
            plan = Decomposition(pieces, header["depth"], header["max_depth"], header["nodes"], header["pruned"])
            plan.not_offered = header.get("not_offered", {})
        else:
            monotonic_deadline = None if deadline is None else time.monotonic() + (deadline - time.time())
            plan = decompose(
                self.problem,
                self.strategy,
                target=self.per_worker * self._worker_count(),
                backend=self.backend,
                deadline=monotonic_deadline,
                incumbent=self._totals.best_value(),
            )
            if self.checkpoint is not None:
                figures = {"nodes": plan.nodes, "pruned": plan.pruned, "not_offered": plan.not_offered}
                figures["depth"] = plan.depth
                self.checkpoint.start(plan, {**figures, "max_depth": plan.max_depth})
        return plan, [Task(p.id, p.prefix) for p in plan.subproblems]

    def _worker_count(self):
        if self.executor is None:
            return self.workers
        return max(len(self.executor.scheduler_info().get("workers", {})), 1)

    def _pool(self, job):
        if self.executor is None:
            return LocalProcesses(job, self.workers)
        from backtrack.cluster import DaskCluster

        return DaskCluster(self.executor, job)

    def _compile_here(self, tasks):
        """Compile (or load) the engine before workers fork, so they share it and never write the
        cache at once; returns the seconds it took."""
        if self.backend != "numba" or not tasks or self.executor is not None:
            return 0.0
        task = tasks[0]
        problem = self.problem if task.seed is None else self.problem._replace(seed=task.seed)
        probe = Search(problem, self.strategy, self.goal, backend="numba", node_limit=1, prefix=task.prefix)
        return probe.run().stats.compile_s

    # ------------------------------------------------------------ running

    def stream(self):
        """Run the search, yielding solutions (goals first and all) as subproblems finish."""
        started = time.perf_counter()
        deadline = None if self.time_limit is None else time.time() + self.time_limit
        self._totals = _Totals(self.goal, self.sense, self.space.incumbent)
        plan, tasks, compile_s, stop_reason = Decomposition([], 0), [], 0.0, None
        try:
            plan, tasks = self._plan(deadline)
            tasks = [t for t in tasks if t.id not in self._resumed()]
            compile_s = plan.compile_s + self._compile_here(tasks)
        except DeadlineReached:
            stop_reason = "time"
        except KeyboardInterrupt:
            stop_reason = "interrupt"
        totals = self._totals
        totals.add_decomposition(plan)
        for record in self._resumed().values():
            totals.add(record)
        if stop_reason is None and not (self.goal == "first" and totals.solution is not None):
            stop_reason = yield from self._run(plan, tasks, deadline, started)
        elif self.goal == "first" and totals.solution is not None:
            yield totals.solution
        if self.checkpoint is not None:
            self.checkpoint.close()
        self.result = totals.result(self, stop_reason, time.perf_counter() - started - compile_s, compile_s)
        self.result.stats.unpruned_nodes = unpruned_nodes(new_arrays(self.space).initial_sizes)
        self.result.parallel = {
            "workers": self._worker_count(),
            "executor": self._kind,
            "subproblems": len(plan.subproblems) if not self.restarts else len(tasks),
            "depth": plan.depth,
            "resumed": len(self._resumed()),
            "decompose_s": round(plan.time_s, 6),
            "max_subproblem_s": round(max(totals.task_times, default=0.0), 6),
            "mean_subproblem_s": round(sum(totals.task_times) / max(len(totals.task_times), 1), 6),
        }

    def _resumed(self):
        return {} if self.checkpoint is None else self.checkpoint.finished

    def _run(self, plan, tasks, deadline, started):
        totals = self._totals
        job = Job(
            self.problem,
            self.strategy,
            self.goal,
            self.backend,
            self.sense,
            deadline,
            self.node_limit,
            self.solution_limit,
        )
        pool = self._pool(job)
        self._kind = pool.kind
        if totals.best_value() is not None:  # the best of the subproblems a checkpoint holds
            pool.share(totals.best_value())
        order = _InOrder(plan, self._resumed()) if self.ordered else None
        lost = {}
        stop_reason = None
        last_report = time.perf_counter()
        total = len(plan.subproblems) if not self.restarts else len(tasks)
        with _ctrl_c_as_flag(lambda: pool.stop("interrupt")) as pressed:
            pending = {pool.submit(task): task for task in tasks}
            try:
                while pending:
                    if pressed and stop_reason is None:
                        stop_reason = "interrupt"
                    done = pool.wait(set(pending), 0.05)
                    for future in done:
                        task = pending.pop(future)
                        kind, figures = pool.outcome(future)
                        if kind == "lost":
                            lost[task.id] = lost.get(task.id, 0) + 1
                            if lost[task.id] >= LOST_ATTEMPTS:
                                raise RuntimeError(
                                    f"subproblem {task.id} ({task.prefix}) killed its worker {LOST_ATTEMPTS} times"
                                )
                            pending[pool.submit(task)] = task
                            continue
                        if kind == "cancelled":
                            continue
                        yield from self._take(task, figures, totals, order, pool)
                    if stop_reason is None:
                        stop_reason = self._should_stop(totals, deadline, pool)
                    if stop_reason is not None:
                        pool.stop(stop_reason if stop_reason != "satisfied" else "cancelled")
                        for future in pool.cancel(set(pending)):
                            pending.pop(future)
                    now = time.perf_counter()
                    if self.on_progress is not None and now - last_report >= self.progress_every:
                        last_report = now
                        self.on_progress(
                            Progress(
                                max(pool.nodes(), totals.stats.nodes),
                                totals.stats.solutions,
                                totals.count,
                                totals.best_value(),
                                plan.depth,
                                now - started,
                                done=totals.finished,
                                subproblems=total,
                            )
                        )
            finally:
                pool.close()
        if order is not None:
            yield from order.rest()
        return None if stop_reason == "satisfied" else stop_reason

    def _take(self, task, figures, totals, order, pool):
        """Account for one finished (or stopped) task; yield the solutions it brings."""
        complete = figures["stop_reason"] is None
        found = figures.pop("found")
        if self.goal == "first":
            if figures["solution"] is not None and totals.solution is None:
                totals.solution = figures["solution"]
                yield figures["solution"]
        elif self.goal == "all":
            if self.solution_limit is not None:
                found = found[: max(self.solution_limit - totals.streamed, 0)]
            totals.streamed += len(found)
            yield from (order.take(task.id, found) if order is not None else found)
        totals.add(figures, complete)
        if complete and self.checkpoint is not None and task.seed is None:
            self.checkpoint.record(Subproblem(task.id, task.prefix), figures)

    def _should_stop(self, totals, deadline, pool):
        if self.goal == "first" and totals.solution is not None:
            return "satisfied"
        if deadline is not None and time.time() >= deadline:
            return "time"
        if self.node_limit is not None and max(pool.nodes(), totals.stats.nodes) >= self.node_limit:
            return "nodes"
        if self.solution_limit is not None and self.goal in ("all", "count"):
            if totals.stats.solutions >= self.solution_limit:
                return "solutions"
        return None


@contextmanager
def _ctrl_c_as_flag(on_press):
    """While workers run, Ctrl-C only sets a flag (a list that becomes true) and calls ``on_press``:
    the driver then collects what the workers found, wherever it was when the key was pressed."""
    pressed = []
    if threading.current_thread() is not threading.main_thread():
        yield pressed
        return

    def press(signum, frame):
        pressed.append(signum)
        on_press()

    previous = signal.signal(signal.SIGINT, press)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


class _Totals:
    """The sums of the finished (and stopped) tasks' figures, and the best solution."""

    def __init__(self, goal, sense, incumbent):
        self.goal, self.sense = goal, sense
        self.stats = Stats()
        self.count = 0
        self.streamed = 0
        self.finished = 0
        self.task_times = []
        self.solution = None
        self.value = None
        self.start_solution = None  # the problem's own incumbent (Space.incumbent), if better is not found
        if incumbent is not None and goal == "optimize":
            self.value, self.start_solution = incumbent

    def add_decomposition(self, plan):
        self.stats.nodes += plan.nodes
        for kind in PRUNING_KINDS:
            self.stats.pruned[kind] += plan.pruned.get(kind, 0)
        for kind, count in plan.not_offered.items():
            self.stats.not_offered[kind] += count
        self.stats.max_depth = max(self.stats.max_depth, plan.max_depth)

    def add(self, figures, complete=True):
        self.count += figures["count"]
        self.stats.nodes += figures["nodes"]
        for kind in PRUNING_KINDS:
            self.stats.pruned[kind] += figures["pruned"][kind]
        for kind, count in figures.get("not_offered", {}).items():
            self.stats.not_offered[kind] += count
        self.stats.solutions += figures["solutions"]
        self.stats.max_depth = max(self.stats.max_depth, figures["max_depth"])
        self.task_times.append(figures["time_s"])
        self.finished += complete
        if self.goal == "first" and figures["solution"] is not None and self.solution is None:
            self.solution = figures["solution"]
        if self.goal == "optimize" and figures["value"] is not None:
            if self.value is None or self.sense * figures["value"] > self.sense * self.value:
                self.value, self.solution = figures["value"], figures["solution"]

    def best_value(self):
        return self.value if self.goal == "optimize" else None

    def result(self, search, stop_reason, time_s, compile_s):
        self.stats.time_s, self.stats.compile_s = time_s, compile_s
        solution = self.solution
        if self.goal == "optimize" and solution is None:
            solution = self.start_solution
        status = final_status(self.goal, stop_reason, solution is not None)
        count = (
            self.count if self.goal == "count" else self.streamed if self.goal == "all" else int(solution is not None)
        )
        return Result(
            status=status,
            goal=self.goal,
            strategy=search.strategy.name,
            backend=search.backend,
            count=count,
            value=self.value if self.goal == "optimize" and solution is not None else None,
            solution=solution if self.goal in ("first", "optimize") else None,
            stop_reason=stop_reason,
            stats=self.stats,
        )


class _InOrder:
    """Solutions of goal all in the sequential order: a finished subproblem's solutions go out
    when every earlier subproblem's have; until then they wait in a temporary file."""

    def __init__(self, plan, resumed):
        self.turn = 0
        self.skip = set(resumed)
        self.waiting = {}

    def take(self, task_id, found):
        if task_id != self._next():
            spool = tempfile.TemporaryFile()
            pickle.dump(found, spool)
            self.waiting[task_id] = spool
            return
        yield from found
        self.turn += 1
        while self._next() in self.waiting:
            spool = self.waiting.pop(self._next())
            spool.seek(0)
            yield from pickle.load(spool)
            spool.close()
            self.turn += 1

    def _next(self):
        while self.turn in self.skip:
            self.turn += 1
        return self.turn

    def rest(self):
        """After a stop: what waits, in order (the subproblems between were not finished)."""
        for task_id in sorted(self.waiting):
            spool = self.waiting.pop(task_id)
            spool.seek(0)
            yield from pickle.load(spool)
            spool.close()
