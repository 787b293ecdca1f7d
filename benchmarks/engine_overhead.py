"""Cost of one node: the compiled loop against the interpreted one, on the same search, in one run.

    python benchmarks/engine_overhead.py [N]

Counts N-queens (default N = 9) with the `feasibility` and `bitboard` strategies on both
backends and prints nanoseconds per node and the python/numba ratio (compile time excluded).
"""

import sys
import time

import backtrack as bt
from problems.nqueens import STRATEGIES, build


def per_node_ns(problem, strategy, backend, repeats=3):
    bt.solve(problem, strategy, "count", backend=backend)  # compile or load the cache first
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        result = bt.solve(problem, strategy, "count", backend=backend)
        best = min(best, time.process_time() - started)
    return 1e9 * best / result.stats.nodes, result.stats.nodes


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    print("| strategy | nodes | python ns/node | numba ns/node | ratio |\n|---|---|---|---|---|")
    for name in ("feasibility", "bitboard"):
        problem = build(n, name, "count")
        python_ns, nodes = per_node_ns(problem, STRATEGIES[name], "python", repeats=1)
        numba_ns, _ = per_node_ns(problem, STRATEGIES[name], "numba")
        print(f"| {name} | {nodes} | {python_ns:.0f} | {numba_ns:.1f} | {python_ns / numba_ns:.0f}x |")


if __name__ == "__main__":
    main()
