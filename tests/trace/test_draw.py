"""``backtrack tree``: layouts without overlaps, legends equal to the run's statistics, the three
output formats, and one-line refusals of bad input."""

import itertools
import sqlite3

import pytest

import backtrack as bt
from backtrack.cli import main
from backtrack.viz import layout as lay
from backtrack.viz.read import read_trace
from backtrack.viz.render_mpl import CHAR_WIDTH, LABEL_POINTS, fitting_labels, legend_entries
from problems.nqueens import STRATEGIES, build


def run_main(capsys, *args):
    try:
        main([str(a) for a in args])
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def traces(tmp_path_factory):
    """6-queens traces of four strategies (interpreted: no compiling) and their results."""
    folder = tmp_path_factory.mktemp("traces")
    made = {}
    for name in ("feasibility", "forward-checking", "bitboard", "naive"):
        n = 4 if name == "naive" else 6
        path = folder / f"{name}.sqlite"
        result = bt.solve(build(n, name, "count"), STRATEGIES[name], "count", backend="python", trace=str(path))
        made[name] = (path, result)
    return made


@pytest.mark.parametrize("threshold", [None, 8, 1])
def test_layout_is_tidy(traces, threshold):
    trace = read_trace(traces["feasibility"][0])
    drawn = lay.layout(trace, threshold)
    kids = {}
    for node, parent in drawn.parent.items():
        kids.setdefault(parent, []).append(node)
    positions = {(drawn.x[n], drawn.y[n]) for n in drawn.nodes}
    assert len(positions) == len(drawn.nodes)  # no two drawn nodes in one place
    for parent, children in kids.items():
        xs = [drawn.x[c] for c in children]
        assert xs == sorted(xs)  # children left to right in visiting order
        assert drawn.x[parent] == (xs[0] + xs[-1]) / 2  # parent centred
    hidden = sum(size - 1 for size, _ in drawn.collapsed.values())
    assert len(drawn.nodes) + hidden == trace.size
    for size, kinds in drawn.collapsed.values():
        assert size > threshold and "solution" not in kinds
        assert sum(kinds.values()) == size - 1


@pytest.mark.parametrize("column_points", [6.0, 20.0, 60.0])
def test_labels_never_overlap_and_appear_where_there_is_room(tmp_path, column_points):
    path = tmp_path / "symmetry.sqlite"
    bt.solve(build(6, "symmetry", "count"), STRATEGIES["symmetry"], "count", backend="python", trace=str(path))
    trace = read_trace(path)
    drawn = lay.layout(trace)
    texts = fitting_labels(trace, drawn, column_points)
    rows = {}
    for node in texts:
        rows.setdefault(drawn.y[node], []).append(node)
    for row in rows.values():
        row.sort(key=drawn.x.get)
        for left, right in itertools.pairwise(row):
            half_widths = (len(texts[left]) + len(texts[right])) * LABEL_POINTS * CHAR_WIDTH / 2
            assert half_widths <= (drawn.x[right] - drawn.x[left]) * column_points
    for node, text in texts.items():
        assert text in trace.label[node]  # the decision's own words, shortened at most
    if column_points >= 60:  # room for every full label on this small tree
        assert [texts.get(n) for n in drawn.nodes[1:]] == [trace.label[n] for n in drawn.nodes[1:]]


@pytest.mark.parametrize("name", ["feasibility", "forward-checking", "bitboard"])
def test_legend_counts_equal_the_runs_statistics(traces, name):
    path, result = traces[name]
    entries, not_offered = legend_entries(read_trace(path))
    shown = dict(entries)
    for kind, count in result.stats.pruned.items():
        if count:
            assert shown[kind].endswith(f": {count}")
        else:
            assert kind not in shown
    assert shown["solution"].endswith(f": {result.stats.solutions}")
    assert not_offered == {k: v for k, v in result.stats.not_offered.items() if v}


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_tree_command_writes_each_format(traces, tmp_path, capsys, suffix):
    out = tmp_path / f"tree{suffix}"
    paths = [traces[name][0] for name in ("feasibility", "forward-checking", "bitboard")]
    status, _, err = run_main(capsys, "tree", *paths, "--out", out)
    assert status == 0, err
    data = out.read_bytes()
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".html": b"<!DOCTYPE html>"}[suffix]
    assert data.startswith(magic)
    if suffix == ".html":
        assert b"http://" not in data.replace(b"http://www.w3.org/2000/svg", b"") and b"https://" not in data


def test_pixel_view_on_request(traces, tmp_path, capsys):
    status, _, err = run_main(capsys, "tree", traces["naive"][0], "--view", "pixel", "--out", tmp_path / "p.png")
    assert status == 0 and "pixel view" in err


def _bad_files(tmp_path, good):
    text = tmp_path / "text.sqlite"
    text.write_text("hello\n")
    foreign = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE Nodes (NodeID INTEGER PRIMARY KEY)")
    db.commit()
    db.close()
    truncated = tmp_path / "truncated.sqlite"
    data = good.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    return {"not SQLite": text, "not ours": foreign, "truncated": truncated, "missing": tmp_path / "none.sqlite"}


def test_bad_trace_files_give_one_line_and_status_2(traces, tmp_path, capsys):
    for why, path in _bad_files(tmp_path, traces["feasibility"][0]).items():
        status, out, err = run_main(capsys, "tree", path, "--out", tmp_path / "x.png")
        assert status == 2, why
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, why
        if why == "not ours":
            assert "not a backtrack trace" in err


def test_bad_outputs_give_one_line_and_status_2(traces, tmp_path, capsys):
    good = traces["feasibility"][0]
    for out in (tmp_path / "x.jpg", tmp_path / "x", tmp_path / "missing" / "x.png"):
        status, _, err = run_main(capsys, "tree", good, "--out", out)
        assert status == 2 and len(err.strip().splitlines()) == 1, out
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    status, _, err = run_main(capsys, "tree", good, "--out", locked / "x.png")
    if not __import__("os").access(locked, __import__("os").W_OK):  # root may write anywhere
        assert status == 2 and len(err.strip().splitlines()) == 1


def test_trace_option_errors_are_one_line(tmp_path, capsys):
    status, _, err = run_main(capsys, "nqueens", "6", "--trace", tmp_path / "none" / "t.sqlite")
    assert status == 2 and len(err.strip().splitlines()) == 1
    status, _, err = run_main(capsys, "nqueens", "6", "--workers", "2", "--trace", tmp_path / "t.sqlite")
    assert status == 2 and "--workers" in err
