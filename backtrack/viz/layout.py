"""Laying a trace out: which nodes are drawn, collapsed failed subtrees, and tidy coordinates.

The layout is tidy in the sense of Wetherell-Shannon / Reingold-Tilford's aims: depth is the row,
no two drawn nodes overlap (each leaf of the drawn tree takes its own column, in visiting order),
and each parent is centred over its first and last child. A failed subtree (one with no solution
below it) larger than the collapse threshold is drawn as one triangle labelled with its size.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Layout:
    """Drawn nodes of one trace: ``nodes`` (trace ids), their x (column) and y (depth);
    ``collapsed[node]`` = (size, kind counts) for a node drawn as a triangle; ``width`` columns."""

    nodes: list
    x: dict
    y: dict
    collapsed: dict
    width: int
    parent: dict


def subtree_facts(trace):
    """Per node: subtree size, whether a solution is below (or at) it, and kind counts below it."""
    n = trace.size
    size = np.ones(n, np.int64)
    solved = np.array([o == "solution" for o in trace.outcome])
    for node in range(n - 1, 0, -1):  # children have larger ids than their parent
        p = trace.parent[node]
        size[p] += size[node]
        solved[p] |= solved[node]
    return size, solved


def choose_threshold(trace, budget):
    """The largest collapse threshold that leaves at most ``budget`` drawn nodes (or 1)."""
    size, solved = subtree_facts(trace)
    for threshold in (None, 256, 64, 32, 16, 8, 4, 2, 1):
        if _drawn_count(trace, size, solved, threshold) <= budget:
            return threshold
    return 1


def _collapsible(node, trace, size, solved, threshold):
    return threshold is not None and node > 0 and not solved[node] and size[node] > threshold


def _drawn_count(trace, size, solved, threshold):
    hidden = np.zeros(trace.size, bool)
    for node in range(1, trace.size):
        p = trace.parent[node]
        hidden[node] = hidden[p] or _collapsible(p, trace, size, solved, threshold)
    return int((~hidden).sum())


def layout(trace, threshold=None):
    """Coordinates of the drawn nodes; failed subtrees of more than ``threshold`` nodes collapse."""
    size, solved = subtree_facts(trace)
    kids = trace.children()
    nodes, x, y, parent, collapsed = [], {}, {}, {}, {}
    column = 0
    # Iterative post-order: leaves take the next column, parents sit over their children.
    stack = [(0, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            nodes.append(node)
            y[node] = int(trace.depth[node])
            if node > 0:
                parent[node] = int(trace.parent[node])
            if _collapsible(node, trace, size, solved, threshold) or not kids[node]:
                if _collapsible(node, trace, size, solved, threshold):
                    collapsed[node] = (int(size[node]), _kinds_below(trace, kids, node))
                x[node] = float(column)
                column += 1
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(kids[node]))
        else:
            x[node] = (x[kids[node][0]] + x[kids[node][-1]]) / 2
    return Layout(nodes=nodes, x=x, y=y, collapsed=collapsed, width=max(column, 1), parent=parent)


def _kinds_below(trace, kids, node):
    counts = {}
    stack = list(kids[node])
    while stack:
        child = stack.pop()
        kind = trace.kind(child)
        counts[kind] = counts.get(kind, 0) + 1
        stack.extend(kids[child])
    return counts
