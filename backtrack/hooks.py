"""The plug-in hooks of the engine, their neutral defaults, and how they reach compiled code.

The engine calls each hook through a stub below, as ``stub(strategy, problem, ...)``. Interpreted,
a stub calls the strategy's function; compiled, ``numba.extending.overload`` resolves the stub at
type level (the strategy's numba type names it), so the user's function is compiled and inlined
into the loop, and the loop can be served from numba's on-disk cache.

Hook signatures (``state`` is an int64 row of the problem's own design, ``assign`` the int64
values of all variables with -1 for unassigned, ``domains`` a :class:`backtrack.domains.Domains`):

==================  ==========================================================  ================
hook                arguments                                                   default
==================  ==========================================================  ================
is_feasible         (problem, state, assign, var, value) -> bool                 always True
apply               (problem, state, var, value), updates the child's state      no change
propagate           (problem, state, domains, assign, var, value) -> bool        no change, True
dominated           (problem, state, assign, depth) -> bool (another node is      never
                    at least as good: cut)
bound               (problem, state, domains, assign) -> int                     no bound
decision_bound      (problem, state, domains, assign, var, value) -> int: a      no bound
                    bound of the decision var = value from the parent, tried
                    before the child is built (a cheap cut, counted as bound)
objective           (problem, state, assign) -> int                              0
accept              (problem, state, assign) -> bool (complete assignment)       always True
weight              (problem, state, assign) -> int (solution's count weight)    1
select_variable     (problem, state, domains, assign, depth) -> var              first unassigned
order_values        (problem, state, domains, assign, var, out) -> count         domain, ascending
summarize           (problem, state, assign) -> (key, value) of a half's leaf     (0, objective)
                    (bidirectional search joins the two halves on the key)
value_bits          (problem, state, domains, assign, var) -> int: the           not used
                    candidate values as a bit word (bit v set: try value v),
                    tried lowest first; replaces ``order_values`` when values
                    are below 63 (the loop pops bits as a C bitboard does)
plain_value_bits    (problem, state, domains, assign, var) -> int: the values    not used
                    ``value_bits`` would give without symmetry breaking (only
                    counted: what value_bits leaves out of them is "symmetry")
==================  ==========================================================  ================

``is_feasible`` and ``decision_bound`` see the parent's state (before the decision); every other
hook that follows a decision sees the child's state (after ``apply``).
"""

from numba import types
from numba.extending import overload, register_jitable

from backtrack.domains import dom_values

HOOK_NAMES = (
    "is_feasible",
    "apply",
    "propagate",
    "dominated",
    "bound",
    "decision_bound",
    "objective",
    "accept",
    "weight",
    "select_variable",
    "order_values",
    "summarize",
    "value_bits",
    "plain_value_bits",
)


# ---------------------------------------------------------------- neutral defaults


@register_jitable
def always_feasible(problem, state, assign, var, value):
    """Default ``is_feasible``: prune nothing."""
    return True


@register_jitable
def no_change(problem, state, var, value):
    """Default ``apply``: the state does not depend on the decisions."""
    return None


@register_jitable
def no_propagation(problem, state, domains, assign, var, value):
    """Default ``propagate``: shrink nothing, never fail."""
    return True


@register_jitable
def never_dominated(problem, state, assign, depth):
    """Default ``dominated``: no node is known to be dominated."""
    return False


@register_jitable
def no_bound(problem, state, domains, assign):
    """Default ``bound`` (never consulted: a strategy without a bound cuts nothing)."""
    return 0


@register_jitable
def no_decision_bound(problem, state, domains, assign, var, value):
    """Default ``decision_bound`` (never consulted: a strategy without one cuts nothing there)."""
    return 0


@register_jitable
def zero_objective(problem, state, assign):
    """Default ``objective``."""
    return 0


@register_jitable
def accept_all(problem, state, assign):
    """Default ``accept``: every complete assignment that survived pruning is a solution."""
    return True


@register_jitable
def unit_weight(problem, state, assign):
    """Default ``weight``: each solution counts once."""
    return 1


@register_jitable
def first_unassigned(problem, state, domains, assign, depth):
    """Default ``select_variable``: the lowest-numbered unassigned variable."""
    for var in range(assign.shape[0]):
        if assign[var] < 0:
            return var
    return -1


@register_jitable
def ascending_values(problem, state, domains, assign, var, out):
    """Default ``order_values``: the values of the variable's domain, smallest first."""
    return dom_values(domains, var, out)


@register_jitable
def no_value_bits(problem, state, domains, assign, var):
    """Default ``value_bits`` (never consulted: ``order_values`` gives the values)."""
    return 0


@register_jitable
def no_plain_value_bits(problem, state, domains, assign, var):
    """Default ``plain_value_bits`` (never consulted: no symmetry to tell apart)."""
    return 0


@register_jitable
def no_summary(problem, state, assign):
    """Default ``summarize``: no key (a problem must define it to be searched bidirectionally)."""
    return 0, 0


DEFAULTS = {
    "is_feasible": always_feasible,
    "apply": no_change,
    "propagate": no_propagation,
    "dominated": never_dominated,
    "bound": no_bound,
    "decision_bound": no_decision_bound,
    "objective": zero_objective,
    "accept": accept_all,
    "weight": unit_weight,
    "select_variable": first_unassigned,
    "order_values": ascending_values,
    "summarize": no_summary,
    "value_bits": no_value_bits,
    "plain_value_bits": no_plain_value_bits,
}


# ---------------------------------------------------------------- type-level dispatch


class StrategyType(types.Dummy):
    """numba type of a :class:`backtrack.strategy.Strategy`: carries only its registry key."""

    def __init__(self, key):
        self.strategy_key = key
        super().__init__(name=f"Strategy({key})")


_REGISTRY = {}


def register_strategy(strategy):
    """Make ``strategy``'s hooks visible to the compiler under ``strategy.key``."""
    _REGISTRY[strategy.key] = strategy


def _hook(strategy_type, name):
    if not isinstance(strategy_type, StrategyType):
        return None
    return getattr(_REGISTRY[strategy_type.strategy_key], name)


def _flag(strategy_type, name):
    return bool(getattr(_REGISTRY[strategy_type.strategy_key], name))


# ---------------------------------------------------------------- stubs called by the engine


def is_feasible(strategy, problem, state, assign, var, value):
    return strategy.is_feasible(problem, state, assign, var, value)


@overload(is_feasible, inline="always")
def _is_feasible(strategy, problem, state, assign, var, value):
    fn = _hook(strategy, "is_feasible")
    return lambda strategy, problem, state, assign, var, value: fn(problem, state, assign, var, value)


def apply(strategy, problem, state, var, value):
    return strategy.apply(problem, state, var, value)


@overload(apply, inline="always")
def _apply(strategy, problem, state, var, value):
    fn = _hook(strategy, "apply")
    return lambda strategy, problem, state, var, value: fn(problem, state, var, value)


def propagate(strategy, problem, state, domains, assign, var, value):
    return strategy.propagate(problem, state, domains, assign, var, value)


@overload(propagate, inline="always")
def _propagate(strategy, problem, state, domains, assign, var, value):
    fn = _hook(strategy, "propagate")
    return lambda strategy, problem, state, domains, assign, var, value: fn(problem, state, domains, assign, var, value)


def dominated(strategy, problem, state, assign, depth):
    return strategy.dominated(problem, state, assign, depth)


@overload(dominated, inline="always")
def _dominated(strategy, problem, state, assign, depth):
    fn = _hook(strategy, "dominated")
    return lambda strategy, problem, state, assign, depth: fn(problem, state, assign, depth)


def bound(strategy, problem, state, domains, assign):
    return strategy.bound(problem, state, domains, assign)


@overload(bound, inline="always")
def _bound(strategy, problem, state, domains, assign):
    fn = _hook(strategy, "bound")
    return lambda strategy, problem, state, domains, assign: fn(problem, state, domains, assign)


def decision_bound(strategy, problem, state, domains, assign, var, value):
    return strategy.decision_bound(problem, state, domains, assign, var, value)


@overload(decision_bound, inline="always")
def _decision_bound(strategy, problem, state, domains, assign, var, value):
    fn = _hook(strategy, "decision_bound")
    return lambda strategy, problem, state, domains, assign, var, value: fn(problem, state, domains, assign, var, value)


def objective(strategy, problem, state, assign):
    return strategy.objective(problem, state, assign)


@overload(objective, inline="always")
def _objective(strategy, problem, state, assign):
    fn = _hook(strategy, "objective")
    return lambda strategy, problem, state, assign: fn(problem, state, assign)


def accept(strategy, problem, state, assign):
    return strategy.accept(problem, state, assign)


@overload(accept, inline="always")
def _accept(strategy, problem, state, assign):
    fn = _hook(strategy, "accept")
    return lambda strategy, problem, state, assign: fn(problem, state, assign)


def weight(strategy, problem, state, assign):
    return strategy.weight(problem, state, assign)


@overload(weight, inline="always")
def _weight(strategy, problem, state, assign):
    fn = _hook(strategy, "weight")
    return lambda strategy, problem, state, assign: fn(problem, state, assign)


def select_variable(strategy, problem, state, domains, assign, depth):
    return strategy.select_variable(problem, state, domains, assign, depth)


@overload(select_variable, inline="always")
def _select_variable(strategy, problem, state, domains, assign, depth):
    fn = _hook(strategy, "select_variable")
    return lambda strategy, problem, state, domains, assign, depth: fn(problem, state, domains, assign, depth)


def order_values(strategy, problem, state, domains, assign, var, out):
    return strategy.order_values(problem, state, domains, assign, var, out)


@overload(order_values, inline="always")
def _order_values(strategy, problem, state, domains, assign, var, out):
    fn = _hook(strategy, "order_values")
    return lambda strategy, problem, state, domains, assign, var, out: fn(problem, state, domains, assign, var, out)


# Compile-time facts about a strategy: constants in compiled code, so unused work folds away.


def _strategy_flag(name):
    """A stub returning the strategy's boolean attribute ``name``; a constant once compiled."""

    def stub(strategy):
        return getattr(strategy, name)

    @overload(stub, inline="always")
    def _compiled(strategy):
        if not isinstance(strategy, StrategyType):
            return None
        if _flag(strategy, name):
            return lambda strategy: True
        return lambda strategy: False

    stub.__name__ = stub.__qualname__ = name
    return stub


uses_domains = _strategy_flag("uses_domains")
has_bound = _strategy_flag("has_bound")
has_decision_bound = _strategy_flag("has_decision_bound")
has_value_bits = _strategy_flag("has_value_bits")
has_plain_value_bits = _strategy_flag("has_plain_value_bits")


def summarize(strategy, problem, state, assign):
    return strategy.summarize(problem, state, assign)


@overload(summarize, inline="always")
def _summarize(strategy, problem, state, assign):
    fn = _hook(strategy, "summarize")
    return lambda strategy, problem, state, assign: fn(problem, state, assign)


def value_bits(strategy, problem, state, domains, assign, var):
    return strategy.value_bits(problem, state, domains, assign, var)


@overload(value_bits, inline="always")
def _value_bits(strategy, problem, state, domains, assign, var):
    fn = _hook(strategy, "value_bits")
    return lambda strategy, problem, state, domains, assign, var: fn(problem, state, domains, assign, var)


def plain_value_bits(strategy, problem, state, domains, assign, var):
    return strategy.plain_value_bits(problem, state, domains, assign, var)


@overload(plain_value_bits, inline="always")
def _plain_value_bits(strategy, problem, state, domains, assign, var):
    fn = _hook(strategy, "plain_value_bits")
    return lambda strategy, problem, state, domains, assign, var: fn(problem, state, domains, assign, var)
