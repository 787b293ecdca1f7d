"""Subset sum: every strategy and both backends against brute force; bidirectional against depth first."""

import io
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


# Three compiles per strategy: CI compares the backends on three of them, -m slow on all.
@pytest.mark.parametrize(
    "strategy", [pytest.param(s, marks=pytest.mark.slow) if s in ("naive", "ordering") else s for s in SEARCHES]
)
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


# ---------------------------------------------------------------- the big paths: chunks, low memory


def dp_count(weights, target):
    """Independent oracle: the number of subsets of each sum up to ``target`` (Python integers)."""
    ways = [1] + [0] * target
    for w in weights:
        for total in range(target, w - 1, -1):
            ways[total] += ways[total - w]
    return ways[target]


def check_exact_goals(weights, target, backend, low_memory=False):
    """count equals the DP; first is a solution (or unsatisfiable when the DP counts none)."""
    problem = make_problem(weights, target)
    counted = solve_subsetsum(problem, "count", "bidirectional", backend=backend, low_memory=low_memory)
    expected = dp_count(weights, target)
    assert counted.status == "complete" and counted.count == expected
    first = solve_subsetsum(problem, "first", "bidirectional", backend=backend, low_memory=low_memory)
    if expected:
        assert first.status == "satisfied" and is_solution(weights, target, chosen_indices(first.solution))
    else:
        assert first.status == "unsatisfiable" and first.solution is None
    return counted


@pytest.mark.parametrize("backend", ("python", "numba"))
@settings(deadline=None, max_examples=20)
@given(instance=instances)
def test_halves_flushed_in_many_chunks(backend, instance):
    # Chunks of 3 rows: every half of more than two items is collected over several flushes
    # (and found again, for first and all, by scanning the chunks).
    import backtrack.bidirectional as bidirectional

    weights, target = instance
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bidirectional, "CHUNK", 3)
        check(weights, target, "bidirectional", backend)
        problem = make_problem(weights, target)
        listed = list(Bidirectional(problem, STRATEGIES["bidirectional"], "all", target=target, backend=backend))
    assert len(listed) == len({tuple(s) for s in listed}) == brute_force(weights, target)[0]
    assert all(is_solution(weights, target, chosen_indices(s)) for s in listed)


python_int_instances = st.lists(st.integers(0, 6), min_size=2, max_size=7).flatmap(
    lambda ks: st.tuples(st.just([BIG * k + k % 3 for k in [1, *ks]]), st.integers(0, 255))
)


def test_python_int_halves_grow_over_many_chunks():
    # Weights past int64: no summary terms (the halves are not built in key order), so each half
    # goes through Bidirectional._collect, whose arrays start at min(bound, CHUNK) rows and grow
    # as the flushed chunks arrive; with CHUNK = 3, a half of more than 3 leaves needs several.
    import backtrack.bidirectional as bidirectional

    real = bidirectional.Bidirectional._collect
    sizes = []
    tally = {"tried": 0, "grown": 0}

    def collect(self, part, keep_values, keep_codes):
        result = real(self, part, keep_values, keep_codes)
        sizes.append(len(part.keys))
        return result

    @settings(deadline=None, max_examples=30)
    @given(instance=python_int_instances)
    def run(instance):
        weights, pick = instance
        target = sum(w for j, w in enumerate(weights) if pick >> j & 1)  # a sum of some items
        problem = make_problem(weights, target)
        assert problem.weights.dtype == object
        sizes.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(bidirectional, "CHUNK", 3)
            patch.setattr(bidirectional.Bidirectional, "_collect", collect)
            check(weights, target, "bidirectional", "python")
            listed = list(Bidirectional(problem, STRATEGIES["bidirectional"], "all", target=target, backend="python"))
        assert len(listed) == len({tuple(s) for s in listed}) == brute_force(weights, target)[0]
        assert all(is_solution(weights, target, chosen_indices(s)) for s in listed)
        tally["tried"] += 1
        tally["grown"] += max(sizes) > 3  # some half held more rows than one chunk

    run()
    assert tally["grown"] >= tally["tried"] // 3, tally


# 36 items of weights 0-7: each half has 2^18 leaves, four chunks of CHUNK = 2^16 rows.
MANY = [(5 * i * i + 3 * i + 1) % 8 for i in range(36)]


@pytest.mark.parametrize(
    "target",
    [sum(MANY) // 2, sum(MANY) // 3, sum(MANY), sum(MANY) - 1, sum(MANY) + 1, 0],
    ids=["half", "third", "all-items", "all-but-one", "above-the-sum", "zero"],
)
def test_thirty_six_items_cross_the_chunk_boundary(target):
    import backtrack.bidirectional as bidirectional

    assert 2 ** (len(MANY) // 2) > 2 * bidirectional.CHUNK
    counted = check_exact_goals(MANY, target, "numba")
    if target in (sum(MANY) // 2, sum(MANY) // 3):  # (the others are pruned to a few leaves)
        assert counted.stats.nodes > 2 * bidirectional.CHUNK and counted.count > 10**8


@pytest.mark.slow  # 100 s; test_halves_flushed_in_many_chunks covers the python backend in CI
def test_thirty_four_items_cross_the_chunk_boundary_interpreted():
    # 2^17 leaves per half, two chunks each, on the python backend; the same nodes as compiled.
    weights = MANY[:34]
    interpreted = check_exact_goals(weights, sum(weights) // 2, "python")
    compiled = solve_subsetsum(make_problem(weights, sum(weights) // 2), "count", "bidirectional")
    assert interpreted.stats.nodes == compiled.stats.nodes and interpreted.count == compiled.count


@pytest.mark.parametrize("target", [sum(MANY) // 2, sum(MANY), sum(MANY) + 1])
def test_low_memory_join_matches_the_normal_join_on_36_items(target):
    normal = solve_subsetsum(make_problem(MANY, target), "count", "bidirectional", low_memory=False)
    low = check_exact_goals(MANY, target, "numba", low_memory=True)
    assert low.count == normal.count


@settings(deadline=None, max_examples=10)
@given(
    weights=st.lists(st.integers(0, 9), min_size=14, max_size=18),
    share=st.floats(0, 1.1),
)
def test_low_memory_join_matches_the_normal_join_interpreted(weights, share):
    target = int(share * sum(weights))
    normal = solve_subsetsum(
        make_problem(weights, target), "count", "bidirectional", backend="python", low_memory=False
    )
    low = check_exact_goals(weights, target, "python", low_memory=True)
    assert low.count == normal.count


def test_more_than_fifty_items_switch_to_the_low_memory_join(monkeypatch):
    # Past 50 items the default is Schroeppel-Shamir; its count is the DP's.
    import backtrack.bidirectional as bidirectional

    joins = []
    real = bidirectional.Bidirectional._low_memory
    monkeypatch.setattr(bidirectional.Bidirectional, "_low_memory", lambda self: joins.append(1) or real(self))
    weights = [1000 + i for i in range(44)] + [1, 2, 3, 1, 2, 3, 1, 2]  # heavy items pruned: quick
    for target in (6, 2003):
        result = solve_subsetsum(make_problem(weights, target), "count", "bidirectional")
        assert result.count == dp_count(weights, target) > 0
    assert len(joins) == 2


def test_dp_count_oracle_against_brute_force():
    for weights, target in (([1, 2, 3, 3, 0], 3), ([5, 5, 5], 10), ([2, 4], 5), ([], 0)):
        assert (
            dp_count(weights, target) == brute_force(weights, target)[0] if weights else dp_count(weights, target) == 1
        )


# ---------------------------------------------------------------- command line: stdin, low memory, closest


def test_cli_reads_an_instance_from_stdin(capsys, monkeypatch):
    weights, target = generate("avis", 8)
    monkeypatch.setattr("sys.stdin", io.StringIO(" ".join(map(str, [target, *weights])) + "\n"))
    code, out, _ = run_cli(capsys, "--file", "-", "--count", "--json")
    record = json.loads(out)
    assert code == 0 and record["count"] == brute_force(weights, target)[0] and record["instance"] == "-"


def test_cli_low_memory_counts_like_brute_force(capsys):
    weights = [3, 34, 4, 12, 5, 2, 9, 7, 1, 8, 6, 11]
    code, out, _ = run_cli(
        capsys, "--target", "30", *map(str, weights), "--count", "--json", "--strategy", "bidirectional", "--low-memory"
    )
    assert code == 0 and json.loads(out)["count"] == brute_force(weights, 30)[0]
    code, out, _ = run_cli(
        capsys, "--target", "30", *map(str, weights), "--json", "--strategy", "bidirectional", "--low-memory"
    )
    assert code == 0 and is_solution(weights, 30, json.loads(out)["solution"])


@pytest.mark.parametrize(
    "args",
    [
        ("--low-memory", "--strategy", "ordering"),  # not a meet-in-the-middle strategy
        ("--low-memory", "--strategy", "bidirectional", "--closest"),  # Schroeppel-Shamir: first, count
        ("--low-memory", "--strategy", "bidirectional", "--all"),
    ],
)
def test_cli_low_memory_refusals(capsys, args):
    code, out, err = run_cli(capsys, "--target", "9", "3", "34", "4", "12", "5", "2", *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("backtrack: error:")


@pytest.mark.parametrize("strategy", ("dp", "bidirectional", "propagation"))
def test_cli_closest(capsys, strategy):
    weights = [31, 17, 45, 23, 9, 58]
    target = 100  # no subset sums to 100; the best is 99 = 31 + 45 + 23
    _, best = brute_force(weights, target)
    code, out, _ = run_cli(
        capsys, "--target", str(target), *map(str, weights), "--closest", "--json", "--strategy", strategy
    )
    record = json.loads(out)
    assert code == 0 and record["status"] == "optimal" and record["value"] == best < target
    assert sum(weights[i] for i in record["solution"]) == best
