"""Recording the search tree from inside the loop: the record buffer and the calls the loop makes.

Tracing is a compile-time choice. ``SearchArrays.trace`` is either :data:`NO_TRACE` (an empty tuple)
or a :class:`TraceBuffer`; the loop calls :func:`record_node` and :func:`record_level` on it, and
``numba.extending.overload`` resolves both at type level: for ``NO_TRACE`` they are empty functions,
so the untraced machine code has no trace code at all. Interpreted, the same functions return
at once when the trace is empty.

The loop writes one row per node into ``TraceBuffer.rows`` (never more rows than the buffer holds:
the driver gives each slice at most the free rows as its node budget) and the driver
(:mod:`backtrack.solver`) empties the buffer into the SQLite file between slices
(:mod:`backtrack.tracefile`). Node ids are dense, in depth-first (visiting) order; the root, id 0,
is written by the driver.
"""

from typing import NamedTuple

import numpy as np
from numba import types
from numba.extending import overload, register_jitable

# Outcomes of a node (column R_OUTCOME). The first five are the pruning kinds of the statistics.
OUT_FEASIBILITY = 0  # is_feasible said no
OUT_BOUND = 1  # bound (after the child is built) cannot beat the incumbent
OUT_DECISION_BOUND = 2  # decision_bound (before the child is built) cannot beat the incumbent: a bound cut
OUT_PROPAGATION = 3  # propagate wiped a domain out
OUT_DOMINANCE = 4  # dominated said yes
OUT_REJECTED = 5  # a complete assignment that accept refused
OUT_NOT_BETTER = 6  # a complete assignment no better than the incumbent (goal optimize)
OUT_SOLUTION = 7  # a solution (for optimize: an improving one)
OUT_EXPANDED = 8  # its level was opened: it has children (or could have)
OUT_ROOT = 9
OUTCOMES = (
    "feasibility",
    "bound",
    "decision_bound",
    "propagation",
    "dominance",
    "rejected",
    "not_better",
    "solution",
    "expanded",
    "root",
)

# Columns of TraceBuffer.rows.
R_ID = 0
R_PARENT = 1
R_ALTERNATIVE = 2  # the node's index among its parent's children
R_DEPTH = 3  # the root is depth 0, a decision at level d is depth d + 1
R_VAR = 4
R_VALUE = 5
R_OUTCOME = 6
R_INCUMBENT = 7  # the incumbent's objective when a bound cut it (R_HAS_INCUMBENT = 1)
R_HAS_INCUMBENT = 8
R_NOT_OFFERED_DOMAIN = 9  # of the level below this node: values propagation removed from the domain
R_NOT_OFFERED_VALUES = 10  # of the level below: domain values the value hook left out
R_NOT_OFFERED_SYMMETRY = 11  # of the level below: values plain_value_bits offers and value_bits does not
R_SIZE = 12

# Slots of TraceBuffer.ctl.
TC_USED = 0  # rows written since the driver last emptied the buffer
TC_NEXT_ID = 1  # id of the next node
TC_ON = 2  # 1 while recording; the driver sets 0 at the trace limit (the search goes on)
TC_LAST = 3  # the row of the node whose level is being opened next (-1: already flushed)
TC_SIZE = 4


class TraceBuffer(NamedTuple):
    """Trace records written by the loop; rows int64[capacity, R_SIZE], ctl int64[TC_SIZE],
    path int64[n+1] (id of the node being expanded at each depth), kids int64[n+1] (children
    recorded so far under it)."""

    rows: np.ndarray
    ctl: np.ndarray
    path: np.ndarray
    kids: np.ndarray


NO_TRACE = ()


def new_buffer(n_vars, capacity=4096):
    """An empty buffer for a search of ``n_vars`` variables; the root (id 0) is row 0."""
    buffer = TraceBuffer(
        rows=np.zeros((capacity, R_SIZE), np.int64),
        ctl=np.zeros(TC_SIZE, np.int64),
        path=np.zeros(n_vars + 1, np.int64),
        kids=np.zeros(n_vars + 1, np.int64),
    )
    root = buffer.rows[0]
    root[R_ID], root[R_PARENT], root[R_OUTCOME] = 0, -1, OUT_ROOT
    buffer.ctl[TC_USED] = 1
    buffer.ctl[TC_NEXT_ID] = 1
    buffer.ctl[TC_ON] = 1
    buffer.ctl[TC_LAST] = 0
    return buffer


@register_jitable
def _record_node(trace, depth, var, value, outcome, incumbent, has_incumbent):
    if trace.ctl[TC_ON] == 0:
        return
    used = trace.ctl[TC_USED]
    node = trace.ctl[TC_NEXT_ID]
    row = trace.rows[used]
    row[R_ID] = node
    row[R_PARENT] = trace.path[depth]
    row[R_ALTERNATIVE] = trace.kids[depth]
    row[R_DEPTH] = depth + 1
    row[R_VAR] = var
    row[R_VALUE] = value
    row[R_OUTCOME] = outcome
    row[R_INCUMBENT] = incumbent
    row[R_HAS_INCUMBENT] = has_incumbent
    row[R_NOT_OFFERED_DOMAIN] = 0
    row[R_NOT_OFFERED_VALUES] = 0
    row[R_NOT_OFFERED_SYMMETRY] = 0
    trace.kids[depth] += 1
    if outcome == OUT_EXPANDED:
        trace.path[depth + 1] = node
        trace.kids[depth + 1] = 0
        trace.ctl[TC_LAST] = used
    trace.ctl[TC_USED] = used + 1
    trace.ctl[TC_NEXT_ID] = node + 1


@register_jitable
def _record_level(trace, not_in_domain, left_out, symmetric):
    if trace.ctl[TC_ON] == 0 or trace.ctl[TC_LAST] < 0:
        return
    row = trace.rows[trace.ctl[TC_LAST]]
    row[R_NOT_OFFERED_DOMAIN] = not_in_domain
    row[R_NOT_OFFERED_VALUES] = left_out
    row[R_NOT_OFFERED_SYMMETRY] = symmetric
    trace.ctl[TC_LAST] = -1


def _untraced(trace):
    return isinstance(trace, types.BaseTuple) and len(trace.types) == 0


def record_node(trace, depth, var, value, outcome, incumbent, has_incumbent):
    """Record a node: decision ``var = value`` at level ``depth`` (0-based) and its outcome."""
    if len(trace) == 0:
        return
    _record_node(trace, depth, var, value, outcome, incumbent, has_incumbent)


@overload(record_node, inline="always")
def _record_node_compiled(trace, depth, var, value, outcome, incumbent, has_incumbent):
    if _untraced(trace):
        return lambda trace, depth, var, value, outcome, incumbent, has_incumbent: None
    return lambda trace, depth, var, value, outcome, incumbent, has_incumbent: _record_node(
        trace, depth, var, value, outcome, incumbent, has_incumbent
    )


def record_level(trace, not_in_domain, left_out, symmetric):
    """Record on the node just expanded how many values its level does not offer."""
    if len(trace) == 0:
        return
    _record_level(trace, not_in_domain, left_out, symmetric)


@overload(record_level, inline="always")
def _record_level_compiled(trace, not_in_domain, left_out, symmetric):
    if _untraced(trace):
        return lambda trace, not_in_domain, left_out, symmetric: None
    return lambda trace, not_in_domain, left_out, symmetric: _record_level(trace, not_in_domain, left_out, symmetric)


def is_traced(trace):
    """True for a :class:`TraceBuffer`: a constant in compiled code."""
    return len(trace) != 0


@overload(is_traced, inline="always")
def _is_traced_compiled(trace):
    if _untraced(trace):
        return lambda trace: False
    return lambda trace: True
