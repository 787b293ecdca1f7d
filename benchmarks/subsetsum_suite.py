"""The subset-sum suite of ``backtrack bench subsetsum``.

Instances: the classes of :func:`problems.subsetsum.generate.generate` (default: ``random-even``,
40-bit even weights and an odd target, so no solution exists and every method must finish its
search, and ``p6``, weights up to 10^6 with many solutions; ``--classes``), ``--per-size``
seeds each, or instance files (``--instances``: the target, then the weights).

Solvers: every method of :mod:`problems.subsetsum` through ``solve_subsetsum`` with goal
``first`` (is there a subset that sums to the target?). The answer is ``True``/``False``;
``random-even`` and ``evenodd`` instances must answer ``False``. Time = building the problem plus
solving it (compiling excluded). ``dp`` is not a tree search (no nodes) and refuses targets
whose bitsets would not fit: such pairs are listed as not applicable under the table.
"""

import importlib
import time

from benchmarks.harness import Instance, Solver, Suite, SuiteUnavailable, engine_record

DEFAULT_CLASSES = ("random-even", "p6")
NO_SOLUTION = ("random-even", "evenodd")  # classes built to have no solution
BITS = 40


def _module():
    try:
        return importlib.import_module("problems.subsetsum")
    except ImportError as error:
        raise SuiteUnavailable(f"problems.subsetsum cannot be imported ({error})") from None


def load_instance(spec):
    """(weights, target) of a spec: generated, or read from a file."""
    if "file" in spec:
        from problems.subsetsum.command import read_instance

        target, weights = read_instance(spec["file"])
        return weights, target
    from problems.subsetsum.generate import generate

    return generate(spec["kind"], spec["n"], seed=spec["seed"], bits=spec.get("bits", BITS))


def _warm_spec(spec):
    # Same class (so the same int64-or-Python-int layout), few items: compiles the same code.
    if "file" in spec:
        return spec
    return {**spec, "n": min(spec["n"], 12)}


def _engine_solver(name, description):
    def run(spec, time_limit, context):
        from problems.subsetsum import make_problem, solve_subsetsum

        weights, target = load_instance(spec)
        started = time.perf_counter()
        problem = make_problem(weights, target, exact=True)
        try:
            result = solve_subsetsum(problem, "first", name, time_limit=time_limit)
        except ValueError as error:  # dp refuses targets whose bitsets would not fit
            return {"status": "unsupported", "note": str(error)}
        elapsed = time.perf_counter() - started
        found = {"satisfied": True, "unsatisfiable": False}.get(result.status)
        record = engine_record(result, found)
        record["search_s"] = record["time_s"]
        record["time_s"] = max(elapsed - result.stats.compile_s, 0.0)
        if name == "dp":
            record["nodes"] = None  # not a tree search
            record["pruned"] = None
        return record

    return Solver(name=name, run=run, description=description, warm_spec=_warm_spec)


def solvers():
    module = _module()
    return {
        name: _engine_solver(name, getattr(strategy, "description", "")) for name, strategy in module.STRATEGIES.items()
    }


def instances(sizes, files, per_size, groups=None):
    _module()
    if files:
        found = []
        for path in files:
            weights, _target = load_instance({"file": str(path)})
            found.append(Instance(label=str(path).rsplit("/", 1)[-1], size=len(weights), spec={"file": str(path)}))
        return found
    from problems.subsetsum.generate import CLASSES

    kinds = list(groups) if groups else list(DEFAULT_CLASSES)
    unknown = [k for k in kinds if k not in CLASSES]
    if unknown:
        raise ValueError(f"unknown subset-sum class(es) {unknown}; classes are {', '.join(CLASSES)}")
    return [
        Instance(
            label=f"{kind}-n{n}" + (f"-s{seed}" if per_size > 1 else ""),
            size=n,
            spec={"kind": kind, "n": n, "seed": seed, "bits": BITS},
            group=kind,
        )
        for kind in kinds
        for n in sizes
        for seed in range(per_size)
    ]


def expected(instance):
    return False if instance.spec.get("kind") in NO_SOLUTION else None


SUITE = Suite(
    name="subsetsum",
    answer_name="found",
    description="subset sum: is there a subset of the weights that sums to the target?",
    default_sizes=(10, 15, 20, 25, 30, 35, 40),
    instances=instances,
    solvers=solvers,
    expected=expected,
    size_name="n (items)",
)
