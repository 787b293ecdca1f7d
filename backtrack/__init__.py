"""backtrack: one backtracking-search engine with plug-in pruning hooks, compiled by numba.

A problem is a NamedTuple of data with a ``space()`` method; a :class:`Strategy` names the hooks
that prune and order its search; :func:`solve` runs it interpreted or compiled.
"""

from numba.extending import register_jitable as jitable

from backtrack.compiled import HookCompileError
from backtrack.domains import dom_contains, dom_fix, dom_is_empty, dom_min, dom_remove, dom_size, dom_values
from backtrack.heuristics import descending_values, smallest_domain, sort_prefix
from backtrack.solver import Progress, Result, Search, Stats, solutions, solve
from backtrack.strategy import Space, Strategy

__version__ = "0.1.0"

__all__ = [
    "HookCompileError",
    "Progress",
    "Result",
    "Search",
    "Space",
    "Stats",
    "Strategy",
    "dom_contains",
    "dom_fix",
    "dom_is_empty",
    "dom_min",
    "dom_remove",
    "dom_size",
    "descending_values",
    "dom_values",
    "jitable",
    "smallest_domain",
    "solutions",
    "solve",
    "sort_prefix",
]
