"""A hook numba cannot compile: ``HookCompileError`` names it and points to the python backend."""

import numpy as np
import pytest

from backtrack import HookCompileError, Strategy, solve

from .random_csp import RandomCSP, brute_force, build, consistent_with_assigned


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
