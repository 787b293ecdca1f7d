"""Shared test setup: hypothesis profiles and helpers to run a search on both backends.

Hypothesis profiles (``HYPOTHESIS_PROFILE=...``): ``ci`` (default) keeps the suite quick,
``thorough`` runs many more examples. Every profile has ``deadline=None``: the first examples of a
strategy pay for numba's compilation.
"""

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, settings

from backtrack import Search

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BACKENDS = ("python", "numba")


def outcome(result):
    """Everything a result says except wall-clock times: equal on both backends."""
    stats = result.stats.as_dict()
    del stats["time_s"], stats["compile_s"]
    return {
        "status": result.status,
        "goal": result.goal,
        "count": result.count,
        "value": result.value,
        "solution": result.solution,
        "stop_reason": result.stop_reason,
        "stats": stats,
    }


def run_search(problem, strategy, goal, backend, **options):
    """Run one search; return (result, solutions streamed in order)."""
    search = Search(problem, strategy, goal, backend=backend, **options)
    streamed = [tuple(s) for s in search.stream()]
    return search.result, streamed


def run_both_backends(problem, strategy, goal, **options):
    """Run on both backends, check they agree exactly (stats, solutions and their order).

    Returns the numba backend's (result, streamed solutions).
    """
    interpreted, interpreted_stream = run_search(problem, strategy, goal, "python", **options)
    compiled, compiled_stream = run_search(problem, strategy, goal, "numba", **options)
    assert compiled_stream == interpreted_stream, f"{strategy.name} {goal}: backends stream different solutions"
    assert outcome(compiled) == outcome(interpreted), f"{strategy.name} {goal}: backends disagree"
    return compiled, compiled_stream


@pytest.fixture(scope="session")
def both_backends():
    """``both_backends(problem, strategy, goal, **options)``: see :func:`run_both_backends`."""
    return run_both_backends


@pytest.fixture(scope="session")
def search_on():
    """``search_on(backends)``: ``run_both_backends`` for ``"both"``, the interpreted search alone
    (returning the same pair) for ``"python"``."""

    def pick(backends):
        if backends == "both":
            return run_both_backends
        return lambda problem, strategy, goal, **options: run_search(problem, strategy, goal, "python", **options)

    return pick


@pytest.fixture(scope="session")
def one_search():
    """``one_search(problem, strategy, goal, backend, **options)`` -> (result, streamed solutions)."""
    return run_search


@pytest.fixture(scope="session")
def backtrack_cli():
    """``backtrack_cli(*args, timeout=...)``: run ``python -m backtrack`` in a new process."""

    def run(*args, timeout=300, **kwargs):
        return subprocess.run(
            [sys.executable, "-m", "backtrack", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )

    return run
