"""The search loop: the only one in the project.

``run_slice`` is a resumable depth-first search over the arrays of a :class:`SearchArrays`. It
runs until a solution must be reported, an improving solution is found, a node budget is spent,
or the tree is exhausted, and returns an event code; calling it again resumes where it stopped.
The same source runs interpreted (``run_slice``) and compiled (``compiled_engine(strategy)``).

Every candidate decision (variable = value) the loop takes from a value list is one node. A node
is then cut by feasibility (``is_feasible`` said no), by propagation (``propagate`` wiped a domain
out) or by bound (``bound`` cannot beat the incumbent); otherwise it is a leaf or is expanded.
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from backtrack import hooks
from backtrack.domains import Domains, dom_fix, undo_to

# Goals.
FIRST, ALL, COUNT, OPTIMIZE = 0, 1, 2, 3

# Events returned by run_slice.
EV_DONE = 0  # tree exhausted
EV_SOLUTION = 1  # a solution is in SearchArrays.best (goals first and all)
EV_IMPROVED = 2  # a better solution is in SearchArrays.best (goal optimize)
EV_BUDGET = 3  # node budget of this slice spent
EV_SOLUTION_LIMIT = 4  # the solution limit was reached

# Slots of SearchArrays.ctl.
CTL_PHASE = 0  # 0 new, 1 running, 2 done
CTL_DEPTH = 1  # depth of the level being enumerated
CTL_HAS_BEST = 2  # 1 once an incumbent exists (goal optimize)
CTL_BEST = 3  # incumbent's objective, times +1 (maximise) or -1 (minimise)
CTL_SENSE = 4  # +1 or -1
CTL_COUNT = 5  # weighted solution count since the driver last read it
CTL_PREFIX = 6  # number of forced decisions at the top of the tree
CTL_SOLUTION_LIMIT = 7  # stop once stats[ST_SOLUTIONS] reaches it (0: no limit)
CTL_SIZE = 8

# Slots of SearchArrays.stats (cumulative over slices).
ST_NODES = 0
ST_CUT_FEASIBILITY = 1
ST_CUT_BOUND = 2
ST_CUT_PROPAGATION = 3
ST_SOLUTIONS = 4
ST_MAX_DEPTH = 5
ST_SIZE = 6


class SearchArrays(NamedTuple):
    """All mutable search state; depth-indexed arrays have n_vars + 1 rows.

    states int64[n+1, W]: problem state per depth; domains: shared domains with undo trail;
    assign int64[n]: value per variable or -1; var_at int64[n+1]: variable decided at each depth;
    values int64[n+1, V], n_values int64[n+1], position int64[n+1]: ordered candidate values per
    depth and the next one to try; trail_mark int64[n+1]: trail length before each depth's
    decision; prefix int64[k, 2]: forced (var, value) decisions; best int64[n]: the solution
    to report; ctl int64[CTL_SIZE]; stats int64[ST_SIZE].
    """

    states: np.ndarray
    domains: Domains
    assign: np.ndarray
    var_at: np.ndarray
    values: np.ndarray
    n_values: np.ndarray
    position: np.ndarray
    trail_mark: np.ndarray
    prefix: np.ndarray
    best: np.ndarray
    ctl: np.ndarray
    stats: np.ndarray


@register_jitable
def _open_level(strategy, problem, s, depth):
    """Choose the variable of ``depth`` and fill its ordered candidate values."""
    if depth < s.ctl[CTL_PREFIX]:
        var = s.prefix[depth, 0]
        s.values[depth, 0] = s.prefix[depth, 1]
        count = 1
    else:
        var = hooks.select_variable(strategy, problem, s.states[depth], s.domains, s.assign, depth)
        count = hooks.order_values(strategy, problem, s.states[depth], s.domains, s.assign, var, s.values[depth])
    s.var_at[depth] = var
    s.n_values[depth] = count
    s.position[depth] = 0


def run_slice(strategy, problem, s, goal, budget):
    """Search on from where the last call stopped; return an event code (``EV_*``)."""
    ctl = s.ctl
    stats = s.stats
    assign = s.assign
    n = assign.shape[0]
    width = s.states.shape[1]
    if ctl[CTL_PHASE] == 2:
        return EV_DONE
    if ctl[CTL_PHASE] == 0:
        ctl[CTL_PHASE] = 1
        ctl[CTL_DEPTH] = 0
        _open_level(strategy, problem, s, 0)
    stop_at = stats[ST_NODES] + budget
    sense = ctl[CTL_SENSE]
    depth = ctl[CTL_DEPTH]
    while True:
        if s.position[depth] == s.n_values[depth]:
            # This level is exhausted: undo the decision of the level above.
            if depth == 0:
                ctl[CTL_PHASE] = 2
                return EV_DONE
            depth -= 1
            assign[s.var_at[depth]] = -1
            if hooks.uses_domains(strategy):
                undo_to(s.domains, s.trail_mark[depth])
            continue
        if stats[ST_NODES] >= stop_at:
            ctl[CTL_DEPTH] = depth
            return EV_BUDGET
        var = s.var_at[depth]
        value = s.values[depth, s.position[depth]]
        s.position[depth] += 1
        stats[ST_NODES] += 1
        parent = s.states[depth]
        if not hooks.is_feasible(strategy, problem, parent, assign, var, value):
            stats[ST_CUT_FEASIBILITY] += 1
            continue
        child = s.states[depth + 1]
        for i in range(width):
            child[i] = parent[i]
        hooks.apply(strategy, problem, child, var, value)
        assign[var] = value
        if hooks.uses_domains(strategy):
            s.trail_mark[depth] = s.domains.top[0]
            dom_fix(s.domains, var, value)
            if not hooks.propagate(strategy, problem, child, s.domains, assign, var, value):
                stats[ST_CUT_PROPAGATION] += 1
                undo_to(s.domains, s.trail_mark[depth])
                assign[var] = -1
                continue
        if hooks.has_bound(strategy) and goal == OPTIMIZE and ctl[CTL_HAS_BEST] == 1:
            if sense * hooks.bound(strategy, problem, child, s.domains, assign) <= ctl[CTL_BEST]:
                stats[ST_CUT_BOUND] += 1
                if hooks.uses_domains(strategy):
                    undo_to(s.domains, s.trail_mark[depth])
                assign[var] = -1
                continue
        if depth + 1 > stats[ST_MAX_DEPTH]:
            stats[ST_MAX_DEPTH] = depth + 1
        if depth + 1 < n:
            depth += 1
            _open_level(strategy, problem, s, depth)
            continue
        # A complete assignment.
        event = -1
        if hooks.accept(strategy, problem, child, assign):
            if goal == COUNT:
                stats[ST_SOLUTIONS] += 1
                ctl[CTL_COUNT] += hooks.weight(strategy, problem, child, assign)
            elif goal == OPTIMIZE:
                score = sense * hooks.objective(strategy, problem, child, assign)
                if ctl[CTL_HAS_BEST] == 0 or score > ctl[CTL_BEST]:
                    ctl[CTL_HAS_BEST] = 1
                    ctl[CTL_BEST] = score
                    stats[ST_SOLUTIONS] += 1
                    s.best[:] = assign
                    event = EV_IMPROVED
            else:
                stats[ST_SOLUTIONS] += 1
                s.best[:] = assign
                event = EV_SOLUTION
            if ctl[CTL_SOLUTION_LIMIT] > 0 and stats[ST_SOLUTIONS] >= ctl[CTL_SOLUTION_LIMIT] and goal != OPTIMIZE:
                if event == -1:
                    event = EV_SOLUTION_LIMIT
        assign[var] = -1
        if hooks.uses_domains(strategy):
            undo_to(s.domains, s.trail_mark[depth])
        if event != -1:
            ctl[CTL_DEPTH] = depth
            return event
