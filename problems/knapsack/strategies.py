"""0/1 knapsack as engine hooks: maximise the profit of the chosen items within the capacity.

The module only defines hooks and the plain-Python preprocessing that builds a problem value;
the engine (:mod:`backtrack.search`) does every search. Strategies, from no pruning to the
default:

- ``naive``: enumerate every subset; the capacity is checked at the leaves (``accept``).
- ``feasibility``: cut a branch as soon as its weight exceeds the capacity.
- ``dantzig``: feasibility, items in profit/weight order, the LP (Dantzig) upper bound, the
  greedy solution as the first incumbent.
- ``martello-toth``: as ``dantzig`` with the Martello-Toth bound U2 (<= Dantzig's).
- ``reduction``: as ``dantzig``, plus propagation: after each decision, the items that no longer
  fit, and those whose opposite value cannot beat the incumbent by bound, are fixed
  (``propagate`` with :func:`backtrack.dom_remove`).
- ``core``: items fixed at the root by reduction, then branching outwards from the break item
  (a *core*), with the LP bound of the decided interval.
- ``combo``: ``core`` plus dominance between (profit, weight) states and a
  cardinality bound (see :func:`dominated_by_earlier` for why it is sound); without a Lagrangian
  multiplier, the bound also takes whole units of the break item's ratio class (:func:`unit_bound`);
  when the items in multiplier order are also in profit/weight order, the smaller of the
  Lagrangian and plain LP bounds (a variant compiled on its own, see :func:`search_strategy`).
- ``levels`` (default): ``combo``'s preparation and bounds, searched level by level
  (:mod:`backtrack.levels`): each depth's (weight, profit) states kept sorted by weight, the
  dominated ones dropped by a merge, as combo's dynamic programming does; no memo. With
  ``--workers`` or ``--trace`` the command takes ``combo`` instead (a depth-first search).
- ``bidirectional``: meet in the middle (Horowitz-Sahni) through :mod:`backtrack.bidirectional`:
  each half's (weight, profit) pairs, joined on weight <= capacity; up to 50 items.

Variables are the items left after preprocessing, numbered in decreasing profit/weight order;
value 1 takes an item. The state row of a node holds ``PROFIT``, ``WEIGHT``, ``DEPTH`` and
``COUNT``. Items ``[0, pivot)`` are *in* at the root (the break solution of the core strategies;
``pivot`` is 0 for the plain ones), so a decision adds an item right of the pivot or removes one
left of it. After ``d`` decisions the decided items are the interval ``[lo_at[d], hi_at[d])``:
the items left of it are still in, those right of it still out, and the LP bound over them is
read from prefix sums.

All strategies are for goal ``optimize``.
"""

from backtrack import Strategy, jitable
from problems.knapsack.bounds import (
    _plain_bound_sound,
    both_interval_bound,
    lagrangian_interval_bound,
    lp_bound,
    martello_toth_bound,
    on_profit_grid,
)
from problems.knapsack.decisions import (
    better_bound_first,
    by_depth,
    child_totals,
    fits,
    fix_by_bound,
    higher_bound_first,
    item_terms,
    take_first,
    take_or_leave,
    total_profit,
    weight_and_profit,
    within_capacity,
)
from problems.knapsack.memo import cardinality_cut, dominated_by_earlier
from problems.knapsack.problem import (
    BEST,
    CACHE_WIDTH,
    COUNT,
    DEPTH,
    MAX_BIDIRECTIONAL,
    NO_BOUND,
    PROFIT,
    UNCACHED,
    WEIGHT,
    Knapsack,
)
from problems.knapsack.units import unit_bound


@jitable
def cache_slot(depth, value):
    """Where the bound cache entry (profit, weight, count, bound) of the child reached at
    ``depth`` by ``value`` starts in ``Knapsack.scratch``."""
    return BEST + 1 + CACHE_WIDTH * (2 * depth + value)


@jitable
def cached_bound(problem, depth, profit, weight, count):
    """The Lagrangian interval bound of a node at ``depth`` with these totals if
    :func:`better_lagrangian_first` computed it when ordering its parent's values, else
    ``UNCACHED``."""
    cache = problem.scratch
    for value in range(2):
        at = cache_slot(depth, value)
        if cache[at] == profit and cache[at + 1] == weight and cache[at + 2] == count:
            return cache[at + 3]
    return UNCACHED


def _bound_hooks(interval_bound_of, unit_depth=1 << 62):
    """``combo``'s three bound hooks around an interval bound (:func:`lagrangian_interval_bound`
    or :func:`both_interval_bound`): each variant is compiled with only its own bound. ``bound``
    takes :func:`unit_bound` too at depths below ``unit_depth`` (``levels`` takes it only near
    the root, where it often proves the incumbent optimal at once: deeper, the merge of the
    states does most of what it does, at a fraction of the cost: type 12, n = 2000, 3.1 M nodes
    in 0.24 s without it, 2.7 M in 4.6 s with it)."""

    @jitable
    def bound_first(problem, state, domains, assign, var, out):
        """``order_values``: as :func:`better_bound_first` with the interval bound; the two
        children's bounds are cached in ``scratch`` for the two hooks below to read."""
        depth = state[DEPTH] + 1
        lo = problem.lo_at[depth]
        hi = problem.hi_at[depth]
        cache = problem.scratch
        for value in range(2):
            at = cache_slot(depth, value)
            profit, weight, count = child_totals(problem, state, var, value)
            cache[at] = profit
            cache[at + 1] = weight
            cache[at + 2] = count
            cache[at + 3] = interval_bound_of(problem, profit, weight, count, lo, hi)
        bound_in = cache[cache_slot(depth, 1) + 3]
        bound_out = cache[cache_slot(depth, 0) + 3]
        return higher_bound_first(problem, var, bound_in, bound_out, out)

    @jitable
    def decision_bound(problem, state, domains, assign, var, value):
        """``decision_bound``: the interval bound of the child ``var = value`` from its parent's
        totals (read from the cache that ordering the values filled, computed when the decision
        was forced by a prefix), rounded like ``bound``: a child that cannot beat the incumbent
        is cut before it is built."""
        depth = state[DEPTH] + 1
        profit, weight, count = child_totals(problem, state, var, value)
        bound = cached_bound(problem, depth, profit, weight, count)
        if bound == UNCACHED:
            bound = interval_bound_of(problem, profit, weight, count, problem.lo_at[depth], problem.hi_at[depth])
        return on_profit_grid(problem, bound)

    @jitable(inline="always")
    def bound(problem, state, domains, assign):
        """``bound``: the interval bound (with ``lam`` = 0, the LP bound tightened by
        :func:`unit_bound`), rounded down to ``base_profit`` plus a multiple of ``profit_gcd``;
        usually read from the cache that ordering the parent's values filled."""
        depth = state[DEPTH]
        lo, hi = problem.lo_at[depth], problem.hi_at[depth]
        value = cached_bound(problem, depth, state[PROFIT], state[WEIGHT], state[COUNT])
        if value == UNCACHED:
            value = interval_bound_of(problem, state[PROFIT], state[WEIGHT], state[COUNT], lo, hi)
        if depth < unit_depth and problem.lam == 0 and problem.unit_weight[0] > 0 and value != NO_BOUND:
            value = min(value, unit_bound(problem, state[PROFIT], state[WEIGHT], lo, hi))
        return on_profit_grid(problem, value)

    return bound_first, decision_bound, bound


# The Lagrangian bound hooks of combo, and those of its variant with the plain bound beside.
better_lagrangian_first, lagrangian_decision_bound, lagrangian_bound = _bound_hooks(lagrangian_interval_bound)
better_of_both_first, both_decision_bound, both_bound = _bound_hooks(both_interval_bound)
# The same with the whole-unit bound only near the root, for ``levels``.
LEVELS_UNIT_DEPTH = 16
LAGRANGIAN_HOOKS_NEAR_UNITS = _bound_hooks(lagrangian_interval_bound, LEVELS_UNIT_DEPTH)
BOTH_HOOKS_NEAR_UNITS = _bound_hooks(both_interval_bound, LEVELS_UNIT_DEPTH)


# ---------------------------------------------------------------- strategies


def _combo(bound_hooks, description, name="combo", dominated=dominated_by_earlier, **options):
    """A ``combo`` strategy around one set of its bound hooks (see :func:`_bound_hooks`); ``name``,
    ``dominated`` and further ``options`` make its variants (:func:`_levels`)."""
    order_values, decision_bound, bound = bound_hooks
    return Strategy(
        name,
        Knapsack,
        select_variable=by_depth,
        order_values=order_values,
        apply=take_or_leave,
        objective=total_profit,
        is_feasible=fits,
        decision_bound=decision_bound,
        bound=bound,
        dominated=dominated,
        description=description,
        **options,
    )


@jitable
def outside_count_range(problem, state, assign, depth):
    """``dominated`` of ``levels``: combo's cardinality cut only (the levels' merge drops the
    dominated states)."""
    return cardinality_cut(problem, state)


def default_completion(problem, values):
    """``level_completion`` of ``levels``: an undecided item keeps its root value (in left of the
    pivot, out right of it), as the state's totals count it."""
    return [value if value >= 0 else int(var < problem.pivot) for var, value in enumerate(values)]


def _levels(bound_hooks, description):
    """``combo``'s hooks searched level by level (:mod:`backtrack.levels`): each depth's
    (weight, profit) states merged by weight, the dominated ones dropped, as combo's dynamic
    programming does; no memo."""
    return _combo(
        bound_hooks,
        description,
        name="levels",
        dominated=outside_count_range,
        accept=within_capacity,
        level_dominance=(WEIGHT, PROFIT),
        level_completion=default_completion,
    )


STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "naive",
            Knapsack,
            select_variable=by_depth,
            apply=take_or_leave,
            objective=total_profit,
            accept=within_capacity,
            description="enumerate every subset, check the capacity at the leaves",
        ),
        Strategy(
            "feasibility",
            Knapsack,
            select_variable=by_depth,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            description="cut when the weight exceeds the capacity",
        ),
        Strategy(
            "dantzig",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            description="feasibility + LP (Dantzig) bound, ratio order, greedy incumbent",
        ),
        Strategy(
            "martello-toth",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=martello_toth_bound,
            description="feasibility + Martello-Toth bound U2, ratio order, greedy incumbent",
        ),
        Strategy(
            "reduction",
            Knapsack,
            select_variable=by_depth,
            order_values=take_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            propagate=fix_by_bound,
            description="dantzig + fix items that cannot fit or whose other value cannot beat the incumbent",
        ),
        Strategy(
            "core",
            Knapsack,
            select_variable=by_depth,
            order_values=better_bound_first,
            apply=take_or_leave,
            objective=total_profit,
            is_feasible=fits,
            bound=lp_bound,
            description="root reduction, branch outwards from the break item, LP bound of the interval",
        ),
        _combo(
            (better_lagrangian_first, lagrangian_decision_bound, lagrangian_bound),
            "core + improved incumbent, Lagrangian cardinality bound and reduction, dominance "
            "of (profit, weight) states per depth (default)",
        ),
    )
}

STRATEGIES["levels"] = _levels(
    LAGRANGIAN_HOOKS_NEAR_UNITS,
    "combo's preparation and bounds, searched level by level: each depth's (weight, profit) "
    "states merged by weight, the dominated ones dropped (combo's dynamic programming)",
)
LEVELS_BOTH_BOUNDS = _levels(
    BOTH_HOOKS_NEAR_UNITS,
    "levels, bounded by the smaller of the Lagrangian and plain LP bounds",
)

DEFAULT_STRATEGY = "levels"
DEPTH_FIRST_DEFAULT = "combo"  # the default where a depth-first search is needed (--workers, --trace)

# combo with the plain LP bound beside the Lagrangian one (both_interval_bound), for the problems
# where that is sound; search_strategy picks it. A separate compiled loop: testing at every node
# whether the plain bound applies made combo 30-50 % slower on the other instances.
COMBO_BOTH_BOUNDS = _combo(
    (better_of_both_first, both_decision_bound, both_bound),
    "combo, bounded by the smaller of the Lagrangian and plain LP bounds",
)


def plain_bound_applies(problem):
    """Is the plain LP bound sound beside the Lagrangian one for ``problem`` (a :class:`Knapsack`):
    lam is not 0 and the items, in lam order, are also in profit/weight order?"""
    return _plain_bound_sound(problem.lam, problem.profit, problem.weight)


def search_strategy(problem, strategy_name):
    """The strategy that searches ``problem`` for ``strategy_name``: ``combo`` takes its variant
    with both bounds when :func:`plain_bound_applies`."""
    if strategy_name in ("combo", "levels") and plain_bound_applies(problem):
        return COMBO_BOTH_BOUNDS if strategy_name == "combo" else LEVELS_BOTH_BOUNDS
    return STRATEGIES[strategy_name]


# How each strategy's problem value is prepared: core = branch outwards from the break item,
# reduce = fix items at the root by bound, incumbent = start from the greedy solution,
# memo = allocate the dominance memo, lagrange = improve the incumbent by local search, choose
# the Lagrangian multiplier of the cardinality constraint, reduce with its bound and order the
# items by reduced profit / weight.
LAYOUTS = {
    "naive": {"core": False, "reduce": False, "incumbent": False, "memo": False},
    "feasibility": {"core": False, "reduce": False, "incumbent": False, "memo": False},
    "dantzig": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "martello-toth": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "reduction": {"core": False, "reduce": False, "incumbent": True, "memo": False},
    "core": {"core": True, "reduce": True, "incumbent": True, "memo": False},
    "combo": {"core": True, "reduce": True, "incumbent": True, "memo": True, "lagrange": True},
    "levels": {"core": True, "reduce": True, "incumbent": True, "memo": False, "lagrange": True},
}

# Meet in the middle: each half of the items is enumerated by the engine (``fits`` prunes a half
# that is already too heavy) and summarised as (weight, profit); backtrack.bidirectional joins the
# halves on weight <= capacity. Zero-weight items stay free variables here, so that no profit is
# counted in both halves' root states.
STRATEGIES["bidirectional"] = Strategy(
    "bidirectional",
    Knapsack,
    select_variable=by_depth,
    apply=take_or_leave,
    objective=total_profit,
    is_feasible=fits,
    summarize=weight_and_profit,
    summary_terms=item_terms,
    description=f"meet in the middle: best profit per weight in each half, joined (n <= {MAX_BIDIRECTIONAL})",
)
LAYOUTS["bidirectional"] = {"core": False, "reduce": False, "incumbent": False, "memo": False, "keep_zero": True}
