"""Pisinger's classic instance classes (1-6 and 9), reproducible from a seed.

With R the range, r1 = R // 10 and w ~ U[1, R] unless stated (all integers, bounds inclusive):

1 uncorrelated p ~ U[1, R]; 2 weakly correlated p ~ U[w - r1, w + r1], at least 1; 3 strongly
correlated p = w + r1; 4 inverse strongly correlated p ~ U[1, R], w = p + r1; 5 almost strongly
correlated p = w + r1 + U[-R // 1000, R // 1000]; 6 subset sum p = w; 9 similar weights
w ~ U[100 R, 100 R + r1 - 1], p ~ U[1, R].

Instance i of a series of S has capacity max(floor(i * sum(w) / (S + 1)), max(w)) (Pisinger 2005).
"""

import numpy as np

from problems.knapsack.model import Instance

CLASSES = {
    1: "uncorrelated",
    2: "weakly correlated",
    3: "strongly correlated",
    4: "inverse strongly correlated",
    5: "almost strongly correlated",
    6: "subset sum",
    9: "similar weights",
}


def generate(kind, n, value_range=1000, seed=0, index=1, series=1):
    """Instance ``index`` (1..``series``) of class ``kind`` with ``n`` items; deterministic in ``seed``."""
    if kind not in CLASSES:
        raise ValueError(f"class must be one of {', '.join(map(str, CLASSES))}, not {kind}")
    if n < 1 or value_range < 10:
        raise ValueError("need n >= 1 and range >= 10")
    if not 1 <= index <= series:
        raise ValueError("index must be in 1..series")
    rng = np.random.default_rng([seed, kind, n, value_range, index])
    r = value_range
    r1 = r // 10
    w = rng.integers(1, r, size=n, endpoint=True)
    if kind == 1:
        p = rng.integers(1, r, size=n, endpoint=True)
    elif kind == 2:
        p = np.maximum(w + rng.integers(-r1, r1, size=n, endpoint=True), 1)
    elif kind == 3:
        p = w + r1
    elif kind == 4:
        p = rng.integers(1, r, size=n, endpoint=True)
        w = p + r1
    elif kind == 5:
        spread = r // 1000
        p = w + r1 + rng.integers(-spread, spread, size=n, endpoint=True)
    elif kind == 6:
        p = w.copy()
    else:
        w = rng.integers(100 * r, 100 * r + r1 - 1, size=n, endpoint=True)
        p = rng.integers(1, r, size=n, endpoint=True)
    weights = [int(x) for x in w]
    capacity = max(index * sum(weights) // (series + 1), max(weights))
    return Instance(
        name=f"knapPI_{kind}_{n}_{value_range}_{index}",
        profits=[int(x) for x in p],
        weights=weights,
        capacity=capacity,
    )


def generate_series(kind, n, value_range=1000, seed=0, count=1):
    """The ``count`` instances of one series (capacities spread over the total weight)."""
    return [generate(kind, n, value_range, seed, index, count) for index in range(1, count + 1)]
