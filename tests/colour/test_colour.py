"""Graph colouring: chromatic numbers against brute force and the published values, counts against
brute force, colourings checked edge by edge, both backends alike node for node, the CLI."""

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backtrack as bt
from problems.colour import STRATEGIES, Graph, build, dsatur_greedy, greedy_clique, is_proper, read_dimacs
from problems.colour.graph import is_clique
from problems.colour.model import DEFAULT_STRATEGY

DATA = Path(__file__).resolve().parents[1] / "data" / "colour"
# Published chromatic numbers (Trick's COLOR pages; Mycielski graphs: k + 1 for myciel k).
KNOWN = {"myciel3": 4, "myciel4": 5, "myciel5": 6, "queen5_5": 5, "queen6_6": 7, "queen7_7": 7, "queen8_8": 9}
DEFAULT = STRATEGIES[DEFAULT_STRATEGY]


def graph_of(n, pairs):
    edges = np.unique(np.array(sorted({(min(u, v), max(u, v)) for u, v in pairs}), np.int64).reshape(-1, 2), axis=0)
    return Graph(n=n, edges=edges, name="test", header_edges=len(edges))


def proper_colourings(graph, k):
    """Brute force, no engine code: every assignment of colours 0..k-1 whose edges all differ."""
    for colours in itertools.product(range(k), repeat=graph.n):
        if all(colours[u] != colours[v] for u, v in graph.edges.tolist()):
            yield colours


def in_first_use_order(colours):
    """Colours first appear as 0, 1, 2, ... along the vertices: one per renaming class."""
    largest = -1
    for c in colours:
        if c > largest + 1:
            return False
        largest = max(largest, c)
    return True


def chromatic_number(graph):
    return next(k for k in range(1, graph.n + 1) if next(proper_colourings(graph, k), None) is not None)


def partitions(graph, k):
    """Colourings with at most k colours up to a renaming of the colours (brute force)."""
    return sum(1 for c in proper_colourings(graph, min(k, graph.n)) if in_first_use_order(c))


# Sparse to complete graphs: each pair of vertices is an edge with a drawn probability.
def graphs(most):
    def with_edges(n):
        pairs = list(itertools.combinations(range(n), 2))
        chosen = st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs))
        return chosen.map(lambda keep: graph_of(n, [p for p, k in zip(pairs, keep, strict=True) if k]))

    return st.integers(1, most).flatmap(with_edges)


small_graphs = graphs(7)


def test_the_brute_force_oracles():
    complete = graph_of(5, itertools.combinations(range(5), 2))
    assert chromatic_number(complete) == 5
    assert chromatic_number(graph_of(5, [(i, (i + 1) % 5) for i in range(5)])) == 3  # an odd cycle
    assert partitions(graph_of(5, []), 5) == 52  # Bell number B5: every partition of 5 vertices
    assert partitions(graph_of(4, [(0, 1)]), 2) == 4  # {01 apart}: {0}{1 2 3}, {0 2}{1 3}, {0 3}{1 2}, {0 2 3}{1}
    assert partitions(complete, 5) == 1 and sum(1 for _ in proper_colourings(complete, 5)) == 120


@given(small_graphs)
def test_chromatic_number_matches_brute_force(graph):
    result = bt.solve(build(graph), DEFAULT, "optimize")
    assert result.status == "optimal" and result.value == chromatic_number(graph)
    assert is_proper(graph.n, graph.edges, result.solution)
    assert max(result.solution) + 1 == result.value


@given(small_graphs)
def test_every_strategy_interpreted_matches_brute_force(graph):
    chromatic = chromatic_number(graph)
    problem = build(graph)
    # The greedy start is often optimal on so few vertices: also start from the worst colouring.
    worst = problem._replace(colours=graph.n, incumbent=np.arange(graph.n, dtype=np.int64))
    for name, strategy in STRATEGIES.items():
        for start in (problem, worst) if strategy.has_bound else (problem,):  # without a bound it changes nothing
            result = bt.solve(start, strategy, "optimize", backend="python")
            assert result.status == "optimal" and result.value == chromatic, name
            assert is_proper(graph.n, graph.edges, result.solution), name


@given(small_graphs, st.integers(1, 4))
def test_count_is_colourings_up_to_renaming(graph, k):
    counted = bt.solve(build(graph, k), DEFAULT, "count")
    assert counted.status == "complete" and counted.count == partitions(graph, k)
    first = bt.solve(build(graph, k), DEFAULT, "first")
    assert (first.status == "satisfied") == (counted.count > 0)
    if first.solution is not None:
        assert is_proper(graph.n, graph.edges, first.solution) and max(first.solution) < k


@given(graphs(6), st.integers(0, 1))
def test_every_strategy_counts_the_same_interpreted(graph, slack):
    k = chromatic_number(graph) + slack  # with k = the chromatic number the clique rules bite
    expected = partitions(graph, k)
    for name, strategy in STRATEGIES.items():
        result = bt.solve(build(graph, k), strategy, "count", backend="python")
        assert result.count == expected, name
        if slack == 0 and k > 1:
            assert bt.solve(build(graph, k - 1), strategy, "first", backend="python").status == "unsatisfiable", name


def test_all_lists_each_renaming_class_once():
    graph = graph_of(5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)])
    found = [tuple(s) for s in bt.Search(build(graph, 3), DEFAULT, "all")]
    assert all(is_proper(graph.n, graph.edges, s) for s in found)
    canonical = {tuple({c: i for i, c in enumerate(dict.fromkeys(s))}[c] for c in s) for s in found}
    assert len(found) == len(canonical) == partitions(graph, 3) == 5 * 1 + 0  # C5: 5 colourings with 3 classes
    labelled = sum(1 for _ in proper_colourings(graph, 3))
    assert labelled == 30 and labelled == len(found) * 6  # 3! renamings of each


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_published_chromatic_numbers(name):
    if name == "queen8_8":
        pytest.skip("about a second of search: see the slow test")
    graph = read_dimacs(DATA / f"{name}.col")
    result = bt.solve(build(graph), DEFAULT, "optimize")
    assert result.status == "optimal" and result.value == KNOWN[name]
    assert is_proper(graph.n, graph.edges, result.solution)


@pytest.mark.slow
def test_queen8_8_published_chromatic_number():
    graph = read_dimacs(DATA / "queen8_8.col")
    result = bt.solve(build(graph), DEFAULT, "optimize")
    assert result.status == "optimal" and result.value == KNOWN["queen8_8"]


def test_default_strategy_on_both_backends(both_backends):
    for name in ("myciel3", "queen5_5"):
        graph = read_dimacs(DATA / f"{name}.col")
        result, _ = both_backends(build(graph), DEFAULT, "optimize")
        assert result.value == KNOWN[name]
        counted, _ = both_backends(build(graph, KNOWN[name]), DEFAULT, "count")
        assert counted.count > 0
        short, _ = both_backends(build(graph, KNOWN[name] - 1), DEFAULT, "first")
        assert short.status == "unsatisfiable"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_on_both_backends(name, both_backends):
    graph = read_dimacs(DATA / "myciel3.col")
    result, _ = both_backends(build(graph), STRATEGIES[name], "optimize")
    assert result.value == 4 and is_proper(graph.n, graph.edges, result.solution)
    counted, _ = both_backends(build(graph, 4), STRATEGIES[name], "count")
    assert counted.count == partitions(graph, 4)


@given(small_graphs)
def test_greedy_colouring_and_clique(graph):
    colours = dsatur_greedy(graph.n, graph.edges)
    assert is_proper(graph.n, graph.edges, colours)
    clique = greedy_clique(graph.n, graph.edges)
    assert clique and is_clique(graph.edges, clique)
    assert len(clique) <= chromatic_number(graph) <= max(colours) + 1


def test_strategies_prune_more_down_the_ladder():
    graph = read_dimacs(DATA / "myciel3.col")
    nodes = [bt.solve(build(graph), STRATEGIES[name], "optimize", backend="python").stats.nodes for name in STRATEGIES]
    assert nodes == sorted(nodes, reverse=True), dict(zip(STRATEGIES, nodes, strict=True))
