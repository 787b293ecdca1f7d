"""N-queens as engine hooks (:mod:`.model`) and its CLI command (:mod:`.command`)."""

from problems.nqueens.model import STRATEGIES, Queens, build, default_strategy, is_solution, run_options

__all__ = ["STRATEGIES", "Queens", "build", "default_strategy", "is_solution", "run_options"]
