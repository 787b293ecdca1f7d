"""The knapsack problem value the engine searches (:class:`Knapsack`), the instance as read
(:class:`Instance`) and the layout of a node's state row."""

from typing import NamedTuple

import numpy as np

from backtrack import Space

PROFIT, WEIGHT, DEPTH, COUNT = 0, 1, 2, 3  # slots of the state row
STATE_WIDTH = 4
NO_BOUND = -(1 << 62)  # bound of a node that cannot be completed feasibly
SAFE_LIMIT = 1 << 62  # products and totals must stay below this (int64 arithmetic in hooks)
MEMO_SIZE, MEMO_START, MEMO_LENGTH, MEMO_LOW = 0, 1, 2, 3  # columns of Knapsack.memo_index
UNCACHED = NO_BOUND - 1  # cached_bound: not computed yet
BEST, CACHE_WIDTH = 0, 4  # Knapsack.scratch: the best value found, then the bound cache's entries
MAX_BIDIRECTIONAL = 50  # items: each half lists up to 2^25 (weight, profit) pairs


class Knapsack(NamedTuple):
    """A knapsack instance prepared for the engine (build it with :func:`prepare`).

    Item arrays (int64[n], n = free items, in decreasing profit/weight order): ``profit``,
    ``weight``, ``item`` (its index in the input, -1 for a padding item). ``prefix_profit`` and
    ``prefix_weight`` (int64[n+1]) are their prefix sums. ``branch`` (int64[n]) is the variable
    decided at each depth; ``lo_at``/``hi_at`` (int64[n+1]) the decided interval after each depth.
    ``pivot``: items ``[0, pivot)`` are in at the root. ``capacity`` is what is left after the
    items fixed in before the search (``fixed_in``, input indices), whose profit ``base_profit``
    starts the root state's ``PROFIT`` (so profits in states, bounds and incumbents are whole
    solution values). ``min_count``/``max_count`` bound the number of free items of any solution
    better than the greedy one. ``scratch`` (int64) is written by hooks: ``scratch[BEST]`` tracks
    the best value found (read by ``propagate``), then the bound cache of ``combo`` (per depth
    and value of the decision that leads there, the profit, weight and count of the child last
    ordered by :func:`better_lagrangian_first` and its Lagrangian interval bound, see
    :func:`cache_slot`; a separate array would be one more field of this tuple, and one more
    field halved the node rate of the compiled loop). ``memo_*`` is the dominance memo (see
    :func:`dominated_by_earlier`):
    per depth ``d``, a Pareto list of (weight, profit) sorted by weight in ``memo_lists[0, d]`` and
    ``memo_lists[1, d]``, and for the states beyond a full list a window of node weights
    (``memo_index[d]``: list size, start in ``memo_best`` or -1 until the list fills, length,
    lowest weight) holding for each weight the best profit recorded at that weight or less; the
    windows are taken from ``memo_best`` (int32 when every profit fits, else int64) in the order
    the lists fill (its next free entry is
    ``memo_index[-1, MEMO_START]``). ``start_value``/``start_choice`` are the greedy
    incumbent handed to the engine (or -1 and empty).

    Lagrangian relaxation of the cardinality constraint (``combo``): ``lam`` (int, 0 if unused)
    and ``lam_count`` (``max_count`` if ``lam`` >= 0, else ``min_count``); ``reduced`` (int64[n])
    = ``profit - lam`` and ``prefix_reduced`` its prefix sums; items are then in decreasing
    ``reduced / weight`` order and the first ``positive`` of them have ``reduced`` > 0.
    ``profit_gcd``: gcd of the free items' profits (1 if unused): every solution is worth
    ``base_profit`` plus a multiple of it, so bounds are rounded down to such values.

    Ratio classes (``combo`` with ``lam`` = 0, see :func:`unit_bound`): items of equal
    profit/weight are consecutive; item ``j``'s class is ``[class_start[j], class_end[j])`` and
    every item of it is a whole multiple of the class's unit item ``(unit_profit[j],
    unit_weight[j])`` (the ratio in lowest terms). ``unit_weight`` is all zero when unused.
    """

    profit: np.ndarray
    weight: np.ndarray
    item: np.ndarray
    prefix_profit: np.ndarray
    prefix_weight: np.ndarray
    branch: np.ndarray
    lo_at: np.ndarray
    hi_at: np.ndarray
    pivot: int
    capacity: int
    base_profit: int
    fixed_in: np.ndarray
    min_count: int
    max_count: int
    scratch: np.ndarray
    memo_lists: np.ndarray
    memo_index: np.ndarray
    memo_best: np.ndarray
    start_value: int
    start_choice: np.ndarray
    lam: int
    lam_count: int
    reduced: np.ndarray
    prefix_reduced: np.ndarray
    positive: int
    profit_gcd: int
    class_start: np.ndarray
    class_end: np.ndarray
    unit_profit: np.ndarray
    unit_weight: np.ndarray
    core_nodes: int = 0  # nodes the engine spent on core subproblems while preparing (not in the search's stats)

    def space(self):
        """The engine's view; also clears the scratch arrays, so a problem value can be re-solved."""
        n = self.profit.shape[0]
        self.memo_index[:, MEMO_SIZE] = 0
        self.memo_index[:, MEMO_START] = -1  # windows are taken (and cleared) when their list fills
        self.memo_index[-1, MEMO_START] = 0
        self.scratch[BEST] = self.start_value
        self.scratch[BEST + 1 :] = -1  # no node has a negative profit: the bound cache matches none
        state = np.zeros(STATE_WIDTH, np.int64)
        state[PROFIT] = self.base_profit + self.prefix_profit[self.pivot]
        state[WEIGHT] = self.prefix_weight[self.pivot]
        state[COUNT] = self.pivot
        incumbent = None
        if self.start_value >= 0:
            incumbent = (int(self.start_value), self.start_choice.tolist())
        return Space(n_vars=n, n_values=2, state=state, incumbent=incumbent)

    def decision_label(self, var, value):
        """A decision in the instance's terms (input item index), for search traces."""
        item = int(self.item[var])
        name = f"item {item}" if item >= 0 else f"pad {var}"
        return f"{'take' if value == 1 else 'leave'} {name} (p {int(self.profit[var])}, w {int(self.weight[var])})"

    def chosen_items(self, values):
        """Input indices (sorted) of the items a solution of the engine takes."""
        chosen = [int(i) for i in self.fixed_in]
        chosen += [int(self.item[var]) for var, value in enumerate(values) if value == 1 and self.item[var] >= 0]
        return sorted(chosen)


class Instance(NamedTuple):
    """A knapsack instance as read: profits and weights (lists of int), capacity, name, and the
    optimum given by the file (or None)."""

    name: str
    profits: list
    weights: list
    capacity: int
    known_optimum: int | None = None


def check_range(instance):
    """Refuse an instance whose totals could overflow the hooks' int64 arithmetic."""
    p, w, c = instance.profits, instance.weights, instance.capacity
    if any(x < 0 for x in p) or any(x < 0 for x in w) or c < 0:
        raise ValueError(f"{instance.name}: profits, weights and the capacity must be non-negative")
    total_p = sum(p)
    total_w = sum(w)
    biggest = max(total_w, c, 1)
    if total_p >= SAFE_LIMIT or biggest >= SAFE_LIMIT or biggest * max(p, default=1) >= SAFE_LIMIT:
        raise ValueError(
            f"{instance.name}: profits and weights too large (sum of weights x largest profit must stay "
            f"below 2^62 for exact int64 bounds)"
        )
