"""Golomb rulers: optima against the published values, counts and lists against brute force,
both backends alike node for node, the CLI."""

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backtrack as bt
from problems.golomb.model import STRATEGIES, build, greedy_ruler, ruler_of

# Published optimal lengths (OEIS A003022), marks 1..14.
OPTIMA = (0, 1, 3, 6, 11, 17, 25, 34, 44, 55, 72, 85, 106, 127)


def rulers(marks, length):
    """Brute force, no engine code: every Golomb ruler with these marks and at most this length."""
    found = []
    for inner in itertools.combinations(range(1, length + 1), marks - 1):
        ruler = (0, *inner)
        diffs = [b - a for a, b in itertools.combinations(ruler, 2)]
        if len(set(diffs)) == len(diffs):
            found.append(ruler)
    return found


def test_the_brute_force_oracle_knows_the_optima():
    for marks in range(2, 7):
        assert min(r[-1] for r in rulers(marks, OPTIMA[marks - 1])) == OPTIMA[marks - 1]
        assert not rulers(marks, OPTIMA[marks - 1] - 1)


# Each strategy and goal is a compile of its own: CI compiles the default strategy on every goal
# and the others for optimize; the slow test compiles the rest.
@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_optima_on_both_backends(name, both_backends):
    for marks in range(2, 7):
        result, _ = both_backends(build(marks), STRATEGIES[name], "optimize")
        assert result.status == "optimal" and result.value == OPTIMA[marks - 1]
        ruler = ruler_of(result.solution)
        assert ruler in [list(r) for r in rulers(marks, OPTIMA[marks - 1])]


def test_optima_up_to_9_marks_compiled():
    for marks in range(7, 10):
        for name in ("propagation", "symmetry"):
            result = bt.solve(build(marks), STRATEGIES[name], "optimize")
            assert result.value == OPTIMA[marks - 1], (marks, name)
            assert ruler_of(result.solution)[-1] == result.value


def check_counts_and_lists(marks, slack, name, both_backends):
    length = max(OPTIMA[marks - 1] + slack, 0)
    expected = set(rulers(marks, length))
    counted, _ = both_backends(build(marks, length), STRATEGIES[name], "count")
    assert counted.count == len(expected)
    _, listed = both_backends(build(marks, length), STRATEGIES[name], "all")
    listed = {tuple(ruler_of(s)) for s in listed}
    if name == "symmetry":  # one of each ruler and its mirror
        listed |= {tuple(listed_ruler[-1] - p for p in reversed(listed_ruler)) for listed_ruler in listed}
    assert listed == expected
    first, _ = both_backends(build(marks, length), STRATEGIES[name], "first")
    assert (first.status == "satisfied") == bool(expected)


@given(marks=st.integers(2, 5), slack=st.integers(-2, 3))
def test_counts_and_lists_match_brute_force(marks, slack, both_backends):
    check_counts_and_lists(marks, slack, "symmetry", both_backends)


@pytest.mark.slow
@given(marks=st.integers(2, 5), slack=st.integers(-2, 3), name=st.sampled_from(["feasibility", "bound", "propagation"]))
def test_counts_and_lists_match_brute_force_every_strategy(marks, slack, name, both_backends):
    check_counts_and_lists(marks, slack, name, both_backends)


def test_the_greedy_start_is_a_ruler():
    for marks in range(2, 12):
        ruler = greedy_ruler(marks)
        diffs = [b - a for a, b in itertools.combinations(ruler, 2)]
        assert len(set(diffs)) == len(diffs) and ruler[-1] >= OPTIMA[marks - 1]


def test_cli(backtrack_cli):
    done = backtrack_cli("golomb", "7", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "optimal" and record["value"] == 25 and record["solution"][-1] == 25
    short = backtrack_cli("golomb", "7", "--first", "--length", "24", "--json", "--quiet")
    assert json.loads(short.stdout)["status"] == "unsatisfiable"
    bad = backtrack_cli("golomb", "7", "--first")
    assert bad.returncode == 2 and "--length" in bad.stderr
