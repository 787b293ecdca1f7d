"""Benchmarks of ``backtrack``: the harness behind ``backtrack bench``, its suites and their peers.

``harness`` runs every (instance, solver) pair of a suite in its own child process and writes a
Markdown table, raw JSON and plots; ``nqueens`` is the N-queens suite plus the issue-3 speed goals;
``knapsack_suite`` and ``subsetsum_suite`` drive the other problem modules. See ``README.md`` here.
"""
