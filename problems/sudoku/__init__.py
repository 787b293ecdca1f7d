"""Sudoku (4x4, 9x9, 16x16) as engine hooks (:mod:`.model`), puzzle files (:mod:`.io`) and its CLI command."""

from problems.sudoku.model import STRATEGIES, Sudoku, build, format_grid, given_domains, is_solution, parse_grid

__all__ = ["STRATEGIES", "Sudoku", "build", "format_grid", "given_domains", "is_solution", "parse_grid"]
