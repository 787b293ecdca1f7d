"""Recording the search tree: CP-Profiler's loader rules, both backends alike, counts equal the
statistics, and the unpruned tree accounted for exactly (visited + cut subtrees + values not offered)."""

import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backtrack as bt
from backtrack.viz.read import read_trace
from problems.knapsack.model import STRATEGIES as KNAPSACK
from problems.knapsack.model import Instance, prepare
from problems.nqueens import STRATEGIES as QUEENS
from problems.nqueens import build
from problems.subsetsum.model import STRATEGIES as SUBSETSUM
from problems.subsetsum.model import make_problem
from tests.engine.random_csp import COMBOS, csps
from tests.engine.random_csp import STRATEGIES as CSP_STRATEGIES


def traced(tmp_path, problem, strategy, goal, backend, **options):
    path = tmp_path / f"{strategy.name}-{backend}.sqlite"
    result = bt.solve(problem, strategy, goal, backend=backend, trace=str(path), **options)
    return result, read_trace(path), path


def rows(path):
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT * FROM Nodes ORDER BY NodeID").fetchall(), db.execute(
            "SELECT * FROM Info ORDER BY NodeID"
        ).fetchall()
    finally:
        db.close()


def unpruned_size(n_values, levels_below):
    """Nodes of the unpruned tree under a node with ``levels_below`` levels left (itself excluded)."""
    return sum(n_values**k for k in range(1, levels_below + 1))


def check_cp_profiler_rules(path):
    """The rules of CP-Profiler's loader (db_handler.cpp): the tables and columns it reads, ids
    dense from 0 in depth-first order, the root's parent -1, NKids and Alternative consistent."""
    db = sqlite3.connect(path)
    try:
        columns = {
            t: [c[1] for c in db.execute(f"PRAGMA table_info({t})")] for t in ("Nodes", "Bookmarks", "Nogoods", "Info")
        }
        nodes = db.execute(
            "SELECT NodeID, ParentID, Alternative, NKids, Status, Label FROM Nodes ORDER BY NodeID"
        ).fetchall()
    finally:
        db.close()
    assert columns["Nodes"] == ["NodeID", "ParentID", "Alternative", "NKids", "Status", "Label"]
    assert columns["Bookmarks"] == ["NodeID", "Bookmark"]
    assert columns["Nogoods"] == ["NodeID", "Nogood"]
    assert columns["Info"] == ["NodeID", "Info"]
    assert [row[0] for row in nodes] == list(range(len(nodes)))
    assert nodes[0][1] == -1
    kids = {}
    for node, parent, alternative, _, status, label in nodes[1:]:
        assert 0 <= parent < node
        kids.setdefault(parent, []).append(alternative)
        assert status in (0, 1, 2, 3)
        assert isinstance(label, str) and 0 < len(label) <= 256
    for node, _, _, nkids, status, _ in nodes:
        alternatives = kids.get(node, [])
        assert nkids == len(alternatives)
        assert sorted(alternatives) == list(range(nkids))
        if nkids:
            assert status == 2  # BRANCH


QUEEN_STRATEGIES = ["naive", "feasibility", "forward-checking", "bitboard"]


@pytest.mark.parametrize("name", QUEEN_STRATEGIES)
def test_queens_trace_follows_cp_profiler_and_matches_stats(tmp_path, name):
    problem = build(5, name, "count")
    result, trace, path = traced(tmp_path, problem, QUEENS[name], "count", "python")
    check_cp_profiler_rules(path)
    assert trace.size == result.stats.nodes + 1
    counts = trace.counts()
    for kind in ("feasibility", "bound", "propagation", "dominance"):
        assert counts.get(kind, 0) == result.stats.pruned[kind]
    assert counts.get("solution", 0) == result.stats.solutions
    assert trace.not_offered() == {k: v for k, v in result.stats.not_offered.items() if v}


@pytest.mark.parametrize("name", ["naive", "feasibility", "forward-checking", "mrv", "bitboard", "symmetry"])
def test_every_node_of_the_unpruned_tree_is_visited_cut_or_not_offered(tmp_path, name):
    # The unpruned tree of n-queens has sum(n^d) nodes; each one is either visited, or below a
    # visited cut node, or is (or is below) a value a level did not offer. Independent of the engine.
    n = 5
    problem = build(n, name, "count")
    result, trace, _ = traced(tmp_path, problem, QUEENS[name], "count", "python")
    accounted = result.stats.nodes
    for node in range(1, trace.size):
        depth = trace.depth[node]
        if trace.status[node] == 1:  # FAILED: its subtree was never built
            accounted += unpruned_size(n, n - depth)
        for count in trace.info[node].get("not_offered", {}).values():
            accounted += count * (1 + unpruned_size(n, n - depth - 1))
    for count in trace.info[0].get("not_offered", {}).values():
        accounted += count * (1 + unpruned_size(n, n - 1))
    assert accounted == unpruned_size(n, n)


def _same_on_both_backends(tmp_path, problem, strategy, goal):
    python_result, _, python_path = traced(tmp_path / "py", problem, strategy, goal, "python")
    numba_result, _, numba_path = traced(tmp_path / "nb", problem, strategy, goal, "numba")
    assert rows(python_path) == rows(numba_path)
    assert python_result.stats.not_offered == numba_result.stats.not_offered
    return numba_result


@pytest.fixture
def dirs(tmp_path):
    (tmp_path / "py").mkdir()
    (tmp_path / "nb").mkdir()
    return tmp_path


def test_both_backends_record_the_same_queens_tree(dirs):
    _same_on_both_backends(dirs, build(6, "forward-checking", "count"), QUEENS["forward-checking"], "count")


def test_both_backends_record_the_same_knapsack_tree_with_incumbents(dirs):
    rng = np.random.default_rng(3)
    weights = rng.integers(10, 60, 10)
    profits = weights + 10
    instance = Instance("t", profits.tolist(), weights.tolist(), int(weights.sum() // 2))
    problem = prepare(instance, "dantzig")
    result = _same_on_both_backends(dirs, problem, KNAPSACK["dantzig"], "optimize")
    trace = read_trace(dirs / "nb" / "dantzig-numba.sqlite")
    bound_cuts = [i for i in range(trace.size) if trace.kind(i) == "bound"]
    assert len(bound_cuts) == result.stats.pruned["bound"] > 0
    # A bound cut records the incumbent it could not beat: never above the optimum.
    assert all(trace.info[i]["incumbent"] <= result.value for i in bound_cuts)


def test_both_backends_record_the_same_subsetsum_tree(dirs):
    problem = make_problem([3, 34, 4, 12, 5, 2, 9, 7], 27)
    _same_on_both_backends(dirs, problem, SUBSETSUM["feasibility"], "count")


def test_labels_speak_the_problems_terms(tmp_path):
    _, trace, _ = traced(tmp_path, build(4, "feasibility", "count"), QUEENS["feasibility"], "count", "python")
    assert trace.label[1] == "row 0 = col 0"
    cut = next(i for i in range(trace.size) if trace.outcome[i] == "feasibility")
    assert trace.label[cut].endswith("[feasibility]")


def test_trace_limit_stops_recording_and_the_search_finishes(tmp_path):
    said = []
    problem = build(7, "feasibility", "count")
    full = bt.solve(problem, QUEENS["feasibility"], "count", backend="python")
    path = tmp_path / "limited.sqlite"
    limited = bt.solve(
        problem,
        QUEENS["feasibility"],
        "count",
        backend="python",
        trace=str(path),
        trace_limit=100,
        on_trace_limit=said.append,
    )
    assert said == [100]
    assert limited.trace["truncated"] and limited.trace["recorded"] == 100
    assert read_trace(path).size == 100
    assert limited.count == full.count == 40 and limited.stats.nodes == full.stats.nodes
    check_cp_profiler_rules(path)


def test_trace_refuses_workers_and_unwritable_places(tmp_path):
    problem = build(6, "bitboard", "count")
    with pytest.raises(ValueError, match="workers"):
        bt.solve(problem, QUEENS["bitboard"], "count", workers=2, trace=str(tmp_path / "t.sqlite"))
    with pytest.raises(ValueError, match="cannot write trace"):
        bt.solve(problem, QUEENS["bitboard"], "count", trace=str(tmp_path / "missing" / "t.sqlite"))


def _trace_rows_add_up(tmp_dir, problem, strategy, goal, **options):
    # The untraced loop derives the not-offered totals at the end of each slice (from the nodes,
    # cuts, leaves and the open levels' untried values); the traced loop also counts them level by
    # level into the rows. Stopped searches included: a level counts from when it opened.
    result, trace, _ = traced(tmp_dir, problem, strategy, goal, "python", **options)
    assert trace.not_offered() == {k: v for k, v in result.stats.not_offered.items() if v}
    return result


@settings(deadline=None, max_examples=80)
@given(
    csp=csps(),
    combo=st.sampled_from(COMBOS),
    goal=st.sampled_from(["first", "all", "count", "optimize"]),
    node_limit=st.none() | st.integers(1, 30),
)
def test_derived_not_offered_totals_are_the_levels_summed_on_random_csps(csp, combo, goal, node_limit):
    # Random CSPs have domains of different sizes per variable, with and without propagation.
    with tempfile.TemporaryDirectory() as tmp_dir:
        _trace_rows_add_up(Path(tmp_dir), csp, CSP_STRATEGIES[combo], goal, node_limit=node_limit)


STOPPED = [(name, goal) for name in ("forward-checking", "mrv", "bitboard") for goal in ("first", "all")]
STOPPED += [("symmetry", "count"), ("bitboard", "count")]  # bitboard counts mirror the first two rows


@pytest.mark.parametrize(("name", "goal"), STOPPED)
def test_derived_not_offered_totals_of_stopped_queens_searches(tmp_path, name, goal):
    # Domains (forward-checking, mrv), plain_value_bits (bitboard, symmetry; the bitboard count
    # mirrors its first two rows), searches stopped at a solution or a node limit.
    for n, limit in ((6, None), (7, 25), (8, 300)):
        (tmp_path / f"{n}").mkdir()
        problem = build(n, name, goal)
        result = _trace_rows_add_up(tmp_path / f"{n}", problem, QUEENS[name], goal, node_limit=limit)
        assert sum(result.stats.not_offered.values()) > 0


def test_derived_not_offered_totals_over_restarts(tmp_path, monkeypatch):
    # Randomised restarts abandon the open levels' untried values: neither faced nor left out.
    # Attempts of 5, 7, 11, ... nodes, so that 10-queens mrv restarts several times.
    restarts = []
    real_restart = bt.Search._restart
    monkeypatch.setattr(bt.Search, "_attempt_nodes", lambda self, attempt: int(5 * 1.5**attempt))
    monkeypatch.setattr(bt.Search, "_restart", lambda self: restarts.append(1) or real_restart(self))
    result = _trace_rows_add_up(tmp_path, build(10, "mrv", "first"), QUEENS["mrv"], "first", restarts=True)
    assert result.status == "satisfied" and len(restarts) >= 2


@pytest.mark.parametrize("name", ["forward-checking", "bitboard"])
def test_derived_not_offered_totals_under_forced_decisions(tmp_path, name):
    # A prefix's levels offer their one forced value (or none once it is attacked: (1, 1)).
    not_offered = 0
    for prefix in ([(0, 1)], [(0, 1), (1, 3)], [(0, 0), (1, 1)], [(0, 0), (1, 2)]):
        (tmp_path / str(prefix)).mkdir()
        problem = build(6, name, "all")
        result = _trace_rows_add_up(tmp_path / str(prefix), problem, QUEENS[name], "all", prefix=prefix)
        not_offered += sum(result.stats.not_offered.values())
    assert not_offered > 0
