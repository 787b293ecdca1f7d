"""Subset sum as engine hooks (:mod:`.model`), instance generators (:mod:`.generate`) and its CLI command."""

from problems.subsetsum.model import (
    STRATEGIES,
    SubsetSum,
    chosen_indices,
    default_strategy,
    is_solution,
    make_problem,
    solve_dp,
    solve_subsetsum,
)

__all__ = [
    "STRATEGIES",
    "SubsetSum",
    "chosen_indices",
    "default_strategy",
    "is_solution",
    "make_problem",
    "solve_dp",
    "solve_subsetsum",
]
