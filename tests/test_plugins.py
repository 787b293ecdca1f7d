"""Problem commands are plug-ins: a package of one's own, declared under the entry-point group
``backtrack.problems``, gets ``backtrack <name>`` with every shared option; a broken one is
reported in one line and does not break the other commands."""

import json
import os
import re
import subprocess
import sys
from itertools import product
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SECTION = README.split("### Your own command as a plug-in", 1)[1].split("\n### ", 1)[0]
PLUGIN_MODULE = re.findall(r"^```python\n(.*?)^```", SECTION, flags=re.S | re.M)[0]  # the README's plug-in

ENTRY_POINTS = """
[backtrack.problems]
words = words_plugin:words
broken = broken_plugin:command
"""


def words_oracle(n):
    """Brute force: every word of length n over 0..2 with no two equal neighbours."""
    return sum(all(a != b for a, b in zip(w, w[1:], strict=False)) for w in product(range(3), repeat=n))


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory):
    """A directory holding a registered distribution (a ``.dist-info`` with entry points) and its
    modules, as ``pip install --target`` would leave it; put on PYTHONPATH."""
    root = tmp_path_factory.mktemp("plugins")
    (root / "words_plugin.py").write_text(PLUGIN_MODULE)
    (root / "broken_plugin.py").write_text("raise ImportError('this plug-in needs a library that is missing')\n")
    info = root / "backtrack_words-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: backtrack-words\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return root


def run_cli(path, *args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "backtrack", *args], capture_output=True, text=True, timeout=300, env=env
    )


def test_a_plugin_command_runs_with_the_shared_options(plugin_path):
    done = run_cli(plugin_path, "words", "7", "--count", "--json", "--backend", "python", "--quiet")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["problem"], record["status"], record["count"]) == ("words", "complete", words_oracle(7))
    first = run_cli(plugin_path, "words", "5", "--first", "--json", "--quiet")  # compiled backend
    assert first.returncode == 0, first.stderr
    word = json.loads(first.stdout)["solution"]
    assert len(word) == 5 and all(a != b for a, b in zip(word, word[1:], strict=False))
    limited = run_cli(plugin_path, "words", "30", "--count", "--node-limit", "100", "--json", "--backend", "python")
    assert json.loads(limited.stdout)["stop_reason"] == "nodes"


def test_a_broken_plugin_is_one_line_and_the_others_still_work(plugin_path):
    helped = run_cli(plugin_path, "--help")
    assert helped.returncode == 0
    assert "words" in helped.stdout and "nqueens" in helped.stdout
    warnings = [line for line in helped.stderr.splitlines() if "broken" in line]
    assert len(warnings) == 1 and "missing" in warnings[0], helped.stderr
    used = run_cli(plugin_path, "broken", "3")
    assert used.returncode == 2
    assert "Traceback" not in used.stderr and "cannot be loaded" in used.stderr
    other = run_cli(plugin_path, "nqueens", "6", "--count", "--json", "--quiet")
    assert other.returncode == 0 and json.loads(other.stdout)["count"] == 4
    assert other.stderr == ""  # a plug-in that is not used is not even imported


def test_the_bundled_problems_are_plugins_and_the_engine_imports_none():
    import importlib.metadata

    names = {entry.name for entry in importlib.metadata.entry_points(group="backtrack.problems")}
    assert {"nqueens", "knapsack", "subsetsum"} <= names
    probe = "import sys, backtrack, backtrack.cli, backtrack.bidirectional, backtrack.parallel; "
    probe += "print(sorted(m for m in sys.modules if m == 'problems' or m.startswith('problems.')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
