"""The compiled backend: one numba dispatcher of the engine loop per strategy, cached on disk.

numba's own cache watches only the source file of the compiled function, so editing a hook
module would serve stale machine code. Each strategy's dispatcher therefore keeps its cache in
files named by a hash of the engine's and the hooks' sources (``Strategy.digest``): an edited
hook gets new files and is recompiled, an unchanged one is loaded from disk in a new process.
"""

import signal
import threading
from contextlib import contextmanager
from pathlib import Path

import numba
from numba.core import sigutils, typing
from numba.core.caching import FunctionCache, IndexDataCacheFile
from numba.core.errors import NumbaError

from backtrack import search
from backtrack.hooks import HOOK_NAMES


class HookCompileError(Exception):
    """numba could not compile a strategy's hook (or the engine with it)."""


class _StrategyCache(FunctionCache):
    def __init__(self, py_func, tag, digest):
        super().__init__(py_func)
        self._cache_file = IndexDataCacheFile(
            cache_path=self._cache_path,
            filename_base=f"{self._impl.filename_base}-{tag}",
            source_stamp=digest,
        )

    def _index_key(self, sig, codegen):
        # numba pickles the signature's types into the index, and pickles classes defined in
        # __main__ by value, so a problem type from a user's script would never compare equal
        # in the next process. The signature's text is enough: the file is per strategy.
        key = super()._index_key(sig, codegen)
        return (str(sig),) + key[1:]

    def load_overload(self, sig, target_context):
        # The loaded signature holds the unpickled (possibly by-value) types: re-key it on the
        # caller's types so that the dispatcher finds the overload on every later call.
        cres = super().load_overload(sig, target_context)
        if cres is not None:
            args, _ = sigutils.normalize_signature(sig)
            cres = cres._replace(signature=typing.signature(cres.signature.return_type, *args))
        return cres


_dispatchers = {}


def compiled_engine(strategy, refcounted=False, function=search.run_slice):
    """The numba dispatcher of ``function`` (the loop ``search.run_slice``, or another kernel that
    calls the hooks, such as ``levels.expand_level``) for ``strategy``, created once per process.

    Without numba's reference counting the loop runs about 1.7x faster (no atomic counts on the
    array views it hands to hooks), but hooks cannot allocate arrays; ``refcounted=True`` allows it.
    """
    key = (strategy.key, refcounted, function.__name__)
    dispatcher = _dispatchers.get(key)
    if dispatcher is None:
        options = {} if refcounted else {"_nrt": False}
        dispatcher = numba.njit(function, **options)
        tag = strategy.cache_tag + ("-rc" if refcounted else "")
        dispatcher._cache = _StrategyCache(function, tag, strategy.digest)
        _dispatchers[key] = dispatcher
    return dispatcher


def compile_kernel(strategy, function, arguments):
    """Compile (or load) the hook-calling kernel ``function`` for ``strategy`` and the types of
    ``arguments`` (those after strategy and problem are given in full: ``(problem, *rest)``)."""
    signature = tuple(numba.typeof(arg) for arg in (strategy, *arguments))
    with _interrupts_held(), _cache_lock(strategy):
        try:
            return compile_fastest(
                compiled_engine(strategy, function=function),
                compiled_engine(strategy, refcounted=True, function=function),
                signature,
            )
        except NumbaError as error:
            raise HookCompileError(
                f"numba cannot compile strategy '{strategy.name}': {_first_line(error)}; "
                "run it interpreted with backend='python' (--backend python)"
            ) from None


@contextmanager
def _interrupts_held():
    """Hold Ctrl-C while LLVM compiles and raise it once compiling is done.

    A KeyboardInterrupt raised inside llvmlite's callbacks is swallowed there and can leave the
    compilation half done, to fail later with a traceback; held, it stops the search cleanly.
    Only in the main thread with Python's own SIGINT handler (workers that ignore it keep ignoring).
    """
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    pressed = []
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if pressed:
        raise KeyboardInterrupt


_last_ready = {}  # strategy key -> (problem, its arrays' kind, goal, dispatcher) of the last compile_for


def compile_for(strategy, problem, arrays, goal):
    """Compile (or load from the cache) the engine for these argument types; Ctrl-C meanwhile
    takes effect when compiling ends. Processes compiling the same strategy take turns.

    Searching the same problem again (a parallel search's next subproblem) skips typing the
    arguments, which costs milliseconds: the dispatcher of the last call is kept per strategy."""
    kind = (arrays.states.dtype, arrays.out.dtype, len(arrays.width))
    ready = _last_ready.get(strategy.key)
    if ready is not None and ready[0] is problem and ready[1] == kind and ready[2] == goal:
        return ready[3]
    with _interrupts_held(), _cache_lock(strategy):
        dispatcher = _compile_for(strategy, problem, arrays, goal)
    _last_ready[strategy.key] = (problem, kind, int(goal), dispatcher)
    return dispatcher


@contextmanager
def _cache_lock(strategy):
    """Hold an exclusive lock on the strategy's cache files (numba has crashed when several
    processes wrote one cache at once: numba #4807, #10128); no lock where flock is missing."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    path = compiled_engine(strategy, refcounted=True)._cache._cache_file._index_path + ".lock"
    try:
        lock = open(path, "a")  # noqa: SIM115
    except OSError:  # a read-only cache directory: nothing is written there either
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _compile_for(strategy, problem, arrays, goal):
    signature = tuple(numba.typeof(arg) for arg in (strategy, problem, arrays, goal, 1))
    try:
        return compile_fastest(compiled_engine(strategy), compiled_engine(strategy, refcounted=True), signature)
    except NumbaError as error:
        raise HookCompileError(_diagnose(strategy, problem, arrays, error)) from None


def compile_fastest(fast, refcounted, signature):
    """Compile ``signature`` NRT-free (``fast``) when the hooks allow it, else with reference counting;
    a cached refcounted build means the fast one failed before. Raises NumbaError if neither compiles."""
    if not Path(refcounted._cache._cache_file._index_path).exists():
        try:
            fast.compile(signature)
            return fast
        except NumbaError:
            pass  # a strategy whose hooks allocate needs the refcounted build
    refcounted.compile(signature)
    return refcounted


def _diagnose(strategy, problem, arrays, error):
    """Name the first custom hook numba cannot compile on its own."""
    t = numba.typeof
    row = t(arrays.states[0])
    common = {
        "is_feasible": (t(problem), row, t(arrays.assign), numba.int64, numba.int64),
        "apply": (t(problem), row, numba.int64, numba.int64),
        "propagate": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64, numba.int64),
        "bound": (t(problem), row, t(arrays.domains), t(arrays.assign)),
        "decision_bound": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64, numba.int64),
        "objective": (t(problem), row, t(arrays.assign)),
        "accept": (t(problem), row, t(arrays.assign)),
        "weight": (t(problem), row, t(arrays.assign)),
        "select_variable": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64),
        "order_values": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64, row),
        "value_bits": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64),
        "plain_value_bits": (t(problem), row, t(arrays.domains), t(arrays.assign), numba.int64),
        "dominated": (t(problem), row, t(arrays.assign), numba.int64),
        "summarize": (t(problem), row, t(arrays.assign)),
    }
    for name in HOOK_NAMES:
        fn = strategy.custom.get(name)
        if fn is None:
            continue
        try:
            numba.njit(getattr(fn, "py_func", fn)).compile(common[name])
        except (NumbaError, TypeError) as hook_error:  # TypeError: the hook takes other arguments
            first = _first_line(hook_error)
            return (
                f"numba cannot compile hook {name}={fn.__qualname__} of strategy '{strategy.name}': "
                f"{first}; run it interpreted with backend='python' (--backend python)"
            )
    return (
        f"numba cannot compile strategy '{strategy.name}': {_first_line(error)}; "
        "run it interpreted with backend='python' (--backend python)"
    )


def _first_line(error):
    """The line of numba's message that says what went wrong (not which pipeline stage failed)."""
    lines = [line.strip() for line in str(error).splitlines()]
    lines = [line for line in lines if line and not line.startswith(("During:", "File ", "^")) and "\x1b" not in line]
    causes = [line for line in lines if not line.startswith("Failed in ")]
    return (causes or lines or [type(error).__name__])[0]
