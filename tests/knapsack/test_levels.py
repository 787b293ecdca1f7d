"""The knapsack's ``levels`` strategy (combo's bounds searched level by level, the default):
against the dynamic program on Pisinger's hard types, across backends, and on the command line
(where --workers and --trace take the depth-first ``combo``)."""

import json
from pathlib import Path

import pytest

from backtrack import solve
from backtrack.cli import main
from problems.knapsack import model
from problems.knapsack.generate import generate
from problems.knapsack.model import prepare, solve_instance
from tests.knapsack.test_knapsack import check_solution, dp_optimum

DATA = Path(__file__).resolve().parents[1] / "data" / "knapsack"


# Types 14 and 16 are what the level search is for; the others are slow-suite (CI checks them
# through the default strategy's shared-file tests against the files' optima).
@pytest.mark.parametrize(
    "kind", [pytest.param(k, marks=pytest.mark.slow) if k not in (14, 16) else k for k in range(11, 17)]
)
def test_levels_prove_the_dp_optimum_of_the_hard_types(kind):
    for index in (30, 70):
        instance = generate(kind, 300, 1000, seed=3, index=index, series=100)
        result, chosen = solve_instance(instance, "levels")
        assert result.status == "optimal" and result.value == dp_optimum(instance)
        check_solution(instance, result, chosen)


@pytest.mark.parametrize("kind", [14, 16])
def test_levels_search_is_the_same_on_both_backends(kind):
    # Preparation without core searches or probe: the level search itself does the work.
    instance = generate(kind, 80, 1000, seed=11, index=50, series=100)
    problem = prepare(instance, "levels", core_search=False)
    strategy = model.search_strategy(problem, "levels")
    compiled = solve(problem, strategy, "optimize")
    interpreted = solve(problem, strategy, "optimize", backend="python")
    assert compiled.status == interpreted.status == "optimal"
    assert compiled.value == interpreted.value == dp_optimum(instance)
    assert compiled.stats.nodes == interpreted.stats.nodes > 0
    assert compiled.stats.pruned == interpreted.stats.pruned
    assert compiled.solution == interpreted.solution
    check_solution(instance, compiled, problem.chosen_items(compiled.solution))


def test_levels_without_the_depth_first_probe_still_prove_the_optimum(monkeypatch):
    # The probe proves most small instances; switched off, the level search proves them alone.
    monkeypatch.setattr(model, "LEVELS_PROBE_MAX_ITEMS", 0)
    for kind in (12, 14, 16):
        instance = generate(kind, 200, 1000, seed=5, index=40, series=100)
        result, chosen = solve_instance(instance, "levels")
        assert result.status == "optimal" and result.value == dp_optimum(instance)
        check_solution(instance, result, chosen)


FILE = str(DATA / "knapPI_16_50_1000.csv")


def _records(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_cli_default_is_levels_and_trace_takes_combo(capsys, tmp_path):
    main(["knapsack", FILE, "--instance", "knapPI_16_50_1000_3", "--json", "--quiet"])
    (record,) = _records(capsys)
    assert record["strategy"] == "levels" and record["matches_known"] is True
    trace = tmp_path / "t.sqlite"
    main(["knapsack", FILE, "--instance", "knapPI_16_50_1000_3", "--json", "--quiet", "--trace", str(trace)])
    (traced,) = _records(capsys)
    assert traced["strategy"] == "combo" and traced["value"] == record["value"] and trace.exists()


@pytest.mark.parametrize("option", [["--workers", "2"], ["--trace", "t.sqlite"]])
def test_cli_levels_with_depth_first_options_is_one_line_exit_2(option, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["knapsack", FILE, "--instance", "knapPI_16_50_1000_3", "--strategy", "levels", "--quiet", *option])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "levels" in err
    assert not (tmp_path / "t.sqlite").exists()
