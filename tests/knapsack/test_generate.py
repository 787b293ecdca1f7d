"""Pisinger's hard types 11-16: the generator against the statistics of his published files
(tests/data/knapsack, n = 20, 50, 100), small generated instances against a DP on both backends,
the CLI's --generate, and the split package's memo sizing."""

import collections
import functools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from backtrack import solve
from backtrack.cli import main
from problems.knapsack import STRATEGIES, memo, prepare, solve_instance
from problems.knapsack.generate import generate, generate_series, hard_profits
from problems.knapsack.io import read_instances
from problems.knapsack.multiplier import lambda_order
from problems.knapsack.reduction import ratio_order

DATA = Path(__file__).resolve().parents[1] / "data" / "knapsack"
SHARED = Path("/work/shared/data/knapsack/pisinger-hard")  # the full files, where this machine has them
R = 1000  # the range of the published files
HARD = (11, 12, 13, 14, 15, 16)


def published(kind):
    """Instances of the published files of ``kind``: n = 20, 100 and 1000 of the shared set (300
    instances), else the 13 copied into tests/data."""
    paths = [SHARED / f"knapPI_{kind}_{n}_1000.csv" for n in (20, 100, 1000)]
    if not all(path.exists() for path in paths):
        paths = sorted(DATA.glob(f"knapPI_{kind}_*_1000.csv"))
    return [inst for path in paths for inst in read_instances(str(path))]


def fresh(kind, n=100, seeds=range(3), series=100, indices=(1, 2, 50, 99, 100)):
    return [generate(kind, n, R, seed, index, series) for seed in seeds for index in indices]


def spanners(instance):
    """{primitive (p, w) ratio: (spanner item, multipliers)}: each item as a multiple of the
    smallest item of its ratio class that divides all of them."""
    classes = collections.defaultdict(list)
    for p, w in zip(instance.profits, instance.weights, strict=True):
        g = math.gcd(p, w)
        classes[(p // g, w // g)].append(g)
    found = {}
    for (p, w), multiples in classes.items():
        unit = math.gcd(*multiples)
        found[(p, w)] = ((p * unit, w * unit), sorted({m // unit for m in multiples}))
    return found


def span_shape(instance, kind):
    """The properties of span(2, 10) that the published files show (checked on them below)."""
    found = spanners(instance)
    assert 1 <= len(found) <= 2
    for (p, w), multipliers in found.values():
        assert set(multipliers) <= set(range(1, 11))
        assert 1 <= w <= R // 5 and p >= 1
        if kind == 12:
            assert abs(p - w) <= R // 50
        if kind == 13:
            assert p - w == R // 50
    return [m for _, multipliers in found.values() for m in multipliers]


@pytest.mark.parametrize("kind", (11, 12, 13))
def test_spanner_types_have_the_shape_of_the_published_files(kind):
    # The oracle is the published data: the same properties must hold on both, and the items
    # must be spread over the multipliers 1..10 alike.
    for source in (published(kind), fresh(kind)):
        seen = collections.Counter()
        for instance in source:
            seen.update(span_shape(instance, kind))
        assert sorted(seen) == list(range(1, 11))
    # Our spanner weights use the whole range up to R/5 (the bound the published n = 1000 files reach).
    biggest = [max(w for (_, w), _ in spanners(i).values()) for i in fresh(kind, seeds=range(20), indices=(1,))]
    assert max(biggest) > 0.9 * R // 5


@pytest.mark.parametrize("kind", (14, 15, 16))
def test_profit_rules_reproduce_the_published_profits(kind):
    for instance in published(kind):
        assert hard_profits(kind, instance.weights, R) == instance.profits


@pytest.mark.parametrize("kind", (14, 15, 16))
def test_functional_types_draw_weights_like_the_published_files(kind):
    ours = np.concatenate([i.weights for i in fresh(kind, n=1000, seeds=range(2), indices=(1, 2, 3))])
    theirs = np.concatenate([i.weights for i in published(kind)])
    for weights in (ours, theirs):
        assert weights.min() >= 1 and weights.max() <= R
        tolerance = 3 / np.sqrt(len(weights))  # three standard deviations, about
        assert abs(weights.mean() / R - 0.5) < tolerance  # uniform on [1, R]
        assert abs(np.mean(weights % 6 == 0) - 1 / 6) < tolerance  # type 14 tells these apart
    for instance in fresh(kind, n=50):
        assert hard_profits(kind, instance.weights, R) == instance.profits


@pytest.mark.parametrize("kind", HARD)
def test_capacities_follow_the_published_formula(kind):
    for instance in published(kind) + fresh(kind):
        index = int(instance.name.rsplit("_", 1)[1])
        assert instance.capacity == max(index * sum(instance.weights) // 101, max(instance.weights))


def test_the_classic_classes_are_unchanged():
    # The hard types were added beside classes 1-9: their random streams must not have moved
    # (figures of the benchmarks were measured on them). Class 3: p = w + R/10 from one draw.
    instance = generate(3, 5, 1000, seed=1)
    weights = np.random.default_rng([1, 3, 5, 1000, 1]).integers(1, 1000, size=5, endpoint=True)
    assert instance.weights == weights.tolist() and instance.profits == (weights + 100).tolist()


def dp_optimum(instance):
    """Independent oracle: the dynamic program over capacities."""
    best = np.zeros(instance.capacity + 1, np.int64)
    for p, w in zip(instance.profits, instance.weights, strict=True):
        if w <= instance.capacity:
            best[w:] = np.maximum(best[w:], best[: len(best) - w] + p)
    return int(best[-1])


@pytest.mark.parametrize("kind", HARD)
def test_small_hard_instances_match_the_dp_on_both_backends(kind):
    for instance in generate_series(kind, 30, 100, seed=kind, count=3):
        expected = dp_optimum(instance)
        nodes = set()
        for backend in ("numba", "python"):
            result, chosen = solve_instance(instance, backend=backend)
            assert result.status == "optimal" and result.value == expected
            assert sum(instance.weights[j] for j in chosen) <= instance.capacity
            assert sum(instance.profits[j] for j in chosen) == expected
            nodes.add(result.stats.nodes)
        assert len(nodes) == 1


def test_cli_generates_hard_types(tmp_path, capsys):
    out = tmp_path / "h.csv"
    main(["knapsack", "--generate", "16", "--n", "25", "--range", "100", "--count", "3", "--output", str(out)])
    written = read_instances(str(out))
    assert [i.name for i in written] == [f"knapPI_16_25_100_{i}" for i in (1, 2, 3)]
    assert all(hard_profits(16, i.weights, 100) == i.profits for i in written)
    with pytest.raises(SystemExit) as stop:
        main(["knapsack", "--generate", "17"])
    assert stop.value.code == 2


@pytest.mark.parametrize("pareto_entries", [memo.PARETO_ENTRIES, 1])
def test_memo_lists_take_their_size_from_the_memo_module(pareto_entries):
    # preparation reads memo.PARETO_ENTRIES when it sizes the Pareto lists; a problem value with
    # one-entry lists (every further state in a window) solves alike twice on both backends.
    instance = generate(3, 40, 100, seed=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(memo, "PARETO_ENTRIES", pareto_entries)
        problem = prepare(instance, "combo")
    assert (problem.memo_lists.shape[2] == 1) == (pareto_entries == 1)
    first = solve(problem, STRATEGIES["combo"], "optimize")
    second = solve(problem, STRATEGIES["combo"], "optimize", backend="python")
    assert first.value == second.value == dp_optimum(instance)
    assert first.stats.nodes == second.stats.nodes


def test_time_limit_bounds_the_preparation_too(capsys):
    # The core searches run while preparing: a limit spent before them skips them.
    instance = generate(16, 300, 1000, seed=1, index=50, series=100)
    assert prepare(instance).core_nodes > 0
    assert prepare(instance, time_limit=1e-9).core_nodes == 0
    main(["knapsack", str(DATA / "knapPI_14_50_1000.csv"), "--instance", "knapPI_14_50_1000_1", "--json", "--quiet"])
    record = json.loads(capsys.readouterr().out)
    assert record["status"] == "optimal" and 0 < record["prepare_s"] < 60


def cross_product_order(profits, weights, indices, lam=None):
    """Reference: the exact sort by integer cross products (ties by profit/weight, then index)."""

    def compare(a, b):
        diff = 0
        if lam is not None:
            diff = (profits[b] - lam) * weights[a] - (profits[a] - lam) * weights[b]
        diff = diff or profits[b] * weights[a] - profits[a] * weights[b]
        return diff or a - b

    return sorted(indices, key=functools.cmp_to_key(compare))


@pytest.mark.parametrize("kind", (1, 4, 9, 13, 16))
def test_fast_ratio_sorts_match_the_cross_product_sort(kind):
    for value_range in (1000, 10**6):
        instance = generate(kind, 400, value_range, seed=kind)
        p, w = instance.profits, instance.weights
        indices = list(range(len(p)))[::-1]
        assert ratio_order(p, w, indices) == cross_product_order(p, w, indices)
        for lam in (-value_range // 10, 3, -value_range * value_range):
            assert lambda_order(p, w, indices, lam) == cross_product_order(p, w, indices, lam)


def test_ratio_sort_near_ties_beyond_float_precision():
    # x/(x-1) and (x+1)/x differ by 1/(x(x-1)), below a double's resolution near 1: such items
    # must go to the exact sort (the larger ratio comes first although its index is higher).
    x = (1 << 40) + 11
    p = [x + 1] + [1] * 70 + [x]
    w = [x] + [1000] * 70 + [x - 1]
    assert ratio_order(p, w, list(range(len(p))))[:2] == [len(p) - 1, 0]
    assert ratio_order(p, w, list(range(len(p)))) == cross_product_order(p, w, list(range(len(p))))
