"""The benchmark harness on a tiny configuration: outputs exist and the figures agree."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from benchmarks.nqueens import OEIS_A000170, SUITE  # noqa: E402


def test_parse_sizes():
    assert harness.parse_sizes("4-8") == [4, 5, 6, 7, 8]
    assert harness.parse_sizes("4-10:3,12") == [4, 7, 10, 12]
    with pytest.raises(ValueError):
        harness.parse_sizes(",")


def test_nqueens_sizes_4_to_6_two_strategies(tmp_path):
    from click.testing import CliRunner

    from benchmarks.cli import bench

    out = tmp_path / "out"
    args = ["nqueens", "--sizes", "4-6", "-s", "feasibility,bitboard", "--repeats", "1", "--out", str(out)]
    result = CliRunner().invoke(bench, args)
    assert result.exit_code == 0, result.output
    assert (out / "nqueens.md").exists()
    record = json.loads((out / "nqueens.json").read_text())
    assert record["machine"]["versions"]["numba"]
    assert record["options"]["repeats"] == 1
    rows = record["rows"]
    assert {(r["size"], r["solver"]) for r in rows} == {(n, s) for n in (4, 5, 6) for s in ("feasibility", "bitboard")}
    for r in rows:
        assert r["status"] == "complete", r
        assert r["answer"] == OEIS_A000170[r["size"]]
        assert r["correct"] is True
        assert r["time_s"] >= 0 and r["compile_s"] is not None
        assert r["peak_rss_mb"] >= r["base_rss_mb"] > 0
        assert sum(r["pruned"].values()) <= r["nodes"]
        assert r["solutions"] >= 1
    feasibility = {r["size"]: r for r in rows if r["solver"] == "feasibility"}
    bitboard = {r["size"]: r for r in rows if r["solver"] == "bitboard"}
    for n in (4, 5, 6):
        assert feasibility[n]["pruned"]["feasibility"] > 0  # it prunes by feasibility only
        assert feasibility[n]["solutions"] == OEIS_A000170[n]
        assert bitboard[n]["nodes"] < feasibility[n]["nodes"]  # free columns are never tried
    table = (out / "nqueens.md").read_text()
    assert "| size |" in table and "feasibility" in table and "bitboard" in table
    if _has_matplotlib():
        for name in ("nqueens-time.png", "nqueens-nodes.png", "nqueens-pruning.png"):
            assert (out / name).stat().st_size > 0
    assert "bitboard" in result.output  # the table printed on the terminal


def test_time_limit_marks_and_skips(tmp_path):
    """A solver passing the time limit is marked and not run at larger sizes."""
    solvers = SUITE.solvers()
    rows = harness.run_suite(
        SUITE,
        suite_name="nqueens",
        instances=SUITE.instances([9, 10], [], 1),
        solver_names=["naive"],
        repeats=1,
        time_limit=0.05,
        workdir=tmp_path,
    )
    assert solvers["naive"].kind == "strategy"
    assert [r["status"] for r in rows] == ["timeout", "skipped"]
    assert "limit" in harness.notes(rows)[0]


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True
