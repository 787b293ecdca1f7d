"""Graph colouring of DIMACS graphs as engine hooks (:mod:`.model`), the reader (:mod:`.io`) and the
``backtrack colour`` command (:mod:`.command`)."""

from problems.colour.graph import dsatur_greedy, greedy_clique, is_proper
from problems.colour.io import Graph, parse_dimacs, read_dimacs
from problems.colour.model import STRATEGIES, Colouring, build, colours_of

__all__ = [
    "STRATEGIES",
    "Colouring",
    "Graph",
    "build",
    "colours_of",
    "dsatur_greedy",
    "greedy_clique",
    "is_proper",
    "parse_dimacs",
    "read_dimacs",
]
