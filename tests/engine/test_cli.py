"""The ``backtrack`` command line: help, version, one-line usage errors, JSON records, exit statuses.

A few runs go through a new process (``python -m backtrack`` and the installed script); the
rest call ``backtrack.cli.main`` in this process, which is the same entry point.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import backtrack
from backtrack.cli import main

STATS_KEYS = {"nodes", "pruned", "solutions", "max_depth", "time_s", "compile_s"}
PRUNED_KEYS = {"feasibility", "bound", "propagation", "dominance"}
RECORD_KEYS = {"problem", "instance", "strategy", "backend", "status", "count", "value", "solution", "stats"}


def run_main(capsys, *args):
    """Run the CLI in this process; return (exit status, stdout, stderr)."""
    try:
        main([str(a) for a in args])
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    out, err = capsys.readouterr()
    return status, out, err


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_help(backtrack_cli):
    run = backtrack_cli("--help", timeout=60)
    assert run.returncode == 0
    assert "Usage:" in run.stdout
    assert "nqueens" in run.stdout
    assert run.stderr == ""


def test_version(backtrack_cli):
    run = backtrack_cli("--version", timeout=60)
    assert run.returncode == 0
    assert backtrack.__version__ in run.stdout
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert f'version = "{backtrack.__version__}"' in pyproject


def test_the_installed_script_runs():
    script = shutil.which("backtrack", path=str(Path(sys.executable).parent))
    assert script is not None, "the backtrack console script is not installed beside this Python"
    run = subprocess.run([script, "nqueens", "6", "--json", "--quiet"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    (record,) = json_lines(run.stdout)
    assert (record["problem"], record["instance"], record["count"]) == ("nqueens", "6", 4)


def test_bad_usage_in_a_new_process(backtrack_cli):
    run = backtrack_cli("nqueens", "8", "--strategy", "no-such-strategy", timeout=120)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "no-such-strategy" in run.stderr
    assert run.stdout == ""


BAD_USAGE = {
    "no-command": ["no-such-command"],
    "missing-n": ["nqueens"],
    "n-zero": ["nqueens", "0"],
    "n-not-a-number": ["nqueens", "eight"],
    "unknown-option": ["nqueens", "8", "--no-such-option"],
    "unknown-strategy": ["nqueens", "8", "--strategy", "no-such-strategy"],
    "unknown-backend": ["nqueens", "8", "--backend", "cuda"],
    "goal-not-offered": ["nqueens", "8", "--optimize"],
    "node-limit-zero": ["nqueens", "8", "--node-limit", "0"],
    "time-limit-negative": ["nqueens", "8", "--time-limit", "-1"],
    "bitboard-too-large": ["nqueens", "63", "--strategy", "bitboard"],
    "default-count-too-large": ["nqueens", "63", "--count"],
}


@pytest.mark.parametrize("args", BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_usage_exits_2_with_one_line(capsys, args):
    status, out, err = run_main(capsys, *args)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backtrack: error: ")
    assert "Traceback" not in err


def test_list_strategies(capsys):
    status, out, _ = run_main(capsys, "nqueens", "8", "--list-strategies")
    assert status == 0
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    from problems.nqueens import STRATEGIES

    assert names == list(STRATEGIES)


@pytest.mark.parametrize("backend", ["python", "numba"])
def test_json_record(capsys, backend):
    status, out, err = run_main(
        capsys, "nqueens", "6", "--count", "--strategy", "feasibility", "--backend", backend, "--json", "--quiet"
    )
    assert status == 0, err
    (record,) = json_lines(out)
    assert RECORD_KEYS <= set(record)
    assert STATS_KEYS <= set(record["stats"])
    assert PRUNED_KEYS <= set(record["stats"]["pruned"])
    assert record["problem"] == "nqueens"
    assert record["instance"] == "6"
    assert record["strategy"] == "feasibility"
    assert record["backend"] == backend
    assert record["status"] == "complete"
    assert record["count"] == 4  # A000170(6)
    assert record["value"] is None and record["solution"] is None
    assert record["stats"]["solutions"] == 4
    assert record["stats"]["max_depth"] == 6
    assert record["stats"]["pruned"]["feasibility"] > 0
    assert record["stats"]["nodes"] > record["stats"]["pruned"]["feasibility"]
    assert (record["stats"]["compile_s"] == 0) == (backend == "python")


def test_json_first(capsys):
    status, out, _ = run_main(capsys, "nqueens", "8", "--first", "--strategy", "mrv", "--json", "--quiet")
    assert status == 0
    (record,) = json_lines(out)
    assert record["status"] == "satisfied"
    columns = record["solution"]
    assert sorted(columns) == list(range(8))
    assert all(abs(columns[a] - columns[b]) != b - a for a in range(8) for b in range(a + 1, 8))


def test_json_all_streams_each_solution_then_the_summary(capsys):
    status, out, _ = run_main(capsys, "nqueens", "6", "--all", "--strategy", "forward-checking", "--json", "--quiet")
    assert status == 0
    *streamed, summary = json_lines(out)
    assert [r["index"] for r in streamed] == [0, 1, 2, 3]
    assert all(set(r) == {"problem", "instance", "index", "solution"} for r in streamed)
    assert summary["status"] == "complete" and summary["count"] == 4
    assert len({tuple(r["solution"]) for r in streamed}) == 4


@pytest.mark.parametrize(
    ("limit", "reason"),
    [(["--node-limit", "50"], "nodes"), (["--time-limit", "0.2"], "time")],
    ids=["nodes", "time"],
)
def test_a_limit_still_exits_0(capsys, limit, reason):
    # Counting 30 queens with feasibility pruning alone takes far longer than either limit.
    status, out, err = run_main(capsys, "nqueens", "30", "--strategy", "feasibility", *limit, "--json", "--quiet")
    assert status == 0, err
    (record,) = json_lines(out)
    assert (record["status"], record["stop_reason"]) == ("limit", reason)
    if reason == "nodes":
        assert record["stats"]["nodes"] <= 50


def test_text_output_for_a_limit(capsys):
    status, out, _ = run_main(capsys, "nqueens", "30", "--strategy", "feasibility", "--node-limit", "50", "--quiet")
    assert status == 0
    assert "limit (nodes)" in out
