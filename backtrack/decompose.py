"""Cutting a search tree into independent subproblems (Embarrassingly Parallel Search).

The engine's own loop enumerates the top of the tree (goal ``SPLIT``): every decision path that
reaches depth ``d`` through the strategy's own variable choice, value order, feasibility,
propagation and dominance becomes one subproblem, the ``prefix`` of an ordinary
:class:`backtrack.Search`. The depth grows until enough subproblems survive (Regin, Rezgui,
Malapert 2013: 30-100 per worker balance well). Subproblems are numbered in depth-first order,
the order in which the sequential search would visit them, so their results can be put back in
that order. The subtrees below the prefixes do not overlap and, with the nodes above them (counted
here), make the whole tree.
"""

import time
from dataclasses import dataclass, field

from backtrack import search
from backtrack.compiled import compile_for
from backtrack.solver import not_offered_counts, pruned_counts


@dataclass(frozen=True)
class Subproblem:
    """One piece of the tree: ``prefix`` is its (var, value) decisions from the root, ``id`` its
    rank in depth-first order."""

    id: int
    prefix: tuple


@dataclass
class Decomposition:
    """The subproblems, the depth of their prefixes, and what enumerating the levels above cost:
    the nodes and cuts of each pruning kind at depths below ``depth`` (those of the sequential search)."""

    subproblems: list
    depth: int
    max_depth: int = 0
    nodes: int = 0
    pruned: dict = field(default_factory=dict)
    not_offered: dict = field(default_factory=dict)
    time_s: float = 0.0
    compile_s: float = 0.0  # of time_s, compiling (or loading) the engine's SPLIT goal


class DeadlineReached(Exception):
    """The time limit ran out while the tree was being cut."""


def decompose(problem, strategy, *, target, backend="numba", deadline=None, max_subproblems=None, incumbent=None):
    """Cut the tree of ``problem`` under ``strategy`` into about ``target`` subproblems, deepening
    one level at a time until ``target`` is reached (or the tree ends); the last level is kept only
    if it is nearer the target than the one above, by ratio, or that one has under a quarter of it.

    ``max_subproblems`` (default 64 x target) caps a level: when the next level would give more, the
    shallower cut is kept. ``incumbent`` (an objective value, goal optimize) lets the strategy's
    bounds cut the top of the tree as the sequential search would. ``deadline`` (a ``time.monotonic()`` value) raises
    :class:`DeadlineReached` if it passes first.
    """
    started = time.perf_counter()
    cap = max_subproblems or 64 * max(target, 1)
    n_vars = problem.space().n_vars
    best = _level(problem, strategy, 1, backend, deadline, cap, incumbent)
    compile_s = time.perf_counter() - started if best is None else best.compile_s
    depth = 1
    while best is not None and len(best.subproblems) < target and depth < n_vars:
        deeper = _level(problem, strategy, depth + 1, backend, deadline, cap, incumbent)
        if deeper is None or _overshoots(len(best.subproblems), len(deeper.subproblems), target):
            break
        best, depth = deeper, depth + 1
        if not best.subproblems:
            break
    if best is None:  # even the first level has more than ``cap`` values: take them all
        best = _level(problem, strategy, 1, backend, deadline, None, incumbent)
    best.time_s = time.perf_counter() - started
    best.compile_s = compile_s
    return best


def _overshoots(shallow, deep, target):
    """Whether the deeper level misses ``target`` by a larger factor than the shallower one, which
    has at least a quarter of it: each subproblem costs a search's set-up and a message (about
    0.5 ms in one process for N-queens), and a level can multiply the count tenfold."""
    return 4 * shallow >= target and deep * shallow > target * target


def _level(problem, strategy, depth, backend, deadline, cap, incumbent):
    """The subproblems at ``depth``, or None if there are more than ``cap``."""
    space = problem.space()
    arrays = search.new_arrays(space, leaf_depth=depth, value_bits=strategy.has_value_bits)
    if incumbent is not None:
        arrays.ctl[search.CTL_HAS_BEST] = 1
        arrays.ctl[search.CTL_BEST] = arrays.ctl[search.CTL_SENSE] * incumbent
    started = time.perf_counter()
    engine = search.run_slice if backend == "python" else compile_for(strategy, problem, arrays, search.SPLIT)
    compile_s = time.perf_counter() - started
    prefixes = []
    budget = 4096
    while True:
        event = engine(strategy, problem, arrays, search.SPLIT, budget)
        if event == search.EV_SOLUTION:
            variables = arrays.levels[:depth, search.LV_VAR].tolist()
            prefixes.append(tuple((var, int(arrays.best[var])) for var in variables))
            if cap is not None and len(prefixes) > cap:
                return None
        elif event == search.EV_DONE:
            break
        else:
            budget = min(budget * 2, 1 << 22)
        if deadline is not None and time.monotonic() >= deadline:
            raise DeadlineReached()
    raw = arrays.stats
    return Decomposition(
        subproblems=[Subproblem(i, prefix) for i, prefix in enumerate(prefixes)],
        depth=depth,
        max_depth=int(raw[search.ST_MAX_DEPTH]),
        nodes=int(raw[search.ST_NODES]),
        pruned=pruned_counts(raw),
        not_offered=not_offered_counts(raw, strategy),
        compile_s=compile_s,
    )
