"""Instructions per node of the compiled loop, counted by callgrind (repeatable on a busy machine).

    python benchmarks/instructions.py [--strategy bitboard] [--sizes 11 12]

Counts N-queens at two sizes under ``valgrind --tool=callgrind``, collecting only inside numba's
compiled entry point (``*call_cfunc*``), and prints the difference of instructions divided by the
difference of nodes: the loop's cost per node, without the process start and the compile (both
sizes share them). Each size runs once outside valgrind first, so the machine code is cached.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _count(n, strategy):
    """Child mode: one count, after a small one that loads the compiled code."""
    sys.path.insert(0, str(ROOT))
    import backtrack as bt
    from problems.nqueens import STRATEGIES, build

    bt.solve(build(6, strategy, "count"), STRATEGIES[strategy], "count")
    result = bt.solve(build(n, strategy, "count"), STRATEGIES[strategy], "count")
    print("NODES", result.stats.nodes)


def measure(n, strategy):
    """(nodes, instructions collected) of one N-queens count under callgrind."""
    child = [sys.executable, __file__, "--child", str(n), "--strategy", strategy]
    subprocess.run(child, check=True, capture_output=True)  # compile or load the cache
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--collect-atstart=no",
            "--toggle-collect=*call_cfunc*",
            *child,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    nodes = int(re.search(r"NODES (\d+)", run.stdout).group(1))
    collected = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
    return nodes, collected


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategy", default="bitboard")
    parser.add_argument("--sizes", type=int, nargs=2, default=(11, 12))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _count(args.child, args.strategy)
        return
    (n1, i1), (n2, i2) = (measure(n, args.strategy) for n in args.sizes)
    small, large = args.sizes
    print(f"{args.strategy} N={small}: {n1} nodes, {i1} instructions; N={large}: {n2} nodes, {i2} instructions")
    print(f"instructions per node: {(i2 - i1) / (n2 - n1):.1f}")


if __name__ == "__main__":
    main()
