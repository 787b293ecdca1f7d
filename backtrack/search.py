"""The search loop: the only one in the project.

``run_slice`` is a resumable depth-first search over the arrays of a :class:`SearchArrays`. It
runs until a solution must be reported, an improving solution is found, a node budget is spent,
or the tree is exhausted, and returns an event code; calling it again resumes where it stopped.
The same source runs interpreted (``run_slice``) and compiled (``compiled_engine(strategy)``).

Every candidate decision (variable = value) the loop takes from a value list is one node. A node
is then cut by feasibility (``is_feasible`` said no), by bound before the child is built
(``decision_bound`` cannot beat the incumbent), by propagation (``propagate`` wiped a domain out),
by dominance (``dominated``: another node is at least as good) or by bound (``bound`` cannot beat
the incumbent); otherwise it is a leaf or is expanded.
"""

from typing import NamedTuple

import numpy as np
from numba import types
from numba.extending import typeof_impl

from backtrack import hooks, trace
from backtrack.bits import lowest_bit_index, popcount
from backtrack.domains import Domains, dom_contains, dom_fix, dom_size, new_domains, undo_to
from backtrack.trace import NO_TRACE


class Goal(int):
    """A goal code that the compiled loop sees as a constant: each goal gets its own machine code,
    with the other goals' branches folded away (about 5 % on a bitboard count)."""


@typeof_impl.register(Goal)
def _typeof_goal(value, context):
    return types.IntegerLiteral(int(value))


# The loop reports each solution alike for goals first and all (the driver stops after one for
# first): one code, so one compiled loop serves both.
FIRST = ALL = Goal(0)
COUNT, OPTIMIZE = Goal(2), Goal(3)
COLLECT = Goal(4)  # record (key, value, code) of every accepted leaf: one side of a bidirectional search
SPLIT = Goal(5)  # report each node that reaches the leaf depth, unchecked: a subproblem (backtrack/decompose.py);
# bounds cut against an incumbent when the driver gives one (an optimisation's tree)

# Events returned by run_slice.
EV_DONE = 0  # tree exhausted
EV_SOLUTION = 1  # a solution is in SearchArrays.best (goals first and all)
EV_IMPROVED = 2  # a better solution is in SearchArrays.best (goal optimize)
EV_BUDGET = 3  # node budget of this slice spent
EV_SOLUTION_LIMIT = 4  # the solution limit was reached
EV_OUT_FULL = 5  # goal collect: the output arrays are full; the driver empties them

# Slots of SearchArrays.ctl.
CTL_PHASE = 0  # 0 new, 1 running, 2 done
CTL_DEPTH = 1  # depth of the level being enumerated
CTL_HAS_BEST = 2  # 1 once an incumbent exists (goal optimize)
CTL_BEST = 3  # incumbent's objective, times +1 (maximise) or -1 (minimise)
CTL_SENSE = 4  # +1 or -1
CTL_COUNT = 5  # weighted solution count since the driver last read it
CTL_PREFIX = 6  # number of forced decisions at the top of the tree
CTL_SOLUTION_LIMIT = 7  # stop once stats[ST_SOLUTIONS] reaches it (0: no limit)
CTL_LEAF_DEPTH = 8  # depth of a complete assignment (n_vars, or a half of them)
CTL_ORDER = 9  # depths 0..CTL_ORDER-1 take their variable from SearchArrays.order
CTL_OUT = 10  # goal collect: number of records in the output arrays
CTL_RADIX = 11  # goal collect: base of the code of a leaf's decisions
CTL_SIZES_VARY = 12  # 1 if some variable's initial domain has fewer values than n_values
CTL_SIZE = 13

# Columns of SearchArrays.levels.
LV_VAR = 0  # variable decided at this depth
LV_COUNT = 1  # number of candidate values in SearchArrays.values[depth]; with the value_bits
# hook, the candidates not yet tried, as a bit word
LV_NEXT = 2  # index of the next candidate to try
LV_MARK = 3  # trail length before this depth's decision
LEVEL_SIZE = 4

# Slots of SearchArrays.stats (cumulative over slices).
ST_NODES = 0
ST_CUT_FEASIBILITY = 1
ST_CUT_BOUND = 2
ST_CUT_PROPAGATION = 3
ST_CUT_DOMINANCE = 4
ST_SOLUTIONS = 5
ST_MAX_DEPTH = 6
# Values a level does not offer, against its variable's initial domain (the unpruned tree's level):
ST_NOT_OFFERED_DOMAIN = 7  # removed from the domain by propagation before the level opened
ST_NOT_OFFERED_VALUES = 8  # in the domain, but left out by value_bits / order_values
ST_NOT_OFFERED_SYMMETRY = 9  # left out by value_bits but offered by plain_value_bits (symmetry breaking)
# Bookkeeping of the not-offered counts (the loop derives ST_NOT_OFFERED_VALUES from them at the
# end of each slice instead of counting per level):
ST_OTHER_LEAVES = 10  # complete assignments that are not solutions (rejected, not better, goal split's)
ST_ROOTS = 11  # times the root level was opened (one per search)
ST_FACED_SHORT = 12  # the opened levels' initial domain sizes summed, less n_values per level
# (a forced decision's level faces its one value, or none if it is no longer in the domain)
ST_PLAIN_OFFERED = 13  # values plain_value_bits offered, summed over the opened levels (a forced decision's: 0 or 1)
ST_UNTRIED = 14  # values the open levels had still to try when the slice ended
ST_SIZE = 15


class SearchArrays(NamedTuple):
    """All mutable search state; depth-indexed arrays have n_vars + 1 rows.

    states int64[n+1, W]: problem state per depth; domains: shared domains with undo trail;
    assign int64[n]: value per variable or -1; levels int64[n+1, LEVEL_SIZE]: per depth, the
    variable decided there, how many candidate values it has, the next one to try and the trail
    length before the decision (one array, so the compiled loop keeps one base pointer);
    values int64[n+1, V]: the ordered candidate values per depth; prefix int64[k, 2]: forced
    (var, value) decisions; order int64[n]: forced variable order; out int64[m, 3]: goal
    collect's (key, value, code) records; best int64[n]: the solution to report;
    ctl int64[CTL_SIZE]; stats int64[ST_SIZE]; width: a tuple of W zeros, so that the state's
    width is part of the compiled code's type and copying a state row is unrolled (about 20 %);
    initial_sizes int64[n]: each variable's initial domain size; trace: ``trace.NO_TRACE`` or a
    :class:`backtrack.trace.TraceBuffer` (its type picks the traced or the untraced machine code).
    """

    states: np.ndarray
    domains: Domains
    assign: np.ndarray
    levels: np.ndarray
    values: np.ndarray
    prefix: np.ndarray
    order: np.ndarray
    out: np.ndarray
    best: np.ndarray
    ctl: np.ndarray
    stats: np.ndarray
    width: tuple
    initial_sizes: np.ndarray
    trace: tuple = NO_TRACE


def run_slice(strategy, problem, s, goal, budget):
    """Search on from where the last call stopped; return an event code (``EV_*``)."""
    ctl = s.ctl
    stats = s.stats
    assign = s.assign
    states = s.states
    levels = s.levels
    n = assign.shape[0]
    width = len(s.width)  # a compile-time constant
    if ctl[CTL_PHASE] == 2:
        return EV_DONE
    resuming = ctl[CTL_PHASE] == 1  # the level at `depth` already has its variable and values
    if not resuming:
        stats[ST_ROOTS] += 1
    ctl[CTL_PHASE] = 1
    # Depth and position are unsigned: numba then indexes arrays without negative-index checks
    # (about 20 % of the time of a bitboard search).
    ONE = np.uint64(1)
    depth = np.uint64(ctl[CTL_DEPTH])
    sense = ctl[CTL_SENSE]
    prefix_length = ctl[CTL_PREFIX]
    order_length = ctl[CTL_ORDER]
    leaf_depth = np.uint64(ctl[CTL_LEAF_DEPTH])
    # Counters of per-node events live in locals during the slice (registers, no aliasing) and are
    # stored on exit; those of leaves go straight to memory (a local that lives across the loop
    # takes a register from the inner loop: ARCHITECTURE.md, "Tracing the search tree").
    left = budget  # nodes this slice may still take
    cut_feasibility = stats[ST_CUT_FEASIBILITY]
    cut_propagation = stats[ST_CUT_PROPAGATION]
    cut_dominance = stats[ST_CUT_DOMINANCE]
    cut_bound = stats[ST_CUT_BOUND]
    deepest = np.uint64(stats[ST_MAX_DEPTH])
    not_in_domain = stats[ST_NOT_OFFERED_DOMAIN]
    plain_offered = stats[ST_PLAIN_OFFERED]
    tr = s.trace
    event = EV_BUDGET
    stop = False
    # The outer loop opens a level (chooses its variable, orders its values) on each descent;
    # the inner loop tries that level's values and backtracks.
    while not stop:
        if resuming:
            resuming = False
        else:
            if np.int64(depth) < prefix_length:
                # A forced decision is tried only if its value is still in the variable's domain.
                var = s.prefix[depth, 0]
                s.values[depth, 0] = s.prefix[depth, 1]
                allowed = dom_contains(s.domains, var, s.prefix[depth, 1])
                if hooks.has_value_bits(strategy):
                    levels[depth, LV_COUNT] = (np.int64(1) << s.prefix[depth, 1]) if allowed else 0
                else:
                    levels[depth, LV_COUNT] = 1 if allowed else 0
                stats[ST_FACED_SHORT] += (1 if allowed else 0) - s.values.shape[1]
                if hooks.has_plain_value_bits(strategy):
                    plain_offered += 1 if allowed else 0
            else:
                if np.int64(depth) < order_length:
                    var = s.order[depth]
                else:
                    var = hooks.select_variable(strategy, problem, states[depth], s.domains, assign, np.int64(depth))
                # What this level does not offer, against the variable's initial domain, is counted
                # per level only where no cheaper way exists (counting cost a sixth of a bitboard
                # node): the end of the slice derives the rest from the nodes and cuts.
                plain = 0
                if hooks.has_plain_value_bits(strategy):
                    # Before value_bits: the compiled code then reads the state once for both.
                    plain = popcount(hooks.plain_value_bits(strategy, problem, states[depth], s.domains, assign, var))
                    plain_offered += plain
                if hooks.has_value_bits(strategy):
                    levels[depth, LV_COUNT] = hooks.value_bits(strategy, problem, states[depth], s.domains, assign, var)
                else:
                    levels[depth, LV_COUNT] = hooks.order_values(
                        strategy, problem, states[depth], s.domains, assign, var, s.values[depth]
                    )
                if hooks.uses_domains(strategy) or ctl[CTL_SIZES_VARY] == 1:
                    stats[ST_FACED_SHORT] += s.initial_sizes[np.uint64(var)] - s.values.shape[1]
                if hooks.uses_domains(strategy):
                    not_in_domain += s.initial_sizes[np.uint64(var)] - dom_size(s.domains, var)
                if trace.is_traced(tr):
                    full = s.initial_sizes[np.uint64(var)]
                    size = dom_size(s.domains, var) if hooks.uses_domains(strategy) else full
                    offered = levels[depth, LV_COUNT]
                    if hooks.has_value_bits(strategy):
                        offered = popcount(offered)
                    symmetric = 0
                    if hooks.has_plain_value_bits(strategy):
                        symmetric = plain - offered
                        offered = plain
                    trace.record_level(tr, full - size, size - offered, symmetric)
            levels[depth, LV_VAR] = var
            if not hooks.has_value_bits(strategy):
                levels[depth, LV_NEXT] = 0
        while True:
            if hooks.has_value_bits(strategy):
                remaining = levels[depth, LV_COUNT]
                exhausted = remaining == 0
            else:
                position = np.uint64(levels[depth, LV_NEXT])
                exhausted = position == np.uint64(levels[depth, LV_COUNT])
            if exhausted:
                # This level is exhausted: undo the decision of the level above.
                if depth == np.uint64(0):
                    ctl[CTL_PHASE] = 2
                    event = EV_DONE
                    stop = True
                    break
                depth -= ONE
                assign[np.uint64(levels[depth, LV_VAR])] = -1
                if hooks.uses_domains(strategy):
                    undo_to(s.domains, levels[depth, LV_MARK])
                continue
            if left <= 0:
                event = EV_BUDGET
                stop = True
                break
            var = levels[depth, LV_VAR]
            if hooks.has_value_bits(strategy):
                value = lowest_bit_index(remaining)
                levels[depth, LV_COUNT] = remaining & (remaining - 1)
            else:
                value = s.values[depth, position]
                levels[depth, LV_NEXT] = position + ONE
            left -= 1
            if not hooks.is_feasible(strategy, problem, states[depth], assign, var, value):
                cut_feasibility += 1
                trace.record_node(tr, depth, var, value, trace.OUT_FEASIBILITY, 0, 0)
                continue
            if hooks.has_decision_bound(strategy) and (goal == OPTIMIZE or goal == SPLIT) and ctl[CTL_HAS_BEST] == 1:
                decided = hooks.decision_bound(strategy, problem, states[depth], s.domains, assign, var, value)
                if sense * decided <= ctl[CTL_BEST]:
                    cut_bound += 1
                    trace.record_node(tr, depth, var, value, trace.OUT_DECISION_BOUND, sense * ctl[CTL_BEST], 1)
                    continue
            for i in range(width):
                states[depth + ONE, i] = states[depth, i]
            child = states[depth + ONE]
            hooks.apply(strategy, problem, child, var, value)
            slot = np.uint64(var)  # an unsigned index: no negative-index fix-up
            assign[slot] = value
            if hooks.uses_domains(strategy):
                levels[depth, LV_MARK] = s.domains.top[0]
                dom_fix(s.domains, var, value)
                if not hooks.propagate(strategy, problem, child, s.domains, assign, var, value):
                    cut_propagation += 1
                    trace.record_node(tr, depth, var, value, trace.OUT_PROPAGATION, 0, 0)
                    undo_to(s.domains, levels[depth, LV_MARK])
                    assign[slot] = -1
                    continue
            if hooks.dominated(strategy, problem, child, assign, np.int64(depth) + 1):
                cut_dominance += 1
                trace.record_node(tr, depth, var, value, trace.OUT_DOMINANCE, 0, 0)
                if hooks.uses_domains(strategy):
                    undo_to(s.domains, levels[depth, LV_MARK])
                assign[slot] = -1
                continue
            if hooks.has_bound(strategy) and (goal == OPTIMIZE or goal == SPLIT) and ctl[CTL_HAS_BEST] == 1:
                if sense * hooks.bound(strategy, problem, child, s.domains, assign) <= ctl[CTL_BEST]:
                    cut_bound += 1
                    trace.record_node(tr, depth, var, value, trace.OUT_BOUND, sense * ctl[CTL_BEST], 1)
                    if hooks.uses_domains(strategy):
                        undo_to(s.domains, levels[depth, LV_MARK])
                    assign[slot] = -1
                    continue
            if depth + ONE > deepest:
                deepest = depth + ONE
            if depth + ONE < leaf_depth:
                trace.record_node(tr, depth, var, value, trace.OUT_EXPANDED, 0, 0)
                depth += ONE
                break
            # A complete assignment.
            found = -1
            outcome = trace.OUT_REJECTED
            if goal == SPLIT:
                # The top of the tree is being cut into subproblems: this path is one, whatever lies below.
                for i in range(n):
                    s.best[i] = assign[i]
                found = EV_SOLUTION
            elif hooks.accept(strategy, problem, child, assign):
                if goal == COLLECT:
                    # Record this leaf; its code is the values of depths 0..depth in base CTL_RADIX.
                    out_length = ctl[CTL_OUT]
                    key, score = hooks.summarize(strategy, problem, child, assign)
                    code = 0
                    for d in range(np.int64(depth), -1, -1):
                        code = code * ctl[CTL_RADIX] + assign[levels[d, LV_VAR]]
                    s.out[out_length, 0] = key
                    s.out[out_length, 1] = score
                    s.out[out_length, 2] = code
                    ctl[CTL_OUT] = out_length + 1
                    stats[ST_SOLUTIONS] += 1
                    outcome = trace.OUT_SOLUTION
                    if out_length + 1 == s.out.shape[0]:
                        found = EV_OUT_FULL
                elif goal == COUNT:
                    stats[ST_SOLUTIONS] += 1
                    ctl[CTL_COUNT] += hooks.weight(strategy, problem, child, assign)
                    outcome = trace.OUT_SOLUTION
                    if stats[ST_SOLUTIONS] == ctl[CTL_SOLUTION_LIMIT]:
                        found = EV_SOLUTION_LIMIT
                elif goal == OPTIMIZE:
                    score = sense * hooks.objective(strategy, problem, child, assign)
                    outcome = trace.OUT_NOT_BETTER
                    if ctl[CTL_HAS_BEST] == 0 or score > ctl[CTL_BEST]:
                        outcome = trace.OUT_SOLUTION
                        ctl[CTL_HAS_BEST] = 1
                        ctl[CTL_BEST] = score
                        stats[ST_SOLUTIONS] += 1
                        for i in range(n):
                            s.best[i] = assign[i]
                        found = EV_IMPROVED
                else:
                    stats[ST_SOLUTIONS] += 1
                    outcome = trace.OUT_SOLUTION
                    for i in range(n):
                        s.best[i] = assign[i]
                    found = EV_SOLUTION
            if outcome != trace.OUT_SOLUTION:
                stats[ST_OTHER_LEAVES] += 1
            if trace.is_traced(tr):
                has_best = ctl[CTL_HAS_BEST] if goal == OPTIMIZE else 0
                trace.record_node(tr, depth, var, value, outcome, sense * ctl[CTL_BEST], has_best)
            assign[slot] = -1
            if hooks.uses_domains(strategy):
                undo_to(s.domains, levels[depth, LV_MARK])
            if found != -1:
                event = found
                stop = True
                break
    ctl[CTL_DEPTH] = np.int64(depth)
    stats[ST_NODES] += budget - left
    stats[ST_CUT_FEASIBILITY] = cut_feasibility
    stats[ST_CUT_PROPAGATION] = cut_propagation
    stats[ST_CUT_DOMINANCE] = cut_dominance
    stats[ST_CUT_BOUND] = cut_bound
    stats[ST_MAX_DEPTH] = np.int64(deepest)
    stats[ST_NOT_OFFERED_DOMAIN] = not_in_domain
    stats[ST_PLAIN_OFFERED] = plain_offered
    # What the opened levels faced (every level but the root's was opened by a node that was
    # neither cut nor a leaf), what they offered (the nodes taken and the values the open levels
    # 0..depth have still to try) and, with plain_value_bits, what they offered before symmetry
    # breaking: the values propagation removed are counted, the rest is the difference.
    leaves = stats[ST_SOLUTIONS] + stats[ST_OTHER_LEAVES]
    opened = stats[ST_ROOTS] + stats[ST_NODES] - leaves - cut_feasibility - cut_bound - cut_propagation - cut_dominance
    faced = opened * s.values.shape[1] + stats[ST_FACED_SHORT]
    untried = 0
    if ctl[CTL_PHASE] != 2:
        for d in range(np.int64(depth) + 1):
            if hooks.has_value_bits(strategy):
                untried += popcount(levels[d, LV_COUNT])
            else:
                untried += levels[d, LV_COUNT] - levels[d, LV_NEXT]
    stats[ST_UNTRIED] = untried
    offered = stats[ST_NODES] + untried
    if hooks.has_plain_value_bits(strategy):
        stats[ST_NOT_OFFERED_SYMMETRY] = plain_offered - offered
        offered = plain_offered
    stats[ST_NOT_OFFERED_VALUES] = faced - not_in_domain - offered
    return event


def restarted_stats(stats):
    """The statistics a restarted search (new arrays, same counts) starts from: the abandoned open
    levels' untried values were offered but never tried, so they leave both the faced and the
    plain-offered totals, and the not-offered counts stay as they were."""
    carried = stats.copy()
    for slot in (ST_FACED_SHORT, ST_PLAIN_OFFERED):
        carried[slot] -= carried[ST_UNTRIED]
    carried[ST_UNTRIED] = 0
    return carried


MAX_VALUE_BITS = 63  # values of a strategy with the value_bits hook: 0..62 (an int64 word)


def new_arrays(
    space,
    *,
    prefix=None,
    order=None,
    leaf_depth=None,
    out_rows=1,
    out_dtype=np.int64,
    value_bits=False,
    trace_buffer=NO_TRACE,
):
    """Allocate the SearchArrays of a search of ``space`` (a :class:`backtrack.strategy.Space`).

    prefix: forced (var, value) decisions; order: variables forced at depths 0..len(order)-1;
    leaf_depth: depth of a complete assignment (default n_vars); out_rows: capacity of goal
    collect's records; value_bits: the strategy gives values as bit words (at most 63 values);
    trace_buffer: a :class:`backtrack.trace.TraceBuffer` to record the tree into.
    An object-dtype root state (Python ints) gives object states and ctl.
    """
    n, v = space.n_vars, space.n_values
    if value_bits and v > MAX_VALUE_BITS:
        raise ValueError(f"a strategy with value_bits handles at most {MAX_VALUE_BITS} values per variable, not {v}")
    prefix = np.zeros((0, 2), np.int64) if prefix is None else np.asarray(prefix, np.int64).reshape(-1, 2)
    forced = np.zeros(n, dtype=np.int64)
    if order is not None:
        forced[: len(order)] = order
    states = np.zeros((n + 1, len(space.state)), dtype=space.state.dtype)
    states[0] = space.state
    ctl = np.zeros(CTL_SIZE, dtype=states.dtype)  # the incumbent may need Python ints too
    ctl[CTL_SENSE] = 1 if space.maximize else -1
    ctl[CTL_PREFIX] = len(prefix)
    ctl[CTL_ORDER] = 0 if order is None else len(order)
    ctl[CTL_LEAF_DEPTH] = n if leaf_depth is None else leaf_depth
    ctl[CTL_RADIX] = v
    if space.domains is None:
        initial_sizes = np.full(n, v, np.int64)
    else:
        initial_sizes = np.asarray(space.domains, bool).sum(axis=1).astype(np.int64)
    ctl[CTL_SIZES_VARY] = int((initial_sizes != v).any())
    return SearchArrays(
        states=states,
        domains=new_domains(n, v, space.domains),
        assign=np.full(n, -1, dtype=np.int64),
        levels=np.zeros((n + 1, LEVEL_SIZE), dtype=np.int64),
        values=np.zeros((n + 1, v), dtype=np.int64),
        prefix=prefix,
        order=forced,
        out=np.zeros((out_rows, 3), dtype=out_dtype),
        best=np.full(n, -1, dtype=np.int64),
        ctl=ctl,
        stats=np.zeros(ST_SIZE, dtype=np.int64),
        width=(0,) * len(space.state),
        initial_sizes=initial_sizes,
        trace=trace_buffer,
    )
