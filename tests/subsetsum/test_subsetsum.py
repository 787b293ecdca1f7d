"""Subset sum: every strategy and both backends against brute force; bidirectional against depth first."""

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrack.bidirectional import Bidirectional, solve_bidirectional
from backtrack.cli import main
from problems.subsetsum import STRATEGIES, chosen_indices, is_solution, make_problem, solve_subsetsum
from problems.subsetsum.generate import CLASSES, generate

SEARCHES = ("naive", "feasibility", "ordering", "propagation", "bidirectional")
BIG = 1 << 64


def brute_force(weights, target):
    """(number of subsets summing to target, largest subset sum not above target)."""
    count = 0
    best = 0
    for mask in itertools.product((0, 1), repeat=len(weights)):
        total = sum(w for w, take in zip(weights, mask, strict=True) if take)
        count += total == target
        if total <= target:
            best = max(best, total)
    return count, best


def check(weights, target, strategy, backend, low_memory=False):
    count, best = brute_force(weights, target)
    exact = make_problem(weights, target)
    counted = solve_subsetsum(exact, "count", strategy, backend=backend, low_memory=low_memory)
    assert counted.status == "complete" and counted.count == count
    first = solve_subsetsum(exact, "first", strategy, backend=backend, low_memory=low_memory)
    if count:
        assert first.status == "satisfied"
        assert is_solution(weights, target, chosen_indices(first.solution))
    else:
        assert first.status == "unsatisfiable" and first.solution is None
    if not low_memory:
        closest = solve_subsetsum(make_problem(weights, target, exact=False), "optimize", strategy, backend=backend)
        assert closest.status == "optimal" and closest.value == best
        picked = chosen_indices(closest.solution)
        assert is_solution(weights, target, picked, exact=False) and sum(weights[i] for i in picked) == best
    return counted


instances = st.lists(st.integers(0, 40), min_size=1, max_size=9).flatmap(
    lambda ws: st.tuples(st.just(ws), st.integers(0, sum(ws) + 3))
)


@pytest.mark.parametrize("strategy", SEARCHES + ("dp",))
@settings(deadline=None, max_examples=30)
@given(instance=instances)
def test_python_backend_matches_brute_force(strategy, instance):
    check(*instance, strategy, "python")


@pytest.mark.parametrize("strategy", SEARCHES)
@settings(deadline=None, max_examples=15)
@given(instance=instances)
def test_numba_backend_matches_python(strategy, instance):
    weights, target = instance
    compiled = check(weights, target, strategy, "numba")
    interpreted = solve_subsetsum(make_problem(weights, target), "count", strategy, backend="python")
    assert compiled.stats.nodes == interpreted.stats.nodes
    assert compiled.stats.pruned == interpreted.stats.pruned


@pytest.mark.parametrize("backend", ("python", "numba"))
@settings(deadline=None, max_examples=20)
@given(instance=instances)
def test_low_memory_join(backend, instance):
    check(*instance, "bidirectional", backend, low_memory=True)


@pytest.mark.parametrize("strategy", SEARCHES)
@settings(deadline=None, max_examples=15)
@given(
    instance=st.lists(st.integers(0, 6), min_size=0, max_size=7).flatmap(
        lambda ks: st.tuples(st.just([BIG * k + k % 3 for k in [1, *ks]]), st.integers(0, 2 * len(ks) + 2))
    )
)
def test_weights_past_int64_are_exact(strategy, instance):
    weights, small_target = instance
    # Targets that are sums of big weights, so that solutions exist.
    target = sum(weights[: small_target % (len(weights) + 1)])
    assert make_problem(weights, target).weights.dtype == object
    check(weights, target, strategy, "numba")


@settings(deadline=None, max_examples=20)
@given(instance=instances, backend=st.sampled_from(("python", "numba")))
def test_bidirectional_agrees_with_depth_first(instance, backend):
    weights, target = instance
    problem = make_problem(weights, target)
    plain = solve_subsetsum(problem, "count", "ordering", backend=backend)
    both = solve_bidirectional(problem, STRATEGIES["bidirectional"], "count", target=target, backend=backend)
    assert both.count == plain.count
    listed = list(Bidirectional(problem, STRATEGIES["bidirectional"], "all", target=target, backend=backend))
    assert len(listed) == plain.count
    assert len({tuple(s) for s in listed}) == len(listed)
    assert all(is_solution(weights, target, chosen_indices(s)) for s in listed)


def test_counts_past_two_to_the_63():
    weights = [0] * 70 + [1, 2, 3]
    assert solve_subsetsum(make_problem(weights, 3), "count", "dp").count == 2 * 2**70


def test_join_sums_int64_counts_in_python_ints(monkeypatch):
    # The join returns before its int64 count passes COUNT_CAP; the driver adds the parts.
    import backtrack.bidirectional as bidirectional

    monkeypatch.setattr(bidirectional, "COUNT_CAP", 3)
    weights = [0] * 6 + [1, 1, 2, 2]
    expected = brute_force(weights, 2)[0]
    result = solve_subsetsum(make_problem(weights, 2), "count", "bidirectional", backend="python")
    assert result.count == expected == 64 * 3


def test_time_limit_stops_bidirectional():
    weights, target = generate("random-even", 44, seed=3)
    result = solve_subsetsum(make_problem(weights, target), "count", "bidirectional", time_limit=0.05)
    assert result.status == "limit" and result.stop_reason == "time"


@pytest.mark.parametrize("kind", CLASSES)
def test_generators(kind):
    weights, target = generate(kind, 12, seed=5, bits=20)
    assert len(weights) == 12 and all(w >= 0 for w in weights) and target >= 0
    count, _ = brute_force(weights, target)
    assert solve_subsetsum(make_problem(weights, target), "count", "bidirectional").count == count
    if kind in ("evenodd", "random-even"):
        assert count == 0


def run_cli(capsys, *args):
    """Exit status (0 when main returns), stdout, stderr."""
    try:
        main(["subsetsum", *args])
        code = 0
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "args",
    [
        ("--target", "9", "3", "-4"),
        ("--target", "9", "3", "1.5"),
        ("--target", "9"),
        ("3", "4"),
        ("--target", "-1", "3"),
        ("--file", "/nonexistent/instance"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args):
    code, _, err = run_cli(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("backtrack: error:")


@pytest.mark.parametrize("strategy", ("bidirectional", "ordering", "dp"))
def test_cli_json(capsys, strategy):
    code, out, _ = run_cli(capsys, "--target", "9", "3", "34", "4", "12", "5", "2", "--json", "--strategy", strategy)
    assert code == 0
    record = json.loads(out.strip().splitlines()[-1])
    assert record["status"] == "satisfied" and sum([3, 34, 4, 12, 5, 2][i] for i in record["solution"]) == 9


def test_cli_file_and_generate(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "--generate", "avis", "--n", "8")
    assert code == 0
    path = tmp_path / "avis.txt"
    path.write_text(out)
    code, out, _ = run_cli(capsys, "--file", str(path), "--count", "--json", "--strategy", "bidirectional")
    weights, target = generate("avis", 8)
    assert json.loads(out)["count"] == brute_force(weights, target)[0]
