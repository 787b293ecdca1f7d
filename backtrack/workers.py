"""Where subproblems are searched: the task a worker runs, and local worker processes.

:func:`run_task` searches one subproblem with an ordinary :class:`backtrack.Search` (its
``prefix``) and returns its figures. :class:`LocalProcesses` runs tasks in forked processes (they
share the compiled engine and the problem without pickling them) or, with one worker, in this
process; :class:`SharedBoard` is their coordinator, a few slots of shared memory. The Dask
counterpart is :mod:`backtrack.cluster`.
"""

import concurrent.futures as cf
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass

from backtrack.solver import PRUNING_KINDS, Coordinator, Search

STOP_REASONS = {1: "cancelled", 2: "time", 3: "nodes", 4: "interrupt", 5: "solutions"}
STOP_CODES = {reason: code for code, reason in STOP_REASONS.items()}
INT64 = 1 << 63


def resolve_workers(workers):
    """The number of workers: a positive int, or ``"auto"`` for the cores this process may use."""
    if workers == "auto":
        if hasattr(os, "process_cpu_count"):
            return os.process_cpu_count() or 1
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive number or 'auto', not {workers!r}")
    return workers


@dataclass(frozen=True)
class Job:
    """What every subproblem's search needs: sent once to each worker."""

    problem: object
    strategy: object
    goal: str
    backend: str
    sense: int
    deadline: float | None  # time.time() at which to stop (wall clock: workers may be elsewhere)
    node_limit: int | None
    solution_limit: int | None


@dataclass(frozen=True)
class Task:
    """A subproblem to search, or (``seed`` set) one portfolio member: the whole tree, its own seed."""

    id: int
    prefix: tuple = ()
    seed: int | None = None


class Recorder(Coordinator):
    """A worker's view of the shared coordinator that also keeps its own best solution."""

    def __init__(self, shared):
        self.shared = shared
        self.best = None  # (value, solution) found by this subproblem

    def poll(self, nodes, solutions):
        return self.shared.poll(nodes, solutions)

    def incumbent(self):
        return self.shared.incumbent()

    def improved(self, value, solution):
        self.best = (value, solution)
        self.shared.improved(value, solution)


def run_task(job, task, shared):
    """Search one task in this process; return its figures (a dict that pickles small)."""
    figures = {"id": task.id, "stop_reason": "cancelled", "count": 0, "value": None, "solution": None}
    figures.update(
        nodes=0, pruned=dict.fromkeys(PRUNING_KINDS, 0), not_offered={}, solutions=0, max_depth=0, time_s=0.0, found=[]
    )
    stop = shared.poll(0, 0)
    time_limit = None if job.deadline is None else job.deadline - time.time()
    if stop is not None or (time_limit is not None and time_limit <= 0):
        figures["stop_reason"] = stop or "time"
        return figures
    recorder = Recorder(shared)
    problem, options = job.problem, {"prefix": task.prefix}
    if task.seed is not None:
        problem, options = problem._replace(seed=task.seed), {"restarts": True}
    search = Search(
        problem,
        job.strategy,
        job.goal,
        backend=job.backend,
        time_limit=time_limit,
        node_limit=job.node_limit,
        coordinator=recorder,
        **options,
    )
    found = [solution for solution in search.stream()]
    result = search.result
    s = result.stats
    forced = min(len(task.prefix), s.max_depth + 1)  # the prefix's decisions, counted by the decomposition
    figures.update(
        stop_reason=result.stop_reason,
        count=result.count if job.goal == "count" else len(found),
        nodes=s.nodes - forced,
        pruned=s.pruned,
        not_offered=s.not_offered,
        solutions=s.solutions,
        max_depth=s.max_depth,
        time_s=s.time_s,
        found=found if job.goal == "all" else [],
    )
    if job.goal == "first" and found:
        figures["solution"] = found[0]
    if job.goal == "optimize" and recorder.best is not None:
        figures["value"], figures["solution"] = recorder.best
    return figures


# ---------------------------------------------------------------- local processes


class SharedBoard(Coordinator):
    """The coordinator of local workers: a few int64 slots in shared memory, behind one lock."""

    STOP, HAS_BEST, BEST, NODES, SOLUTIONS = range(5)

    def __init__(self, context, job):
        self.slots = context.Array("q", 5)
        self.sense = job.sense
        self.node_limit = job.node_limit
        self.solution_limit = job.solution_limit

    def poll(self, nodes, solutions):
        with self.slots.get_lock():
            v = self.slots
            v[self.NODES] += nodes
            v[self.SOLUTIONS] += solutions
            if v[self.STOP] == 0:
                if self.node_limit is not None and v[self.NODES] >= self.node_limit:
                    v[self.STOP] = STOP_CODES["nodes"]
                elif self.solution_limit is not None and v[self.SOLUTIONS] >= self.solution_limit:
                    v[self.STOP] = STOP_CODES["solutions"]
            return STOP_REASONS.get(v[self.STOP])

    def incumbent(self):
        with self.slots.get_lock():
            if self.slots[self.HAS_BEST] == 0:
                return None
            return self.sense * self.slots[self.BEST]

    def improved(self, value, solution):
        scaled = self.sense * value
        if not -INT64 <= scaled < INT64:
            return  # not shared: a weaker bound for the others, never a wrong one
        with self.slots.get_lock():
            if self.slots[self.HAS_BEST] == 0 or scaled > self.slots[self.BEST]:
                self.slots[self.BEST] = scaled
                self.slots[self.HAS_BEST] = 1

    def stop(self, reason):
        with self.slots.get_lock():
            if self.slots[self.STOP] == 0:
                self.slots[self.STOP] = STOP_CODES[reason]

    def nodes(self):
        return self.slots[self.NODES]


_LOCAL = {}  # what forked workers inherit: the job and the shared board


def _run_local(task):
    return run_task(_LOCAL["job"], task, _LOCAL["board"])


def _start_worker():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:  # Linux: end with the parent, even when it is killed without tidying up
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


class LocalProcesses:
    """Workers as forked local processes; ``workers=1`` (or no fork) searches in this process."""

    def __init__(self, job, workers):
        self.forked = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
        self.kind = "processes" if self.forked else "this process"
        self.workers = workers if self.forked else 1
        context = multiprocessing.get_context("fork" if self.forked else None)
        self.context = context
        self.board = SharedBoard(context, job)
        _LOCAL.update(job=job, board=self.board)
        self.pool = None
        self.generation = 0  # a new pool replaces one broken by a dead worker
        self.born = {}  # future -> the generation of the pool that runs it
        self.queue = []  # in this process: tasks waiting to be searched

    def submit(self, task):
        if not self.forked:
            future = cf.Future()
            self.queue.append((future, task))
            return future
        if self.pool is None:
            self.pool = cf.ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_start_worker)
        future = self.pool.submit(_run_local, task)
        self.born[future] = self.generation
        return future

    def wait(self, futures, timeout):
        if not self.forked:
            while self.queue:
                future, task = self.queue.pop(0)
                if future.set_running_or_notify_cancel():
                    future.set_result(run_task(_LOCAL["job"], task, self.board))
                    return {future}
            return set()
        done, _ = cf.wait(futures, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return done

    def outcome(self, future):
        """("done", figures), or ("lost", None) when the worker process died."""
        generation = self.born.pop(future, self.generation)
        if future.cancelled():
            return "cancelled", None
        try:
            return "done", future.result()
        except cf.process.BrokenProcessPool:
            if generation == self.generation and self.pool is not None:
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None
                self.generation += 1
            return "lost", None

    def cancel(self, futures):
        """Cancel the tasks that have not started; return those cancelled."""
        return {f for f in futures if f.cancel()}

    def share(self, value):
        self.board.improved(value, None)

    def stop(self, reason):
        self.board.stop(reason)

    def nodes(self):
        return self.board.nodes()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _LOCAL.clear()
