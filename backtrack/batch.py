"""Many instances of one problem searched through one compiled call.

A solve() call costs about 0.25 ms of Python before its search starts (allocation, typing the
arguments, the slice driver, the Result): for a file of thousands of easy puzzles that cost is
the run. A batch shares one problem value (the rules: arrays and numbers) among many instances
that differ in their roots (the root domains and, optionally, root state rows), e.g. the givens
of Sudoku puzzles. :func:`run_batch` (compiled per strategy, cached on disk like the engine)
resets one set of :class:`backtrack.search.SearchArrays` for each instance in turn and runs the
engine's loop, ``search.run_slice``, on it: no second search loop. It returns after a node
budget, so the Python side (:class:`Batch`) honours time limits, Ctrl-C and progress reports
between calls, as :class:`backtrack.Search` does.

Goals: ``first`` (stop at the first solution), ``all`` (solutions counted one by one, the last
kept; with ``solution_limit`` 2 this tells unique from multiple), ``count`` (weighted count, as
the engine counts) and ``optimize`` (the best solution, proven).
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numba
import numpy as np
from numba.core.errors import NumbaError
from numba.extending import register_jitable

from backtrack import search
from backtrack.compiled import HookCompileError, _interrupts_held, _StrategyCache, compile_fastest
from backtrack.solver import GOALS, PRUNING_KINDS, Result, Stats, check_arguments, final_status

register_jitable(search.run_slice)  # callable from compiled code; the function itself is unchanged

# What became of an instance (BatchOut.status).
B_PENDING = 0  # not finished (or not started) when the batch stopped
B_EXHAUSTED = 1  # tree exhausted: unsatisfiable (first), complete (all, count), optimal or unsatisfiable (optimize)
B_SOLVED = 2  # goal first: a solution was found
B_SOLUTION_LIMIT = 3  # goals all and count: the solution limit was reached
B_NODE_LIMIT = 4  # the per-instance node limit was reached

# Slots of BatchOut.cursor.
CUR_NEXT = 0  # the instance being searched (or the next to start)
CUR_STARTED = 1  # 1 if that instance's arrays hold its search in progress
CUR_SIZE = 2


class BatchOut(NamedTuple):
    """Per-instance results, filled by :func:`run_batch`.

    status int64[m] (``B_*``); count int64[m] (goal count: the weighted count); value int64[m]
    (optimize; valid when has_value); has_value int64[m]; solutions int64[m, n_vars] (the last
    or best solution, -1 if none); stats int64[m, ST_SIZE] (the engine's statistics of each
    instance); cursor int64[CUR_SIZE].
    """

    status: np.ndarray
    count: np.ndarray
    value: np.ndarray
    has_value: np.ndarray
    solutions: np.ndarray
    stats: np.ndarray
    cursor: np.ndarray


@register_jitable
def _reset(s, root_bits, root_states, i, count_limit):
    """Make ``s`` the root of instance ``i`` (the shape fields set by new_arrays are kept)."""
    bits = s.domains.bits
    for var in range(bits.shape[0]):
        for word in range(bits.shape[1]):
            bits[var, word] = root_bits[i, var, word]
        s.assign[var] = -1
        s.best[var] = -1
    s.domains.top[0] = 0
    for k in range(root_states.shape[1]):
        s.states[0, k] = root_states[i, k]
    s.ctl[search.CTL_PHASE] = 0
    s.ctl[search.CTL_DEPTH] = 0
    s.ctl[search.CTL_HAS_BEST] = 0
    s.ctl[search.CTL_BEST] = 0
    s.ctl[search.CTL_COUNT] = 0
    s.ctl[search.CTL_SOLUTION_LIMIT] = count_limit  # the engine stops a count there itself
    for k in range(search.ST_SIZE):
        s.stats[k] = 0


def run_batch(
    strategy, problem, s, goal, root_bits, root_states, solution_limit, node_limit, stop_at_first, out, budget
):
    """Search instances from ``out.cursor`` on until about ``budget`` nodes are spent or all are done.

    ``goal`` is the engine's goal code; ``stop_at_first`` (goal first) ends an instance at its first
    solution, else goal all counts solutions up to ``solution_limit`` (0: no limit). Returns the
    number of instances still to do.
    """
    m = out.status.shape[0]
    n = s.assign.shape[0]
    left = budget
    while out.cursor[CUR_NEXT] < m and left > 0:
        i = out.cursor[CUR_NEXT]
        if out.cursor[CUR_STARTED] == 0:
            _reset(s, root_bits, root_states, i, solution_limit if goal == search.COUNT else 0)
            out.cursor[CUR_STARTED] = 1
        step = left
        if node_limit > 0 and node_limit - s.stats[search.ST_NODES] < step:
            step = node_limit - s.stats[search.ST_NODES]
        before = s.stats[search.ST_NODES]
        event = search.run_slice(strategy, problem, s, goal, step)
        left -= s.stats[search.ST_NODES] - before
        out.count[i] += s.ctl[search.CTL_COUNT]
        s.ctl[search.CTL_COUNT] = 0
        status = B_PENDING
        if event == search.EV_DONE:
            status = B_EXHAUSTED
        elif event == search.EV_SOLUTION:
            found = s.stats[search.ST_SOLUTIONS]
            for var in range(n):  # the last one found, as Search reports it
                out.solutions[i, var] = s.best[var]
            if stop_at_first:
                status = B_SOLVED
            elif solution_limit > 0 and found >= solution_limit:
                status = B_SOLUTION_LIMIT
        elif event == search.EV_IMPROVED:
            out.has_value[i] = 1
            out.value[i] = s.ctl[search.CTL_SENSE] * s.ctl[search.CTL_BEST]
            for var in range(n):
                out.solutions[i, var] = s.best[var]
        elif event == search.EV_SOLUTION_LIMIT:
            status = B_SOLUTION_LIMIT
        elif event == search.EV_BUDGET and node_limit > 0 and s.stats[search.ST_NODES] >= node_limit:
            status = B_NODE_LIMIT
        if status != B_PENDING:
            out.status[i] = status
            for k in range(search.ST_SIZE):
                out.stats[i, k] = s.stats[k]
            out.cursor[CUR_NEXT] = i + 1
            out.cursor[CUR_STARTED] = 0
    return m - out.cursor[CUR_NEXT]


_SOURCE_STAMP = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
_dispatchers = {}


def batch_engine(strategy, refcounted=False):
    """The numba dispatcher of :func:`run_batch` for ``strategy``, cached on disk under a hash of the
    engine's, the hooks' and this module's sources."""
    key = (strategy.key, refcounted)
    dispatcher = _dispatchers.get(key)
    if dispatcher is None:
        dispatcher = numba.njit(run_batch, **({} if refcounted else {"_nrt": False}))
        digest = hashlib.sha256((strategy.digest + _SOURCE_STAMP).encode()).hexdigest()
        tag = strategy.cache_tag + "-batch" + ("-rc" if refcounted else "")
        dispatcher._cache = _StrategyCache(run_batch, tag, digest)
        _dispatchers[key] = dispatcher
    return dispatcher


def _compile(strategy, args):
    signature = tuple(numba.typeof(arg) for arg in args)
    with _interrupts_held():
        try:
            return compile_fastest(batch_engine(strategy), batch_engine(strategy, refcounted=True), signature)
        except NumbaError as error:
            raise HookCompileError(f"numba cannot compile strategy '{strategy.name}' in a batch: {error}") from None


def root_bits(masks):
    """Domain words of many roots: uint64[m, n_vars, words] from bool[m, n_vars, n_values]."""
    masks = np.asarray(masks, dtype=bool)
    m, n, v = masks.shape
    words = max(1, (v + 63) // 64)
    # Bytes of 8 values each, little-endian bit order, read 8 at a time as words (a 64-bit word
    # per value would take 64x the memory: 2 s of page faults for 1465 Sudoku puzzles).
    packed = np.zeros((m, n, words * 8), dtype=np.uint8)
    packed[:, :, : (v + 7) // 8] = np.packbits(masks, axis=2, bitorder="little")
    return packed.view("<u8").astype(np.uint64).reshape(m, n, words)


@dataclass
class BatchProgress:
    """A progress report of a batch: instances finished, nodes so far, seconds."""

    done: int
    total: int
    nodes: int
    elapsed_s: float


class Batch:
    """Search many instances of one problem, each from its own root, through one compiled call.

    ``problem``: the shared problem value (its ``space()`` gives the shape and the default root);
    ``domains``: bool[m, n_vars, n_values], each instance's root domains; ``states``: optional
    int64[m, W] root state rows (default: the space's for all). ``solution_limit`` and
    ``node_limit`` apply to each instance; ``time_limit`` (seconds) and Ctrl-C to the whole batch
    (unfinished instances get status ``limit``). After :meth:`run`, ``out`` holds the raw
    :class:`BatchOut` arrays and :meth:`result` builds one instance's :class:`Result`.
    """

    def __init__(
        self,
        problem,
        strategy,
        goal,
        domains,
        *,
        states=None,
        backend="numba",
        solution_limit=None,
        node_limit=None,
        time_limit=None,
        on_progress=None,
        progress_every=1.0,
    ):
        if goal not in GOALS:
            raise ValueError(f"goal must be one of {', '.join(GOALS)}, not {goal!r}")
        check_arguments(
            problem, strategy, backend, time_limit=time_limit, node_limit=node_limit, solution_limit=solution_limit
        )
        self.problem, self.strategy, self.goal, self.backend = problem, strategy, goal, backend
        self.solution_limit, self.node_limit, self.time_limit = solution_limit, node_limit, time_limit
        self.on_progress, self.progress_every = on_progress, progress_every
        space = problem.space()
        self.arrays = search.new_arrays(space, value_bits=strategy.has_value_bits)
        domains = np.asarray(domains, dtype=bool)
        if domains.ndim != 3 or domains.shape[1:] != (space.n_vars, space.n_values):
            raise ValueError(f"domains must have shape (m, {space.n_vars}, {space.n_values}), got {domains.shape}")
        m = domains.shape[0]
        self.root_bits = root_bits(domains)
        if states is None:
            states = np.broadcast_to(space.state, (m, len(space.state)))
        self.root_states = np.ascontiguousarray(states, dtype=np.int64).reshape(m, len(space.state))
        if space.incumbent is not None and goal == "optimize":
            raise ValueError("a batch starts every instance without an incumbent")
        self.out = BatchOut(
            status=np.zeros(m, np.int64),
            count=np.zeros(m, np.int64),
            value=np.zeros(m, np.int64),
            has_value=np.zeros(m, np.int64),
            solutions=np.full((m, space.n_vars), -1, np.int64),
            stats=np.zeros((m, search.ST_SIZE), np.int64),
            cursor=np.zeros(CUR_SIZE, np.int64),
        )
        self.stop_reason = None
        self.stats = Stats()

    def _arguments(self, budget):
        goal = GOALS[self.goal]
        return (
            self.strategy,
            self.problem,
            self.arrays,
            goal,
            self.root_bits,
            self.root_states,
            self.solution_limit or 0,
            self.node_limit or 0,
            self.goal == "first",
            self.out,
            budget,
        )

    def run(self):
        """Search every instance (or until the time limit or Ctrl-C); return ``self``."""
        engine = run_batch
        if self.backend == "numba":
            started = time.perf_counter()
            try:
                engine = _compile(self.strategy, self._arguments(1))
            except KeyboardInterrupt:
                self.stop_reason = "interrupt"
                return self
            finally:
                self.stats.compile_s = time.perf_counter() - started
        budget = 1000
        started = last_report = time.perf_counter()
        try:
            while True:
                slice_start = time.perf_counter()
                left = engine(*self._arguments(budget))
                now = time.perf_counter()
                if now - slice_start < 0.02:  # slices of 20-50 ms, as in Search
                    budget = min(budget * 4, 1 << 40)
                elif now - slice_start > 0.1:
                    budget = max(budget // 2, 64)
                if left == 0:
                    break
                if self.time_limit is not None and now - started >= self.time_limit:
                    self.stop_reason = "time"
                    break
                if self.on_progress is not None and now - last_report >= self.progress_every:
                    last_report = now
                    self.on_progress(self.progress(now - started))
        except KeyboardInterrupt:
            self.stop_reason = "interrupt"
        self.stats.time_s = time.perf_counter() - started
        self._finish_pending()
        return self

    def _finish_pending(self):
        """The instance in progress keeps the statistics it had when the batch stopped."""
        cursor = self.out.cursor
        i = int(cursor[CUR_NEXT])
        if i < len(self.out.status) and cursor[CUR_STARTED]:
            self.out.stats[i] = self.arrays.stats

    def progress(self, elapsed):
        done = int(self.out.cursor[CUR_NEXT])
        nodes = int(self.out.stats[:done, search.ST_NODES].sum() + self.arrays.stats[search.ST_NODES])
        return BatchProgress(done=done, total=len(self.out.status), nodes=nodes, elapsed_s=elapsed)

    def __len__(self):
        return len(self.out.status)

    def result(self, i):
        """Instance ``i``'s :class:`Result` (its statistics; ``time_s`` is the batch's, not its own)."""
        raw = self.out.stats[i]
        cut_slots = (search.ST_CUT_FEASIBILITY, search.ST_CUT_BOUND, search.ST_CUT_PROPAGATION, search.ST_CUT_DOMINANCE)
        stats = Stats(
            nodes=int(raw[search.ST_NODES]),
            pruned={kind: int(raw[slot]) for kind, slot in zip(PRUNING_KINDS, cut_slots, strict=True)},
            solutions=int(raw[search.ST_SOLUTIONS]),
            max_depth=int(raw[search.ST_MAX_DEPTH]),
            time_s=self.stats.time_s,
            compile_s=self.stats.compile_s,
        )
        code = int(self.out.status[i])
        has_solution = self.goal != "count" and self.out.solutions[i, 0] >= 0
        stop_reason = {B_PENDING: self.stop_reason or "time", B_SOLUTION_LIMIT: "solutions", B_NODE_LIMIT: "nodes"}
        found = code == B_SOLVED if self.goal == "first" else has_solution
        status = final_status(self.goal, stop_reason.get(code), found)
        return Result(
            status=status,
            goal=self.goal,
            strategy=self.strategy.name,
            backend=self.backend,
            count=int(self.out.count[i]) if self.goal == "count" else stats.solutions,
            value=int(self.out.value[i]) if self.out.has_value[i] else None,
            solution=self.out.solutions[i].tolist() if has_solution else None,
            stop_reason=stop_reason.get(code),
            stats=stats,
        )


def solve_batch(problem, strategy, goal, domains, **options):
    """Run a :class:`Batch` and return it (``batch.result(i)`` per instance, ``batch.out`` raw)."""
    return Batch(problem, strategy, goal, domains, **options).run()
