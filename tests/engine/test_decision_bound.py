"""``decision_bound``: bound pruning of a decision before its child is built, counted as bound cuts.

The hook here bounds a decision from the parent: the assigned weights, the decision's own weight and
each other free variable's best weight in the parent's domains. That is never below the ``bound``
of the child (whose domains are smaller), so adding it to a strategy with ``bound`` cuts the same
children, earlier: the same nodes, the same optimum, the cuts only move between kinds.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtrack import Strategy

from .random_csp import (
    RandomCSP,
    best_weight_left,
    build,
    consistent_with_assigned,
    csps,
    forward_check,
    optimistic_weight,
    optimum,
    total_weight,
)


def weight_of_decision(problem, state, domains, assign, var, value):
    """Optimistic objective of any completion of var = value, from the parent's state."""
    total = problem.weights[var, value]
    for other in range(problem.weights.shape[0]):
        if other == var:
            continue
        if assign[other] >= 0:
            total += problem.weights[other, assign[other]]
        else:
            total += best_weight_left(problem, domains, other)
    return total


def make(name, **hooks):
    return Strategy(
        name, RandomCSP, is_feasible=consistent_with_assigned, propagate=forward_check, objective=total_weight, **hooks
    )


CHILD_BOUND = make("child-bound", bound=optimistic_weight)
BOTH_BOUNDS = make("both-bounds", bound=optimistic_weight, decision_bound=weight_of_decision)
DECISION_ONLY = make("decision-bound", decision_bound=weight_of_decision)


@given(csp=csps(), maximize=st.booleans())
def test_decision_bound_cuts_what_the_child_bound_would_cut_earlier(both_backends, csp, maximize):
    csp = csp._replace(maximize=maximize)
    child, _ = both_backends(csp, CHILD_BOUND, "optimize")
    both, _ = both_backends(csp, BOTH_BOUNDS, "optimize")
    only, _ = both_backends(csp, DECISION_ONLY, "optimize")
    expected = optimum(csp)
    for result in (child, both, only):
        assert result.value == expected
        assert result.status == ("unsatisfiable" if expected is None else "optimal")
    assert both.stats.nodes == child.stats.nodes
    assert sum(both.stats.pruned.values()) == sum(child.stats.pruned.values())
    assert both.stats.pruned["bound"] >= child.stats.pruned["bound"]


# Compiled for count (its machine code folds the bound away), interpreted for the others (one
# compile per goal otherwise; first and all share the loop's code).
@pytest.mark.parametrize(("goal", "backend"), [("count", "numba"), ("all", "python"), ("first", "python")])
@given(csp=csps())
def test_decision_bound_does_nothing_without_an_incumbent_to_beat(one_search, goal, backend, csp):
    plain, plain_stream = one_search(csp, make("no-bound"), goal, backend)
    bounded, bounded_stream = one_search(csp, DECISION_ONLY, goal, backend)
    assert bounded_stream == plain_stream
    assert bounded.stats.nodes == plain.stats.nodes and bounded.stats.pruned["bound"] == 0


def test_a_decision_that_can_only_tie_the_incumbent_is_cut(both_backends):
    # No constraints, x0 weighs 5 either way, x1 weighs 1 either way: the first leaf (0, 0) is
    # optimal (6); every later decision can reach 6 at best, so it is cut before its child is built.
    csp = build(np.ones((2, 2), bool), {}, [5, 5, 1, 1], maximize=True)
    result, _ = both_backends(csp, DECISION_ONLY, "optimize")
    assert result.value == 6 and result.solution == [0, 0]
    assert result.stats.nodes == 4  # x0=0, x1=0 (the leaf), x1=1 (cut), x0=1 (cut)
    assert result.stats.pruned["bound"] == 2
