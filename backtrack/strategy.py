"""Strategies (named sets of hooks) and the search space a problem value describes."""

import hashlib
import inspect
import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numba.core import cgutils  # noqa: F401  (keeps numba's lowering registry loaded)
from numba.core.registry import CPUDispatcher
from numba.extending import NativeValue, models, register_jitable, register_model, typeof_impl, unbox

from backtrack import hooks
from backtrack.hooks import DEFAULTS, HOOK_NAMES, StrategyType

_ENGINE_DIR = Path(__file__).resolve().parent
# The modules whose code is compiled into the engine: editing one must invalidate the cache.
_COMPILED_MODULES = (
    "bits.py",
    "domains.py",
    "heuristics.py",
    "hooks.py",
    "levels.py",
    "search.py",
    "strategy.py",
    "trace.py",
)
_registered_functions = set()


@dataclass
class Space:
    """What the engine needs to know about a problem value before it searches.

    n_vars: number of variables (numbered 0..n_vars-1); n_values: values are 0..n_values-1;
    state: the root's int64 state row (may be empty); domains: optional bool[n_vars, n_values]
    of allowed values; maximize: the sense of ``objective`` for ``goal="optimize"``;
    incumbent: an optional known solution (list of values) to start branch and bound from.
    """

    n_vars: int
    n_values: int
    state: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    domains: np.ndarray | None = None
    maximize: bool = True
    incumbent: list | None = None

    def __post_init__(self):
        if self.n_vars < 1:
            raise ValueError("a problem needs at least one variable")
        if self.n_values < 1:
            raise ValueError("variables need at least one value")
        self.state = np.ascontiguousarray(self.state, dtype=np.int64).reshape(-1)


class Strategy:
    """A named set of hooks for one problem type.

    ``Strategy("forward-checking", Queens, is_feasible=..., propagate=...)``; hooks not given keep
    their neutral defaults (see :mod:`backtrack.hooks`). Hook functions are plain Python that
    numba can compile; helper functions they call must be decorated with :func:`backtrack.jitable`.
    ``leaves_out`` names what the values that ``value_bits`` / ``order_values`` leave out of a
    domain stand for, in the statistics' ``not_offered`` counts: ``"feasibility"`` (values that
    would be cut, e.g. attacked columns), ``"symmetry"`` or ``"ordering"`` (the default). With the
    ``plain_value_bits`` hook (the values a level would offer without symmetry breaking), the
    values ``value_bits`` leaves out of those count as ``"symmetry"``, the rest as ``leaves_out``.

    ``summary_terms(problem) -> (key_terms, value_terms)`` (plain Python, optional) declares that
    ``summarize`` of a part of the variables is the root's summary plus the terms of its decisions
    (int64 arrays ``[n_vars, n_values]``), and that the other hooks reject no part's leaf that the
    bounds of these sums do not reject: bidirectional search then builds each part in key order
    without the loop (:mod:`backtrack.sorted_parts`).

    ``level_dominance=(resource, value)`` (two columns of the state row) declares that, of two
    nodes at the same depth, one with resource <= and value >= the other's has a completion at
    least as good as each of the other's: the search then runs level by level, each level kept
    sorted by resource with the dominated nodes dropped (:mod:`backtrack.levels`; goal optimize).
    ``level_completion(problem, values) -> values`` (plain Python, optional) fills the undecided
    variables (-1) with the defaults that the state row already counts: every node that ``accept``
    accepts is then a solution, found before the last level.
    """

    def __init__(
        self,
        name,
        problem_type,
        *,
        description="",
        uses_domains=None,
        leaves_out="ordering",
        summary_terms=None,
        level_dominance=None,
        level_completion=None,
        **hook_functions,
    ):
        unknown = set(hook_functions) - set(HOOK_NAMES)
        if unknown:
            raise TypeError(f"unknown hook(s) {sorted(unknown)}; hooks are {', '.join(HOOK_NAMES)}")
        if "value_bits" in hook_functions and "order_values" in hook_functions:
            raise TypeError("give order_values or value_bits, not both: both say which values to try")
        if leaves_out not in ("feasibility", "symmetry", "ordering"):
            raise ValueError(f"leaves_out must be feasibility, symmetry or ordering, not {leaves_out!r}")
        self.name = name
        self.leaves_out = leaves_out
        self.problem_type = problem_type
        self.description = description
        self.summary_terms = summary_terms
        if level_dominance is not None:
            level_dominance = tuple(int(column) for column in level_dominance)
            if len(level_dominance) != 2 or min(level_dominance) < 0:
                raise ValueError("level_dominance is (resource column, value column) of the state row")
        self.level_dominance = level_dominance
        if level_completion is not None and level_dominance is None:
            raise ValueError("level_completion is for a level search: give level_dominance too")
        self.level_completion = level_completion
        self.custom = {k: v for k, v in hook_functions.items() if v is not None}
        for hook_name in HOOK_NAMES:
            fn = self.custom.get(hook_name, DEFAULTS[hook_name])
            if not isinstance(fn, CPUDispatcher) and fn not in _registered_functions:
                register_jitable(fn)
                _registered_functions.add(fn)
            setattr(self, hook_name, fn)
        self.has_bound = "bound" in self.custom
        self.has_decision_bound = "decision_bound" in self.custom
        self.has_value_bits = "value_bits" in self.custom
        self.has_plain_value_bits = "plain_value_bits" in self.custom
        if self.has_plain_value_bits and not self.has_value_bits:
            raise TypeError("plain_value_bits refines the not-offered counts of value_bits: give value_bits too")
        self.uses_domains = "propagate" in self.custom if uses_domains is None else bool(uses_domains)
        self.digest = _digest(self)
        owner = f"{problem_type.__module__}.{problem_type.__qualname__}"
        self.key = f"{owner}:{name}:{self.digest[:16]}"
        hooks.register_strategy(self)

    def __repr__(self):
        return f"Strategy({self.name!r}, {self.problem_type.__name__})"

    def __reduce__(self):
        # Pickled as its parts (hooks travel by module and name): a worker process of a cluster
        # rebuilds the strategy, which registers it there, then compiles or loads it from its cache.
        options = {
            "description": self.description,
            "uses_domains": self.uses_domains,
            "leaves_out": self.leaves_out,
            "summary_terms": self.summary_terms,
            "level_dominance": self.level_dominance,
            "level_completion": self.level_completion,
        }
        return (_rebuild, (self.name, self.problem_type, options, self.custom))

    @property
    def cache_tag(self):
        """File-name-safe tag that names this strategy's compiled-code cache."""
        safe = re.sub(r"[^A-Za-z0-9]+", "_", f"{self.problem_type.__qualname__}_{self.name}")
        return f"{safe[:40]}-{self.digest[:16]}"


def _rebuild(name, problem_type, options, hook_functions):
    return Strategy(name, problem_type, **options, **hook_functions)


def _source_bytes(fn, seen):
    """What decides the compiled code of ``fn``: its module's source, its bytecode and constants,
    its closure's values, and the same for every function and module it refers to, recursively."""
    fn = getattr(fn, "py_func", fn)
    if id(fn) in seen or not (inspect.isfunction(fn) or inspect.ismodule(fn)):
        return []
    seen.add(id(fn))
    chunks = []
    try:
        path = inspect.getsourcefile(fn)
    except TypeError:
        path = None
    if path and path not in seen and Path(path).is_file():
        seen.add(path)
        chunks.append(Path(path).read_bytes())
    if inspect.ismodule(fn):
        return chunks
    chunks.append(marshal.dumps(fn.__code__))
    for cell in fn.__closure__ or ():
        value = cell.cell_contents
        if inspect.isfunction(getattr(value, "py_func", value)):
            chunks.extend(_source_bytes(value, seen))
        elif isinstance(value, np.ndarray):
            chunks.append(value.tobytes())
        else:
            chunks.append(repr(value).encode())
    names = set()
    codes = [fn.__code__]
    while codes:  # the code of nested functions, lambdas and comprehensions too
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if inspect.iscode(c))
    for name in sorted(names):
        ref = fn.__globals__.get(name)
        if ref is None:
            continue
        if isinstance(ref, np.ndarray):  # numba freezes global arrays and numbers into the code
            chunks.append(ref.tobytes())
        elif isinstance(ref, int | float | bool | str | bytes | tuple):
            chunks.append(repr(ref).encode())
        chunks.extend(_source_bytes(ref, seen))
        if inspect.ismodule(ref):  # `module.helper(...)`: the attribute names are in co_names too
            for attribute in sorted(names):
                chunks.extend(_source_bytes(getattr(ref, attribute, None), seen))
    return chunks


def _digest(strategy):
    """Hash of the engine's sources and of the hooks' sources: the key of the compiled cache."""
    h = hashlib.sha256()
    engine_files = [_ENGINE_DIR / name for name in _COMPILED_MODULES]
    for path in engine_files:
        h.update(path.read_bytes())
    seen = {str(path) for path in engine_files}
    flags = (
        strategy.uses_domains,
        strategy.has_bound,
        strategy.has_decision_bound,
        strategy.has_value_bits,
        strategy.has_plain_value_bits,
        strategy.level_completion is not None,
    )
    h.update(f"{strategy.name}|{flags}".encode())
    for hook_name in sorted(strategy.custom):
        h.update(hook_name.encode())
        for chunk in _source_bytes(strategy.custom[hook_name], seen):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- numba typing of a Strategy


@typeof_impl.register(Strategy)
def _typeof_strategy(value, context):
    return StrategyType(value.key)


register_model(StrategyType)(models.OpaqueModel)


@unbox(StrategyType)
def _unbox_strategy(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())
