"""Big traces as images: CP-Profiler's pixel tree and the icicle, aggregated with numpy.

Both views put the nodes on one axis in visiting (depth-first) order, ``per`` consecutive nodes to
an image column, and the depth on the other. In the **pixel tree** a pixel (depth d, column c)
counts the nodes of column c at depth d. In the **icicle** every node is a bar as wide as its
subtree: in depth-first order a subtree is the run of ids [i, i + size), so its bar lies right
above its descendants, and pixel (d, c) is covered by the nodes of column c at depth d or deeper,
each through its ancestor at depth d. Under either, :class:`Columns` holds the strips: per column,
the cuts of each kind, the values not offered, the solutions and the incumbent.

Nothing here draws (that is :mod:`backtrack.viz.render_pixel`) and nothing loops over nodes in
Python except the one pass that turns the trace's lists into arrays.
"""

from dataclasses import dataclass

import numpy as np

# Failures a strip shows, in the order the strips are drawn: the search's pruning kinds (decision
# bound cuts apart from bound cuts, which the statistics add together), then the leaves refused.
CUT_KINDS = ("feasibility", "decision_bound", "bound", "propagation", "dominance", "rejected", "not_better")
NOT_OFFERED_KINDS = ("propagation", "feasibility", "symmetry", "ordering")
# What an icicle bar is coloured by: a leaf by its outcome; an expanded node by its subtree (green
# when a solution is below it, else the kind that cut most nodes below it, "expanded" when none did).
ICICLE_CLASSES = ("expanded", "solution", *CUT_KINDS)


@dataclass
class Columns:
    """One trace cut into columns of ``per`` nodes (the last one may hold fewer).

    ``density[d, c]``: nodes of column c at depth d; ``cuts[kind][c]``: nodes of column c cut by
    ``kind`` (only kinds that occur); ``not_offered[kind][c]``: values the levels opened in column
    c did not offer; ``solutions[c]``; ``incumbent[c]``: the incumbent's value known at the end of
    column c (NaN before there is one), or None when the trace records no incumbent.
    """

    per: int
    density: np.ndarray
    cuts: dict
    not_offered: dict
    solutions: np.ndarray
    incumbent: np.ndarray | None

    @property
    def count(self):
        return self.density.shape[1]


@dataclass
class NodeArrays:
    """The trace's per-node facts as arrays: ``outcome`` (index into ``OUTCOMES``), ``depth``,
    ``parent``, ``incumbent`` (NaN where the node records none), ``not_offered[kind]``."""

    outcome: np.ndarray
    depth: np.ndarray
    parent: np.ndarray
    incumbent: np.ndarray
    not_offered: dict

    @property
    def size(self):
        return len(self.depth)


OUTCOMES = ("root", "expanded", "solution", *CUT_KINDS)


def node_arrays(trace):
    """Arrays of a :class:`backtrack.viz.read.Trace` (the only per-node Python loop of this module)."""
    code = {name: i for i, name in enumerate(OUTCOMES)}
    incumbent = np.full(trace.size, np.nan)
    not_offered = {}
    for node, entry in enumerate(trace.info):
        if "incumbent" in entry:
            incumbent[node] = entry["incumbent"]
        for kind, count in entry.get("not_offered", {}).items():
            not_offered.setdefault(kind, np.zeros(trace.size, np.int64))[node] = count
    return NodeArrays(
        outcome=np.array([code[o] for o in trace.outcome], np.int64),
        depth=np.asarray(trace.depth, np.int64),
        parent=np.asarray(trace.parent, np.int64),
        incumbent=incumbent,
        not_offered=not_offered,
    )


def nodes_per_column(sizes, columns):
    """The one ``per`` that fits the biggest of the traces (``sizes``) into ``columns`` columns."""
    return max(1, -(-max(sizes) // columns))


def columns_of(nodes, per):
    """The pixel-tree columns of ``nodes`` (:class:`NodeArrays`), ``per`` nodes to a column."""
    n = nodes.size
    count = -(-n // per)
    column = np.arange(n) // per
    depth_rows = int(nodes.depth.max()) + 1
    density = np.bincount(nodes.depth * count + column, minlength=depth_rows * count).reshape(depth_rows, count)
    cuts = {}
    for kind in CUT_KINDS:
        hit = nodes.outcome == OUTCOMES.index(kind)
        if hit.any():
            cuts[kind] = np.bincount(column[hit], minlength=count)
    not_offered = {
        kind: np.bincount(column, weights=values, minlength=count).astype(np.int64)
        for kind, values in nodes.not_offered.items()
        if values.any()
    }
    solutions = np.bincount(column[nodes.outcome == OUTCOMES.index("solution")], minlength=count)
    return Columns(
        per=per,
        density=density,
        cuts=cuts,
        not_offered=not_offered,
        solutions=solutions,
        incumbent=_incumbent_by_column(nodes.incumbent, per, count),
    )


def _incumbent_by_column(incumbent, per, count):
    known = ~np.isnan(incumbent)
    if not known.any():
        return None
    last = np.maximum.accumulate(np.where(known, np.arange(len(incumbent)), -1))  # latest node with a value
    ends = np.minimum(np.arange(1, count + 1) * per, len(incumbent)) - 1
    at = last[ends]
    return np.where(at >= 0, incumbent[np.maximum(at, 0)], np.nan)


def _by_depth(nodes):
    """Node ids grouped by depth, shallow first."""
    order = np.argsort(nodes.depth, kind="stable")
    bounds = np.searchsorted(nodes.depth[order], np.arange(int(nodes.depth.max()) + 2))
    return [order[bounds[d] : bounds[d + 1]] for d in range(len(bounds) - 1)]


def ancestor_at(nodes, d):
    """The ancestor at depth d of every node (the node itself at depth d; -1 above depth d).

    In depth-first order a node's ancestor at depth d is the last node at depth d visited so far.
    """
    latest = np.maximum.accumulate(np.where(nodes.depth == d, np.arange(nodes.size), -1))
    return np.where(nodes.depth >= d, latest, -1)


def icicle_class(nodes):
    """Per node, its index in ``ICICLE_CLASSES`` (see there)."""
    classes = len(ICICLE_CLASSES)
    own = np.zeros(nodes.size, np.int64)  # the node's own class (expanded and the root: 0)
    for i, name in enumerate(ICICLE_CLASSES):
        own[nodes.outcome == OUTCOMES.index(name)] = i
    below = np.zeros((nodes.size, classes), np.int64)  # class counts in the subtree, the node included
    below[np.arange(nodes.size), own] = 1
    for ids in reversed(_by_depth(nodes)[1:]):
        np.add.at(below, nodes.parent[ids], below[ids])
    cut = below[:, 2:]
    dominant = np.where(cut.max(axis=1) > 0, 2 + cut.argmax(axis=1), 0)
    return np.where(below[:, 1] > 0, 1, dominant)  # a leaf's "subtree" is itself: its own class


def icicle_coverage(nodes, per):
    """``cover[d, c, k]``: how many of column c's node slots the depth-d bars of class k cover.

    Slot j (node j) lies under the bar of its depth-d ancestor when its depth is d or more, so
    ``cover[d].sum()`` is the number of nodes at depth d or deeper.
    """
    n = nodes.size
    count = -(-n // per)
    column = np.arange(n) // per
    klass = icicle_class(nodes)
    classes = len(ICICLE_CLASSES)
    rows = int(nodes.depth.max()) + 1
    cover = np.zeros((rows, count, classes), np.int64)
    for d in range(rows):
        anc = ancestor_at(nodes, d)
        under = anc >= 0
        flat = column[under] * classes + klass[anc[under]]
        cover[d] = np.bincount(flat, minlength=count * classes).reshape(count, classes)
    return cover
