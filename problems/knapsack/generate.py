"""Pisinger's instance classes, reproducible from a seed: the classic ones (1-6, 9) and the hard
ones of Pisinger 2005, "Where are the hard knapsack problems?" (11-16).

With R the range, r1 = R // 10 and w ~ U[1, R] unless stated (all integers, bounds inclusive):

1 uncorrelated p ~ U[1, R]; 2 weakly correlated p ~ U[w - r1, w + r1], at least 1; 3 strongly
correlated p = w + r1; 4 inverse strongly correlated p ~ U[1, R], w = p + r1; 5 almost strongly
correlated p = w + r1 + U[-R // 1000, R // 1000]; 6 subset sum p = w; 9 similar weights
w ~ U[100 R, 100 R + r1 - 1], p ~ U[1, R].

11-13 span(2, 10) over classes 1-3: two *spanner* items are drawn from the class and divided
(profit and weight, integer division, at least 1) by (m + 1) // 2 = 5; each of the n items is
one of them, chosen uniformly, times a multiplier a ~ U[1, 10]. (The divisor is read off the
published files: their spanner weights reach R / 5 and the strongly correlated ones have
p - w = r1 / 5.) 14 mstr(3R/10, 2R/10, 6): p = w + 3R // 10 if 6 divides w, else w + 2R // 10.
15 pceil(3): p = 3 ceil(w / 3). 16 circle(2/3): p = floor(2/3 sqrt(4 R^2 - (w - 2R)^2)).

Instance i of a series of S has capacity max(floor(i * sum(w) / (S + 1)), max(w)) (Pisinger 2005).
"""

import math

import numpy as np

from problems.knapsack.problem import Instance

CLASSES = {
    1: "uncorrelated",
    2: "weakly correlated",
    3: "strongly correlated",
    4: "inverse strongly correlated",
    5: "almost strongly correlated",
    6: "subset sum",
    9: "similar weights",
}
HARD_TYPES = {  # Pisinger 2005
    11: "uncorrelated span(2,10)",
    12: "weakly correlated span(2,10)",
    13: "strongly correlated span(2,10)",
    14: "mstr(3R/10,2R/10,6)",
    15: "pceil(3)",
    16: "circle(2/3)",
}
KINDS = {**CLASSES, **HARD_TYPES}
SPANNER_ITEMS = 2  # v of span(v, m)
SPANNER_MULTIPLIER = 10  # m of span(v, m)


def _classic(kind, rng, n, r):
    """(profits, weights) int64 arrays of ``n`` items of classic class ``kind`` (1-6, 9)."""
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
    return p, w


def _spanner(kind, rng, n, r):
    """(profits, weights) of span(2, 10) over classic class ``kind`` (1-3)."""
    base_p, base_w = _classic(kind, rng, SPANNER_ITEMS, r)
    divisor = (SPANNER_MULTIPLIER + 1) // 2
    base_p = np.maximum(base_p // divisor, 1)
    base_w = np.maximum(base_w // divisor, 1)
    which = rng.integers(0, SPANNER_ITEMS, size=n)
    times = rng.integers(1, SPANNER_MULTIPLIER, size=n, endpoint=True)
    return times * base_p[which], times * base_w[which]


def hard_profits(kind, weights, r):
    """Profits (list of int) of types 14-16 for the given weights: each is a function of its weight."""
    if kind == 14:
        return [w + (3 * r // 10 if w % 6 == 0 else 2 * r // 10) for w in weights]
    if kind == 15:
        return [3 * -(-w // 3) for w in weights]
    if kind == 16:
        # floor(2/3 sqrt(X)) = floor(sqrt(4X)) // 3, exactly in integers.
        return [math.isqrt(4 * (4 * r * r - (w - 2 * r) ** 2)) // 3 for w in weights]
    raise ValueError(f"no profit rule for type {kind}")


def generate(kind, n, value_range=1000, seed=0, index=1, series=1):
    """Instance ``index`` (1..``series``) of class ``kind`` with ``n`` items; deterministic in ``seed``."""
    if kind not in KINDS:
        raise ValueError(f"class must be one of {', '.join(map(str, KINDS))}, not {kind}")
    if n < 1 or value_range < 10:
        raise ValueError("need n >= 1 and range >= 10")
    if not 1 <= index <= series:
        raise ValueError("index must be in 1..series")
    rng = np.random.default_rng([seed, kind, n, value_range, index])
    r = value_range
    if kind <= 9:
        p, w = _classic(kind, rng, n, r)
        profits, weights = [int(x) for x in p], [int(x) for x in w]
    elif kind <= 13:
        p, w = _spanner(kind - 10, rng, n, r)
        profits, weights = [int(x) for x in p], [int(x) for x in w]
    else:
        weights = [int(x) for x in rng.integers(1, r, size=n, endpoint=True)]
        profits = hard_profits(kind, weights, r)
    capacity = max(index * sum(weights) // (series + 1), max(weights))
    return Instance(
        name=f"knapPI_{kind}_{n}_{value_range}_{index}", profits=profits, weights=weights, capacity=capacity
    )


def generate_series(kind, n, value_range=1000, seed=0, count=1):
    """The ``count`` instances of one series (capacities spread over the total weight)."""
    return [generate(kind, n, value_range, seed, index, count) for index in range(1, count + 1)]
