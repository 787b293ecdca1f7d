"""A family of small random CSPs / COPs written as engine hooks, with a brute-force oracle.

An instance has n variables (1..5), values 0..d-1 (d in 1..4) with a domain per variable
(``Space(domains=...)``), binary constraints given as tables of allowed value pairs, and an
objective: the sum of a weight per (variable, value), maximised or minimised.

Sixteen strategies switch four groups of hooks on and off (``COMBOS``):

- feasibility: ``is_feasible`` checks the new value against the assigned neighbours;
- propagation: forward checking, ``propagate`` removes unsupported values with ``dom_remove``;
- bound: assigned weights plus, per unassigned variable, its best remaining domain weight;
- ordering: MRV (``backtrack.smallest_domain``) and the values heaviest first (lightest first when
  minimising).

With neither feasibility nor propagation, the leaf check ``accept`` enforces every constraint.
Everything here is module level so numba's cache can serve the compiled engine between runs.
"""

import itertools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import strategies as st

from backtrack import Space, Strategy, dom_contains, dom_remove, dom_values, jitable, smallest_domain

MAX_VARS = 5
MAX_VALUES = 4


class RandomCSP(NamedTuple):
    """allowed bool[n, n, d, d]: ``allowed[i, j, a, b]`` says x_i = a and x_j = b may hold together
    (symmetric; all True for unconstrained pairs); weights int64[n, d]; domains bool[n, d]."""

    allowed: np.ndarray
    weights: np.ndarray
    domains: np.ndarray
    maximize: bool

    def space(self):
        n, d = self.weights.shape
        return Space(n_vars=n, n_values=d, domains=self.domains, maximize=self.maximize)


# ---------------------------------------------------------------- hooks


def consistent_with_assigned(problem, state, assign, var, value):
    """Feasibility: the new value is compatible with every assigned variable."""
    for other in range(assign.shape[0]):
        if other != var and assign[other] >= 0 and not problem.allowed[var, other, value, assign[other]]:
            return False
    return True


def all_constraints_hold(problem, state, assign):
    """Leaf check: every pair of variables takes an allowed pair of values."""
    n = assign.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if not problem.allowed[i, j, assign[i], assign[j]]:
                return False
    return True


def forward_check(problem, state, domains, assign, var, value):
    """Remove from each unassigned variable the values incompatible with var = value."""
    n, d = problem.weights.shape
    for other in range(n):
        if assign[other] < 0:
            for b in range(d):
                if not problem.allowed[var, other, value, b] and not dom_remove(domains, other, b):
                    return False
    return True


def total_weight(problem, state, assign):
    """Objective: the sum of the chosen values' weights."""
    total = 0
    for var in range(assign.shape[0]):
        total += problem.weights[var, assign[var]]
    return total


@jitable
def best_weight_left(problem, domains, var):
    """The best weight (highest, lowest when minimising) of a value left in ``var``'s domain; 0
    for an empty domain."""
    best = 0
    found = False
    for value in range(problem.weights.shape[1]):
        if dom_contains(domains, var, value):
            w = problem.weights[var, value]
            if not found or (w > best if problem.maximize else w < best):
                best = w
                found = True
    return best


def optimistic_weight(problem, state, domains, assign):
    """Bound: assigned weights plus each unassigned variable's best weight left in its domain."""
    total = 0
    for var in range(problem.weights.shape[0]):
        if assign[var] >= 0:
            total += problem.weights[var, assign[var]]
        else:
            total += best_weight_left(problem, domains, var)
    return total


def best_weight_first(problem, state, domains, assign, var, out):
    """Value order: the domain's values by decreasing weight (increasing when minimising), then by value."""
    count = dom_values(domains, var, out)
    sign = 1 if problem.maximize else -1
    # Insertion sort in place: hooks of the NRT-free build must not allocate.
    for i in range(1, count):
        value = out[i]
        key = sign * problem.weights[var, value]
        j = i - 1
        while j >= 0 and sign * problem.weights[var, out[j]] < key:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = value
    return count


# ---------------------------------------------------------------- strategies


@dataclass(frozen=True)
class Combo:
    """Which hook groups a strategy switches on."""

    feasibility: bool
    propagation: bool
    bound: bool
    ordering: bool

    @property
    def name(self):
        on = [k for k in ("feasibility", "propagation", "bound", "ordering") if getattr(self, k)]
        return "+".join(on) or "plain"

    def without(self, hook_group):
        return Combo(**{**self.__dict__, hook_group: False})


def make_strategy(combo):
    return Strategy(
        combo.name,
        RandomCSP,
        is_feasible=consistent_with_assigned if combo.feasibility else None,
        propagate=forward_check if combo.propagation else None,
        accept=None if combo.feasibility or combo.propagation else all_constraints_hold,
        bound=optimistic_weight if combo.bound else None,
        objective=total_weight,
        select_variable=smallest_domain if combo.ordering else None,
        order_values=best_weight_first if combo.ordering else None,
    )


COMBOS = [Combo(*flags) for flags in itertools.product((False, True), repeat=4)]
STRATEGIES = {combo: make_strategy(combo) for combo in COMBOS}

# The CI suite compiles the engine for four combinations only: none, all, feasibility + bound,
# propagation + ordering (each hook group on in two and off in two). Every combination costs about
# four cold numba compiles of the loop (one per goal, some 5 s of CPU each); the other twelve are
# searched interpreted in CI (tests/engine/test_random_csp.py) and compiled in the `slow` suite.
COMPILED_IN_CI = {COMBOS[0], COMBOS[5], COMBOS[10], COMBOS[15]}


def combo_params():
    """COMBOS as pytest params for tests that compile the engine: the ones outside
    ``COMPILED_IN_CI`` marked ``slow``."""
    slow = pytest.mark.slow
    return [pytest.param(combo, id=combo.name, marks=() if combo in COMPILED_IN_CI else slow) for combo in COMBOS]


def combo_backend_params():
    """(combo, backends) params for tests run through ``both_backends``: every combination on both
    backends, those outside ``COMPILED_IN_CI`` marked ``slow`` and also run interpreted in CI."""
    params = []
    for combo in COMBOS:
        if combo in COMPILED_IN_CI:
            params.append(pytest.param(combo, "both", id=f"{combo.name}-both"))
        else:
            params.append(pytest.param(combo, "python", id=f"{combo.name}-python"))
            params.append(pytest.param(combo, "both", id=f"{combo.name}-both", marks=pytest.mark.slow))
    return params


# ---------------------------------------------------------------- the oracle (no engine code)


def brute_force(csp):
    """Every solution, as a tuple of values, in lexicographic order (itertools.product)."""
    n = csp.weights.shape[0]
    choices = [[a for a in range(csp.domains.shape[1]) if csp.domains[v, a]] for v in range(n)]
    return [
        values
        for values in itertools.product(*choices)
        if all(csp.allowed[i, j, values[i], values[j]] for i in range(n) for j in range(i + 1, n))
    ]


def is_valid(csp, values):
    """A complete assignment inside the domains that satisfies every constraint."""
    n = csp.weights.shape[0]
    return (
        len(values) == n
        and all(0 <= values[v] < csp.domains.shape[1] and csp.domains[v, values[v]] for v in range(n))
        and all(csp.allowed[i, j, values[i], values[j]] for i in range(n) for j in range(i + 1, n))
    )


def value_of(csp, values):
    return int(sum(int(csp.weights[v, a]) for v, a in enumerate(values)))


def optimum(csp):
    """Best objective over all solutions, or None if there is none."""
    values = [value_of(csp, s) for s in brute_force(csp)]
    if not values:
        return None
    return max(values) if csp.maximize else min(values)


# ---------------------------------------------------------------- building instances


def build(domains, tables, weights, maximize=True):
    """An instance from domains bool[n, d], {(i, j): bool[d, d] allowed pairs}, weights int[n, d]."""
    domains = np.asarray(domains, dtype=bool)
    n, d = domains.shape
    allowed = np.ones((n, n, d, d), dtype=bool)
    for (i, j), table in tables.items():
        table = np.asarray(table, dtype=bool)
        allowed[i, j] = table
        allowed[j, i] = table.T
    return RandomCSP(allowed, np.asarray(weights, dtype=np.int64).reshape(n, d), domains, bool(maximize))


@st.composite
def csps(draw, maximize=None):
    """Random instances: 1..5 variables, non-empty domains of 1..4 values, random constraint tables.

    ``maximize``: a hypothesis strategy for the sense of the objective (default: either).
    """
    n = draw(st.integers(1, MAX_VARS))
    d = draw(st.integers(1, MAX_VALUES))
    domains = np.zeros((n, d), dtype=bool)
    for var in range(n):
        domains[var, sorted(draw(st.sets(st.integers(0, d - 1), min_size=1)))] = True
    density = draw(st.integers(1, 10))  # tenths of allowed pairs in a constraint table
    tables = {}
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                cells = draw(st.lists(st.integers(0, 9), min_size=d * d, max_size=d * d))
                tables[i, j] = np.array([c < density for c in cells]).reshape(d, d)
    weights = draw(st.lists(st.integers(-9, 9), min_size=n * d, max_size=n * d))
    return build(domains, tables, weights, draw(st.booleans() if maximize is None else maximize))
