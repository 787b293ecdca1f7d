"""Ready-made variable-ordering hooks (``select_variable``)."""

from numba.extending import register_jitable

from backtrack.domains import dom_size, dom_values


@register_jitable
def smallest_domain(problem, state, domains, assign, depth):
    """MRV: the unassigned variable with the fewest values left (lowest number on ties)."""
    best_var = -1
    best_size = 1 << 62
    for var in range(assign.shape[0]):
        if assign[var] < 0:
            size = dom_size(domains, var)
            if size < best_size:
                best_size = size
                best_var = var
    return best_var


@register_jitable
def descending_values(problem, state, domains, assign, var, out):
    """``order_values``: the values of the variable's domain, largest first (0/1 items: take first)."""
    count = dom_values(domains, var, out)
    for i in range(count // 2):
        out[i], out[count - 1 - i] = out[count - 1 - i], out[i]
    return count


@register_jitable
def _sift_down(values, root, end):
    while 2 * root + 1 < end:
        child = 2 * root + 1
        if child + 1 < end and values[child] < values[child + 1]:
            child += 1
        if values[root] >= values[child]:
            return
        values[root], values[child] = values[child], values[root]
        root = child


@register_jitable
def sort_prefix(values, count):
    """Sort ``values[:count]`` ascending in place, without allocating (heapsort), for order_values hooks."""
    for root in range(count // 2 - 1, -1, -1):
        _sift_down(values, root, count)
    for end in range(count - 1, 0, -1):
        values[0], values[end] = values[end], values[0]
        _sift_down(values, 0, end)
