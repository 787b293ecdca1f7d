"""Every goal, every hook combination, both backends: random small CSPs against brute force.

The oracle is ``itertools.product`` over the domains (``random_csp.brute_force``); the engine's
results must match it exactly, the two backends must agree node for node and in the order they
report solutions, and switching a pruning hook on must never add nodes.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .random_csp import COMBOS, STRATEGIES, brute_force, combo_backend_params, csps, is_valid, optimum, value_of


def cuts(result):
    return result.stats.pruned


@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
@given(csp=csps())
def test_count_all_and_first_match_brute_force(search_on, combo, backends, csp):
    search = search_on(backends)
    strategy = STRATEGIES[combo]
    expected = brute_force(csp)
    n = csp.weights.shape[0]

    counted, _ = search(csp, strategy, "count")
    assert counted.status == "complete"
    assert counted.count == len(expected)
    assert counted.stats.solutions == len(expected)
    assert counted.stats.max_depth <= n
    # A hook group that is switched off never cuts anything.
    assert combo.feasibility or cuts(counted)["feasibility"] == 0
    assert combo.propagation or cuts(counted)["propagation"] == 0
    assert cuts(counted)["bound"] == 0  # no bound without goal optimize
    assert cuts(counted)["dominance"] == 0

    listed, streamed = search(csp, strategy, "all")
    assert listed.status == "complete"
    assert all(is_valid(csp, s) for s in streamed)
    assert len(streamed) == len(set(streamed)) == len(expected), "each solution exactly once"
    assert set(streamed) == set(expected)
    assert listed.count == len(expected)
    if not combo.ordering:
        # Variables in order, values ascending: depth-first search meets solutions in lexicographic order.
        assert streamed == expected

    first, first_streamed = search(csp, strategy, "first")
    if expected:
        assert first.status == "satisfied"
        assert is_valid(csp, first.solution)
        assert first_streamed == [tuple(first.solution)]
        assert tuple(first.solution) == streamed[0], "first is the first solution goal all finds"
        if not combo.ordering:
            assert tuple(first.solution) == expected[0]
    else:
        assert first.status == "unsatisfiable"
        assert first.solution is None
        assert first_streamed == []


@pytest.mark.parametrize("maximize", [True, False], ids=["max", "min"])
@pytest.mark.parametrize(("combo", "backends"), combo_backend_params())
@given(data=st.data())
def test_optimize_matches_brute_force(search_on, combo, backends, maximize, data):
    search = search_on(backends)
    csp = data.draw(csps(maximize=st.just(maximize)))
    best = optimum(csp)
    result, _ = search(csp, STRATEGIES[combo], "optimize")
    if best is None:
        assert result.status == "unsatisfiable"
        assert result.value is None
        assert result.solution is None
    else:
        assert result.status == "optimal"
        assert result.value == best
        assert is_valid(csp, result.solution)
        assert value_of(csp, result.solution) == best
    assert combo.bound or cuts(result)["bound"] == 0


def _pruning_pairs():
    """(stronger, weaker): the same strategy with and without one pruning hook group.

    Forward checking changes the domains MRV reads, hence the order; its pairs keep the static order.
    """
    pairs = []
    for combo in COMBOS:
        for group in ("feasibility", "propagation", "bound"):
            if not getattr(combo, group) or (group == "propagation" and combo.ordering):
                continue
            pairs.append(pytest.param(combo, combo.without(group), id=f"{combo.name}-vs-without-{group}"))
    return pairs


@pytest.mark.parametrize(("stronger", "weaker"), _pruning_pairs())
@given(csp=csps())
def test_enabling_a_pruning_hook_never_adds_nodes(one_search, stronger, weaker, csp):
    # Interpreted: node counts are the same on both backends (the tests above), and compiling
    # every pair's strategies would cost minutes of CI.
    for goal in ("count", "optimize", "first"):
        strong, _ = one_search(csp, STRATEGIES[stronger], goal, "python")
        weak, _ = one_search(csp, STRATEGIES[weaker], goal, "python")
        assert strong.stats.nodes <= weak.stats.nodes, goal
        # The pruned subtrees hold no (better) solution: the same solutions, and the same
        # sequence of improving ones, are met in the same order.
        assert (strong.count, strong.value, strong.solution) == (weak.count, weak.value, weak.solution), goal


def test_pruning_pairs_cover_every_hook_group():
    pairs = [p.values for p in _pruning_pairs()]
    assert len(pairs) == 8 + 4 + 8
    assert all(weak != strong for strong, weak in pairs)
