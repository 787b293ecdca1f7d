"""Instance generators: the classical subset-sum benchmark classes and random instances.

Each returns ``(weights, target)`` as Python integers (see NOTES.md for the classes):

- ``p3`` / ``p6``: w ~ U[1, 10^3] / U[1, 10^6], T = floor(n 10^3 / 4) / floor(n 10^6 / 4).
- ``evenodd``: w = 2 U[1, 500], odd T = 2 floor(n 10^3 / 8) + 1: no solution.
- ``avis``: w_j = n(n+1) + j, T = n(n+1) floor((n-1)/2) + n(n-1)/2 (j = 1..n).
- ``todd``: w_j = 2^(k+n+1) + 2^(k+j) + 1, k = floor(log2 n), T = floor(sum / 2) (j = 1..n).
- ``random``: ``bits``-bit weights U[1, 2^bits), T = floor(sum / 2).
- ``random-even``: even ``bits``-bit weights 2 U[1, 2^(bits-1)), odd T near sum / 2: the worst
  case, with no solution, where every method must finish its search.
"""

import random

CLASSES = ("p3", "p6", "evenodd", "avis", "todd", "random", "random-even")


def generate(kind, n, seed=0, bits=40):
    """Weights and target of an instance of class ``kind`` with ``n`` items."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    if kind == "p3":
        return [rng.randint(1, 10**3) for _ in range(n)], n * 10**3 // 4
    if kind == "p6":
        return [rng.randint(1, 10**6) for _ in range(n)], n * 10**6 // 4
    if kind == "evenodd":
        return [2 * rng.randint(1, 500) for _ in range(n)], 2 * (n * 10**3 // 8) + 1
    if kind == "avis":
        weights = [n * (n + 1) + j for j in range(1, n + 1)]
        return weights, n * (n + 1) * ((n - 1) // 2) + n * (n - 1) // 2
    if kind == "todd":
        k = n.bit_length() - 1
        weights = [2 ** (k + n + 1) + 2 ** (k + j) + 1 for j in range(1, n + 1)]
        return weights, sum(weights) // 2
    if bits < 2:
        raise ValueError("bits must be at least 2")
    if kind == "random":
        weights = [rng.randint(1, 2**bits - 1) for _ in range(n)]
        return weights, sum(weights) // 2
    if kind == "random-even":
        weights = [2 * rng.randint(1, 2 ** (bits - 1) - 1) for _ in range(n)]
        return weights, sum(weights) // 2 | 1
    raise ValueError(f"unknown class {kind!r}; choose from {', '.join(CLASSES)}")


def instance_text(weights, target):
    """The file format: the target on the first line, then the weights."""
    return f"{target}\n" + " ".join(str(w) for w in weights) + "\n"
