"""combo's dominance memo: per depth, a Pareto list of (weight, profit) states and, beyond it, a
window of weights (:func:`dominated_by_earlier`, the ``dominated`` hook), with the cardinality
cut; and where the windows are placed at preparation (:func:`_live_weights`)."""

import numpy as np

from backtrack import jitable
from problems.knapsack.problem import COUNT, DEPTH, MEMO_LENGTH, MEMO_LOW, MEMO_SIZE, MEMO_START, PROFIT, WEIGHT

PARETO_ENTRIES = 1 << 20  # states kept by the Pareto lists of the dominance memo, over all depths (2 x 8 MiB)
# States per Pareto list when the windows hold every live weight: the window then cuts the same
# nodes, with one read per query where a list insertion shifts its entries (1.2-1.7x faster on
# Pisinger's types 14 and 16, n = 1000).
PARETO_SLOTS_BESIDE_WINDOWS = 64
MEMO_ENTRIES = 1 << 23  # weights covered by the memo's windows, over all depths (at most 64 MiB)
LIVE_GRID = 256  # node weights per depth at which _live_weights evaluates the bound (at most)
LIVE_CELLS = 1 << 18  # (depth, weight) pairs evaluated by _live_weights (fewer weights per depth when deep)


# ---------------------------------------------------------------- dominance and cardinality (combo)


@jitable
def cardinality_cut(problem, state):
    """A node whose item count cannot end within [min_count, max_count] cannot beat the incumbent."""
    depth = state[DEPTH]
    fewest = state[COUNT] - problem.lo_at[depth]  # every item left of the interval removed
    most = state[COUNT] + problem.profit.shape[0] - problem.hi_at[depth]  # every item right of it added
    return fewest > problem.max_count or most < problem.min_count


@jitable
def pareto_dominated(lists, index, depth, weight, profit):
    """Is (weight, profit) dominated by a state of the Pareto list of ``depth`` (``lists``,
    ``index``: ``Knapsack.memo_lists`` and ``memo_index``)? If not, the list takes it (dropping
    the states it dominates); returns -1 if the list is full and did not."""
    ws = lists[0, depth]
    ps = lists[1, depth]
    size = index[depth, MEMO_SIZE]
    # The last entry with weight <= ours has the highest profit among all such entries.
    low = 0
    high = size
    while low < high:
        mid = (low + high) // 2
        if ws[mid] <= weight:
            low = mid + 1
        else:
            high = mid
    at = low  # entries [0, at) weigh <= weight
    if at > 0 and ps[at - 1] >= profit:
        return 1
    start = at
    if at > 0 and ws[at - 1] == weight:
        start = at - 1  # same weight, less profit: replaced
    stop = start
    while stop < size and ps[stop] <= profit:
        stop += 1  # entries [start, stop) are dominated by the new state
    capacity = ws.shape[0]
    if stop == start and size == capacity:
        return -1
    shift = 1 - (stop - start)
    if shift > 0:
        for i in range(size - 1, stop - 1, -1):
            ws[i + 1] = ws[i]
            ps[i + 1] = ps[i]
    elif shift < 0:
        for i in range(stop, size):
            ws[i + shift] = ws[i]
            ps[i + shift] = ps[i]
    ws[start] = weight
    ps[start] = profit
    index[depth, MEMO_SIZE] = size + shift
    return 0


@jitable
def memo_window(index, best, depth):
    """Start in ``best`` (``Knapsack.memo_best``) of the window of ``depth``; the first call (its
    Pareto list has just filled) takes the window from the pool and clears it, so only the
    depths that need a window cost memory and time."""
    start = index[depth, MEMO_START]
    if start < 0:
        pool = index.shape[0] - 1
        start = index[pool, MEMO_START]
        stop = start + index[depth, MEMO_LENGTH]
        for i in range(start, stop):
            best[i] = -1  # below every state's profit (profits are >= 0)
        index[pool, MEMO_START] = stop
        index[depth, MEMO_START] = start
    return start


@jitable
def memo_record(index, best, depth, start, weight, profit):
    """Record a state at ``depth`` in its window (at ``start``): raise the prefix maxima from its
    weight on (a state lighter than the window counts as weighing its bottom: weaker, still
    sound; one heavier than the window is not recorded)."""
    i = start + max(weight - index[depth, MEMO_LOW], 0)
    stop = start + index[depth, MEMO_LENGTH]
    while i < stop and best[i] < profit:
        best[i] = profit
        i += 1


@jitable
def memo_dominated(lists, index, best, depth, weight, profit):
    """Is (weight, profit) dominated by a state recorded at ``depth`` in the dominance memo
    (``Knapsack.memo_lists``, ``memo_index``, ``memo_best``)? If not, the memo records it.
    Only the memo's arrays are passed: a call that is not inlined stays cheap."""
    listed = pareto_dominated(lists, index, depth, weight, profit)
    if listed >= 0:
        return listed == 1
    # The Pareto list of this depth is full: the states beyond it are in the window.
    start = memo_window(index, best, depth)
    if weight < index[depth, MEMO_LOW]:
        return False  # no state of the window is known to weigh less
    offset = min(weight - index[depth, MEMO_LOW], index[depth, MEMO_LENGTH] - 1)
    if best[start + offset] >= profit:
        return True
    memo_record(index, best, depth, start, weight, profit)
    return False


@jitable
def dominated_by_earlier(problem, state, assign, depth):
    """``dominated`` of ``combo``: cut a node whose (profit, weight) is dominated by an earlier
    node at the same depth (profit >= and weight <=), or that fails the cardinality bound.

    Sound for goal optimize because the branching order is fixed (every node at a depth has
    decided the same items, so the dominating node has every completion of this one, at least
    as profitable) and the search is depth-first: an earlier node at the same depth has had its
    subtree searched to the end, or cut by a test that proves it cannot beat the incumbent
    (bound, reduction, dominance), and the incumbent only improves. The memo keeps, per depth,
    the Pareto list of (weight, profit) seen (:func:`pareto_dominated`); once it is full, further
    states go to a window of weights (:func:`_memo_windows`) that holds, for each weight w, the
    best profit seen with a weight up to w: a query reads one entry, a record raises the entries
    from its weight up to the next better state. States outside the window are recorded weaker
    or not at all (fewer cuts, never a wrong one).
    """
    if cardinality_cut(problem, state):
        return True
    return memo_dominated(
        problem.memo_lists, problem.memo_index, problem.memo_best, depth, state[WEIGHT], state[PROFIT]
    )


def _lp_curve(prefix_weight, prefix_value, start, stop, amount):
    """LP value (float) of filling ``amount`` with items ``[start, stop)`` in their order, from the
    prefix sums (the arguments broadcast: one value per element)."""
    pw = prefix_weight.astype(float)
    limit = pw[start] + amount
    k = np.clip(np.searchsorted(pw, limit, side="right") - 1, start, stop)
    after = np.minimum(k + 1, len(pw) - 1)
    step = pw[after] - pw[k]
    partial = (k < stop) & (step > 0)
    slope = np.where(partial, (prefix_value[after] - prefix_value[k]) / np.where(partial, step, 1.0), 0.0)
    return prefix_value[k] - prefix_value[start] + (limit - pw[k]) * slope


def _live_weights(prefix_weight, prefix_reduced, positive, lo_at, hi_at, capacity, threshold, plain=None):
    """(low, high) int64 arrays: per depth, node weights outside [low, high] have a Lagrangian LP
    bound (in reduced profits, without its constant) of at most ``threshold``, or, with
    ``plain`` = (prefix_profit, plain threshold) when the plain bound applies too, a plain LP
    bound of at most that threshold; such nodes are cut by bound and the dominance memo need not
    cover them.

    At depth d (decided items [lo, hi)) the best such bound of a node weighing W is that of the
    items [0, lo) in, the decided items filling W - pw[lo] exactly by LP, and the LP completion
    (filling from hi, or removing from [0, lo)): a concave function of W, evaluated at
    ``LIVE_GRID`` weights (fewer when there are more than ``LIVE_CELLS / LIVE_GRID`` depths, so
    that the cost stays bounded); the interval of its grid points above the threshold is widened
    by one grid step each side. Only a placement heuristic: any window is sound.
    """
    pw = prefix_weight.astype(float)
    lo, hi = lo_at[:, None], hi_at[:, None]
    span = np.minimum(pw[hi_at] - pw[lo_at], capacity)[:, None]  # decided weight of a node that fits
    points = max(8, min(LIVE_GRID, LIVE_CELLS // len(lo_at)))
    decided = span * np.linspace(0.0, 1.0, points)[None, :]
    weight = pw[lo] + decided
    excess = np.maximum(weight - capacity, 0.0)

    def best_bound(prefix_value, stop):
        pv = prefix_value.astype(float)
        added = _lp_curve(prefix_weight, pv, hi, np.maximum(hi, stop), np.maximum(capacity - weight, 0.0))
        removed = pv[lo] - _lp_curve(prefix_weight, pv, 0, lo, np.maximum(pw[lo] - excess, 0.0))
        return pv[lo] + _lp_curve(prefix_weight, pv, lo, hi, decided) + np.where(excess > 0, -removed, added)

    bound = best_bound(prefix_reduced, positive)
    live = bound > threshold - 1.0
    if plain is not None:
        prefix_profit, plain_threshold = plain
        live &= best_bound(prefix_profit, len(prefix_profit) - 1) > plain_threshold - 1.0
    bound[excess > pw[lo]] = -np.inf
    live &= excess <= pw[lo]
    last = points - 1
    first = np.where(live.any(axis=1), live.argmax(axis=1), bound.argmax(axis=1))
    final = np.where(live.any(axis=1), last - live[:, ::-1].argmax(axis=1), bound.argmax(axis=1))
    rows = np.arange(len(lo_at))
    low = np.floor(weight[rows, np.maximum(first - 1, 0)])
    high = np.ceil(weight[rows, np.minimum(final + 1, last)])
    return low.astype(np.int64), high.astype(np.int64)


def _memo_windows(low, high):
    """(length, low) of each depth's memo window (int64 arrays, see :class:`Knapsack`): the live
    weights [low, high] of :func:`_live_weights`, or, when their total would exceed
    ``MEMO_ENTRIES``, the widest equal cap of them centred on each interval."""
    span = np.maximum(high - low + 1, 1)
    if int(span.sum()) > MEMO_ENTRIES:
        bottom, top = 1, int(span.max())  # the largest cap whose total fits
        while bottom < top:
            mid = (bottom + top + 1) // 2
            if int(np.minimum(span, mid).sum()) <= MEMO_ENTRIES:
                bottom = mid
            else:
                top = mid - 1
        length = np.minimum(span, bottom)
        low = low + (span - length) // 2
        span = length
    return span.astype(np.int64), low.astype(np.int64)
