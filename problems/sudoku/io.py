"""Reading puzzle collections: one puzzle per line, the format of Royle's 17-clue list, top95 and top1465."""

import sys

import numpy as np

from problems.sudoku.model import build, given_domains, parse_grid


class Puzzles:
    """Puzzles of one size, read in order: ``names[i]`` (``file:line`` or ``arg N``), ``texts[i]``
    (the line as given) and ``givens`` int64[m, side * side] (0-based digits, -1 for blanks)."""

    def __init__(self, side):
        self.side = side
        self.names, self.texts, self.rows = [], [], []

    def add(self, name, text):
        try:
            self.rows.append(parse_grid(text, self.side))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        self.names.append(name)
        self.texts.append(text)

    def add_lines(self, source, lines):
        """Add the puzzles of a file's lines: blank lines and lines starting with '#' are skipped,
        and so is what follows a puzzle on its line (a comment, a rating)."""
        for number, line in enumerate(lines, 1):
            text = line.split("#", 1)[0].strip()
            if text:
                self.add(f"{source}:{number}", text.split()[0])

    def add_file(self, path):
        if path == "-":
            self.add_lines("stdin", sys.stdin.read().splitlines())
            return
        with open(path, encoding="utf-8", errors="replace") as handle:
            self.add_lines(path, handle.read().splitlines())

    def __len__(self):
        return len(self.rows)

    @property
    def givens(self):
        return np.array(self.rows, dtype=np.int64).reshape(len(self.rows), self.side * self.side)

    def problem(self):
        """The problem value shared by the batch (the rules; the givens of the first puzzle)."""
        return build(self.side, self.rows[0] if self.rows else [-1] * self.side * self.side)

    def domains(self, problem):
        return given_domains(problem, self.givens)
