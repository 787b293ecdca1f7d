"""N-queens as engine hooks (:mod:`.model`) and its CLI command (:mod:`.command`)."""

from problems.nqueens.model import STRATEGIES, Queens, default_strategy, is_solution

__all__ = ["STRATEGIES", "Queens", "default_strategy", "is_solution"]
