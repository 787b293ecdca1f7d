"""Subset sum: choose items whose weights add up exactly to a target (or come closest below it).

Variables are the items (value 1: taken), in input order. The module only defines hooks; the
engine searches. Strategies:

- ``naive``: no pruning; the sum is checked at the leaf.
- ``feasibility``: cut when the partial sum passes the target, or (exact goals) when what is left
  cannot reach it; for ``closest``, the bound min(target, sum + what is left).
- ``ordering``: feasibility, heaviest item first, taking it before leaving it.
- ``propagation``: ordering, plus domains: items heavier than the room left are forced out
  (``dom_remove``); when the items that still fit add up to exactly what is missing (exact
  goals), those of positive weight are forced in.
- ``bidirectional``: meet in the middle (:mod:`backtrack.bidirectional`): the engine enumerates
  the sums of each half with the feasibility hooks, compiled code joins them.
- ``dp``: not a tree search: a bitset dynamic programme over the reachable sums (Python integers
  as bitsets), counts by a vector of counts; for small targets. See :func:`solve_dp`.

Weights of any size are exact: when the sum of the weights does not fit in int64, the problem's
state and weights are Python integers (arrays of dtype object) and the same engine loop runs
interpreted (``backend="python"``, chosen automatically by :func:`solve_subsetsum`).
"""

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from backtrack import Result, Space, Stats, Strategy, descending_values, dom_contains, dom_remove, jitable, solve
from backtrack.bidirectional import solve_bidirectional

INT64_SAFE = 1 << 62  # sums up to here leave room for the sum of two partial sums
SUM, REST = 0, 1  # slots of the state row: chosen weight, weight of the undecided items


class SubsetSum(NamedTuple):
    """A subset-sum instance.

    weights: int64[n] (object[n] of Python ints when they do not fit); target: the sum to reach;
    heaviest: int64[n], the items by decreasing weight (ties by index); exact: True for goals
    first/count/all (sum == target), False for closest (sum <= target, as large as possible).
    """

    weights: np.ndarray
    target: int
    heaviest: np.ndarray
    exact: bool

    def decision_label(self, var, value):
        """A decision in the instance's terms, for search traces."""
        return f"{'take' if value == 1 else 'leave'} w{var} = {self.weights[var]}"

    def space(self):
        space = Space(n_vars=len(self.weights), n_values=2)
        total = sum(int(w) for w in self.weights)
        if self.weights.dtype == object:
            space.state = np.array([0, total], dtype=object)
        else:
            space.state = np.array([0, total], dtype=np.int64)
        return space


def make_problem(weights, target, exact=True):
    """Validated :class:`SubsetSum` from Python integers; Python-int arrays when int64 cannot hold the sums."""
    weights = [int(w) for w in weights]
    target = int(target)
    if not weights:
        raise ValueError("no weights given")
    if min(weights) < 0:
        raise ValueError("weights must be non-negative integers")
    if target < 0:
        raise ValueError("the target must be a non-negative integer")
    big = sum(weights) > INT64_SAFE or target > INT64_SAFE
    heaviest = np.array(sorted(range(len(weights)), key=lambda i: (-weights[i], i)), dtype=np.int64)
    array = np.array(weights, dtype=object if big else np.int64)
    return SubsetSum(array, target, heaviest, bool(exact))


def needs_python_ints(problem):
    return problem.weights.dtype == object


# ---------------------------------------------------------------- hooks


@jitable
def input_order(problem, state, domains, assign, depth):
    """Items in input order."""
    return depth


@jitable
def heaviest_first(problem, state, domains, assign, depth):
    """Items by decreasing weight: big items decide most, and fail soonest."""
    return problem.heaviest[depth]


@jitable
def take(problem, state, var, value):
    """Add a taken item's weight to the sum; the item is no longer undecided."""
    if value == 1:
        state[SUM] = state[SUM] + problem.weights[var]
    state[REST] = state[REST] - problem.weights[var]


@jitable
def fits(problem, state, assign, var, value):
    """The sum stays within the target; for exact goals, the undecided items can still reach it."""
    total = state[SUM]
    if value == 1:
        total = total + problem.weights[var]
        if total > problem.target:
            return False
    elif problem.exact and total + state[REST] - problem.weights[var] < problem.target:
        return False
    return True


@jitable
def on_target(problem, state, assign):
    """Leaf check: the sum equals the target (exact goals) or does not pass it (closest)."""
    if problem.exact:
        return state[SUM] == problem.target
    return state[SUM] <= problem.target


@jitable
def chosen_sum(problem, state, assign):
    """Objective of closest: the sum."""
    return state[SUM]


@jitable
def reachable_sum(problem, state, domains, assign):
    """Bound of closest: the sum can grow by the undecided items, never past the target."""
    return min(problem.target, state[SUM] + state[REST])


@jitable
def force_items(problem, state, domains, assign, var, value):
    """Undecided items heavier than the room left are forced out; for exact goals, fail if the
    items that still fit cannot reach the target, and force them all in if exactly needed."""
    room = problem.target - state[SUM]
    reach = state[SUM] - state[SUM]  # zero of the state's type
    for item in range(problem.weights.shape[0]):
        if assign[item] < 0 and dom_contains(domains, item, 1):
            if problem.weights[item] > room:
                if not dom_remove(domains, item, 1):
                    return False
            else:
                reach = reach + problem.weights[item]
    if problem.exact:
        if reach < room:
            return False
        if reach == room:
            for item in range(problem.weights.shape[0]):
                # Zero weights stay free: taking them or not changes no sum.
                if assign[item] < 0 and problem.weights[item] > 0 and dom_contains(domains, item, 1):
                    if not dom_remove(domains, item, 0):
                        return False
    return True


@jitable
def half_sum(problem, state, assign):
    """Summary of a half's leaf for the bidirectional join: (sum, sum)."""
    return state[SUM], state[SUM]


def weight_terms(problem):
    """``summary_terms`` of bidirectional: taking item i adds weights[i] to a half's sum, leaving it 0.
    ``fits`` cuts exactly what the bounds of these sums cut. None for Python-int weights."""
    if needs_python_ints(problem):
        return None
    terms = np.zeros((len(problem.weights), 2), dtype=np.int64)
    terms[:, 1] = problem.weights
    return terms, terms


# ---------------------------------------------------------------- strategies


@dataclass(frozen=True)
class DynamicProgramming:
    """Marker of the ``dp`` method (not a tree search: :func:`solve_dp`)."""

    name: str = "dp"
    description: str = "not a tree search: bitset dynamic programming over the sums, O(n T / 64), for small targets"


_COMMON = {"apply": take, "objective": chosen_sum}
STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "naive",
            SubsetSum,
            select_variable=input_order,
            accept=on_target,
            description="no pruning; the sum is checked at the leaf",
            **_COMMON,
        ),
        Strategy(
            "feasibility",
            SubsetSum,
            select_variable=input_order,
            is_feasible=fits,
            accept=on_target,
            bound=reachable_sum,
            description="cut when the sum passes the target or cannot reach it",
            **_COMMON,
        ),
        Strategy(
            "ordering",
            SubsetSum,
            select_variable=heaviest_first,
            order_values=descending_values,
            is_feasible=fits,
            accept=on_target,
            bound=reachable_sum,
            description="feasibility, heaviest item first, taken before left out",
            **_COMMON,
        ),
        Strategy(
            "propagation",
            SubsetSum,
            select_variable=heaviest_first,
            order_values=descending_values,
            is_feasible=fits,
            propagate=force_items,
            accept=on_target,
            bound=reachable_sum,
            description="ordering, plus items too heavy for the room left forced out (domains)",
            **_COMMON,
        ),
        Strategy(
            "bidirectional",
            SubsetSum,
            is_feasible=fits,
            summarize=half_sum,
            summary_terms=weight_terms,
            description="meet in the middle: each half's sums built in sorted order, compiled code joins them",
            **_COMMON,
        ),
        DynamicProgramming(),
    )
}
TREE_STRATEGIES = ("naive", "feasibility", "ordering", "propagation")

DP_MAX_BITS = 1 << 31  # n * (target + 1) bits of reachable sets kept for finding the subset
DP_DEFAULT_BITS = 1 << 28


def default_strategy(n, target, goal, big=False):
    """The method that suits n and the size of the numbers.

    Small targets: ``dp`` (not for listing). Up to 24 items: ``ordering`` (at most 2^25 nodes).
    Up to 50 items, or 64 for goals first and count (with the low-memory join, see
    :func:`use_low_memory`): ``bidirectional`` (2^(n/2) sums per half instead of 2^n leaves).
    Beyond, and beyond 40 items of Python integers (interpreted): ``ordering``, whose pruning is
    all that can help.
    """
    if goal != "all" and n * (target + 1) <= DP_DEFAULT_BITS:
        return "dp"
    limit = 64 if goal in ("first", "count") else 50
    if n <= 24 or n > limit or (big and n > 40):
        return "ordering"
    return "bidirectional"


def use_low_memory(n, goal):
    """Schroeppel-Shamir past 50 items (goals first and count): the halves' lists would pass 1 GB."""
    return n > 50 and goal in ("first", "count")


# ---------------------------------------------------------------- solving


def solve_subsetsum(
    problem, goal="first", strategy=None, *, backend="numba", time_limit=None, node_limit=None, low_memory=None
):
    """Solve ``problem`` with a strategy name (default: :func:`default_strategy`); a :class:`Result`.

    goal: first, count, all or optimize (closest); the problem's ``exact`` flag must match it.
    The solution is the list of 0/1 values of the items. ``low_memory`` (bidirectional): None
    chooses by :func:`use_low_memory`. Python-int problems run on the python
    backend whatever ``backend`` says (reported in the result).
    """
    if problem.exact != (goal != "optimize"):
        raise ValueError("build the problem with exact=False for goal optimize (closest), True otherwise")
    n = len(problem.weights)
    name = strategy or default_strategy(n, problem.target, goal, needs_python_ints(problem))
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; choose from {', '.join(STRATEGIES)}")
    if needs_python_ints(problem):
        backend = "python"
    if name == "dp":
        return solve_dp(problem, goal, time_limit=time_limit)
    limits = {"backend": backend, "time_limit": time_limit, "node_limit": node_limit}
    if name == "bidirectional":
        if low_memory is None:
            low_memory = use_low_memory(n, goal)
        return solve_bidirectional(
            problem, STRATEGIES[name], goal, target=problem.target, low_memory=low_memory, **limits
        )
    return solve(problem, STRATEGIES[name], goal, **limits)


def solve_dp(problem, goal="first", *, time_limit=None):
    """Dynamic programming over the sums 0..target (not a tree search).

    first / optimize: ``reach[k]``, the set of sums of items 0..k-1 as a Python-int bitset, kept for
    every k to walk back to a subset (n * (target + 1) bits). count: a vector of counts per sum
    (int64 while 2^n fits, else Python ints). Stats: no nodes; ``time_s`` only.
    """
    if goal == "all":
        raise ValueError("dp does not list solutions; use a tree strategy for --all")
    weights = [int(w) for w in problem.weights]
    target = int(problem.target)
    n = len(weights)
    started = time.perf_counter()
    stats = Stats()

    def timed_out():
        return time_limit is not None and time.perf_counter() - started >= time_limit

    def limited():
        stats.time_s = time.perf_counter() - started
        return Result("limit", goal, "dp", "python", stop_reason="time", stats=stats)

    if n * (target + 1) > DP_MAX_BITS:
        raise ValueError(f"dp needs n * (target + 1) at most {DP_MAX_BITS}; use another strategy")
    if goal == "count":
        counts = np.zeros(target + 1, dtype=np.int64 if n < 63 else object)
        counts[0] = 1
        for w in weights:
            if w == 0:
                counts *= 2
            elif w <= target:
                counts[w:] = counts[w:] + counts[: target + 1 - w]
            if timed_out():
                return limited()
        stats.time_s = time.perf_counter() - started
        count = int(counts[target])
        stats.solutions = count
        return Result("complete", goal, "dp", "python", count=count, stats=stats)
    mask = (1 << (target + 1)) - 1
    reach = [1]
    for w in weights:
        reach.append((reach[-1] | (reach[-1] << w)) & mask)
        if timed_out():
            return limited()
    final = reach[-1]
    best = target if goal == "first" else final.bit_length() - 1
    if not (final >> best) & 1:
        stats.time_s = time.perf_counter() - started
        return Result("unsatisfiable", goal, "dp", "python", stats=stats)
    solution = [0] * n
    room = best
    for k in range(n - 1, -1, -1):
        # Leave item k out if the sum was already reachable without it.
        if not (reach[k] >> room) & 1:
            solution[k] = 1
            room -= weights[k]
    stats.time_s = time.perf_counter() - started
    stats.solutions = 1
    status = "satisfied" if goal == "first" else "optimal"
    return Result(
        status,
        goal,
        "dp",
        "python",
        count=1,
        value=best if goal == "optimize" else None,
        solution=solution,
        stats=stats,
    )


def chosen_indices(solution):
    """The 0-based indices of the taken items."""
    return [i for i, value in enumerate(solution) if value == 1]


def is_solution(weights, target, indices, exact=True):
    """Independent check: distinct valid indices whose weights sum to (at most) the target."""
    if len(set(indices)) != len(indices) or any(not 0 <= i < len(weights) for i in indices):
        return False
    total = sum(int(weights[i]) for i in indices)
    return total == target if exact else total <= target
