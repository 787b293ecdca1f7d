"""Regenerate docs/pruning.md: run every command of the page, draw its pictures, write its tables.

    python docs/make_pruning.py            # runs the searches, redraws docs/pruning/*.png, rewrites the page

Every number on the page comes from these runs (tests/trace/test_pruning_page.py reruns them and
compares the tables). The commands are the page's own: each is run through the `backtrack` CLI.
"""

import json
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from backtrack.cli import cli
from backtrack.viz.read import read_trace
from backtrack.viz.savings import savings

DOCS = Path(__file__).resolve().parent
PICTURES = DOCS / "pruning"
KNAPSACK_10 = DOCS / "pruning" / "knapsack10.txt"  # 10 items, n c then p w lines
SUBSET_12 = ["--target", "5842", "267", "493", "869", "961", "1000", "1153", "1246", "1598", "1766", "1922", "15", "23"]

# (section key, runs: (name, arguments), picture arguments for `backtrack tree`)
SECTIONS = {
    "feasibility": {
        "runs": [
            ("naive", ["nqueens", "6", "--count", "--strategy", "naive"]),
            ("feasibility", ["nqueens", "6", "--count", "--strategy", "feasibility"]),
        ],
        "pictures": {"queens6-naive-feasibility-pixel.png": (["naive", "feasibility"], ["--view", "pixel"])},
    },
    "propagation": {
        "runs": [
            ("feasibility", ["nqueens", "6", "--count", "--strategy", "feasibility"]),
            ("forward-checking", ["nqueens", "6", "--count", "--strategy", "forward-checking"]),
            ("mrv", ["nqueens", "6", "--count", "--strategy", "mrv"]),
            ("bitboard", ["nqueens", "6", "--count", "--strategy", "bitboard"]),
            ("symmetry", ["nqueens", "6", "--count", "--strategy", "symmetry"]),
        ],
        "pictures": {
            "queens6-strategies.png": (["feasibility", "forward-checking", "mrv", "bitboard"], []),
            "queens6-symmetry.png": (["bitboard", "symmetry"], []),
        },
    },
    "bound": {
        "runs": [
            ("feasibility", ["knapsack", str(KNAPSACK_10), "--strategy", "feasibility"]),
            ("dantzig", ["knapsack", str(KNAPSACK_10), "--strategy", "dantzig"]),
            ("combo", ["knapsack", str(KNAPSACK_10), "--strategy", "combo"]),
        ],
        "pictures": {"knapsack10.png": (["feasibility", "dantzig", "combo"], [])},
    },
    "bidirectional": {
        "runs": [
            ("feasibility", ["subsetsum", "--count", "--strategy", "feasibility", *SUBSET_12]),
            ("ordering", ["subsetsum", "--count", "--strategy", "ordering", *SUBSET_12]),
            ("bidirectional", ["subsetsum", "--count", "--strategy", "bidirectional", *SUBSET_12]),
        ],
        "pictures": {"subsetsum12.png": (["feasibility", "ordering"], [])},
    },
    "big": {
        "runs": [
            ("feasibility", ["nqueens", "9", "--count", "--strategy", "feasibility"]),
            ("forward-checking", ["nqueens", "9", "--count", "--strategy", "forward-checking"]),
        ],
        "pictures": {
            "queens9-pixel.png": (["feasibility", "forward-checking"], ["--view", "pixel"]),
            "queens9-icicle.png": (["feasibility", "forward-checking"], ["--view", "icicle"]),
        },
    },
}
SLOW_SECTIONS = ("big",)  # interpreted, its runs take seconds: the tests rerun them only with -m slow


def command_text(arguments, trace=None):
    shown = ["backtrack", *[a.replace(str(DOCS.parent) + "/", "") for a in arguments]]
    if trace:
        shown += ["--trace", trace]
    return " ".join(shown)


def run(arguments, trace_path=None, backend="numba"):
    """One CLI run with --json (and --trace when the strategy has a tree); its JSON record."""
    extra = ["--json", "--quiet", "--backend", backend]
    if trace_path is not None:
        extra += ["--trace", str(trace_path)]
    outcome = CliRunner().invoke(cli, [*arguments, *extra], catch_exceptions=False)
    if outcome.exit_code != 0:
        raise RuntimeError(f"{command_text(arguments)}: exit {outcome.exit_code}: {outcome.output}")
    return json.loads(outcome.output.strip().splitlines()[-1])


def gather(folder, backend="numba", keys=None):
    """Run the searches of every section (or of ``keys``); {section: [(name, arguments, record, saved or None)]}."""
    results = {}
    for key in keys or SECTIONS:
        section = SECTIONS[key]
        rows = []
        for name, arguments in section["runs"]:
            traced = name != "bidirectional"
            path = Path(folder) / f"{key}-{name}.sqlite" if traced else None
            record = run(arguments, path, backend)
            saved = savings(read_trace(path)) if traced else None
            rows.append((name, arguments, record, saved, path))
        results[key] = rows
    return results


def _kinds(counts):
    shown = [f"{kind} {value:,}" for kind, value in counts.items() if value]
    return ", ".join(shown) if shown else "-"


def table(rows):
    """The Markdown table of one section's runs (the test compares it with a fresh run's)."""
    lines = [
        "| strategy | nodes | cut (nodes) | not offered (values) | saved against the unpruned tree | result |",
        "|---|---|---|---|---|---|",
    ]
    for name, _, record, saved, _ in rows:
        stats = record["stats"]
        result = f"value {record['value']}" if record["goal"] == "optimize" else f"count {record['count']}"
        unpruned = stats.get("unpruned_nodes")
        saved_text = "-" if saved is None else f"{_kinds(saved) if saved else 'nothing'} (of {unpruned:,})"
        lines.append(
            f"| {name} | {stats['nodes']:,} | {_kinds(stats['pruned'])} | {_kinds(stats['not_offered'])} "
            f"| {saved_text} | {result} |"
        )
    return "\n".join(lines)


def draw(results):
    PICTURES.mkdir(exist_ok=True)
    for key, section in SECTIONS.items():
        paths = {name: path for name, _, _, _, path in results[key]}
        for picture, (names, options) in section["pictures"].items():
            arguments = ["tree", *[str(paths[n]) for n in names], "--out", str(PICTURES / picture), *options]
            outcome = CliRunner().invoke(cli, arguments, catch_exceptions=False)
            if outcome.exit_code != 0:
                raise RuntimeError(f"backtrack {' '.join(arguments)}: {outcome.output}")


def write_page(results):
    from page_text import PAGE  # the prose, beside this script

    commands = {}
    for key, rows in results.items():
        commands[key] = "\n".join(
            command_text(arguments, None if name == "bidirectional" else f"{name}.sqlite")
            for name, arguments, *_ in rows
        )
    text = PAGE
    for key in SECTIONS:
        text = text.replace(f"{{table:{key}}}", table(results[key])).replace(f"{{commands:{key}}}", commands[key])
    (DOCS / "pruning.md").write_text(text)


def main():
    sys.path.insert(0, str(DOCS))
    with tempfile.TemporaryDirectory() as folder:
        results = gather(folder)
        draw(results)
        write_page(results)
    print(f"wrote {DOCS / 'pruning.md'} and {PICTURES}/*.png")


if __name__ == "__main__":
    main()
