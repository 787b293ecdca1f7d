"""Golomb rulers as engine hooks (:mod:`.model`) and the ``backtrack golomb`` command (:mod:`.command`)."""

from problems.golomb.model import STRATEGIES, Golomb, build, greedy_ruler, is_golomb, ruler_of

__all__ = ["STRATEGIES", "Golomb", "build", "greedy_ruler", "is_golomb", "ruler_of"]
