"""Subproblems on a Dask cluster (``pip install 'backtrack[dask]'``).

Each subproblem is one Dask task that calls :func:`backtrack.workers.run_task` on a worker, which
compiles the strategy or loads it from its own cache. The job (problem and strategy) is scattered to
the workers once; a strategy travels as its hook functions, by module and name, so the problem's
module must be importable on every worker. The stop flag is a ``distributed.Event`` and the best
objective a ``distributed.Variable`` on the scheduler, read by the workers a few times a second.
When a worker dies, the scheduler runs its tasks again elsewhere.
"""

import time
import uuid

from backtrack.solver import Coordinator
from backtrack.workers import run_task

POLL_EVERY_S = 0.2  # how often a worker asks the scheduler for the stop flag and the incumbent


def connect(address, timeout=5):
    """A ``distributed.Client`` of the scheduler at ``address``; ImportError without Dask, OSError
    when the scheduler cannot be reached within ``timeout`` seconds."""
    try:
        import distributed
    except ImportError:
        raise ImportError("--scheduler needs Dask: pip install 'backtrack[dask]'") from None
    try:
        return distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise OSError(f"cannot reach the Dask scheduler at {address}: {error}") from None


class _DaskBoard(Coordinator):
    """The coordinator of one Dask task: the run's Event and Variable, polled at most 5 times a second."""

    def __init__(self, name, sense):
        import distributed

        self.stopped = distributed.Event(f"{name}-stop")
        self.best = distributed.Variable(f"{name}-best")
        self.lock = distributed.Lock(f"{name}-lock")
        self.sense = sense
        self.last_poll = 0.0
        self.known = None

    def poll(self, nodes, solutions):
        now = time.monotonic()
        if now - self.last_poll < POLL_EVERY_S and self.last_poll:
            return None
        self.last_poll = now
        self.known = self.best.get()
        return "cancelled" if self.stopped.is_set() else None

    def incumbent(self):
        return self.known

    def improved(self, value, solution):
        with self.lock:
            known = self.best.get()
            if known is None or self.sense * value > self.sense * known:
                self.best.set(value)


def _run_dask(job, task, name):
    return run_task(job, task, _DaskBoard(name, job.sense))


class DaskCluster:
    """Tasks on the cluster of ``client``: the same interface as :class:`backtrack.workers.LocalProcesses`."""

    kind = "dask"

    def __init__(self, client, job):
        import distributed

        self.distributed = distributed
        self.client = client
        self.name = f"backtrack-{uuid.uuid4().hex}"
        self.stopped = distributed.Event(f"{self.name}-stop", client=client)
        self.best = distributed.Variable(f"{self.name}-best", client=client)
        self.best.set(None)
        self.job = client.scatter(job, broadcast=True, hash=False)
        self.finished_nodes = 0
        self.submitted = 0

    def submit(self, task):
        self.submitted += 1  # a key per submission: a task lost with a worker is submitted again, afresh
        key = f"{self.name}-{task.id}-{self.submitted}"
        return self.client.submit(_run_dask, self.job, task, self.name, key=key, pure=False)

    def wait(self, futures, timeout):
        try:
            done, _ = self.distributed.wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except self.distributed.TimeoutError:
            return set()
        return set(done)

    def outcome(self, future):
        if future.cancelled():
            return "cancelled", None
        try:
            figures = future.result()
        except self.distributed.KilledWorker:
            return "lost", None
        self.finished_nodes += figures["nodes"]
        return "done", figures

    def cancel(self, futures):
        return set()  # queued tasks see the stop flag and return at once, with what they have

    def share(self, value):
        self.best.set(value)

    def stop(self, reason):
        self.stopped.set()

    def nodes(self):
        return self.finished_nodes

    def close(self):
        self.stopped.set()
        self.best.delete()
