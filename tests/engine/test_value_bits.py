"""The ``value_bits`` hook (candidate values as one bit word) searches exactly like ``order_values``.

A strategy that gives a variable's domain as a bit word must visit the same nodes, cut the same
branches and report the same solutions in the same order as the same strategy with the default
ascending ``order_values``, on both backends, for every goal, from a prefix and in one-node slices.
"""

import numpy as np
import pytest
from hypothesis import given

from backtrack import Search, Space, Strategy, search
from backtrack.compiled import compile_for
from backtrack.solver import GOALS

from .random_csp import RandomCSP, build, consistent_with_assigned, csps, forward_check, total_weight


def outcome(result):
    """What a result says apart from times."""
    stats = result.stats.as_dict()
    del stats["time_s"], stats["compile_s"]
    return result.status, result.count, result.value, result.solution, stats


def domain_bits(problem, state, domains, assign, var):
    """The variable's remaining values, bit v for value v (at most 4 values here: one word)."""
    return np.int64(domains.bits[var, 0])


def make(name, **ordering):
    return Strategy(
        name,
        RandomCSP,
        is_feasible=consistent_with_assigned,
        propagate=forward_check,
        objective=total_weight,
        **ordering,
    )


BY_LIST = make("listed-values")
BY_BITS = make("bit-values", value_bits=domain_bits)


@given(csp=csps())
def test_bit_words_search_like_value_lists(search_on, csp):
    # Goals all and count on both backends; first (the same machine code as all) and optimize
    # interpreted: each goal compiled is one more compile per strategy.
    for goal in ("first", "all", "count", "optimize"):
        search = search_on("both" if goal in ("all", "count") else "python")
        listed, listed_stream = search(csp, BY_LIST, goal)
        bits, bits_stream = search(csp, BY_BITS, goal)
        assert bits_stream == listed_stream
        assert outcome(bits) == outcome(listed)


@given(csp=csps())
def test_bit_words_from_a_prefix(both_backends, csp):
    prefix = [(0, int(np.flatnonzero(csp.domains[0])[-1]))]  # the first variable's largest value
    listed, listed_stream = both_backends(csp, BY_LIST, "all", prefix=prefix)
    bits, bits_stream = both_backends(csp, BY_BITS, "all", prefix=prefix)
    assert bits_stream == listed_stream
    assert outcome(bits) == outcome(listed)
    assert all(solution[0] == prefix[0][1] for solution in bits_stream)


@pytest.mark.parametrize("backend", ["python", "numba"])
@given(csp=csps())
def test_bit_words_resume_across_one_node_slices(backend, csp):
    whole = Search(csp, BY_BITS, "all", backend=backend)
    expected = [tuple(s) for s in whole.stream()]
    sliced = Search(csp, BY_BITS, "all", backend=backend).arrays
    code = GOALS["all"]
    engine = search.run_slice if backend == "python" else compile_for(BY_BITS, csp, sliced, code)
    found = []
    for _ in range(10**5):
        event = engine(BY_BITS, csp, sliced, code, 1)
        if event == search.EV_SOLUTION:
            found.append(tuple(sliced.best.tolist()))
        if event == search.EV_DONE:
            break
    assert found == expected
    assert sliced.stats.tolist() == whole.arrays.stats.tolist()


def test_a_strategy_gives_values_one_way():
    with pytest.raises(TypeError, match="order_values or value_bits"):
        Strategy("both", RandomCSP, value_bits=domain_bits, order_values=lambda *args: 0)


def test_plain_value_bits_refine_value_bits_only():
    with pytest.raises(TypeError, match="plain_value_bits refines"):
        Strategy("plain", RandomCSP, plain_value_bits=domain_bits)


def test_bit_words_need_at_most_63_values():
    class Wide(RandomCSP):
        def space(self):
            return Space(n_vars=1, n_values=64)

    wide = Wide(*build(np.ones((1, 4), bool), {}, np.zeros(4)))
    with pytest.raises(ValueError, match="at most 63 values"):
        Search(wide, Strategy("wide", Wide, value_bits=domain_bits), "count")
