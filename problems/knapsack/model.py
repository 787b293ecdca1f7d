"""One namespace for the names of the knapsack package's modules, for callers (and tests) written
before the split by concern; new code imports from the module of the concern:

- :mod:`.problem`: the problem value, the instance, the state row;
- :mod:`.bounds`: LP, Martello-Toth and Lagrangian bounds;
- :mod:`.units`: the bound in whole units of ratio classes;
- :mod:`.memo`: the dominance memo and cardinality cut;
- :mod:`.decisions`: per-node hooks shared by the strategies;
- :mod:`.strategies`: the strategies and combo's bound hooks;
- :mod:`.multiplier`: the Lagrangian multiplier;
- :mod:`.reduction`: root reduction and orders;
- :mod:`.incumbents`: first solutions;
- :mod:`.preparation`: prepare and solve_instance.

Setting a name here (``monkeypatch.setattr(model, "MEMO_ENTRIES", 40)``) sets it in every module
of the package that holds it, so a patched constant reaches the code that reads it.
"""

import sys
import types

from problems.knapsack import (
    bounds,
    decisions,
    incumbents,
    memo,
    multiplier,
    preparation,
    problem,
    reduction,
    strategies,
    units,
)
from problems.knapsack.bounds import (  # noqa: F401
    _in_ratio_order,
    _plain_bound_sound,
    both_interval_bound,
    fill_end,
    fill_from,
    fill_value,
    interval_bound,
    lagrangian_interval_bound,
    last_within,
    last_within_from_stop,
    lp_bound,
    lp_fill,
    lp_removal,
    martello_toth_bound,
    on_profit_grid,
    reduced_fill_from,
    reduced_removal_cost,
    removal_cost,
    removal_part,
    removal_value,
)
from problems.knapsack.decisions import (  # noqa: F401
    better_bound_first,
    by_depth,
    child_totals,
    child_weight,
    fill_skipping,
    fits,
    fix_by_bound,
    higher_bound_first,
    take_first,
    take_or_leave,
    total_profit,
    weight_and_profit,
    within_capacity,
)
from problems.knapsack.incumbents import (  # noqa: F401
    CORE_HALVES,
    CORE_NODES,
    CORE_ROUNDS,
    FEW_COUNTS,
    _core_incumbent,
    _few_counts_start,
    _improve,
    greedy,
)
from problems.knapsack.memo import (  # noqa: F401
    LIVE_CELLS,
    LIVE_GRID,
    MEMO_ENTRIES,
    PARETO_ENTRIES,
    PARETO_SLOTS_BESIDE_WINDOWS,
    _live_weights,
    _lp_curve,
    _memo_windows,
    cardinality_cut,
    dominated_by_earlier,
    memo_dominated,
    memo_record,
    memo_window,
    pareto_dominated,
)
from problems.knapsack.multiplier import (  # noqa: F401
    _choose_lambda,
    _lagrange_safe,
    _lagrangian_value,
    _lambda_range,
    lambda_order,
)
from problems.knapsack.preparation import (  # noqa: F401
    LEVELS_PROBE_MAX_ITEMS,
    LEVELS_PROBE_NODES_PER_ITEM,
    PROBE_MAX_ITEMS,
    PROBE_NODES,
    prepare,
    prepare_layout,
    solve_instance,
)
from problems.knapsack.problem import (  # noqa: F401
    BEST,
    CACHE_WIDTH,
    COUNT,
    DEPTH,
    MAX_BIDIRECTIONAL,
    MEMO_LENGTH,
    MEMO_LOW,
    MEMO_SIZE,
    MEMO_START,
    NO_BOUND,
    PROFIT,
    SAFE_LIMIT,
    STATE_WIDTH,
    UNCACHED,
    WEIGHT,
    Instance,
    Knapsack,
    check_range,
)
from problems.knapsack.reduction import (  # noqa: F401
    _cardinality,
    _lagrangian_reduce,
    _lp_at,
    _lp_without,
    _outwards,
    _reduce,
    ratio_order,
)
from problems.knapsack.strategies import (  # noqa: F401
    COMBO_BOTH_BOUNDS,
    DEFAULT_STRATEGY,
    LAYOUTS,
    STRATEGIES,
    _bound_hooks,
    _combo,
    better_lagrangian_first,
    better_of_both_first,
    both_bound,
    both_decision_bound,
    cache_slot,
    cached_bound,
    lagrangian_bound,
    lagrangian_decision_bound,
    plain_bound_applies,
    search_strategy,
)
from problems.knapsack.units import (  # noqa: F401
    UNIT_CLASS_SIZE,
    UNIT_STEPS,
    _ratio_classes,
    free_fill,
    free_profit,
    free_removal,
    free_weight,
    next_free,
    range_fill,
    range_removal,
    removal_in_units,
    unit_bound,
    units_then_fill,
)

_MODULES = (problem, bounds, units, memo, decisions, strategies, multiplier, reduction, incumbents, preparation)


class _Namespace(types.ModuleType):
    def __setattr__(self, name, value):
        for module in _MODULES:
            if name in vars(module):
                setattr(module, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Namespace
