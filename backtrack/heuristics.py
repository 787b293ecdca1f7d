"""Ready-made variable-ordering hooks (``select_variable``)."""

from numba.extending import register_jitable

from backtrack.domains import dom_size


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
