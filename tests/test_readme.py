"""The README's examples run as written and print what it says they print."""

import re
import subprocess
import sys
from pathlib import Path

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


def test_command_line_examples_run(tmp_path_factory):
    block = code_blocks(section("The command line"))[0]
    backtrack = [sys.executable, "-m", "backtrack"]
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        if not command.strip():
            continue
        words = command.split()
        assert words[0] == "backtrack"
        if "|" in words:  # a pipeline: the search must stop quietly when the reader goes away
            cut = words.index("|")
            producer = subprocess.Popen(
                backtrack + words[1:cut], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
            )
            head = subprocess.run(words[cut + 1 :], stdin=producer.stdout, capture_output=True, timeout=60)
            producer.stdout.close()
            assert producer.wait(timeout=60) == 0, producer.stderr.read()
            assert head.stdout.count(b"\n") == 10
            continue
        run = subprocess.run(
            backtrack + words[1:],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path_factory.mktemp("cli") if "--output" in words else ROOT,
        )
        assert run.returncode == 0, run.stderr
        number = re.match(r"\s*(\d+)\b", comment)
        if number:
            assert re.search(rf"\b{number.group(1)}\b", run.stdout)
