"""The per-node hooks every knapsack strategy shares: applying a decision, feasibility, the
objective, branching and value order, and ``reduction``'s propagation."""

import numpy as np

from backtrack import dom_contains, dom_remove, jitable
from problems.knapsack.bounds import fill_from, interval_bound
from problems.knapsack.problem import BEST, COUNT, DEPTH, PROFIT, WEIGHT

# ---------------------------------------------------------------- decisions


@jitable
def take_or_leave(problem, state, var, value):
    """``apply``: a decision on an item left of the pivot may remove it, right of it add it."""
    if var < problem.pivot:
        if value == 0:
            state[PROFIT] -= problem.profit[var]
            state[WEIGHT] -= problem.weight[var]
            state[COUNT] -= 1
    elif value == 1:
        state[PROFIT] += problem.profit[var]
        state[WEIGHT] += problem.weight[var]
        state[COUNT] += 1
    state[DEPTH] += 1


@jitable
def child_weight(problem, state, var, value):
    weight = state[WEIGHT]
    if var < problem.pivot:
        if value == 0:
            weight -= problem.weight[var]
    elif value == 1:
        weight += problem.weight[var]
    return weight


@jitable
def fits(problem, state, assign, var, value):
    """``is_feasible``: the child can still be made to fit, even by removing every item left of
    its decided interval."""
    lo = problem.lo_at[state[DEPTH] + 1]
    return child_weight(problem, state, var, value) - problem.prefix_weight[lo] <= problem.capacity


@jitable
def within_capacity(problem, state, assign):
    """``accept`` of ``naive``: the complete assignment fits."""
    return state[WEIGHT] <= problem.capacity


@jitable
def total_profit(problem, state, assign):
    """``objective``: the profit of the chosen items. Also records the best value reached in the
    ``scratch[BEST]`` slot (the engine takes the same maximum) for ``propagate`` to read."""
    value = state[PROFIT]
    if value > problem.scratch[BEST]:
        problem.scratch[BEST] = value
    return value


@jitable
def by_depth(problem, state, domains, assign, depth):
    """``select_variable``: the precomputed branching order (ratio order or outwards from the break)."""
    return problem.branch[depth]


@jitable
def take_first(problem, state, domains, assign, var, out):
    """``order_values``: take the item first, then leave it (values left in its domain only)."""
    count = 0
    if dom_contains(domains, var, 1):
        out[count] = 1
        count += 1
    if dom_contains(domains, var, 0):
        out[count] = 0
        count += 1
    return count


@jitable
def child_totals(problem, state, var, value):
    """(profit, weight, count) of the child that gives ``var`` the value ``value``."""
    profit, weight, count = state[PROFIT], state[WEIGHT], state[COUNT]
    if var < problem.pivot:
        if value == 0:
            profit -= problem.profit[var]
            weight -= problem.weight[var]
            count -= 1
    elif value == 1:
        profit += problem.profit[var]
        weight += problem.weight[var]
        count += 1
    return profit, weight, count


@jitable
def higher_bound_first(problem, var, bound_in, bound_out, out):
    """Write the value whose child has the higher bound first (ties: the break solution's value)."""
    first = 1 if var < problem.pivot else 0
    if bound_in > bound_out:
        first = 1
    elif bound_out > bound_in:
        first = 0
    out[0] = first
    out[1] = 1 - first
    return 2


@jitable(inline="always")
def better_bound_first(problem, state, domains, assign, var, out):
    """``order_values`` of the core strategies: the child with the higher LP bound first (ties:
    the break solution's value), so good states reach the dominance memo early."""
    lo = problem.lo_at[state[DEPTH] + 1]
    hi = problem.hi_at[state[DEPTH] + 1]
    profit_in, weight_in, _ = child_totals(problem, state, var, 1)
    profit_out, weight_out, _ = child_totals(problem, state, var, 0)
    bound_in = interval_bound(problem, profit_in, weight_in, lo, hi)
    bound_out = interval_bound(problem, profit_out, weight_out, lo, hi)
    return higher_bound_first(problem, var, bound_in, bound_out, out)


# ---------------------------------------------------------------- propagation (strategy reduction)


@jitable
def fill_skipping(problem, start, residual, skip):
    """LP value of filling ``residual`` with items ``[start, n)`` except item ``skip``."""
    pw = problem.prefix_weight
    pp = problem.prefix_profit
    before = pw[skip] - pw[start]
    if residual <= before:
        return fill_from(problem, start, residual) if residual < before else pp[skip] - pp[start]
    return pp[skip] - pp[start] + fill_from(problem, skip + 1, residual - before)


@jitable(inline="always")
def fix_by_bound(problem, state, domains, assign, var, value):
    """``propagate`` of ``reduction`` (ratio order: the undecided items are ``[hi, n)``): remove
    value 1 of an item that no longer fits or whose taking cannot beat the incumbent, and value 0
    of an item whose leaving cannot; a domain wiped out cuts the node."""
    n = problem.profit.shape[0]
    hi = problem.hi_at[state[DEPTH]]
    residual = problem.capacity - state[WEIGHT]
    best = problem.scratch[BEST]
    for j in range(hi, n):
        if dom_contains(domains, j, 1):
            w = problem.weight[j]
            if w > residual:
                if not dom_remove(domains, j, 1):
                    return False
            elif state[PROFIT] + problem.profit[j] + fill_skipping(problem, hi, residual - w, j) <= best:
                if not dom_remove(domains, j, 1):
                    return False
        if dom_contains(domains, j, 0):
            if state[PROFIT] + fill_skipping(problem, hi, residual, j) <= best:
                if not dom_remove(domains, j, 0):
                    return False
    return True


@jitable
def weight_and_profit(problem, state, assign):
    """``summarize`` for meet in the middle: join halves on weight, score by profit."""
    return state[WEIGHT], state[PROFIT]


def item_terms(problem):
    """``summary_terms`` of ``bidirectional``: each decision's change of (weight, profit), as
    ``take_or_leave`` makes it (an item left of the pivot is in at the root: leaving it out
    subtracts); ``fits`` cuts what the bounds of these sums cut."""
    n = problem.profit.shape[0]
    keys = np.zeros((n, 2), dtype=np.int64)
    values = np.zeros((n, 2), dtype=np.int64)
    left = np.arange(n) < problem.pivot
    keys[left, 0] = -problem.weight[left]
    values[left, 0] = -problem.profit[left]
    keys[~left, 1] = problem.weight[~left]
    values[~left, 1] = problem.profit[~left]
    return keys, values
