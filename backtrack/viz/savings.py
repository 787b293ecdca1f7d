"""What each pruning kind saved against the unpruned tree, counted exactly from a trace.

In the unpruned tree every variable offers all its k values, so a node at depth d has
k + k^2 + ... + k^(n-d) descendants. A node cut at depth d saves those descendants; a value that
a level at depth d did not offer saves itself and its descendants (1 + k + ... + k^(n-d-1)). The
visited nodes plus all savings add up to the unpruned tree, which the function checks.
"""


def _below(k, levels):
    """Descendants of a node with ``levels`` levels below it in the unpruned tree."""
    return sum(k**j for j in range(1, levels + 1))


def savings(trace):
    """{kind: unpruned-tree nodes never built because of it}, or None when the trace cannot tell
    (domains of different sizes, a truncated trace, a search with restarts)."""
    meta = trace.meta
    unpruned = meta.get("stats", {}).get("unpruned_nodes")
    if unpruned is None or meta.get("truncated"):
        return None
    n, k = meta["n_vars"], meta["n_values"]
    saved = {}
    for node in range(trace.size):
        depth = int(trace.depth[node])
        if node and trace.status[node] == 1:
            kind = trace.kind(node)
            saved[kind] = saved.get(kind, 0) + _below(k, n - depth)
        for kind, count in trace.info[node].get("not_offered", {}).items():
            saved[kind] = saved.get(kind, 0) + count * (1 + _below(k, n - depth - 1))
    if trace.size - 1 + sum(saved.values()) != unpruned:
        return None  # e.g. restarts visited some subtrees twice
    return {kind: value for kind, value in saved.items() if value}
