"""Problem modules: each package defines a problem as engine hooks and strategies, plus its CLI command.

The commands are plug-ins: each is declared in ``pyproject.toml`` under the entry-point group
``backtrack.problems``, which is how ``backtrack`` finds them (the engine imports no problem module).
"""
