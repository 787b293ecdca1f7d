"""Reference Horowitz-Sahni subset-sum counter in plain numba: the peer row of benchmarks/subsetsum.py.

Each half's subset sums are built already sorted (Horowitz and Sahni 1974: the list L of the
items so far is merged with L + w, item by item, into a second buffer; no sort), then one
two-pointer scan counts the pairs that hit the target. No pruning, no engine: the baseline the
engine's ``bidirectional`` strategy is measured against.

    python benchmarks/peers/horowitz_sahni.py FILE     # prints {"count", "time_s", "cpu_s", "base_mb"}

FILE is a subset-sum instance as ``backtrack subsetsum --file`` reads it (the target, then the weights).
"""

import json
import resource
import sys
import time
from pathlib import Path

import numba
import numpy as np


@numba.njit(cache=True)
def sorted_sums(weights):
    """All 2^k subset sums of ``weights``, ascending, by merging L with L + w for each weight."""
    total = 1 << weights.shape[0]
    current = np.empty(total, dtype=np.int64)
    other = np.empty(total, dtype=np.int64)
    current[0] = 0
    size = 1
    for w in weights:
        i = 0
        j = 0
        at = 0
        while i < size and j < size:
            a = current[i]
            b = current[j] + w
            if a <= b:
                other[at] = a
                i += 1
            else:
                other[at] = b
                j += 1
            at += 1
        while i < size:
            other[at] = current[i]
            i += 1
            at += 1
        while j < size:
            other[at] = current[j] + w
            j += 1
            at += 1
        current, other = other, current
        size *= 2
    return current


@numba.njit(cache=True)
def count_pairs(left, right, target):
    """Pairs (i, j) with left[i] + right[j] == target; both ascending."""
    i = 0
    j = right.shape[0] - 1
    count = 0
    while i < left.shape[0] and j >= 0:
        total = left[i] + right[j]
        if total < target:
            i += 1
        elif total > target:
            j -= 1
        else:
            a = i
            while i < left.shape[0] and left[i] == left[a]:
                i += 1
            b = j
            while j >= 0 and right[j] == right[b]:
                j -= 1
            count += (i - a) * (b - j)
    return count


def count_subsets(weights, target):
    """Number of subsets of ``weights`` (int64, sums below 2^62) that add up to ``target``."""
    weights = np.asarray(weights, dtype=np.int64)
    half = len(weights) // 2
    left = sorted_sums(weights[:half])
    right = sorted_sums(weights[half:])
    return int(count_pairs(left, right, target))


def read_instance(path):
    """(weights, target) of an instance file: the target first, then the weights."""
    numbers = [int(token) for token in Path(path).read_text().split()]
    return numbers[1:], numbers[0]


def main():
    weights, target = read_instance(sys.argv[1])
    count_subsets([1, 2, 3, 4], 5)  # compile, or load from the cache, before timing
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall = time.perf_counter()
    cpu = time.process_time()
    count = count_subsets(weights, target)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    print(json.dumps({"count": count, "time_s": wall, "cpu_s": cpu, "base_mb": base_mb}))


if __name__ == "__main__":
    main()
