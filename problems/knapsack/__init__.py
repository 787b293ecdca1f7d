"""0/1 knapsack as engine hooks (:mod:`.problem`, :mod:`.decisions`, :mod:`.bounds`, :mod:`.units`,
:mod:`.memo`, :mod:`.strategies`), preparation (:mod:`.preparation`, :mod:`.reduction`,
:mod:`.multiplier`, :mod:`.incumbents`), instance files (:mod:`.io`), Pisinger's
generator (:mod:`.generate`) and the CLI command (:mod:`.command`)."""

from problems.knapsack.preparation import prepare, solve_instance
from problems.knapsack.problem import Instance, Knapsack
from problems.knapsack.strategies import DEFAULT_STRATEGY, STRATEGIES

__all__ = ["DEFAULT_STRATEGY", "STRATEGIES", "Instance", "Knapsack", "prepare", "solve_instance"]
