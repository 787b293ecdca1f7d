"""Counting on several cores: the root's branches shared out among worker processes.

The root level's decisions (the variable ``select_variable`` picks at depth 0, with the values the
strategy would try, in its order) become one subproblem each, searched to the end by the same
engine (:class:`backtrack.Search` with that decision as its ``prefix``) in a pool of processes.
The subtrees do not overlap and together make the whole tree, so the counts, the nodes and the cuts
of each pruning kind add up to exactly those of the sequential search. Workers are forked, so they
share the compiled engine and the problem without pickling either; where ``fork`` is missing the
count runs in this process.
"""

import multiprocessing
import signal
import time

from backtrack import search
from backtrack.solver import PRUNING_KINDS, Progress, Result, Search, Stats, Streaming, check_arguments

_JOB = {}  # what forked workers inherit: the problem, the strategy and the options of the count


def root_decisions(problem, strategy):
    """The (var, value) decisions of the root level, in the order the engine tries them."""
    space = problem.space()
    a = search.new_arrays(space, value_bits=strategy.has_value_bits)
    state, domains, assign = a.states[0], a.domains, a.assign
    var = int(strategy.select_variable(problem, state, domains, assign, 0))
    if strategy.has_value_bits:
        bits = int(strategy.value_bits(problem, state, domains, assign, var))
        values = [v for v in range(search.MAX_VALUE_BITS) if bits >> v & 1]
    else:
        count = strategy.order_values(problem, state, domains, assign, var, a.values[0])
        values = [int(v) for v in a.values[0, :count]]
    return [(var, value) for value in values]


def _count_part(decision):
    """Worker: count the subtree under one root decision; return its figures."""
    job = _JOB
    time_limit = None
    if job["deadline"] is not None:
        time_limit = job["deadline"] - time.monotonic()
        if time_limit <= 0:
            return {"count": 0, "stop_reason": "time", "stats": Stats()}
    part = Search(
        job["problem"], job["strategy"], "count", backend=job["backend"], time_limit=time_limit, prefix=[decision]
    ).run()
    return {"count": part.count, "stop_reason": part.stop_reason, "stats": part.stats}


def _ignore_interrupts():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


class ParallelCount(Streaming):
    """Count the solutions of ``problem`` with ``strategy`` in ``workers`` processes.

    Takes :class:`backtrack.Search`'s options for goal count, except ``node_limit``,
    ``solution_limit`` and ``prefix`` (a split tree cannot honour them exactly).
    ``time_limit`` and Ctrl-C end it with status ``limit`` and the count of the subtrees finished
    so far (a lower bound). Progress reports come as subtrees finish.
    """

    goal = "count"

    def __init__(
        self,
        problem,
        strategy,
        goal="count",
        *,
        workers=2,
        backend="numba",
        time_limit=None,
        node_limit=None,
        solution_limit=None,
        on_progress=None,
        progress_every=1.0,
        restarts=False,
    ):
        if goal != "count" or restarts:
            raise ValueError("parallel search counts only (goal count, no restarts)")
        if node_limit is not None or solution_limit is not None:
            raise ValueError("parallel counting takes a time limit, not a node or solution limit")
        check_arguments(problem, strategy, backend, time_limit=time_limit, workers=workers)
        self.problem = problem
        self.strategy = strategy
        self.backend = backend
        self.workers = workers
        self.time_limit = time_limit
        self.on_progress = on_progress
        self.progress_every = progress_every

    def stream(self):
        """Run the count (goal count yields no solutions); ``self.result`` is set at the end."""
        self.result = self._run()
        return iter(())

    def _run(self):
        decisions = root_decisions(self.problem, self.strategy)
        total = Stats()
        count = 0
        stop_reason = None
        if decisions:
            # Compile (or load) the engine here, once, before the workers are forked.
            compiled = Search(
                self.problem, self.strategy, "count", backend=self.backend, node_limit=1, prefix=decisions[:1]
            ).run()
            total.compile_s = compiled.stats.compile_s
            if compiled.interrupted:
                stop_reason, decisions = "interrupt", []
        started = time.perf_counter()
        deadline = None if self.time_limit is None else time.monotonic() + self.time_limit
        _JOB.update(problem=self.problem, strategy=self.strategy, backend=self.backend, deadline=deadline)
        last_report = started
        try:
            for part in self._parts(decisions):
                count += part["count"]
                _add(total, part["stats"])
                stop_reason = stop_reason or part["stop_reason"]
                now = time.perf_counter()
                if self.on_progress is not None and now - last_report >= self.progress_every:
                    last_report = now
                    self.on_progress(Progress(total.nodes, total.solutions, count, None, 0, now - started))
        except KeyboardInterrupt:
            stop_reason = "interrupt"
        finally:
            _JOB.clear()
        total.time_s = time.perf_counter() - started
        return Result(
            status="limit" if stop_reason else "complete",
            goal="count",
            strategy=self.strategy.name,
            backend=self.backend,
            count=count,
            stop_reason=stop_reason,
            stats=total,
        )

    def _parts(self, decisions):
        """Each subtree's figures as it finishes (in this process without ``fork``)."""
        if self.workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(_count_part, decisions)
            return
        context = multiprocessing.get_context("fork")
        pool = context.Pool(min(self.workers, len(decisions)) or 1, initializer=_ignore_interrupts)
        try:
            yield from pool.imap_unordered(_count_part, decisions)
            pool.close()
        finally:
            pool.terminate()
            pool.join()


def _add(total, stats):
    """Add a subtree's statistics to the total (the slowest compile counts, not their sum)."""
    total.nodes += stats.nodes
    for kind in PRUNING_KINDS:
        total.pruned[kind] += stats.pruned[kind]
    total.solutions += stats.solutions
    total.max_depth = max(total.max_depth, stats.max_depth)
    total.compile_s = max(total.compile_s, stats.compile_s)
