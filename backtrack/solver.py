"""Running a search: backends, limits, Ctrl-C, progress reports and the result."""

import time
from dataclasses import dataclass, field

import numpy as np

from backtrack import search
from backtrack import trace as tr
from backtrack.compiled import compile_for

GOALS = {"first": search.FIRST, "all": search.ALL, "count": search.COUNT, "optimize": search.OPTIMIZE}
BACKENDS = ("numba", "python")
PRUNING_KINDS = ("feasibility", "bound", "propagation", "dominance")
# What the values a level does not offer are credited to: propagation (removed from the domain), or
# the kind a strategy's value hook stands for (Strategy.leaves_out).
NOT_OFFERED_KINDS = ("propagation", "feasibility", "symmetry", "ordering")
DEFAULT_TRACE_LIMIT = 100_000


@dataclass
class Stats:
    """Search statistics. ``pruned`` counts the nodes cut by each pruning kind; ``not_offered`` the
    values that levels never offered (against each variable's initial domain), by what left them out."""

    nodes: int = 0
    pruned: dict = field(default_factory=lambda: dict.fromkeys(PRUNING_KINDS, 0))
    not_offered: dict = field(default_factory=lambda: dict.fromkeys(NOT_OFFERED_KINDS, 0))
    solutions: int = 0
    max_depth: int = 0
    time_s: float = 0.0
    compile_s: float = 0.0
    unpruned_nodes: int | None = None  # nodes of the tree without any pruning (None: domains differ in size)

    def as_dict(self):
        return {
            "nodes": self.nodes,
            "pruned": dict(self.pruned),
            "not_offered": dict(self.not_offered),
            "solutions": self.solutions,
            "max_depth": self.max_depth,
            "time_s": round(self.time_s, 6),
            "compile_s": round(self.compile_s, 6),
            "unpruned_nodes": self.unpruned_nodes,
        }


@dataclass
class Result:
    """Outcome of a search.

    status: ``satisfied`` (goal first, found), ``unsatisfiable`` (no solution exists),
    ``optimal`` (goal optimize, proven), ``complete`` (goals all and count, tree exhausted) or
    ``limit`` (stopped early by ``stop_reason``: time, nodes, solutions or interrupt).
    solution: values of the variables (the best one for optimize, the last one for all).
    """

    status: str
    goal: str
    strategy: str
    backend: str
    count: int = 0
    value: int | None = None
    solution: list | None = None
    stop_reason: str | None = None
    stats: Stats = field(default_factory=Stats)
    parallel: dict | None = None  # a parallel search's figures (workers, subproblems, times)
    trace: dict | None = None  # with trace=: {"path", "recorded" (nodes written), "truncated"}

    @property
    def interrupted(self):
        return self.stop_reason == "interrupt"


@dataclass
class Progress:
    """A progress report, passed to ``on_progress`` about once per ``progress_every`` seconds.

    A parallel search also says how many of its subproblems are finished (``done`` of ``subproblems``).
    """

    nodes: int
    solutions: int
    count: int
    value: int | None
    depth: int
    elapsed_s: float
    done: int | None = None
    subproblems: int | None = None


def pruned_counts(raw):
    """The cuts of each pruning kind in the engine's statistics array (``search.ST_*``)."""
    return {
        "feasibility": int(raw[search.ST_CUT_FEASIBILITY]),
        "bound": int(raw[search.ST_CUT_BOUND]),
        "propagation": int(raw[search.ST_CUT_PROPAGATION]),
        "dominance": int(raw[search.ST_CUT_DOMINANCE]),
    }


def final_status(goal, stop_reason, found):
    """The status of a search that ran to its end or to ``stop_reason``; ``found``: a solution is held."""
    if stop_reason is not None:
        return "limit"
    if goal == "first":
        return "satisfied" if found else "unsatisfiable"
    if goal == "optimize":
        return "optimal" if found else "unsatisfiable"
    return "complete"


def not_offered_counts(raw, strategy):
    """The values levels never offered, by kind, in the engine's statistics array."""
    counts = dict.fromkeys(NOT_OFFERED_KINDS, 0)
    counts["propagation"] += int(raw[search.ST_NOT_OFFERED_DOMAIN])
    counts[strategy.leaves_out] += int(raw[search.ST_NOT_OFFERED_VALUES])
    counts["symmetry"] += int(raw[search.ST_NOT_OFFERED_SYMMETRY])
    return counts


class Coordinator:
    """What a search shares with searches running beside it (a parallel driver's subproblems).

    :class:`Search` calls it between slices: ``poll`` with the nodes and solutions of the slice,
    returning a stop reason or None; ``incumbent`` for the best objective known elsewhere (goal
    optimize); ``improved`` when this search finds a better solution. This one shares nothing.
    """

    def poll(self, nodes, solutions):
        return None

    def incumbent(self):
        return None

    def improved(self, value, solution):
        pass


def check_arguments(problem, strategy, backend, **limits):
    """Refuse a backend we do not have, a strategy for another problem type, a limit <= 0."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if not isinstance(problem, strategy.problem_type):
        raise TypeError(f"strategy {strategy.name!r} is for {strategy.problem_type.__name__} problems")
    for name, limit in limits.items():
        if limit is not None and limit <= 0:
            raise ValueError(f"{name} must be positive")


class Streaming:
    """What every search offers: ``stream()`` its solutions as they are found, iterate it (goals
    first and all), or ``run()`` it to the end; ``result`` holds the :class:`Result` afterwards."""

    goal = "first"
    result = None

    def stream(self):
        raise NotImplementedError

    def __iter__(self):
        if self.goal not in ("first", "all"):
            raise ValueError("iterate a search with goal 'first' or 'all'; use run() for count and optimize")
        return self.stream()

    def run(self):
        """Search to the end (or a limit) and return the :class:`Result`."""
        for _ in self.stream():
            pass
        return self.result


class Search(Streaming):
    """One search of ``problem`` with ``strategy``; iterate it for solutions, or call ``run()``.

    Limits: ``time_limit`` (seconds), ``node_limit``, ``solution_limit``; reaching one, or Ctrl-C,
    ends the search with status ``limit`` and what was found so far. ``restarts`` (goal first, for
    problems with a ``seed`` field that their hooks use to break ties): when an attempt spends its
    node budget, start again with the next seed and a 1.5 times larger budget. ``prefix`` is a list of
    (var, value) decisions forced at the top of the tree: the search covers that subproblem only.

    ``workers=K`` (or ``"auto"``: one per core), ``executor`` (a ``distributed.Client``) or
    ``checkpoint`` (a file) make it a :class:`backtrack.parallel.ParallelSearch` of the same goal,
    which also takes ``ordered`` and ``subproblems_per_worker``.

    ``trace`` (a file path) records the search tree in CP-Profiler's SQLite format
    (:mod:`backtrack.tracefile`), at most ``trace_limit`` nodes (then ``on_trace_limit(limit)`` is
    called and the search goes on unrecorded); ``trace_meta`` adds facts (e.g. the instance's name).
    """

    def __new__(cls, *args, workers=1, executor=None, checkpoint=None, **options):
        strategy = args[1] if len(args) > 1 else options.get("strategy")
        if cls is Search and getattr(strategy, "level_dominance", None) is not None:
            from backtrack.levels import LevelSearch

            return LevelSearch(*args, workers=workers, executor=executor, checkpoint=checkpoint, **options)
        if cls is Search and (workers != 1 or executor is not None or checkpoint is not None):
            from backtrack.parallel import ParallelSearch

            return ParallelSearch(*args, workers=workers, executor=executor, checkpoint=checkpoint, **options)
        return super().__new__(cls)

    def __init__(
        self,
        problem,
        strategy,
        goal="first",
        *,
        backend="numba",
        time_limit=None,
        node_limit=None,
        solution_limit=None,
        prefix=(),
        on_progress=None,
        progress_every=1.0,
        restarts=False,
        coordinator=None,
        workers=1,
        executor=None,
        checkpoint=None,
        trace=None,
        trace_limit=DEFAULT_TRACE_LIMIT,
        trace_meta=None,
        on_trace_limit=None,
    ):
        if goal not in GOALS:
            raise ValueError(f"goal must be one of {', '.join(GOALS)}, not {goal!r}")
        check_arguments(
            problem, strategy, backend, time_limit=time_limit, node_limit=node_limit, solution_limit=solution_limit
        )
        self.problem = problem
        self.strategy = strategy
        self.goal = goal
        self.backend = backend
        self.time_limit = time_limit
        self.node_limit = node_limit
        self.solution_limit = solution_limit
        self.on_progress = on_progress
        self.progress_every = progress_every
        if restarts and (goal != "first" or "seed" not in getattr(problem, "_fields", ())):
            raise ValueError("restarts need goal 'first' and a problem with a 'seed' field")
        self.restarts = restarts
        self.coordinator = coordinator
        self.prefix = prefix
        self.space = problem.space()
        self._trace = None
        if trace is not None:
            self._trace = _TraceRecorder(self, trace, trace_limit, trace_meta or {}, on_trace_limit)
        self.arrays = self._allocate(self.space, prefix)
        self.result = None
        self._count = 0

    def _allocate(self, space, prefix):
        n, v = space.n_vars, space.n_values
        prefix = np.array(list(prefix), dtype=np.int64).reshape(-1, 2)
        if len(prefix) > n or len(set(prefix[:, 0].tolist())) != len(prefix):
            raise ValueError("prefix must decide distinct variables")
        if len(prefix) and (prefix.min() < 0 or prefix[:, 0].max() >= n or prefix[:, 1].max() >= v):
            raise ValueError("prefix decisions must name existing variables and values")
        buffer = self._trace.buffer if self._trace is not None else tr.NO_TRACE
        arrays = search.new_arrays(space, prefix=prefix, value_bits=self.strategy.has_value_bits, trace_buffer=buffer)
        arrays.ctl[search.CTL_SOLUTION_LIMIT] = self.solution_limit or 0
        if space.incumbent is not None and self.goal == "optimize":
            value, assignment = space.incumbent
            arrays.ctl[search.CTL_HAS_BEST] = 1
            arrays.ctl[search.CTL_BEST] = arrays.ctl[search.CTL_SENSE] * value
            arrays.best[:] = assignment
        return arrays

    # ------------------------------------------------------------ running

    def _events(self):
        """Run slices of the engine; yield each solution (goals first/all) as it is found."""
        stats = Stats()
        goal = GOALS[self.goal]
        engine = search.run_slice
        if self.backend == "numba":
            started = time.perf_counter()
            try:
                engine = compile_for(self.strategy, self.problem, self.arrays, goal)
            except KeyboardInterrupt:
                stats.compile_s = time.perf_counter() - started
                self.result = self._result(stats, None, "interrupt")
                self._finish_trace()
                return
            stats.compile_s = time.perf_counter() - started
        a = self.arrays
        budget = 1000
        stop_reason = None
        status = None
        started = time.perf_counter()
        last_report = started
        attempt_end = self._attempt_nodes(0) if self.restarts else None
        coordinator = self.coordinator
        polled_nodes = polled_solutions = 0
        if coordinator is not None:
            self._take_incumbent(coordinator.incumbent())
        try:
            while True:
                slice_budget = budget
                if self.node_limit is not None:
                    # A zero budget still lets the engine report a tree that is already exhausted.
                    slice_budget = min(slice_budget, max(self.node_limit - int(a.stats[search.ST_NODES]), 0))
                if attempt_end is not None:
                    if int(a.stats[search.ST_NODES]) >= attempt_end:
                        a = self._restart()
                        attempt_end = int(a.stats[search.ST_NODES]) + self._attempt_nodes(self.problem.seed)
                    slice_budget = min(slice_budget, attempt_end - int(a.stats[search.ST_NODES]))
                if self._trace is not None:
                    slice_budget = self._trace.budget(slice_budget)
                slice_start = time.perf_counter()
                event = engine(self.strategy, self.problem, a, goal, slice_budget)
                now = time.perf_counter()
                if self._trace is not None:
                    self._trace.flush()
                self._count += int(a.ctl[search.CTL_COUNT])
                a.ctl[search.CTL_COUNT] = 0
                # Aim at slices of about 20-50 ms so limits and Ctrl-C are honoured promptly.
                if event == search.EV_BUDGET and now - slice_start < 0.02:
                    budget = min(budget * 4, 1 << 40)
                elif now - slice_start > 0.1:
                    budget = max(budget // 2, 64)
                if event == search.EV_DONE:
                    break
                if (
                    event == search.EV_BUDGET
                    and self.node_limit is not None
                    and int(a.stats[search.ST_NODES]) >= self.node_limit
                ):
                    stop_reason = "nodes"
                    break
                if event == search.EV_SOLUTION:
                    yield a.best.tolist()
                    if self.goal == "first":
                        status = "satisfied"
                        break
                if event == search.EV_IMPROVED and coordinator is not None:
                    coordinator.improved(self._best_value(), a.best.tolist())
                if event == search.EV_SOLUTION_LIMIT or (
                    self.solution_limit is not None
                    and int(a.stats[search.ST_SOLUTIONS]) >= self.solution_limit
                    and self.goal in ("all", "count")
                ):
                    stop_reason = "solutions"
                    break
                if coordinator is not None:
                    nodes, found = int(a.stats[search.ST_NODES]), int(a.stats[search.ST_SOLUTIONS])
                    stop_reason = coordinator.poll(nodes - polled_nodes, found - polled_solutions)
                    polled_nodes, polled_solutions = nodes, found
                    if stop_reason is not None:
                        break
                    self._take_incumbent(coordinator.incumbent())
                now = time.perf_counter()
                if self.time_limit is not None and now - started >= self.time_limit:
                    stop_reason = "time"
                    break
                if self.on_progress is not None and now - last_report >= self.progress_every:
                    last_report = now
                    self.on_progress(self._progress(now - started))
        except KeyboardInterrupt:
            stop_reason = "interrupt"
        stats.time_s = time.perf_counter() - started
        self.result = self._result(stats, status, stop_reason)
        self._finish_trace()

    def _finish_trace(self):
        if self._trace is not None:
            self.result.trace = self._trace.close(self.result)

    def _take_incumbent(self, value):
        """Bound the search by a better objective found elsewhere (goal optimize; None: nothing new)."""
        a = self.arrays
        if value is None or self.goal != "optimize":
            return
        scaled = a.ctl[search.CTL_SENSE] * value
        if a.ctl[search.CTL_HAS_BEST] == 0 or scaled > a.ctl[search.CTL_BEST]:
            a.ctl[search.CTL_HAS_BEST] = 1
            a.ctl[search.CTL_BEST] = scaled

    def _attempt_nodes(self, attempt):
        """Node budget of restart ``attempt``: grows geometrically, so the search stays complete."""
        return int((4 * self.space.n_vars + 100) * 1.5**attempt)

    def _restart(self):
        """Start over with the next seed (randomised tie-breaking), keeping the statistics."""
        self.problem = self.problem._replace(seed=self.problem.seed + 1)
        stats = search.restarted_stats(self.arrays.stats)
        self.arrays = self._allocate(self.problem.space(), self.prefix)
        self.arrays.stats[:] = stats
        if self._trace is not None:
            self._trace.buffer.ctl[tr.TC_LAST] = -1  # the new root level's counts have no row to go to
        return self.arrays

    def _progress(self, elapsed):
        a = self.arrays
        return Progress(
            nodes=int(a.stats[search.ST_NODES]),
            solutions=int(a.stats[search.ST_SOLUTIONS]),
            count=self._count,
            value=self._best_value(),
            depth=int(a.ctl[search.CTL_DEPTH]),
            elapsed_s=elapsed,
        )

    def _best_value(self):
        a = self.arrays
        if self.goal != "optimize" or a.ctl[search.CTL_HAS_BEST] == 0:
            return None
        return int(a.ctl[search.CTL_SENSE] * a.ctl[search.CTL_BEST])

    def _result(self, stats, status, stop_reason):
        a = self.arrays
        raw = a.stats
        stats.nodes = int(raw[search.ST_NODES])
        stats.pruned = pruned_counts(raw)
        stats.not_offered = not_offered_counts(raw, self.strategy)
        stats.unpruned_nodes = unpruned_nodes(a.initial_sizes) if not len(self.prefix) else None
        stats.solutions = int(raw[search.ST_SOLUTIONS])
        stats.max_depth = int(raw[search.ST_MAX_DEPTH])
        has_solution = bool(a.best[0] >= 0) if self.goal != "count" else False
        if status is None:
            status = final_status(self.goal, stop_reason, has_solution and self.goal != "first")
        count = self._count if self.goal == "count" else stats.solutions
        return Result(
            status=status,
            goal=self.goal,
            strategy=self.strategy.name,
            backend=self.backend,
            count=count,
            value=self._best_value(),
            solution=a.best.tolist() if has_solution else None,
            stop_reason=stop_reason,
            stats=stats,
        )

    def stream(self):
        """Run the search, yielding each solution (goals first and all) as it is found.

        A solution is a list of values, one per variable; ``self.result`` is set at the end.
        """
        yield from self._events()


def unpruned_nodes(initial_sizes):
    """Nodes of the unpruned tree when every variable starts with k values: k + k^2 + ... + k^n."""
    sizes = {int(size) for size in initial_sizes}
    if len(sizes) != 1:
        return None
    k, n = sizes.pop(), len(initial_sizes)
    return n if k == 1 else k * (k**n - 1) // (k - 1)


class _TraceRecorder:
    """The trace side of a :class:`Search`: the loop's record buffer and the file it is emptied into."""

    def __init__(self, search_, path, limit, meta, on_limit):
        from backtrack.tracefile import TraceWriter

        if limit is None or limit < 1:
            raise ValueError("trace_limit must be at least 1")
        space = search_.space
        if space.state.dtype == object:
            raise ValueError("a trace records int64 searches; these numbers need exact Python integers")
        problem, strategy = search_.problem, search_.strategy
        facts = {
            "problem": type(problem).__name__,
            "strategy": strategy.name,
            "goal": search_.goal,
            "backend": search_.backend,
            "n_vars": space.n_vars,
            "n_values": space.n_values,
            "trace_limit": limit,
            **meta,
        }
        label = getattr(problem, "decision_label", None)
        self.writer = TraceWriter(path, meta=facts, label=label, leaves_out=strategy.leaves_out)
        self.buffer = tr.new_buffer(space.n_vars)
        self.path = str(path)
        self.limit = limit
        self.on_limit = on_limit
        self.truncated = False

    def budget(self, slice_budget):
        """The slice's node budget, so that its records fit the buffer and the limit."""
        ctl = self.buffer.ctl
        if ctl[tr.TC_ON] == 0:
            return slice_budget
        left = self.limit - int(ctl[tr.TC_NEXT_ID])
        if left <= 0:
            ctl[tr.TC_ON] = 0
            self.truncated = True
            if self.on_limit is not None:
                self.on_limit(self.limit)
            return slice_budget
        return min(slice_budget, len(self.buffer.rows) - int(ctl[tr.TC_USED]), left)

    def flush(self):
        ctl = self.buffer.ctl
        used = int(ctl[tr.TC_USED])
        if used:
            self.writer.write(self.buffer.rows[:used])
        ctl[tr.TC_USED] = 0
        ctl[tr.TC_LAST] = -1

    def close(self, result):
        self.flush()
        self.writer.close(
            stats=result.stats.as_dict(),
            status=result.status,
            count=result.count,
            value=result.value,
            truncated=self.truncated,
        )
        return {"path": self.path, "recorded": self.writer.recorded, "truncated": self.truncated}


def solve(problem, strategy, goal="first", **options):
    """Search ``problem`` with ``strategy`` for ``goal`` and return a :class:`Result`.

    Options are those of :class:`Search`: backend, time_limit, node_limit, solution_limit, prefix,
    on_progress, progress_every, restarts; ``workers``, ``executor`` and ``checkpoint`` run it in
    parallel (:class:`backtrack.parallel.ParallelSearch`).
    """
    return Search(problem, strategy, goal, **options).run()


def solutions(problem, strategy, **options):
    """Stream every solution of ``problem``; the search is iterable and holds ``result`` after."""
    return Search(problem, strategy, "all", **options)
