"""The level-synchronous search (backtrack/levels.py) on a problem defined here: a multiple-choice
knapsack (one option per group, options have a weight and a value, the weights within a
capacity), whose (weight, value) states dominate as the engine assumes. Checked against brute
force, the depth-first search of the same hooks, and across backends and merge paths."""

import itertools
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrack import Space, Strategy, jitable, solve
from backtrack import levels as lv

RES, VAL, DEPTH = 0, 1, 2


class Choice(NamedTuple):
    weight: np.ndarray  # int64[groups, options]
    value: np.ndarray
    capacity: int
    best_rest: np.ndarray  # int64[groups + 1]: the sum of each later group's best value

    def space(self):
        return Space(self.weight.shape[0], self.weight.shape[1], state=np.zeros(3, np.int64))


def choice(weights, values, capacity):
    weight, value = np.array(weights, np.int64), np.array(values, np.int64)
    best = value.max(axis=1)
    best_rest = np.concatenate((np.cumsum(best[::-1])[::-1], [0])).astype(np.int64)
    return Choice(weight, value, capacity, best_rest)


@jitable
def in_order(problem, state, domains, assign, depth):
    return depth


@jitable
def take(problem, state, var, value):
    state[RES] += problem.weight[var, value]
    state[VAL] += problem.value[var, value]
    state[DEPTH] += 1


@jitable
def fits(problem, state, assign, var, value):
    return state[RES] + problem.weight[var, value] <= problem.capacity


@jitable
def optimistic(problem, state, domains, assign):
    return state[VAL] + problem.best_rest[state[DEPTH]]


@jitable
def gained(problem, state, assign):
    return state[VAL]


HOOKS = dict(select_variable=in_order, apply=take, is_feasible=fits, bound=optimistic, objective=gained)
LEVELS = Strategy("levels", Choice, level_dominance=(RES, VAL), **HOOKS)
DEPTH_FIRST = Strategy("depth-first", Choice, **HOOKS)


def brute_force(problem):
    groups, options = problem.weight.shape
    best = None
    for picks in itertools.product(range(options), repeat=groups):
        weight = sum(int(problem.weight[g, v]) for g, v in enumerate(picks))
        value = sum(int(problem.value[g, v]) for g, v in enumerate(picks))
        if weight <= problem.capacity and (best is None or value > best):
            best = value
    return best


@st.composite
def choices(draw, max_options=4):
    groups = draw(st.integers(1, 5))
    options = draw(st.integers(1, max_options))
    cell = st.lists(st.integers(0, 12), min_size=options, max_size=options)
    weights = draw(st.lists(cell, min_size=groups, max_size=groups))
    values = draw(st.lists(cell, min_size=groups, max_size=groups))
    capacity = draw(st.integers(0, 12 * groups))
    return choice(weights, values, capacity)


def check_solution(problem, result):
    assert all(v >= 0 for v in result.solution)
    picks = list(enumerate(result.solution))
    assert sum(int(problem.weight[g, v]) for g, v in picks) <= problem.capacity
    assert sum(int(problem.value[g, v]) for g, v in picks) == result.value


@settings(deadline=None, max_examples=40)
@given(problem=choices())
def test_levels_find_the_brute_force_optimum_on_both_backends(problem):
    expected = brute_force(problem)
    compiled = solve(problem, LEVELS, "optimize")
    interpreted = solve(problem, LEVELS, "optimize", backend="python")
    for result in (compiled, interpreted):
        if expected is None:
            assert result.status == "unsatisfiable" and result.solution is None
        else:
            assert result.status == "optimal" and result.value == expected
            check_solution(problem, result)
    assert compiled.stats.nodes == interpreted.stats.nodes
    assert compiled.stats.pruned == interpreted.stats.pruned
    assert compiled.solution == interpreted.solution
    depth_first = solve(problem, DEPTH_FIRST, "optimize", backend="python")  # small: interpreted is enough
    assert depth_first.value == compiled.value


@settings(deadline=None, max_examples=25)
@given(problem=choices(max_options=4))
def test_sorting_a_level_keeps_what_merging_it_keeps(problem):
    merged = solve(problem, LEVELS, "optimize", backend="python")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lv, "MERGE_BUCKETS", 0)  # read at run time by the interpreted merge only
        sorted_ = solve(problem, LEVELS, "optimize", backend="python")
    assert (sorted_.value, sorted_.solution, sorted_.stats.nodes) == (merged.value, merged.solution, merged.stats.nodes)
    assert sorted_.stats.pruned == merged.stats.pruned


def test_many_values_take_the_sort_and_match_brute_force():
    # More values than MERGE_BUCKETS: the compiled merge sorts each level.
    rng = np.random.default_rng(5)
    for _ in range(5):
        weights = rng.integers(0, 30, (4, lv.MERGE_BUCKETS + 3))
        values = rng.integers(0, 30, (4, lv.MERGE_BUCKETS + 3))
        problem = choice(weights, values, 45)
        result = solve(problem, LEVELS, "optimize")
        assert result.status == "optimal" and result.value == brute_force(problem)
        check_solution(problem, result)
        assert result.stats.nodes == solve(problem, LEVELS, "optimize", backend="python").stats.nodes


def test_dominated_states_are_dropped_and_counted():
    # Every group offers (1, 1) and (1, 1): of the two equal children per parent one is dropped,
    # so each level holds one node and the search makes 2 nodes per level.
    problem = choice([[1, 1]] * 6, [[1, 1]] * 6, 10)
    result = solve(problem, LEVELS, "optimize")
    assert result.value == 6
    assert result.stats.nodes == 12
    assert result.stats.pruned["dominance"] == 5


def test_limits_keep_the_best_so_far():
    rng = np.random.default_rng(1)
    problem = choice(rng.integers(1, 50, (9, 6)), rng.integers(0, 50, (9, 6)), 120)
    full = solve(problem, LEVELS, "optimize")
    stopped = solve(problem, LEVELS, "optimize", node_limit=10)
    assert full.status == "optimal" and stopped.status == "limit" and stopped.stop_reason == "nodes"
    assert stopped.stats.nodes < full.stats.nodes
    # Solutions are found at the last level only: stopped early, none is held yet.
    assert stopped.solution is None and stopped.value is None
    check_solution(problem, full)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 2}, "workers"),
        ({"prefix": [(0, 1)]}, "prefix"),
        ({"trace": "t.sqlite"}, "trace"),
        ({"solution_limit": 1}, "solution_limit"),
    ],
)
def test_unsupported_options_are_refused(options, message):
    problem = choice([[1, 2]], [[1, 2]], 2)
    with pytest.raises(ValueError, match=message):
        solve(problem, LEVELS, "optimize", **options)


def test_other_goals_and_bad_columns_are_refused():
    problem = choice([[1, 2]], [[1, 2]], 2)
    with pytest.raises(ValueError, match="goal optimize only"):
        solve(problem, LEVELS, "count")
    with pytest.raises(ValueError, match="level_dominance"):
        Strategy("bad", Choice, level_dominance=(0,), **HOOKS)


# A node's state may already count a default for each undecided variable (option 0 here): with
# level_completion, every accepted node is a solution, found before the last level.


class Defaulted(NamedTuple):
    weight: np.ndarray
    value: np.ndarray
    capacity: int
    gain_rest: np.ndarray  # int64[groups + 1]: what each later group can add over its option 0

    def space(self):
        root = np.array([self.weight[:, 0].sum(), self.value[:, 0].sum(), 0], np.int64)
        return Space(self.weight.shape[0], self.weight.shape[1], state=root)


def defaulted(problem):
    gain = (problem.value - problem.value[:, :1]).max(axis=1)
    gain_rest = np.concatenate((np.cumsum(gain[::-1])[::-1], [0])).astype(np.int64)
    return Defaulted(problem.weight, problem.value, problem.capacity, gain_rest)


@jitable
def switch(problem, state, var, value):
    state[RES] += problem.weight[var, value] - problem.weight[var, 0]
    state[VAL] += problem.value[var, value] - problem.value[var, 0]
    state[DEPTH] += 1


@jitable
def within(problem, state, assign):
    return state[RES] <= problem.capacity


@jitable
def optimistic_over_defaults(problem, state, domains, assign):
    return state[VAL] + problem.gain_rest[state[DEPTH]]


def option_zero(problem, values):
    return [v if v >= 0 else 0 for v in values]


DEFAULTED = Strategy(
    "defaulted",
    Defaulted,
    select_variable=in_order,
    apply=switch,
    accept=within,
    bound=optimistic_over_defaults,
    objective=gained,
    level_dominance=(RES, VAL),
    level_completion=option_zero,
)


@settings(deadline=None, max_examples=60)
@given(problem=choices())
def test_solutions_above_the_last_level_are_completed_by_their_defaults(problem):
    # Weights may leave the all-defaults root over the capacity: no accept there, and heavier
    # options may still be needed below; whatever is found must be a real, optimal solution.
    expected = brute_force(problem)
    wrapped = defaulted(problem)
    results = [solve(wrapped, DEFAULTED, "optimize", backend=backend) for backend in ("numba", "python")]
    for result in results:
        if expected is None:
            assert result.solution is None
        else:
            assert result.status == "optimal" and result.value == expected
            check_solution(problem, result)
    assert results[0].stats.nodes == results[1].stats.nodes
    assert results[0].solution == results[1].solution


def test_completion_needs_level_dominance():
    with pytest.raises(ValueError, match="level_dominance"):
        Strategy("bad", Choice, level_completion=option_zero, **HOOKS)
