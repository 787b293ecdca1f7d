"""Graph colouring as engine hooks: one variable per vertex, its value the vertex's colour.

Colours are 0..K-1 (``Colouring.colours``); the state row is ``[USED]``, the number of colours
used so far (the largest colour + 1). The strategies add one pruning kind each:

- clash: vertices in file order, every colour, a colour that a coloured neighbour has is cut
  (``is_feasible``); only the leaves whose colours first appear in increasing order are accepted,
  so every strategy counts the same thing (colourings up to a renaming of the colours);
- symmetry: a vertex may take a colour already used or the one new colour ``USED`` (``order_values``:
  the unused colours are interchangeable, trying one of them is enough);
- bound: cut a decision whose colours used reach the incumbent's (``decision_bound``, ``bound``);
  the DSATUR greedy colouring is the first incumbent;
- forward: colour domains as bitsets; colouring a vertex removes its colour from its uncoloured
  neighbours' domains, an emptied domain cuts (``propagate``);
- dsatur: the next vertex is the one seeing the most distinct colours (smallest domain), ties by
  most uncoloured neighbours (``select_variable``);
- clique: a greedy large clique is coloured first, 0..q-1, and q is the lower bound: the search
  ends as soon as the incumbent has q colours;
- singletons: a vertex left with one colour gives it up to its uncoloured neighbours, in turn
  (``propagate``, a queue to a fixpoint);
- cliques: in a clique with as many vertices as colours allowed (greedy maximal cliques grown
  through the edges), each colour is used once: a colour no vertex of it can take cuts, a colour
  only one can take is that vertex's (hidden colours, as Sudoku's hidden singles).
"""

from typing import NamedTuple

import numpy as np

from backtrack import Space, Strategy, dom_contains, dom_remove, dom_values, jitable
from backtrack.bits import lowest_bit_index, popcount
from problems.colour.graph import cliques_through_edges, dsatur_greedy, greedy_clique

USED = 0  # slot of the state row: colours used so far


class Colouring(NamedTuple):
    """Colourings of a graph with at most ``colours`` colours.

    ``offsets`` int64[n + 1] and ``neighbours`` int64[2m]: the adjacency lists (CSR: vertex v's
    neighbours are ``neighbours[offsets[v]:offsets[v + 1]]``); ``clique`` int64[q]: a clique, coloured
    first by the clique strategy; ``incumbent`` int64[n]: a colouring to start the optimisation
    from, or an empty array.

    ``allowed`` int64[1]: how many colours a colouring still worth finding may use: ``colours``,
    or under optimisation one less than the best colouring found so far. The hooks cannot see the
    engine's incumbent, so the ``objective`` hook (called at the improving leaves of goal optimize
    only) writes it here and propagation reads it; ``space()`` resets it, so each search starts
    afresh. ``queue`` int64[n]: scratch of the singleton propagation. ``adjacency`` uint64[n, words]:
    the neighbours as bitsets; ``uncoloured`` uint64[words]: scratch of DSATUR's tie-break;
    ``clique_offsets`` / ``clique_members``: cliques of 3 or more vertices, largest first (CSR),
    for the ``cliques`` strategy. The
    scratch arrays make a problem value usable by one search at a time.
    """

    n: int
    colours: int
    offsets: np.ndarray
    neighbours: np.ndarray
    clique: np.ndarray
    incumbent: np.ndarray
    allowed: np.ndarray
    queue: np.ndarray
    adjacency: np.ndarray
    uncoloured: np.ndarray
    clique_offsets: np.ndarray
    clique_members: np.ndarray

    def space(self):
        incumbent = None
        self.allowed[0] = self.colours
        if len(self.incumbent):
            incumbent = (int(self.incumbent.max()) + 1, [int(c) for c in self.incumbent])
            self.allowed[0] = min(self.colours, incumbent[0] - 1)
        return Space(
            n_vars=self.n, n_values=self.colours, state=np.zeros(1, np.int64), maximize=False, incumbent=incumbent
        )


def adjacency_lists(n, edges):
    """The CSR adjacency (offsets, neighbours) of an undirected edge list."""
    both = np.concatenate([edges, edges[:, ::-1]]) if len(edges) else np.zeros((0, 2), np.int64)
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(both[:, 0], minlength=n), out=offsets[1:])
    return offsets, np.ascontiguousarray(both[:, 1], dtype=np.int64)


def build(graph, colours=None):
    """The problem of a :class:`problems.colour.io.Graph`: with ``colours`` K, the colourings with at
    most K colours; without, the optimisation (K and the incumbent from the DSATUR greedy colouring)."""
    offsets, neighbours = adjacency_lists(graph.n, graph.edges)
    clique = np.array(greedy_clique(graph.n, graph.edges), dtype=np.int64)
    if colours is None:
        start = np.array(dsatur_greedy(graph.n, graph.edges), dtype=np.int64)
        colours, incumbent = int(start.max()) + 1, start
    else:
        if colours < 1:
            raise ValueError("the number of colours must be at least 1")
        # More colours than vertices change nothing (colourings are counted up to renaming).
        colours, incumbent = min(colours, graph.n), np.zeros(0, np.int64)
    cover = cliques_through_edges(graph.n, graph.edges)
    words = (graph.n + 63) // 64
    rows = np.repeat(np.arange(graph.n), np.diff(offsets))
    adjacency = np.zeros((graph.n, words), np.uint64)
    np.bitwise_or.at(adjacency, (rows, neighbours >> 6), np.uint64(1) << (neighbours & 63).astype(np.uint64))
    return Colouring(
        n=graph.n,
        colours=colours,
        offsets=offsets,
        neighbours=neighbours,
        clique=clique,
        incumbent=incumbent,
        allowed=np.zeros(1, np.int64),
        queue=np.zeros(graph.n, np.int64),
        adjacency=adjacency,
        uncoloured=np.zeros(words, np.uint64),
        clique_offsets=np.cumsum([0] + [len(c) for c in cover], dtype=np.int64),
        clique_members=np.array([v for c in cover for v in c], dtype=np.int64),
    )


# ---------------------------------------------------------------- hooks


@jitable
def by_index(problem, state, domains, assign, depth):
    """``select_variable``: the vertices in file order."""
    return depth


@jitable
def no_clash(problem, state, assign, var, value):
    """``is_feasible``: no coloured neighbour has this colour."""
    for i in range(problem.offsets[var], problem.offsets[var + 1]):
        if assign[problem.neighbours[i]] == value:
            return False
    return True


@jitable
def paint(problem, state, var, value):
    """``apply``: count a new colour."""
    if value + 1 > state[USED]:
        state[USED] = value + 1


@jitable
def colours_used(problem, state, assign):
    """``objective`` (minimised): the number of colours. The engine calls it at the leaves of goal
    optimize only: a better colouring from here on must use fewer (``Colouring.allowed``)."""
    if state[USED] - 1 < problem.allowed[0]:
        problem.allowed[0] = state[USED] - 1
    return state[USED]


@jitable
def first_uses_in_order(problem, state, assign):
    """``accept`` of the clash strategy: colours first appear in increasing order along the
    vertices, so that each colouring is counted once up to a renaming of its colours."""
    largest = -1
    for v in range(problem.n):
        if assign[v] > largest + 1:
            return False
        if assign[v] > largest:
            largest = assign[v]
    return True


@jitable
def used_or_one_new(problem, state, domains, assign, var, out):
    """``order_values`` without domains: the colours used so far and one new colour."""
    count = min(state[USED] + 1, problem.colours)
    for c in range(count):
        out[c] = c
    return count


@jitable
def free_used_or_one_new(problem, state, domains, assign, var, out):
    """``order_values`` with domains: the colours left in the domain, up to one new colour."""
    count = dom_values(domains, var, out)
    while count > 0 and (out[count - 1] > state[USED] or out[count - 1] >= problem.allowed[0]):
        count -= 1
    return count


@jitable
def used_bound_before(problem, state, domains, assign, var, value):
    """``decision_bound``: the colours a colouring through this decision uses at least."""
    return max(state[USED], value + 1)


@jitable
def used_bound(problem, state, domains, assign):
    """``bound``: the colours used so far."""
    return state[USED]


@jitable
def clique_bound_before(problem, state, domains, assign, var, value):
    """``decision_bound`` with the clique: never fewer colours than the clique has vertices."""
    return max(state[USED], value + 1, problem.clique.shape[0])


@jitable
def clique_bound(problem, state, domains, assign):
    """``bound`` with the clique."""
    return max(state[USED], problem.clique.shape[0])


@jitable
def _allowed_mask(problem, word):
    """The bits of word ``word`` of a domain that are colours below ``allowed``."""
    low = 64 * word
    allowed = problem.allowed[0]
    if allowed >= low + 64:
        return ~np.uint64(0)
    if allowed <= low:
        return np.uint64(0)
    return (np.uint64(1) << np.uint64(allowed - low)) - np.uint64(1)


@jitable
def allowed_size(problem, domains, v):
    """The colours left to ``v`` below ``allowed``."""
    size = 0
    for w in range(domains.bits.shape[1]):
        size += popcount(domains.bits[v, w] & _allowed_mask(problem, w))
    return size


@jitable
def _only_allowed(problem, domains, v):
    """The one colour left to ``v`` below ``allowed`` (``allowed_size`` is 1)."""
    for w in range(domains.bits.shape[1]):
        left = domains.bits[v, w] & _allowed_mask(problem, w)
        if left != np.uint64(0):
            return 64 * w + lowest_bit_index(left)
    return -1


@jitable
def _take_from_neighbours(problem, domains, assign, var, value):
    """Remove ``value`` from the uncoloured neighbours of ``var``; -1 when one has no colour
    below ``allowed`` left, else 0."""
    for i in range(problem.offsets[var], problem.offsets[var + 1]):
        u = problem.neighbours[i]
        if assign[u] >= 0 or not dom_contains(domains, u, value):
            continue
        dom_remove(domains, u, value)
        size = allowed_size(problem, domains, u)
        if size == 0:
            return -1
    return 0


@jitable
def forward_check(problem, state, domains, assign, var, value):
    """``propagate``: the colour leaves the uncoloured neighbours' domains; a domain with no colour
    below ``allowed`` left cuts."""
    return _take_from_neighbours(problem, domains, assign, var, value) == 0


@jitable
def _drain(problem, domains, assign, var, value, head, tail):
    """Give up the colour of each queued vertex (``var``: ``value``; the others: their one colour
    left) in its uncoloured neighbours, queueing those left with one; the queue's new end, or -1
    when a domain has no colour below ``allowed`` left."""
    queue = problem.queue
    while head < tail:
        x = queue[head]
        head += 1
        colour = value if x == var else _only_allowed(problem, domains, x)
        if colour >= problem.allowed[0]:
            continue  # (a forced decision beyond the allowed colours) then no neighbour is pushed twice
        for i in range(problem.offsets[x], problem.offsets[x + 1]):
            u = problem.neighbours[i]
            if u == var or assign[u] >= 0 or not dom_contains(domains, u, colour):
                continue
            dom_remove(domains, u, colour)
            size = allowed_size(problem, domains, u)
            if size == 0:
                return -1
            if size == 1:
                queue[tail] = u
                tail += 1
    return tail


@jitable
def propagate_singletons(problem, state, domains, assign, var, value):
    """``propagate``: forward checking, and a vertex left with one colour gives it up to its
    uncoloured neighbours in turn (arc consistency of the edges' "different colours")."""
    problem.queue[0] = var
    return _drain(problem, domains, assign, var, value, 0, 1) >= 0


@jitable
def _hidden_colours(problem, domains, tail):
    """In a clique with as many vertices as colours allowed every colour is used once: a colour
    missing from all its domains cuts, a colour left to one vertex only is that vertex's (queued).
    More vertices than colours cut. Returns the queue's new end, or -1. (Colours 0..63 only.)"""
    allowed = problem.allowed[0]
    mask = _allowed_mask(problem, 0)
    offsets, members, bits = problem.clique_offsets, problem.clique_members, domains.bits
    for k in range(offsets.shape[0] - 1):
        start, end = offsets[k], offsets[k + 1]
        if end - start < allowed:
            break  # largest first: no later clique is big enough
        if end - start > allowed:
            return -1
        once = np.uint64(0)
        twice = np.uint64(0)
        for i in range(start, end):
            d = bits[members[i], 0] & mask
            twice |= once & d
            once |= d
        if once != mask:
            return -1
        single = once & ~twice
        if single == np.uint64(0):
            continue
        for i in range(start, end):
            v = members[i]
            d = bits[v, 0] & mask
            hit = d & single
            if hit == np.uint64(0):
                continue
            if hit & (hit - np.uint64(1)) != np.uint64(0):
                return -1  # two colours that only this vertex can take
            rest = d & ~hit
            if rest != np.uint64(0):
                while rest != np.uint64(0):
                    dom_remove(domains, v, lowest_bit_index(rest))
                    rest &= rest - np.uint64(1)
                problem.queue[tail] = v
                tail += 1
    return tail


@jitable
def propagate_cliques(problem, state, domains, assign, var, value):
    """``propagate``: the singleton propagation and the cliques' hidden colours, to a fixpoint."""
    problem.queue[0] = var
    head, tail = 0, 1
    while True:
        end = _drain(problem, domains, assign, var, value, head, tail)
        if end < 0:
            return False
        if domains.bits.shape[1] != 1:
            return True
        more = _hidden_colours(problem, domains, end)
        if more < 0:
            return False
        if more == end:
            return True
        head, tail = end, more


@jitable
def _free_degree(problem, v):
    """Uncoloured neighbours of ``v`` (``problem.uncoloured`` holds the uncoloured vertices)."""
    count = 0
    for w in range(problem.uncoloured.shape[0]):
        count += popcount(problem.adjacency[v, w] & problem.uncoloured[w])
    return count


@jitable
def most_saturated(problem, state, domains, assign, depth):
    """``select_variable`` (DSATUR): the uncoloured vertex with the fewest colours left, that is
    seeing the most distinct colours; ties: most uncoloured neighbours, then lowest number."""
    best = -1
    best_size = problem.colours + 1
    best_degree = -1  # computed only when a tie needs it
    free = problem.uncoloured
    for w in range(free.shape[0]):
        free[w] = 0
    for v in range(problem.n):
        if assign[v] < 0:
            free[v >> 6] |= np.uint64(1) << np.uint64(v & 63)
    for v in range(problem.n):
        if assign[v] >= 0:
            continue
        size = allowed_size(problem, domains, v)
        if size < best_size:
            best, best_size, best_degree = v, size, -1
        elif size == best_size:
            if best_degree < 0:
                best_degree = _free_degree(problem, best)
            degree = _free_degree(problem, v)
            if degree > best_degree:
                best, best_degree = v, degree
    return best


@jitable
def clique_then_saturated(problem, state, domains, assign, depth):
    """``select_variable``: the clique's vertices first (each takes the next new colour), then DSATUR."""
    if depth < problem.clique.shape[0]:
        return problem.clique[depth]
    return most_saturated(problem, state, domains, assign, depth)


_COMMON = {"apply": paint, "objective": colours_used}
_BOUND = {"decision_bound": used_bound_before, "bound": used_bound}
STRATEGIES = {
    s.name: s
    for s in (
        Strategy(
            "clash",
            Colouring,
            select_variable=by_index,
            is_feasible=no_clash,
            accept=first_uses_in_order,
            description="vertices in file order, every colour, a neighbour's colour cut",
            **_COMMON,
        ),
        Strategy(
            "symmetry",
            Colouring,
            select_variable=by_index,
            is_feasible=no_clash,
            order_values=used_or_one_new,
            leaves_out="symmetry",
            description="+ at most one new colour per vertex (unused colours are interchangeable)",
            **_COMMON,
        ),
        Strategy(
            "bound",
            Colouring,
            select_variable=by_index,
            is_feasible=no_clash,
            order_values=used_or_one_new,
            leaves_out="symmetry",
            description="+ cut at the incumbent's colours (the DSATUR greedy colouring first)",
            **_COMMON,
            **_BOUND,
        ),
        Strategy(
            "forward",
            Colouring,
            select_variable=by_index,
            propagate=forward_check,
            order_values=free_used_or_one_new,
            leaves_out="symmetry",
            description="+ forward checking on colour bitsets (an emptied domain cuts)",
            **_COMMON,
            **_BOUND,
        ),
        Strategy(
            "dsatur",
            Colouring,
            select_variable=most_saturated,
            propagate=forward_check,
            order_values=free_used_or_one_new,
            leaves_out="symmetry",
            description="+ DSATUR order: most distinct neighbour colours, ties by uncoloured degree",
            **_COMMON,
            **_BOUND,
        ),
        Strategy(
            "clique",
            Colouring,
            select_variable=clique_then_saturated,
            propagate=forward_check,
            order_values=free_used_or_one_new,
            decision_bound=clique_bound_before,
            bound=clique_bound,
            leaves_out="symmetry",
            description="+ a greedy clique coloured first and its size as lower bound",
            **_COMMON,
        ),
        Strategy(
            "singletons",
            Colouring,
            select_variable=clique_then_saturated,
            propagate=propagate_singletons,
            order_values=free_used_or_one_new,
            decision_bound=clique_bound_before,
            bound=clique_bound,
            leaves_out="symmetry",
            description="+ a vertex left with one colour removes it from its neighbours",
            **_COMMON,
        ),
        Strategy(
            "cliques",
            Colouring,
            select_variable=clique_then_saturated,
            propagate=propagate_cliques,
            order_values=free_used_or_one_new,
            decision_bound=clique_bound_before,
            bound=clique_bound,
            leaves_out="symmetry",
            description="+ in a clique of as many vertices as colours, a colour left to one vertex is its; default",
            **_COMMON,
        ),
    )
}
DEFAULT_STRATEGY = "cliques"


def colours_of(solution):
    """The JSON form of a solution: colour 1..k of each vertex, vertex 1 first."""
    return [int(c) + 1 for c in solution]
