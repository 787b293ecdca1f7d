"""The DIMACS reader and the ``backtrack colour`` command: edge cases, errors (one line, exit 2), JSON."""

import gzip
import json
from pathlib import Path

import pytest

from problems.colour import is_proper, parse_dimacs, read_dimacs

DATA = Path(__file__).resolve().parents[1] / "data" / "colour"


def test_duplicates_reversed_edges_and_a_wrong_header_count():
    graph = parse_dimacs(["c a comment", "", "p edge 4 99", "e 1 2", "e 2 1", "e 1 2", "e 3 4", "c end"])
    assert graph.n == 4 and graph.header_edges == 99
    assert graph.edges.tolist() == [[0, 1], [2, 3]]
    assert parse_dimacs(["p col 3 1", "e 3 1"]).edges.tolist() == [[0, 2]]
    assert parse_dimacs(["p edge 3 0"]).edges.shape == (0, 2)


@pytest.mark.parametrize(
    "lines, message",
    [
        (["p edge 3 1", "e 2 2"], "self-loop"),
        (["p edge 3 1", "e 1 4"], "out of range"),
        (["p edge 3 1", "e 0 1"], "out of range"),
        (["e 1 2", "p edge 3 1"], "before"),
        (["c nothing"], "no 'p edge"),
        (["p edge 3 1", "p edge 3 1"], "second"),
        (["p edge 3 1", "x 1 2"], "expected a 'c', 'p' or 'e' line"),
        (["p edge 3 1", "e 1"], "expected 'e U V'"),
        (["p edge three 1"], "whole numbers"),
        (["p graph 3 1"], "expected 'p edge"),
        (["p edge 0 0"], "no vertices"),
    ],
)
def test_bad_input_names_the_line(lines, message):
    with pytest.raises(ValueError, match=message) as raised:
        parse_dimacs(lines, "g.col")
    assert str(raised.value).startswith("g.col:")


def test_gzip_and_the_bundled_files(tmp_path):
    plain = read_dimacs(DATA / "myciel3.col")
    packed = tmp_path / "myciel3.col.gz"
    packed.write_bytes(gzip.compress((DATA / "myciel3.col").read_bytes()))
    assert read_dimacs(packed).edges.tolist() == plain.edges.tolist()
    assert plain.n == 11 and len(plain.edges) == 20  # Trick's COLOR page: 11 vertices, 20 edges


def test_cli_optimize_json(backtrack_cli):
    done = backtrack_cli("colour", DATA / "myciel4.col", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "optimal" and record["value"] == 5
    assert (record["vertices"], record["edges"], record["clique"]) == (23, 71, 2) and record["greedy"] >= 5
    graph = read_dimacs(DATA / "myciel4.col")
    assert min(record["solution"]) == 1 and is_proper(graph.n, graph.edges, [c - 1 for c in record["solution"]])


def test_cli_count_first_and_stdin(backtrack_cli):
    text = "p edge 5 99\ne 1 2\ne 2 3\ne 3 4\ne 4 5\ne 5 1\ne 2 1\n"  # a wrong count, an edge twice
    done = backtrack_cli("colour", "-", "--colours", "3", "--count", "--json", "--quiet", input=text)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["count"] == 5  # the 5-cycle: 30 colourings with 3 colours, 5 up to renaming
    assert record["edges"] == 5 and record["vertices"] == 5
    two = backtrack_cli("colour", "-", "--colours", "2", "--first", "--json", "--quiet", input=text)
    assert json.loads(two.stdout)["status"] == "unsatisfiable"


@pytest.mark.parametrize(
    "args, text, message",
    [
        (("-",), "p edge 3 1\ne 1 1\n", "stdin:2: a self-loop"),
        (("-",), "p edge 3 1\ne 1 9\n", "out of range"),
        (("-", "--first"), "p edge 3 0\n", "--colours K"),
        (("-", "--colours", "3"), "p edge 3 0\n", "--first, --count or --all"),
        (("missing.col",), "", "missing.col"),
    ],
)
def test_cli_errors_are_one_line_exit_2(backtrack_cli, args, text, message):
    done = backtrack_cli("colour", *args, input=text)
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
