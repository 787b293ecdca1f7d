"""The README's examples run as written and print what it says they print."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title):
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def code_blocks(text, language=""):
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def test_quick_start_has_exactly_two_commands():
    commands = [line for block in code_blocks(section("Quick start")) for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "backtrack nqueens" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'grep -m1 "pytest"' in ci  # .ci/run runs the README's own test command


def test_custom_problem_example_prints_what_the_readme_says(tmp_path):
    text = section("Your own problem")
    program = code_blocks(text, "python")[0]
    expected = code_blocks(text, "text")[0]
    script = tmp_path / "example.py"
    script.write_text(program)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == expected


def answer_checks(words, comment):
    """What the example's comment claims, as checks of its JSON record: (key, expected) pairs.

    ``# N ...``: the count (goal --count) or the value (knapsack; "proven optimal": status
    optimal); ``# T = a + b + ...``: a subset-sum solution whose chosen weights are a, b, ... and
    add up to T."""
    number = re.match(r"\s*(\d+)\b", comment)
    if not number:
        return []
    expected = int(number.group(1))
    if words[1] == "subsetsum" and "--count" not in words:
        terms = re.match(r"\s*\d+\s*=\s*([\d\s+]+)", comment)
        assert terms, f"a subset-sum example must show its subset: {comment!r}"
        weights = [int(w) for w in words[words.index("--target") + 2 :]]
        summands = sorted(int(t) for t in terms.group(1).split("+"))
        assert sum(summands) == expected, comment
        return [("chosen weights", (weights, summands)), ("status", "satisfied")]
    if "--count" in words:
        return [("count", expected), ("status", "complete")]
    checks = [("value", expected)]
    if "proven optimal" in comment:
        checks.append(("status", "optimal"))
    return checks


def check_record(record, checks):
    for key, expected in checks:
        if key == "chosen weights":
            weights, summands = expected
            assert sorted(weights[i] for i in record["solution"]) == summands, record
        else:
            assert record[key] == expected, (key, record)


def readme_command_lines():
    block = code_blocks(section("The command line"))[0]
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        if command.strip():
            yield command.split(), comment


def test_every_command_line_example_has_its_answer_checked():
    # Each example either states an answer that is checked against its JSON record below, or is
    # one of the kinds checked otherwise there (a pipeline, a list, a file written, a board).
    for words, comment in readme_command_lines():
        # sudoku: each puzzle's own record is checked in tests/sudoku (the README shows the command).
        otherwise = "|" in words or "--list-strategies" in words or "--output" in words or "--first" in words
        otherwise = otherwise or words[1] == "sudoku"
        assert otherwise or answer_checks(words, comment), f"no answer checked for {' '.join(words)}"


EXAMPLES = list(readme_command_lines())


@pytest.mark.parametrize(("words", "comment"), EXAMPLES, ids=[" ".join(w)[:60] for w, _ in EXAMPLES])
def test_command_line_examples_run(tmp_path_factory, words, comment):
    # One test per example: the pytest-xdist workers share them out (each is a new process).
    backtrack = [sys.executable, "-m", "backtrack"]
    assert words[0] == "backtrack"
    words = [str(ROOT / w) if w.startswith("tests/data/") else w for w in words]
    if "|" in words:  # a pipeline: the search must stop quietly when the reader goes away
        cut = words.index("|")
        producer = subprocess.Popen(backtrack + words[1:cut], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        head = subprocess.run(words[cut + 1 :], stdin=producer.stdout, capture_output=True, timeout=60)
        producer.stdout.close()
        assert producer.wait(timeout=60) == 0, producer.stderr.read()
        assert head.stdout.count(b"\n") == 10
        assert head.stdout.startswith(b"solution 1:")
        return
    cwd = tmp_path_factory.mktemp("cli") if "--output" in words or "--checkpoint" in words else ROOT
    # Run as written, plus --json where it applies: the answer is read from its record.
    json_flag = [] if "--json" in words or "--list-strategies" in words or "--output" in words else ["--json"]
    run = subprocess.run(backtrack + words[1:] + json_flag, capture_output=True, text=True, timeout=300, cwd=cwd)
    assert run.returncode == 0, run.stderr
    if "--list-strategies" in words:
        assert run.stdout.count("\n") >= 2 and "naive" in run.stdout
        return
    if "--output" in words:  # --generate: the file holds --count instances of n items
        from problems.knapsack.io import read_instances

        written = read_instances(str(cwd / words[words.index("--output") + 1]))
        assert len(written) == int(words[words.index("--count") + 1])
        assert all(len(i.profits) == int(words[words.index("--n") + 1]) for i in written)
        return
    record = json.loads(run.stdout.strip().splitlines()[-1])
    assert record["stop_reason"] is None, record
    if words[1] == "sudoku":  # the last puzzle solved; --count: exactly one solution ("unique")
        assert record["status"] == ("complete" if "--count" in words else "satisfied"), record
        assert record["count"] == 1 and len(record["solution"]) == 81, record
        return
    check_record(record, answer_checks(words, comment))
    if words[1] == "nqueens" and "--first" in words:  # "one board": a valid one
        board = record["solution"]
        n = int(words[2])
        assert sorted(board) == list(range(n))
        assert len({r + c for r, c in enumerate(board)}) == len({r - c for r, c in enumerate(board)}) == n
