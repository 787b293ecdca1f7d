"""Plain-Python graph helpers of the colouring model: the DSATUR greedy colouring (the first
incumbent), a greedy large clique (the lower bound) and the edge-by-edge check of a colouring."""

import numpy as np


def neighbour_sets(n, edges):
    """Each vertex's neighbours as a Python int bitset (bit u set: u is a neighbour)."""
    sets = [0] * n
    for u, v in edges.tolist():
        sets[u] |= 1 << v
        sets[v] |= 1 << u
    return sets


def dsatur_greedy(n, edges):
    """Brélaz's DSATUR: colour next the vertex seeing the most distinct colours (ties: most
    uncoloured neighbours, then lowest number) with its smallest free colour. Returns colours 0..k-1."""
    neighbours = [[] for _ in range(n)]
    for u, v in edges.tolist():
        neighbours[u].append(v)
        neighbours[v].append(u)
    colour = [-1] * n
    seen = [set() for _ in range(n)]  # colours among each vertex's coloured neighbours
    free_degree = [len(a) for a in neighbours]
    for _ in range(n):
        v = max((u for u in range(n) if colour[u] < 0), key=lambda u: (len(seen[u]), free_degree[u], -u))
        c = 0
        while c in seen[v]:
            c += 1
        colour[v] = c
        for u in neighbours[v]:
            seen[u].add(c)
            free_degree[u] -= 1
    return colour


def greedy_clique(n, edges):
    """A large clique, greedily: from every vertex, add the candidate with the most neighbours
    among the candidates until none is left; the largest found (vertices in increasing order)."""
    sets = neighbour_sets(n, edges)
    best = [0]
    for start in sorted(range(n), key=lambda v: -sets[v].bit_count()):
        if sets[start].bit_count() + 1 <= len(best):
            break  # no clique through this vertex (or any later one) can be larger
        clique = _grow(start, sets)
        if len(clique) > len(best):
            best = clique
    return sorted(best)


def _grow(start, sets, second=None):
    """A maximal clique through ``start`` (and ``second``, a neighbour): add the candidate with the
    most neighbours among the candidates until none is left."""
    clique, candidates = [start], sets[start]
    if second is not None:
        clique.append(second)
        candidates &= sets[second]
    while candidates:
        pick = max(_bits(candidates), key=lambda u: ((sets[u] & candidates).bit_count(), -u))
        clique.append(pick)
        candidates &= sets[pick]
    return clique


def cliques_through_edges(n, edges, smallest=3):
    """Greedy maximal cliques, one grown through each edge that no clique found before holds, each
    once, of ``smallest`` vertices or more, largest first (those the ``cliques`` strategy reasons about)."""
    sets = neighbour_sets(n, edges)
    covered = [0] * n  # covered[u] bit v: the edge u-v lies in a clique found
    found = set()
    for u, v in edges.tolist():
        if covered[u] >> v & 1:
            continue
        clique = sorted(_grow(u, sets, v))
        found.add(tuple(clique))
        members = sum(1 << w for w in clique)
        for w in clique:
            covered[w] |= members
    return sorted((c for c in found if len(c) >= smallest), key=lambda c: (-len(c), c))


def _bits(word):
    while word:
        low = word & -word
        yield low.bit_length() - 1
        word ^= low


def is_proper(n, edges, colours):
    """Independent check: one colour per vertex, the two ends of every edge coloured differently."""
    colours = np.asarray(colours)
    if colours.shape != (n,) or (colours < 0).any():
        return False
    return not len(edges) or bool((colours[edges[:, 0]] != colours[edges[:, 1]]).all())


def is_clique(edges, vertices):
    """Are the vertices pairwise adjacent?"""
    present = set(map(tuple, edges.tolist()))
    return all((min(a, b), max(a, b)) in present for i, a in enumerate(vertices) for b in vertices[i + 1 :])
