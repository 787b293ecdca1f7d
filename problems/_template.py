"""A problem module to copy and fill in: k-subsets of 0..n-1 whose sum is a multiple of m.

[GUIDELINE] A problem module defines hooks and strategies only; the engine does every search.
Copy this file to ``problems/<name>/model.py``, replace the problem, keep the shape:

1. a NamedTuple holding the instance's data (numbers and numpy arrays: its numba type is what
   the compiled engine is specialised on), with a ``space()`` method;
2. hook functions with the signatures of :mod:`backtrack.hooks`, each doing one job (a big
   per-node hook of a problem with many arrays: ``@jitable(inline="always")``, or helpers that
   take only the arrays they read; see README, "Two backends, one loop");
3. ``STRATEGIES``: named sets of hooks, from no pruning to the best, so that what each pruning
   technique buys can be measured (``backtrack bench``).

To give it a CLI command, write ``problems/<name>/command.py`` after ``problems/nqueens/command.py``
and declare it in ``pyproject.toml`` under ``[project.entry-points."backtrack.problems"]`` (then
reinstall: entry points live in the installed metadata). ``tests/test_template.py`` checks this
file against brute force.
"""

from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, jitable

SUM, TAKEN = 0, 1  # [GUIDELINE] name the slots of the state row


class KSubsets(NamedTuple):
    """Choose exactly ``k`` of the numbers 0..n-1 so that their sum is a multiple of ``m``."""

    n: int
    k: int
    m: int

    def space(self):
        # [GUIDELINE] One variable per decision (here: is number i taken?), values 0..n_values-1,
        # and the root's state row (here: the sum and the count taken so far).
        return Space(n_vars=self.n, n_values=2, state=np.zeros(2, np.int64))


@jitable
def by_index(problem, state, domains, assign, depth):
    """``select_variable``: the numbers in order (variable ``depth`` at depth ``depth``)."""
    return depth


@jitable
def take(problem, state, var, value):
    """``apply``: the child's state after deciding number ``var``."""
    if value == 1:
        state[SUM] += var
        state[TAKEN] += 1


@jitable
def is_solution(problem, state, assign):
    """``accept``: the leaf check that makes any strategy correct on its own."""
    return state[TAKEN] == problem.k and state[SUM] % problem.m == 0


@jitable
def count_can_be_met(problem, state, assign, var, value):
    """``is_feasible`` (feasibility pruning): never more than k taken, and enough numbers left."""
    taken = state[TAKEN] + value
    left = problem.n - var - 1
    return taken <= problem.k and taken + left >= problem.k


STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "naive",
            KSubsets,
            select_variable=by_index,
            apply=take,
            accept=is_solution,
            description="every subset, checked at the leaf",
        ),
        Strategy(
            "feasibility",
            KSubsets,
            select_variable=by_index,
            apply=take,
            accept=is_solution,
            is_feasible=count_can_be_met,
            description="cut when k can no longer be met",
        ),
    )
}
