"""Bidirectional (meet-in-the-middle) search: the engine enumerates parts, compiled code joins them.

For problems whose constraint and objective are sums over their variables (subset sum, knapsack),
the variables are split in two halves. The engine's own loop (:func:`backtrack.search.run_slice`,
goal ``COLLECT``) enumerates each half in a forced variable order, pruned by the strategy's
``is_feasible`` / ``propagate`` / ``dominated`` hooks, and records every accepted half-leaf as the
``(key, value)`` returned by the strategy's ``summarize`` hook. The two lists are then joined:

- ``join="exact"`` (goals ``first``, ``count``, ``all``): pairs with ``key_left + key_right == target``;
  both lists sorted, one two-pointer scan. Counts are exact Python integers.
- ``join="best"`` (goal ``optimize``): the pair with the best ``value_left + value_right`` under
  ``key_left + key_right <= target``; the right list sorted by key with a running best value
  (which drops dominated pairs), each left leaf answered by binary search.

``low_memory=True`` (exact join, goals ``first`` and ``count``): four quarter lists joined in
O(2^(n/4)) memory (Schroeppel-Shamir's bound), residue by residue of the left sums modulo a power
of two (:mod:`backtrack.residue_join`).

Contract for the strategy's hooks: ``accept`` sees a half's leaf (a partial assignment), so leave
it at the default or make it hold for every partial assignment that may extend to a solution;
``summarize`` must return the half's contribution to the sums; the key of a pair is the sum of
the keys. Keys, values and their sums must fit in int64, unless the problem's root state has
dtype object (Python integers, exact at any size), which needs ``backend="python"``.

Use (knapsack: key = weight sum, value = profit sum, ``summarize`` returns them)::

    result = solve_bidirectional(problem, strategy, "optimize", target=capacity, backend="numba")
    result.value, result.solution  # best profit, one value per variable

    result = solve_bidirectional(problem, strategy, "count", target=t)  # subset sum: key = value = sum

:class:`Bidirectional` is the same search as an object whose ``stream()`` yields solutions (goal
``all``); :func:`backtrack.cli.run_search` runs it from the CLI (``search_class=Bidirectional``).
The join loops are plain Python functions that numba compiles (``backend="numba"``) or that run
as they are (``backend="python"``): the results and node counts are the same.
"""

import time

import numba
import numpy as np
from numba.extending import register_jitable as jitable

from backtrack import residue_join, search
from backtrack.compiled import compile_for
from backtrack.residue_join import modular_join, modulus_for, new_table, residue_buckets
from backtrack.solver import PRUNING_KINDS, Progress, Result, Stats, Streaming, check_arguments, final_status
from backtrack.sorted_parts import collect_in_key_order, declared_terms, merge_step, terms_fit

JOINS = ("exact", "best")
_JOIN_GOALS = {"exact": ("first", "count", "all"), "best": ("optimize",)}
CHUNK = 1 << 16  # rows of the engine's out array between two flushes
COUNT_CAP = 1 << 62  # a join call returns before its int64 count could overflow
JOIN_STEPS = 1 << 22  # pointer moves per join call: time limits and Ctrl-C are checked between calls


# ---------------------------------------------------------------- joins (run compiled or interpreted)


@jitable
def count_exact(left, right, target, cursor, limit):
    """Count pairs with ``left[i] + right[j] == target``; both key arrays ascending.

    cursor int64[2] = (i ascending over left, j descending over right), updated. Makes at most
    ``limit`` moves, and returns early once the count passes 2**62; returns the count of this call.
    A move is a select, not a branch (which pointer moves is random); equal sums are rare and branch.
    """
    i = cursor[0]
    j = cursor[1]
    n_left = left.shape[0]
    count = 0
    steps = 0
    while i < n_left and j >= 0 and steps < limit:
        steps += 1
        total = left[np.uint64(i)] + right[np.uint64(j)]
        if total == target:
            # A run of equal left keys meets a run of equal right keys: every pair matches.
            key = left[i]
            first_i = i
            while i < n_left and left[i] == key:
                i += 1
            key = right[j]
            first_j = j
            while j >= 0 and right[j] == key:
                j -= 1
            count += (i - first_i) * (first_j - j)
            if count > COUNT_CAP:
                break
        else:
            below = np.int64(total < target)
            i += below
            j -= 1 - below
    cursor[0] = i
    cursor[1] = j
    return count


@jitable
def next_exact_run(left, right, target, cursor, limit, run):
    """Find the next runs of matching keys; 1: found, run = (i0, i1, j0, j1) (half-open ranges),
    cursor moved past them; 0: ``limit`` moves spent; -1: no more matches."""
    i = cursor[0]
    j = cursor[1]
    n_left = left.shape[0]
    steps = 0
    status = -1
    while i < n_left and j >= 0:
        if steps == limit:
            status = 0
            break
        steps += 1
        total = left[np.uint64(i)] + right[np.uint64(j)]
        if total != target:
            below = np.int64(total < target)  # a select, not a branch
            i += below
            j -= 1 - below
        else:
            key = left[i]
            run[0] = i
            while i < n_left and left[i] == key:
                i += 1
            run[1] = i
            key = right[j]
            run[3] = j + 1
            while j >= 0 and right[j] == key:
                j -= 1
            run[2] = j + 1
            status = 1
            break
    cursor[0] = i
    cursor[1] = j
    return status


@jitable
def running_best(values, best_at):
    """``best_at[j]``: index of the first maximum of ``values[0..j]`` (dominance filter of a sorted side)."""
    at = 0
    for j in range(values.shape[0]):
        if values[j] > values[at]:
            at = j
        best_at[j] = at


@jitable
def best_pairs(left_keys, left_values, right_keys, right_values, best_at, capacity, start, stop, found):
    """Best ``left_values[i] + right_values[best_at[j]]`` with keys summing to at most ``capacity``.

    Scans left leaves ``start..stop-1``; right keys ascending. found int64[3] = (has one, left
    index, right index) is updated when a strictly better pair appears (ties keep the first).
    """
    n_right = right_keys.shape[0]
    if n_right == 0:
        return
    for i in range(start, stop):
        room = capacity - left_keys[i]
        if room < right_keys[0]:
            continue
        # Binary search: the last right key <= room.
        low = 0
        high = n_right
        while high - low > 1:
            middle = (low + high) // 2
            if right_keys[middle] <= room:
                low = middle
            else:
                high = middle
        j = best_at[low]
        if found[0] == 0 or left_values[i] + right_values[j] > left_values[found[1]] + right_values[found[2]]:
            found[0] = 1
            found[1] = i
            found[2] = j


_JOIN_FUNCTIONS = {
    "count_exact": count_exact,
    "next_exact_run": next_exact_run,
    "running_best": running_best,
    "best_pairs": best_pairs,
    "modular_join": modular_join,
    "merge_step": merge_step,
}
_compiled_joins = {}


def _join_function(name, backend, exact_ints):
    """The join loop ``name``: numba-compiled (cached on disk) or the plain function."""
    fn = _JOIN_FUNCTIONS[name]
    if backend == "python" or exact_ints:
        return fn
    dispatcher = _compiled_joins.get(name)
    if dispatcher is None:
        dispatcher = numba.njit(fn, cache=True, nogil=True)
        _compiled_joins[name] = dispatcher
    return dispatcher


# ---------------------------------------------------------------- one part of the variables


class _Part:
    """The leaves of one part (a half or a quarter) of the variables, enumerated by the engine.

    keys / values / codes: one entry per accepted leaf (values and codes only when asked for);
    a code holds the leaf's values, the value of ``variables[d]`` as digit d in base n_values.
    """

    def __init__(self, variables, n_values):
        self.variables = np.asarray(variables, dtype=np.int64)
        self.radix = n_values
        self.keys = self.values = self.codes = None
        self.in_key_order = False  # keys ascending, values and codes alongside
        if n_values ** len(self.variables) >= 1 << 63:
            raise ValueError(f"a part of {len(self.variables)} variables with {n_values} values is too large")

    def decode(self, code, assignment):
        """Write the part's values, read from ``code``, into ``assignment``."""
        for var in self.variables.tolist():
            assignment[var] = code % self.radix
            code //= self.radix


class _Budget:
    """Limits, Ctrl-C and progress shared by all parts and join calls of one search."""

    def __init__(self, time_limit, node_limit, on_progress, progress_every):
        self.time_limit = time_limit
        self.node_limit = node_limit
        self.on_progress = on_progress
        self.progress_every = progress_every
        self.started = time.perf_counter()
        self.last_report = self.started
        self.nodes_before = 0  # nodes of the parts already finished
        self.pruned = dict.fromkeys(PRUNING_KINDS, 0)
        self.max_depth = 0
        self.count = 0
        self.solutions = 0

    def check(self, nodes_now=0, value=None):
        """The stop reason if a limit is reached, else None (and a progress report when due)."""
        now = time.perf_counter()
        if self.time_limit is not None and now - self.started >= self.time_limit:
            return "time"
        if self.node_limit is not None and self.nodes_before + nodes_now >= self.node_limit:
            return "nodes"
        if self.on_progress is not None and now - self.last_report >= self.progress_every:
            self.last_report = now
            self.on_progress(
                Progress(
                    nodes=self.nodes_before + nodes_now,
                    solutions=self.solutions,
                    count=self.count,
                    value=value,
                    depth=self.max_depth,
                    elapsed_s=now - self.started,
                )
            )
        return None


class _Stopped(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Bidirectional(Streaming):
    """One bidirectional search of ``problem`` with ``strategy``; ``run()`` it or iterate ``stream()``.

    goal: ``first``, ``count``, ``all`` (join ``exact``: key sums equal to ``target``) or
    ``optimize`` (join ``best``: the best value sum with key sum at most ``target``, the sense
    given by the problem's ``Space.maximize``). ``order``: the variables in split order (default
    0..n-1); the first half of it is the left part. ``low_memory``: Schroeppel-Shamir (exact join,
    goals first and count). Limits as in :class:`backtrack.Search`: ``time_limit`` (seconds),
    ``node_limit`` (checked between engine slices), Ctrl-C; they end the search with status
    ``limit``. Stats: nodes of all parts, including the re-enumeration that recovers the leaves of
    a reported solution (only the (key, value) lists are kept, not the leaves' codes, unless goal
    ``all`` needs them); ``compile_s`` apart from ``time_s``.
    """

    def __init__(
        self,
        problem,
        strategy,
        goal="first",
        *,
        target,
        join=None,
        backend="numba",
        time_limit=None,
        node_limit=None,
        low_memory=False,
        order=None,
        on_progress=None,
        progress_every=1.0,
    ):
        join = join or ("best" if goal == "optimize" else "exact")
        if join not in JOINS:
            raise ValueError(f"join must be one of {', '.join(JOINS)}, not {join!r}")
        if goal not in _JOIN_GOALS[join]:
            raise ValueError(f"join {join!r} serves goals {', '.join(_JOIN_GOALS[join])}, not {goal!r}")
        if low_memory and goal not in ("first", "count"):
            raise ValueError("low_memory (Schroeppel-Shamir) serves goals first and count")
        check_arguments(problem, strategy, backend, time_limit=time_limit, node_limit=node_limit)
        self.problem = problem
        self.strategy = strategy
        self.goal = goal
        self.join = join
        self.backend = backend
        self.target = target
        self.low_memory = low_memory
        self.space = problem.space()
        self.exact_ints = self.space.state.dtype == object
        if self.exact_ints and backend == "numba":
            raise ValueError("numbers beyond int64 (a state of dtype object) need backend='python'")
        n = self.space.n_vars
        order = np.arange(n, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
        if sorted(order.tolist()) != list(range(n)):
            raise ValueError("order must be a permutation of the variables")
        self.order = order
        self.sense = 1 if self.space.maximize else -1
        self.terms = declared_terms(strategy, problem, self.space)
        if self.terms is not None:
            root = np.array(self.space.state, dtype=np.int64)
            key, value = strategy.summarize(problem, root, np.full(n, -1, dtype=np.int64))
            self.root_summary = (int(key), int(value) * self.sense)
            if not terms_fit(*self.terms, *self.root_summary):
                self.terms = None
        self._budget = _Budget(time_limit, node_limit, on_progress, progress_every)
        self._stats = Stats()
        self._engine = None
        self.result = None

    # ------------------------------------------------------------ enumerating a part with the engine

    def _arrays(self, part):
        space = self.space
        k = len(part.variables)
        arrays = search.new_arrays(
            space,
            order=part.variables,
            leaf_depth=k,
            out_rows=CHUNK,
            out_dtype=object if self.exact_ints else np.int64,
            value_bits=self.strategy.has_value_bits,
        )
        arrays.ctl[search.CTL_SENSE] = self.sense
        return arrays

    def _engine_for(self, arrays):
        if self._engine is None:
            if self.backend == "python":
                self._engine = search.run_slice
            else:
                started = time.perf_counter()
                self._engine = compile_for(self.strategy, self.problem, arrays, search.COLLECT)
                self._stats.compile_s += time.perf_counter() - started
        return self._engine

    def _leaves(self, part):
        """Run the engine over the part; yield each flushed chunk of (key, value, code) rows."""
        budget_tracker = self._budget
        if len(part.variables) == 0:
            # No variable: the root is the part's only leaf (the engine needs at least one level).
            space = self.space
            state = np.array(space.state, dtype=space.state.dtype)
            assign = np.full(space.n_vars, -1, dtype=np.int64)
            if self.strategy.accept(self.problem, state, assign):
                key, value = self.strategy.summarize(self.problem, state, assign)
                yield np.array([[key, value, 0]], dtype=object if self.exact_ints else np.int64)
            return
        a = self._arrays(part)
        engine = self._engine_for(a)
        budget = 1000
        try:
            while True:
                if budget_tracker.node_limit is not None:
                    left = budget_tracker.node_limit - budget_tracker.nodes_before - int(a.stats[search.ST_NODES])
                    budget = max(1, min(budget, left))
                slice_start = time.perf_counter()
                event = engine(self.strategy, self.problem, a, search.COLLECT, budget)
                took = time.perf_counter() - slice_start
                if event == search.EV_BUDGET and took < 0.02:
                    budget = min(budget * 4, 1 << 40)
                elif took > 0.1:
                    budget = max(budget // 2, 64)
                filled = int(a.ctl[search.CTL_OUT])
                if filled:
                    yield a.out[:filled]
                    a.ctl[search.CTL_OUT] = 0
                if event == search.EV_DONE:
                    break
                reason = budget_tracker.check(int(a.stats[search.ST_NODES]))
                if reason is not None:
                    raise _Stopped(reason)
        finally:
            raw = a.stats
            budget_tracker.nodes_before += int(raw[search.ST_NODES])
            for kind, slot in (
                ("feasibility", search.ST_CUT_FEASIBILITY),
                ("bound", search.ST_CUT_BOUND),
                ("propagation", search.ST_CUT_PROPAGATION),
                ("dominance", search.ST_CUT_DOMINANCE),
            ):
                budget_tracker.pruned[kind] += int(raw[slot])
            budget_tracker.max_depth = max(budget_tracker.max_depth, int(raw[search.ST_MAX_DEPTH]))

    def _collect(self, part, keep_values, keep_codes):
        """Enumerate the part; keep its keys (and values, codes) in growing arrays.

        When the strategy declares ``summary_terms``, the part is built in key order instead
        (:func:`backtrack.sorted_parts.collect_in_key_order`), with no loop and no sort."""
        if self.terms is not None and len(part.variables) > 0:
            return self._collect_in_key_order(part, keep_values, keep_codes)
        dtype = object if self.exact_ints else np.int64
        bound = part.radix ** len(part.variables)
        # Up to 2^27 leaves, allocate the bound at once: pages never written are never resident.
        capacity = bound if bound <= 1 << 27 and not self.exact_ints else min(bound, CHUNK)
        columns = [(0, True), (1, keep_values), (2, keep_codes)]
        arrays = {col: np.empty(capacity, dtype=dtype if col < 2 else np.int64) for col, keep in columns if keep}
        size = 0
        for chunk in self._leaves(part):
            rows = chunk.shape[0]
            if size + rows > capacity:
                capacity = min(max(2 * capacity, size + rows), bound)
                for col in arrays:
                    grown = np.empty(capacity, dtype=arrays[col].dtype)
                    grown[:size] = arrays[col][:size]
                    arrays[col] = grown
            for col, column in arrays.items():
                column[size : size + rows] = chunk[:, col]
            size += rows
        part.keys = arrays[0][:size]
        if keep_values:
            part.values = arrays[1][:size] * self.sense
        if keep_codes:
            part.codes = arrays[2][:size]
        return part

    def _collect_in_key_order(self, part, keep_values, keep_codes):
        budget = self._budget
        key_terms, value_terms = self.terms
        terms = (key_terms, value_terms * self.sense)
        others = [other for other in self._all_parts if other is not part]

        def check(nodes):
            reason = budget.check(nodes)
            if reason is not None:
                budget.nodes_before += nodes
                raise _Stopped(reason)

        nodes, cuts = collect_in_key_order(
            part,
            others,
            terms,
            self.root_summary,
            self.target,
            exact=self.join == "exact",
            keep_values=keep_values,
            keep_codes=keep_codes,
            step=lambda *args: self._timed_join("merge_step", *args),
            check=check,
        )
        budget.nodes_before += nodes
        budget.pruned["feasibility"] += cuts
        budget.max_depth = max(budget.max_depth, len(part.variables) if len(part.keys) else 0)
        part.in_key_order = True
        return part

    def _find_code(self, part, key, value=None):
        """Enumerate the part again and return the code of a leaf with this key (and value)."""
        for chunk in self._leaves(part):
            match = chunk[:, 0] == key
            if value is not None:
                match &= chunk[:, 1] * self.sense == value
            hits = np.flatnonzero(match)
            if len(hits):
                return int(chunk[hits[0], 2])
        raise AssertionError("a leaf of the join was not found again: are the strategy's hooks deterministic?")

    def _parts(self, pieces):
        n = len(self.order)
        bounds = [round(i * n / pieces) for i in range(pieces + 1)]
        self._all_parts = [_Part(self.order[bounds[i] : bounds[i + 1]], self.space.n_values) for i in range(pieces)]
        return self._all_parts

    def _solution(self, parts_and_codes):
        assignment = [-1] * self.space.n_vars
        for part, code in parts_and_codes:
            part.decode(code, assignment)
        return assignment

    def _join_fn(self, name):
        return _join_function(name, self.backend, self.exact_ints)

    def _timed_join(self, name, *args):
        """Call a join function; its first compiled call's compile time goes to compile_s."""
        fn = self._join_fn(name)
        if isinstance(fn, numba.core.registry.CPUDispatcher):
            signature = tuple(numba.typeof(arg) for arg in args)
            if signature not in fn.overloads:
                started = time.perf_counter()
                fn.compile(signature)
                self._stats.compile_s += time.perf_counter() - started
        return fn(*args)

    # ------------------------------------------------------------ the joins

    def _exact(self):
        left, right = self._parts(2)
        keep_codes = self.goal == "all"
        for part in (left, right):
            self._collect(part, keep_values=False, keep_codes=keep_codes)
            if part.in_key_order:
                continue
            if keep_codes:
                by_key = np.argsort(part.keys, kind="stable")
                part.keys = part.keys[by_key]
                part.codes = part.codes[by_key]
                del by_key
            else:
                part.keys.sort()
        cursor = np.array([0, len(right.keys) - 1], dtype=np.int64)
        target = self.target
        if self.goal == "count":
            while cursor[0] < len(left.keys) and cursor[1] >= 0:
                self._budget.count += int(
                    self._timed_join("count_exact", left.keys, right.keys, target, cursor, JOIN_STEPS)
                )
                self._check()
            return
        run = np.zeros(4, dtype=np.int64)
        while True:
            status = self._timed_join("next_exact_run", left.keys, right.keys, target, cursor, JOIN_STEPS, run)
            if status == -1:
                return
            if status == 1:
                i0, i1, j0, j1 = run.tolist()
                if self.goal == "first":
                    left_code = self._find_code(left, left.keys[i0])
                    right_code = self._find_code(right, right.keys[j0])
                    self._budget.solutions = self._budget.count = 1
                    yield self._solution([(left, left_code), (right, right_code)])
                    return
                for i in range(i0, i1):
                    for j in range(j0, j1):
                        self._budget.solutions += 1
                        self._budget.count += 1
                        yield self._solution([(left, int(left.codes[i])), (right, int(right.codes[j]))])
                        self._check()
            self._check()

    def _low_memory(self):
        quarters = self._parts(4)
        for part in quarters:
            self._collect(part, keep_values=False, keep_codes=True)
            if part.in_key_order:
                continue
            by_key = np.argsort(part.keys, kind="stable")
            part.keys = part.keys[by_key]
            part.codes = part.codes[by_key]
        a, b, c, d = quarters
        if min(len(part.keys) for part in quarters) == 0:
            return
        keys = tuple(part.keys for part in quarters)
        modulus = modulus_for(keys)
        mask = modulus - 1
        buckets = (*residue_buckets(b.keys, mask), *residue_buckets(d.keys, mask))
        # About len(a) * len(b) / M left pairs per residue; the table doubles when one has more.
        slots = 1 << max(4, (4 * len(a.keys) * len(b.keys) // modulus).bit_length())
        table = new_table(slots)
        residue = np.zeros(1, dtype=np.int64)
        counts = np.zeros(2, dtype=np.int64)
        found = np.zeros(4, dtype=np.int64)
        first = self.goal == "first"
        per_call = max(1, JOIN_STEPS // (len(a.keys) + len(c.keys) + 2 * len(b.keys) * len(a.keys) // modulus))
        while residue[0] < modulus:
            stop = min(modulus, int(residue[0]) + per_call)
            status = int(
                self._timed_join(
                    "modular_join", keys, buckets, self.target, mask, residue, stop, table, first, counts, found
                )
            )
            if status == 2:
                table = new_table(2 * len(table[0]))
                continue
            if status == 1:
                i, j, k, m = found.tolist()
                self._budget.solutions = self._budget.count = 1
                yield self._solution(
                    [(a, int(a.codes[i])), (b, int(b.codes[j])), (c, int(c.codes[k])), (d, int(d.codes[m]))]
                )
                return
            self._budget.count = residue_join.total(counts)
            self._check()

    def _best(self):
        left, right = self._parts(2)
        self._collect(left, keep_values=True, keep_codes=False)
        self._collect(right, keep_values=True, keep_codes=False)
        if not right.in_key_order:
            by_key = np.argsort(right.keys, kind="stable")
            right.keys = right.keys[by_key]
            right.values = right.values[by_key]
            del by_key
        best_at = np.zeros(len(right.keys), dtype=np.int64)
        self._timed_join("running_best", right.values, best_at)
        found = np.zeros(3, dtype=np.int64)
        for start in range(0, len(left.keys), JOIN_STEPS // 8):
            stop = min(start + JOIN_STEPS // 8, len(left.keys))
            self._timed_join(
                "best_pairs", left.keys, left.values, right.keys, right.values, best_at, self.target, start, stop, found
            )
            self._best_found = self._best_value(left, right, found)
            self._check()
        if found[0]:
            i, j = int(found[1]), int(found[2])
            left_code = self._find_code(left, left.keys[i], left.values[i])
            right_code = self._find_code(right, right.keys[j], right.values[j])
            self._budget.solutions = 1
            self._best_solution = self._solution([(left, left_code), (right, right_code)])
        return
        yield

    def _best_value(self, left, right, found):
        if not found[0]:
            return None
        return self.sense * (left.values[int(found[1])] + right.values[int(found[2])])

    def _check(self):
        reason = self._budget.check(value=getattr(self, "_best_found", None))
        if reason is not None:
            raise _Stopped(reason)

    # ------------------------------------------------------------ running

    def stream(self):
        """Run the search, yielding each solution (goals first and all) as it is found.

        A solution is a list of values, one per variable; ``self.result`` is set at the end.
        """
        stop_reason = None
        last = None
        self._best_found = None
        self._best_solution = None
        try:
            if self.join == "best":
                steps = self._best()
            elif self.low_memory:
                steps = self._low_memory()
            else:
                steps = self._exact()
            for solution in steps:
                last = solution
                yield solution
        except _Stopped as stopped:
            stop_reason = stopped.reason
        except KeyboardInterrupt:
            stop_reason = "interrupt"
        self.result = self._result(stop_reason, last)

    def _result(self, stop_reason, last):
        budget = self._budget
        stats = self._stats
        stats.time_s = time.perf_counter() - budget.started - stats.compile_s
        stats.nodes = budget.nodes_before
        stats.pruned = dict(budget.pruned)
        stats.max_depth = budget.max_depth
        stats.solutions = budget.solutions if self.goal == "optimize" else budget.count
        value = None
        solution = last
        if self.goal == "optimize":
            solution = self._best_solution
            value = None if self._best_found is None else int(self._best_found)
        status = final_status(self.goal, stop_reason, solution is not None)
        return Result(
            status=status,
            goal=self.goal,
            strategy=self.strategy.name,
            backend=self.backend,
            count=budget.count if self.goal != "optimize" else budget.solutions,
            value=value,
            solution=solution,
            stop_reason=stop_reason,
            stats=stats,
        )


def solve_bidirectional(problem, strategy, goal="first", *, target, **options):
    """Meet-in-the-middle search of ``problem``; returns a :class:`backtrack.Result`.

    Options are those of :class:`Bidirectional`: join, backend, time_limit, node_limit,
    low_memory, order, on_progress, progress_every.
    """
    return Bidirectional(problem, strategy, goal, target=target, **options).run()
