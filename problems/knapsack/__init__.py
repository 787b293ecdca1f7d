"""0/1 knapsack as engine hooks (:mod:`.model`), instance files (:mod:`.io`), Pisinger's
generator (:mod:`.generate`) and the CLI command (:mod:`.command`)."""

from problems.knapsack.model import DEFAULT_STRATEGY, STRATEGIES, Instance, Knapsack, prepare, solve_instance

__all__ = ["DEFAULT_STRATEGY", "STRATEGIES", "Instance", "Knapsack", "prepare", "solve_instance"]
