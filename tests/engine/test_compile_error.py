"""A hook numba cannot compile: ``HookCompileError`` names it and points to the python backend."""

import numpy as np
import pytest

from backtrack import HookCompileError, Strategy, solve

from .random_csp import RandomCSP, brute_force, build, consistent_with_assigned, total_weight


class Oracle:
    """An arbitrary Python object: numba cannot type it."""

    def allows(self, value):
        return value != 1


ORACLE = Oracle()
FORBIDDEN = {1: True}


def asks_a_python_object(problem, state, assign, var, value):
    return ORACLE.allows(value) and consistent_with_assigned(problem, state, assign, var, value)


def looks_up_a_python_dict(problem, state, assign, var, value):
    return value not in FORBIDDEN and consistent_with_assigned(problem, state, assign, var, value)


# Three variables of values 0..2, x0 != x1; value 1 is what the hooks forbid.
NOT_EQUAL = ~np.eye(3, dtype=bool)
CSP = build(np.ones((3, 3), bool), {(0, 1): NOT_EQUAL}, np.zeros(9))
EXPECTED = [s for s in brute_force(CSP) if 1 not in s]


@pytest.mark.parametrize("hook", [asks_a_python_object, looks_up_a_python_dict], ids=lambda f: f.__name__)
def test_uncompilable_hook_raises_a_helpful_error_and_runs_interpreted(hook):
    strategy = Strategy(f"uncompilable-{hook.__name__}", RandomCSP, is_feasible=hook)
    with pytest.raises(HookCompileError) as caught:
        solve(CSP, strategy, "count", backend="numba")
    message = str(caught.value)
    assert "is_feasible" in message
    assert hook.__name__ in message
    assert "backend" in message and "python" in message
    assert "\n" not in message.strip()

    listed = solve(CSP, strategy, "all", backend="python")
    counted = solve(CSP, strategy, "count", backend="python")
    assert counted.count == len(EXPECTED) == 2 * 1 + 2  # (0,2,x), (2,0,x) with x in {0, 2}
    assert listed.status == "complete"
    assert listed.solution == list(EXPECTED[-1])


def bits_from_a_python_object(problem, state, domains, assign, var):
    return 1 if ORACLE.allows(var) else 3


def bound_from_a_python_dict(problem, state, domains, assign, var, value):
    return 100 if value not in FORBIDDEN else 0


@pytest.mark.parametrize(
    "hook_name, hook", [("value_bits", bits_from_a_python_object), ("decision_bound", bound_from_a_python_dict)]
)
def test_every_hook_is_named_when_it_cannot_compile(hook_name, hook):
    strategy = Strategy(f"uncompilable-{hook_name}", RandomCSP, objective=total_weight, **{hook_name: hook})
    with pytest.raises(HookCompileError, match=f"hook {hook_name}={hook.__name__}"):
        solve(CSP, strategy, "optimize", backend="numba")


def test_a_hook_with_the_wrong_arguments_is_named():
    strategy = Strategy("wrong-arguments", RandomCSP, objective=lambda problem: 0)
    with pytest.raises(HookCompileError, match="hook objective=.*lambda.*argument"):
        solve(CSP, strategy, "optimize", backend="numba")


def allocates_a_scratch_row(problem, state, assign, var, value):
    """Feasible unless value is 1, found through a freshly allocated array: needs numba's NRT."""
    allowed = np.ones(3, dtype=np.int64)
    allowed[1] = 0
    return allowed[value] == 1 and consistent_with_assigned(problem, state, assign, var, value)


def test_a_hook_that_allocates_compiles_with_reference_counting():
    strategy = Strategy("allocating", RandomCSP, is_feasible=allocates_a_scratch_row)
    compiled = solve(CSP, strategy, "all", backend="numba")
    assert compiled.count == len(EXPECTED) and compiled.solution == list(EXPECTED[-1])
    assert compiled.stats.nodes == solve(CSP, strategy, "all", backend="python").stats.nodes
