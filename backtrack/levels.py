"""Level-synchronous search: every node of depth d is expanded before any of depth d + 1, and a
level's nodes are kept sorted by one state column, so that dominance between them is a merge.

A strategy opts in with ``Strategy(..., level_dominance=(resource, value))``, two columns of its
state row: of two nodes at the same depth, one whose resource is <= and value >= the other's has
a completion at least as good as each of the other's, and the other is dropped (counted as
dominance). That is the dynamic programming of combo (Martello, Pisinger and Toth 1999) over
(weight, profit) states, and of any problem whose partial solutions summarise to a resource used
and a value gained. Depth-first, a node is compared only with the nodes of its depth visited
before it, and a dominated subtree may be searched before the node that dominates it is found;
here each level holds its Pareto front only.

It runs the strategy's own hooks, as :mod:`backtrack.search` does: ``select_variable`` (which must
depend on the depth only: every node of a level decides the same variable), ``order_values`` or
``value_bits``, ``is_feasible``, ``decision_bound``, ``apply``, ``dominated``, ``bound``, and at
the leaves ``accept`` and ``objective``. It has no domains to shrink (no ``propagate``) and no
partial assignment: hooks see the root's domains and an ``assign`` of -1 throughout, so they must
read the state row only. Goal ``optimize`` only. Solutions are the accepted nodes of the last
level, unless the strategy also gives ``level_completion(problem, values)`` (plain Python: the
values with each -1 replaced by its default): then every node is a solution if ``accept``
accepts it, with the undecided variables at their defaults and ``objective`` its value (combo's
states: the items left of the decided interval in, those right of it out), and incumbents are
found from the first levels on. The nodes of each level are the candidate
decisions tried, as depth-first; the tree is the same, only visited in another order, with
levels instead of a memo for dominance.

:func:`expand_level` (hooks) and :func:`merge_level` (no hooks) are the two compiled kernels;
:class:`LevelSearch` runs them level by level in Python, where limits, Ctrl-C and progress are
checked, and keeps each level's (parent, value) links so that the best leaf's path can be read
back.
"""

import time

import numba
import numpy as np

from backtrack import hooks, search
from backtrack.bits import lowest_bit_index
from backtrack.solver import Progress, Result, Stats, Streaming, final_status, pruned_counts, unpruned_nodes

# Slots of the ctl array of the kernels.
L_HAS_BEST = 0  # 1 once an incumbent exists
L_BEST = 1  # the incumbent's objective times L_SENSE
L_SENSE = 2  # +1 maximise, -1 minimise
L_VAR = 3  # the variable the level decides (set by expand_level)
L_IMPROVED = 4  # 1 if this level found a better leaf
L_BEST_PARENT = 5  # index, in the level's nodes, of the best leaf's parent
L_BEST_VALUE = 6  # the best leaf's value
L_SIZE = 7

# Options of backtrack.Search that a level search does not support (with their neutral values),
# and those it has no use for.
UNSUPPORTED = {
    "workers": 1,
    "executor": None,
    "checkpoint": None,
    "trace": None,
    "prefix": (),
    "restarts": False,
    "solution_limit": None,
    "coordinator": None,
}
IGNORED = ("trace_limit", "trace_meta", "on_trace_limit", "ordered", "subproblems_per_worker")

MERGE_BUCKETS = 8  # up to this many values, sorted buckets are merged; beyond, a level is sorted


def expand_level(
    strategy,
    problem,
    parents,
    n_parents,
    depth,
    leaf,
    partial,
    domains,
    assign,
    values,
    children,
    links,
    fill,
    ctl,
    stats,
):
    """Expand the ``n_parents`` nodes of ``parents`` (state rows at ``depth``): each child that no
    hook cuts goes to the bucket of its value (rows ``value * n_parents + k`` of ``children``,
    its parent's index in ``links``, ``fill[value]`` of them); at a leaf level (and at every
    level with ``partial``: the strategy has a ``level_completion``), accepted children are
    compared with the incumbent in ``ctl``. Cuts and nodes add up in ``stats`` (``search.ST_*``
    slots)."""
    n_values = values.shape[0]
    width = parents.shape[1]
    sense = ctl[L_SENSE]
    var = hooks.select_variable(strategy, problem, parents[0], domains, assign, depth)
    ctl[L_VAR] = var
    ctl[L_IMPROVED] = 0
    nodes = 0
    cut_feasibility = 0
    cut_bound = 0
    cut_dominance = 0
    not_offered = 0
    solutions = 0
    for v in range(n_values):
        fill[v] = 0
    for i in range(n_parents):
        state = parents[i]
        if hooks.has_value_bits(strategy):
            bits = hooks.value_bits(strategy, problem, state, domains, assign, var)
            count = 0
            while bits != 0:
                values[count] = lowest_bit_index(bits)
                bits &= bits - 1
                count += 1
        else:
            count = hooks.order_values(strategy, problem, state, domains, assign, var, values)
        not_offered += n_values - count
        for k in range(count):
            value = values[k]
            nodes += 1
            if not hooks.is_feasible(strategy, problem, state, assign, var, value):
                cut_feasibility += 1
                continue
            if hooks.has_decision_bound(strategy) and ctl[L_HAS_BEST] == 1:
                decided = hooks.decision_bound(strategy, problem, state, domains, assign, var, value)
                if sense * decided <= ctl[L_BEST]:
                    cut_bound += 1
                    continue
            row = value * n_parents + fill[value]
            child = children[row]
            for c in range(width):
                child[c] = state[c]
            hooks.apply(strategy, problem, child, var, value)
            if hooks.dominated(strategy, problem, child, assign, depth + 1):
                cut_dominance += 1
                continue
            if hooks.has_bound(strategy) and ctl[L_HAS_BEST] == 1:
                if sense * hooks.bound(strategy, problem, child, domains, assign) <= ctl[L_BEST]:
                    cut_bound += 1
                    continue
            if leaf or partial:
                if hooks.accept(strategy, problem, child, assign):
                    score = sense * hooks.objective(strategy, problem, child, assign)
                    if ctl[L_HAS_BEST] == 0 or score > ctl[L_BEST]:
                        ctl[L_HAS_BEST] = 1
                        ctl[L_BEST] = score
                        ctl[L_BEST_PARENT] = i
                        ctl[L_BEST_VALUE] = value
                        ctl[L_IMPROVED] = 1
                        solutions += 1
                if leaf:
                    continue
            links[row] = i
            fill[value] += 1
    stats[search.ST_NODES] += nodes
    stats[search.ST_CUT_FEASIBILITY] += cut_feasibility
    stats[search.ST_CUT_BOUND] += cut_bound
    stats[search.ST_CUT_DOMINANCE] += cut_dominance
    stats[search.ST_NOT_OFFERED_VALUES] += not_offered
    stats[search.ST_SOLUTIONS] += solutions


@numba.njit(cache=True)
def merge_level(children, links, fill, n_parents, resource, value, kept_states, kept_links, kept_values, order):
    """The next level's nodes from the children of :func:`expand_level`: in increasing
    ``resource`` (a merge of the value buckets when each is sorted, as when a decision adds the
    same amount to every node, else a stable sort), without the dominated ones (resource >= and
    value <= another's; of equal states the first). Writes ``kept_*``, returns how many."""
    n_values = fill.shape[0]
    total = 0
    in_order = n_values <= MERGE_BUCKETS
    for v in range(n_values):
        base = v * n_parents
        for r in range(base + 1, base + fill[v]):
            if children[r, resource] < children[r - 1, resource]:
                in_order = False
        total += fill[v]
    if in_order:
        heads = np.empty(n_values, np.int64)
        for v in range(n_values):
            heads[v] = v * n_parents
        for t in range(total):
            pick = -1
            for v in range(n_values):
                if heads[v] < v * n_parents + fill[v]:
                    if pick < 0 or children[heads[v], resource] < children[heads[pick], resource]:
                        pick = v
            order[t] = heads[pick]
            heads[pick] += 1
    else:
        keys = np.empty(total, np.int64)
        t = 0
        for v in range(n_values):
            for r in range(v * n_parents, v * n_parents + fill[v]):
                order[t] = r
                keys[t] = children[r, resource]
                t += 1
        ranked = np.argsort(keys, kind="mergesort")
        rows = order[:total].copy()
        for t in range(total):
            order[t] = rows[ranked[t]]
    width = children.shape[1]
    kept = 0
    best = 0
    i = 0
    while i < total:
        top = order[i]
        amount = children[top, resource]
        j = i + 1
        while j < total and children[order[j], resource] == amount:
            if children[order[j], value] > children[top, value]:
                top = order[j]
            j += 1
        if kept == 0 or children[top, value] > best:
            for c in range(width):
                kept_states[kept, c] = children[top, c]
            kept_links[kept] = links[top]
            kept_values[kept] = top // n_parents
            best = children[top, value]
            kept += 1
        i = j
    return kept


class LevelSearch(Streaming):
    """Search ``problem`` for goal ``optimize`` level by level with a strategy that declares
    ``level_dominance`` (see the module's docstring). Options as :class:`backtrack.Search`:
    ``backend``, ``time_limit``, ``node_limit``, ``on_progress``, ``progress_every``; the others
    (workers, trace, prefix, restarts, solution limits) are refused with a ValueError."""

    def __init__(
        self,
        problem,
        strategy,
        goal="optimize",
        *,
        backend="numba",
        time_limit=None,
        node_limit=None,
        on_progress=None,
        progress_every=1.0,
        **others,
    ):
        from backtrack.solver import check_arguments

        if goal != "optimize":
            raise ValueError(f"strategy '{strategy.name}' searches level by level: goal optimize only, not {goal!r}")
        unknown = set(others) - set(UNSUPPORTED) - set(IGNORED)
        if unknown:
            raise TypeError(f"unknown option(s) {sorted(unknown)}")
        given = sorted(name for name, option in others.items() if name in UNSUPPORTED and option != UNSUPPORTED[name])
        if given or strategy.uses_domains:
            what = ", ".join(given) if given else "propagation (domains)"
            raise ValueError(f"strategy '{strategy.name}' searches level by level, which does not support {what}")
        check_arguments(problem, strategy, backend, time_limit=time_limit, node_limit=node_limit)
        self.problem = problem
        self.strategy = strategy
        self.goal = goal
        self.backend = backend
        self.time_limit = time_limit
        self.node_limit = node_limit
        self.on_progress = on_progress
        self.progress_every = progress_every
        self.space = problem.space()
        self.arrays = search.new_arrays(self.space, value_bits=strategy.has_value_bits)
        self.ctl = np.zeros(L_SIZE, np.int64)
        self.ctl[L_SENSE] = 1 if self.space.maximize else -1
        self.solution = None
        if self.space.incumbent is not None:
            best, assignment = self.space.incumbent
            self.ctl[L_HAS_BEST] = 1
            self.ctl[L_BEST] = self.ctl[L_SENSE] * best
            self.solution = list(assignment)

    def stream(self):
        """Run the search (goal optimize yields nothing); ``self.result`` is set at the end."""
        space, a, ctl = self.space, self.arrays, self.ctl
        n = space.n_vars
        resource, value = self.strategy.level_dominance
        stats = Stats()
        expand, merge = expand_level, merge_level.py_func
        if self.backend == "numba":
            from backtrack.compiled import compile_kernel

            started = time.perf_counter()
            try:
                expand = compile_kernel(
                    self.strategy, expand_level, (self.problem, *self._arguments(a.states[:1], 1, 0))
                )
            except KeyboardInterrupt:
                stats.compile_s = time.perf_counter() - started
                self.result = self._result(stats, "interrupt", 0)
                return
            merge = merge_level
            stats.compile_s = time.perf_counter() - started
        parents = a.states[:1].copy()
        count = 1
        links = []  # per depth d: (variable, parent index, value) of the nodes at depth d + 1
        stop_reason = None
        depth = 0
        started = last_report = time.perf_counter()
        try:
            for depth in range(n):
                leaf = depth == n - 1
                arguments = self._arguments(parents, count, depth)
                children, child_links, fill = arguments[8], arguments[9], arguments[10]
                expand(self.strategy, self.problem, *arguments)
                var = int(ctl[L_VAR])
                if ctl[L_IMPROVED]:
                    self.solution = self._path(links, depth, var, n)
                total = int(fill.sum())
                kept_states = np.empty((total, parents.shape[1]), np.int64)
                kept_links, kept_values = np.empty(total, np.int64), np.empty(total, np.int64)
                kept = 0
                if total and not leaf:
                    order = np.empty(total, np.int64)
                    kept = merge(
                        children, child_links, fill, count, resource, value, kept_states, kept_links, kept_values, order
                    )
                    a.stats[search.ST_CUT_DOMINANCE] += total - kept
                if total:
                    a.stats[search.ST_MAX_DEPTH] = depth + 1
                links.append((var, kept_links[:kept].astype(np.int32), kept_values[:kept].astype(np.int16)))
                parents, count = kept_states[:kept], kept
                if kept == 0:
                    break
                now = time.perf_counter()
                if self.node_limit is not None and int(a.stats[search.ST_NODES]) >= self.node_limit:
                    stop_reason = "nodes"
                    break
                if self.time_limit is not None and now - started >= self.time_limit:
                    stop_reason = "time"
                    break
                if self.on_progress is not None and now - last_report >= self.progress_every:
                    last_report = now
                    self.on_progress(self._progress(now - started, depth + 1))
        except KeyboardInterrupt:
            stop_reason = "interrupt"
        stats.time_s = time.perf_counter() - started
        self.result = self._result(stats, stop_reason, depth)
        return
        yield  # a generator, as every search's stream()

    def _arguments(self, parents, count, depth):
        """The arguments of :func:`expand_level` after (strategy, problem), with room for the
        children of ``count`` parents."""
        a = self.arrays
        n_values = self.space.n_values
        rows = max(n_values * count, 1)
        children = np.empty((rows, parents.shape[1]), np.int64)
        child_links = np.empty(rows, np.int64)
        fill = np.zeros(n_values, np.int64)
        values = np.empty(n_values, np.int64)
        leaf = depth == self.space.n_vars - 1
        partial = self.strategy.level_completion is not None
        return (
            parents,
            count,
            depth,
            leaf,
            partial,
            a.domains,
            a.assign,
            values,
            children,
            child_links,
            fill,
            self.ctl,
            a.stats,
        )

    def _path(self, links, depth, var, n):
        """The best solution's values, read back from the per-level links (the undecided ones,
        for a solution found above the last level, from the strategy's ``level_completion``)."""
        solution = [-1] * n
        solution[var] = int(self.ctl[L_BEST_VALUE])
        index = int(self.ctl[L_BEST_PARENT])
        for d in range(depth - 1, -1, -1):
            level_var, parents, values = links[d]
            solution[level_var] = int(values[index])
            index = int(parents[index])
        if depth < n - 1:
            solution = [int(v) for v in self.strategy.level_completion(self.problem, solution)]
        return solution

    def _value(self):
        if self.ctl[L_HAS_BEST] == 0:
            return None
        return int(self.ctl[L_SENSE] * self.ctl[L_BEST])

    def _progress(self, elapsed, depth):
        raw = self.arrays.stats
        return Progress(
            nodes=int(raw[search.ST_NODES]),
            solutions=int(raw[search.ST_SOLUTIONS]),
            count=0,
            value=self._value(),
            depth=depth,
            elapsed_s=elapsed,
        )

    def _result(self, stats, stop_reason, depth):
        raw = self.arrays.stats
        stats.nodes = int(raw[search.ST_NODES])
        stats.pruned = pruned_counts(raw)
        stats.not_offered[self.strategy.leaves_out] += int(raw[search.ST_NOT_OFFERED_VALUES])
        stats.unpruned_nodes = unpruned_nodes(self.arrays.initial_sizes)
        stats.solutions = int(raw[search.ST_SOLUTIONS])
        stats.max_depth = int(raw[search.ST_MAX_DEPTH])
        found = self.solution is not None
        return Result(
            status=final_status(self.goal, stop_reason, found),
            goal=self.goal,
            strategy=self.strategy.name,
            backend=self.backend,
            count=stats.solutions,
            value=self._value(),
            solution=self.solution,
            stop_reason=stop_reason,
            stats=stats,
        )
