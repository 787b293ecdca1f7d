"""The graph-colouring suite of ``backtrack bench colour``: chromatic numbers of DIMACS graphs, proven.

Instances: the bundled graphs of ``tests/data/colour`` (sizes are their vertex counts: ``--sizes
11,23`` picks myciel3 and myciel4), or any ``.col`` / ``.col.gz`` file with ``--instances``. Solvers:
every strategy of :mod:`problems.colour` (goal optimize; compiling excluded by a warm-up on
myciel3). The answer is the chromatic number, checked against the published values.
"""

from pathlib import Path

from benchmarks.harness import ROOT, Instance, Solver, Suite, SuiteUnavailable, engine_record

BUNDLED = ROOT / "tests" / "data" / "colour"
# Published chromatic numbers (Trick's COLOR pages; Gualandi and Malucelli's table).
KNOWN = {
    **{f"myciel{k}": k + 1 for k in range(3, 8)},
    **{f"queen{n}_{n}": x for n, x in zip(range(5, 11), (5, 7, 7, 9, 10, 11), strict=True)},
    "queen8_12": 12,
    **{f"le450_5{c}": 5 for c in "abcd"},
    **{f"le450_15{c}": 15 for c in "abcd"},
    **{f"le450_25{c}": 25 for c in "abcd"},
    "DSJC125.1": 5,
}


def instance_name(path):
    name = Path(path).name
    return name.removesuffix(".gz").removesuffix(".col")


def _engine_solver(name, description):
    def run(spec, time_limit, context):
        import backtrack as bt
        from problems.colour import STRATEGIES, build, is_proper, read_dimacs

        graph = read_dimacs(spec["file"])
        result = bt.solve(build(graph), STRATEGIES[name], "optimize", time_limit=time_limit)
        if result.solution is not None and not is_proper(graph.n, graph.edges, result.solution):
            return {"status": "error", "note": "a colouring with a clash"}
        return engine_record(result, result.value if result.status == "optimal" else None)

    return Solver(
        name=name, run=run, description=description, warm_spec=lambda spec: {"file": str(BUNDLED / "myciel3.col")}
    )


def solvers():
    try:
        from problems.colour import STRATEGIES
    except ImportError as error:
        raise SuiteUnavailable(f"problems.colour cannot be imported ({error})") from None
    return {name: _engine_solver(name, s.description) for name, s in STRATEGIES.items()}


def _vertices(path):
    from problems.colour import read_dimacs

    return read_dimacs(path).n


def instances(sizes, files, per_size, groups=None):
    if groups:
        raise ValueError("the colour suite takes DIMACS files (--instances) or bundled sizes, not classes")
    if files:
        return [Instance(label=instance_name(f), size=_vertices(f), spec={"file": str(f)}) for f in files]
    found = [(_vertices(p), p) for p in sorted(BUNDLED.glob("*.col"))]
    return [Instance(label=instance_name(p), size=n, spec={"file": str(p)}) for n, p in sorted(found) if n in sizes]


def expected(instance):
    return KNOWN.get(instance_name(instance.spec["file"]))


SUITE = Suite(
    name="colour",
    answer_name="colours",
    description="graph colouring: the chromatic number of DIMACS graphs, proven",
    default_sizes=(11, 23, 25, 36, 47, 49),
    instances=instances,
    solvers=solvers,
    expected=expected,
    size_name="vertices",
    default_solvers=lambda: ["symmetry", "bound", "forward", "dsatur", "clique", "singletons", "cliques"],
)
