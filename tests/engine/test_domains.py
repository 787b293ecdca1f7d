"""Bitset domains with an undo trail, against a model made of Python sets (several 64-bit words too)."""

import numba
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from backtrack.domains import (
    dom_contains,
    dom_fix,
    dom_is_empty,
    dom_min,
    dom_remove,
    dom_size,
    dom_values,
    new_domains,
    undo_to,
)

REMOVE, FIX, MARK, UNDO = 0, 1, 2, 3


def apply_ops(domains, ops, log):
    """Apply ops int64[k, 3] (code, var, value); log[i] = dom_remove's result, or the trail mark."""
    marks = np.zeros(ops.shape[0] + 1, np.int64)
    n_marks = 0
    for i in range(ops.shape[0]):
        code, var, value = ops[i, 0], ops[i, 1], ops[i, 2]
        log[i] = -1
        if code == REMOVE:
            log[i] = 1 if dom_remove(domains, var, value) else 0
        elif code == FIX:
            dom_fix(domains, var, value)
        elif code == MARK:
            marks[n_marks] = domains.top[0]
            n_marks += 1
        elif n_marks > 0:
            n_marks -= 1
            undo_to(domains, marks[n_marks])
            log[i] = marks[n_marks]


apply_ops_compiled = numba.njit(apply_ops)


@st.composite
def scenarios(draw):
    """Domains of 1..3 variables over 1..200 values, and a valid sequence of operations."""
    n_vars = draw(st.integers(1, 3))
    n_values = draw(st.sampled_from([1, 2, 63, 64, 65, 127, 128, 130, 200]))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n_vars * n_values, max_size=n_vars * n_values)))
    allowed = allowed.reshape(n_vars, n_values)
    model = [set(np.flatnonzero(row).tolist()) for row in allowed]
    saved = []
    ops = []
    expected_log = []
    for _ in range(draw(st.integers(0, 40))):
        code = draw(st.sampled_from([REMOVE, REMOVE, REMOVE, FIX, MARK, UNDO]))
        var = draw(st.integers(0, n_vars - 1))
        value = 0
        if code == REMOVE:
            value = draw(st.integers(0, n_values - 1))
            model[var].discard(value)
            expected_log.append(1 if model[var] else 0)
        elif code == FIX:
            if not model[var]:
                continue  # the engine fixes a variable only to a value of its domain
            value = draw(st.sampled_from(sorted(model[var])))
            model[var] = {value}
            expected_log.append(-1)
        elif code == MARK:
            saved.append([set(s) for s in model])
            expected_log.append(-1)
        else:
            expected_log.append(None if saved else -1)  # None: the mark's trail length
            if saved:
                model = saved.pop()
        ops.append((code, var, value))
    return allowed, np.array(ops, dtype=np.int64).reshape(-1, 3), model, expected_log


def check_against_model(domains, model, n_values):
    out = np.zeros(n_values, np.int64)
    for var, values in enumerate(model):
        count = dom_values(domains, var, out)
        assert out[:count].tolist() == sorted(values)
        assert dom_size(domains, var) == len(values)
        assert dom_is_empty(domains, var) == (not values)
        assert dom_min(domains, var) == (min(values) if values else -1)
        for value in range(-1, n_values + 1):
            assert dom_contains(domains, var, value) == (value in values)


@given(scenario=scenarios())
def test_domains_follow_a_set_model(scenario):
    allowed, ops, model, expected_log = scenario
    n_vars, n_values = allowed.shape
    interpreted = new_domains(n_vars, n_values, allowed)
    compiled = new_domains(n_vars, n_values, allowed)
    log = np.zeros(len(ops), np.int64)
    compiled_log = np.zeros(len(ops), np.int64)
    apply_ops(interpreted, ops, log)
    apply_ops_compiled(compiled, ops, compiled_log)
    check_against_model(interpreted, model, n_values)
    check_against_model(compiled, model, n_values)
    assert log.tolist() == compiled_log.tolist()
    for got, want in zip(log.tolist(), expected_log, strict=True):
        if want is not None:
            assert got == want
    # Undoing everything restores the initial domains.
    undo_to(interpreted, 0)
    check_against_model(interpreted, [set(np.flatnonzero(row).tolist()) for row in allowed], n_values)
