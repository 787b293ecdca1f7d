"""Pixel trees and icicles: the numpy column aggregation against per-node brute force on random
trees, strip totals equal to the run's statistics, and ``backtrack tree --view pixel|icicle|auto``
writing pictures of real traces of thousands of nodes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backtrack as bt
from backtrack.viz import pixel
from backtrack.viz.read import Trace, read_trace
from backtrack.viz.render_mpl import PIXEL_ABOVE
from problems.knapsack.model import STRATEGIES as KNAPSACK
from problems.knapsack.model import Instance, prepare
from problems.nqueens import STRATEGIES as QUEENS
from problems.nqueens import build
from tests.trace.test_draw import run_main

LEAF_OUTCOMES = ("solution", "expanded", *pixel.CUT_KINDS)


@st.composite
def random_traces(draw):
    """A random tree in depth-first order: node j hangs under j - 1 or one of its ancestors."""
    size = draw(st.integers(1, 80))
    parent, depth = [-1], [0]
    for j in range(1, size):
        up = draw(st.integers(0, depth[j - 1]))
        p = j - 1
        for _ in range(up):
            p = parent[p]
        parent.append(p)
        depth.append(depth[p] + 1)
    has_kids = set(parent[1:])
    outcome, info = [], []
    for j in range(size):
        name = "root" if j == 0 else "expanded" if j in has_kids else draw(st.sampled_from(LEAF_OUTCOMES))
        entry = {"outcome": name, "depth": depth[j]}
        if name != "root":
            entry["kind"] = "bound" if name == "decision_bound" else name
        if j and draw(st.integers(0, 3)) == 0:
            entry["incumbent"] = draw(st.integers(-50, 50))
        if name in ("root", "expanded") and draw(st.booleans()):
            entry["not_offered"] = {draw(st.sampled_from(pixel.NOT_OFFERED_KINDS)): draw(st.integers(1, 9))}
        outcome.append(name)
        info.append(entry)
    status = np.array([2 if o in ("root", "expanded") else 0 if o == "solution" else 1 for o in outcome])
    trace = Trace("random", np.array(parent), status, np.array(depth), outcome, [""] * size, info)
    return trace, draw(st.integers(1, 15))


def brute_columns(trace, per):
    """The columns computed node by node in plain Python."""
    count = -(-trace.size // per)
    density = [[0] * count for _ in range(max(trace.depth) + 1)]
    cuts, offered, solutions, incumbent = {}, {}, [0] * count, [None] * count
    known = None
    for node in range(trace.size):
        c = node // per
        density[trace.depth[node]][c] += 1
        name = trace.outcome[node]
        if name in pixel.CUT_KINDS:
            cuts.setdefault(name, [0] * count)[c] += 1
        if name == "solution":
            solutions[c] += 1
        for kind, value in trace.info[node].get("not_offered", {}).items():
            offered.setdefault(kind, [0] * count)[c] += value
        known = trace.info[node].get("incumbent", known)
        incumbent[c] = known
    return density, cuts, offered, solutions, incumbent


@settings(max_examples=50, deadline=None)
@given(random_traces())
def test_columns_equal_a_per_node_count(case):
    trace, per = case
    cols = pixel.columns_of(pixel.node_arrays(trace), per)
    density, cuts, offered, solutions, incumbent = brute_columns(trace, per)
    assert cols.density.tolist() == density
    assert {k: v.tolist() for k, v in cols.cuts.items()} == cuts
    assert {k: v.tolist() for k, v in cols.not_offered.items()} == offered
    assert cols.solutions.tolist() == solutions
    if all(v is None for v in incumbent):
        assert cols.incumbent is None
    else:
        assert [None if np.isnan(v) else v for v in cols.incumbent] == incumbent
    # Every node once, the depth histogram right, the strips adding up to the trace's counts.
    assert cols.density.sum() == trace.size
    assert cols.density.sum(axis=1).tolist() == np.bincount(trace.depth).tolist()
    counts = trace.counts()
    strips = {k: int(v.sum()) for k, v in cols.cuts.items()}
    strips["bound"] = strips.get("bound", 0) + strips.pop("decision_bound", 0)
    assert {k: v for k, v in strips.items() if v} == {k: v for k, v in counts.items() if k in pixel.CUT_KINDS}


def brute_icicle(trace, per):
    """The icicle's cover computed by walking each node's ancestors and subtrees."""
    kids = trace.children()

    def below(node):
        found = [node]
        for child in kids[node]:
            found += below(child)
        return found

    def klass(node):
        name = trace.outcome[node]
        if not kids[node] and name in pixel.ICICLE_CLASSES and name != "expanded":
            return name
        under = [trace.outcome[m] for m in below(node)]
        if "solution" in under:
            return "solution"
        tally = [under.count(k) for k in pixel.CUT_KINDS]
        return pixel.CUT_KINDS[tally.index(max(tally))] if max(tally) else "expanded"

    count = -(-trace.size // per)
    cover = np.zeros((max(trace.depth) + 1, count, len(pixel.ICICLE_CLASSES)), np.int64)
    for node in range(trace.size):
        up = node
        while up >= 0:
            cover[trace.depth[up], node // per, pixel.ICICLE_CLASSES.index(klass(up))] += 1
            up = trace.parent[up]
    return cover


@settings(max_examples=40, deadline=None)
@given(random_traces())
def test_icicle_cover_equals_the_subtrees(case):
    trace, per = case
    cover = pixel.icicle_coverage(pixel.node_arrays(trace), per)
    assert np.array_equal(cover, brute_icicle(trace, per))
    deeper = [int((trace.depth >= d).sum()) for d in range(max(trace.depth) + 1)]
    assert cover.sum(axis=(1, 2)).tolist() == deeper  # a bar covers its whole subtree, nothing else


def _strip_totals(trace):
    cols = pixel.columns_of(pixel.node_arrays(trace), 7)
    cut = {k: int(v.sum()) for k, v in cols.cuts.items()}
    cut["bound"] = cut.get("bound", 0) + cut.pop("decision_bound", 0)
    return cut, {k: int(v.sum()) for k, v in cols.not_offered.items()}, int(cols.solutions.sum()), cols


@pytest.mark.parametrize("name", ["feasibility", "forward-checking", "bitboard"])
def test_strips_equal_the_runs_statistics(tmp_path, name):
    path = tmp_path / "t.sqlite"
    result = bt.solve(build(6, name, "count"), QUEENS[name], "count", backend="python", trace=str(path))
    cut, not_offered, solutions, _ = _strip_totals(read_trace(path))
    assert {k: v for k, v in cut.items() if v} == {k: v for k, v in result.stats.pruned.items() if v}
    assert not_offered == {k: v for k, v in result.stats.not_offered.items() if v}
    assert solutions == result.stats.solutions


def test_knapsack_strips_and_incumbent(tmp_path, capsys):
    rng = np.random.default_rng(5)
    weights = rng.integers(10, 60, 10)
    instance = Instance("t", (weights + 10).tolist(), weights.tolist(), int(weights.sum() // 2))
    path = tmp_path / "k.sqlite"
    result = bt.solve(prepare(instance, "dantzig"), KNAPSACK["dantzig"], "optimize", backend="python", trace=str(path))
    cut, _, solutions, cols = _strip_totals(read_trace(path))
    assert cut["bound"] == result.stats.pruned["bound"] > 0
    assert solutions == result.stats.solutions
    known = cols.incumbent[~np.isnan(cols.incumbent)]
    assert known[-1] == result.value and np.all(np.diff(known) >= 0)  # maximising: it only grows
    status, _, err = run_main(capsys, "tree", path, "--view", "pixel", "--out", tmp_path / "k.svg")
    assert status == 0 and b"incumbent -->" in (tmp_path / "k.svg").read_bytes(), err


@pytest.fixture(scope="module")
def big_trace(tmp_path_factory):
    """10-queens naive, its first 3000 nodes (interpreted: no compiling; the node limit stops it)."""
    path = tmp_path_factory.mktemp("big") / "naive10.sqlite"
    bt.solve(
        build(10, "naive", "count"),
        QUEENS["naive"],
        "count",
        backend="python",
        trace=str(path),
        trace_limit=3000,
        node_limit=3000,
    )
    return path


@pytest.mark.parametrize(("view", "suffix"), [("pixel", ".svg"), ("icicle", ".svg"), ("auto", ".png")])
def test_tree_command_draws_big_traces(big_trace, tmp_path, capsys, view, suffix):
    assert read_trace(big_trace).size > PIXEL_ABOVE
    out = tmp_path / f"big{suffix}"
    status, _, err = run_main(capsys, "tree", big_trace, big_trace, "--view", view, "--out", out)
    assert status == 0, err
    assert f"{'pixel' if view == 'auto' else view} view" in err
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG" if suffix == ".png" else b"<?xml") and len(data) > 10_000
    if suffix == ".svg":  # matplotlib's SVG keeps each text as a comment: the view's own key
        assert (b"per pixel -->" in data) == (view == "pixel") and (b" below -->" in data) == (view == "icicle")


def test_html_embeds_the_pixel_picture(big_trace, tmp_path, capsys):
    out = tmp_path / "big.html"
    status, _, err = run_main(capsys, "tree", big_trace, "--view", "pixel", "--out", out)
    assert status == 0, err
    page = out.read_text()
    assert "data:image/png;base64," in page and "http" not in page


def test_unknown_view_is_a_usage_error(big_trace, tmp_path, capsys):
    status, _, err = run_main(capsys, "tree", big_trace, "--view", "sunburst", "--out", tmp_path / "x.png")
    assert status == 2 and "Traceback" not in err and "--view" in err
