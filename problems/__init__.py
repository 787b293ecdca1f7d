"""Problem modules: each package defines a problem as engine hooks and strategies, plus its CLI command.

``COMMANDS`` maps a CLI command name to the module path of its click command.
"""

COMMANDS = {
    "nqueens": "problems.nqueens.command:nqueens",
    "knapsack": "problems.knapsack.command:knapsack",
    "subsetsum": "problems.subsetsum.command:subsetsum",
}
