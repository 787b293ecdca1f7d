"""backtrack.batch: many roots of one problem through one compiled call give, instance by
instance, what one Search per root gives (status, count, value, solution, every statistic), on
both backends, for every goal; the oracle for the answers is brute force."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from backtrack.batch import Batch

from .random_csp import COMBOS, STRATEGIES, brute_force, build, csps, optimum

FULL = STRATEGIES[COMBOS[-1]]  # feasibility + propagation + bound + ordering


@given(csp=csps(), seeds=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4))
def test_a_batch_gives_what_one_search_per_root_gives(csp, seeds, one_search):
    roots = []
    for seed in seeds:  # random sub-domains of the CSP's own (some empty: no solution there)
        keep = np.random.default_rng(seed).random(csp.domains.shape) < 0.7
        roots.append(csp.domains & keep)
    roots = np.array(roots)
    for goal, limit in (("first", None), ("all", 2), ("count", None), ("optimize", None)):
        batches = [
            Batch(csp, FULL, goal, roots, solution_limit=limit, backend=backend).run()
            for backend in ("python", "numba")
        ]
        for i, root in enumerate(roots):
            alone, _ = one_search(csp._replace(domains=root), FULL, goal, "numba", solution_limit=limit)
            for batch in batches:
                result = batch.result(i)
                assert (result.status, result.count, result.value) == (alone.status, alone.count, alone.value), goal
                assert result.solution == alone.solution, goal
                assert result.stats.nodes == alone.stats.nodes and result.stats.pruned == alone.stats.pruned
            truth = brute_force(csp._replace(domains=root))
            if goal == "count":
                assert batches[0].result(i).count == len(truth)
            if goal == "optimize":
                assert batches[0].result(i).value == optimum(csp._replace(domains=root))


def test_a_node_limit_applies_to_each_instance():
    csp = build(np.ones((5, 4), dtype=bool), {}, [1] * 20, True)  # 4^5 solutions, no constraint
    roots = np.array([csp.domains] * 3)
    batch = Batch(csp, FULL, "count", roots, node_limit=7).run()
    for i in range(3):
        result = batch.result(i)
        assert (result.status, result.stop_reason, result.stats.nodes) == ("limit", "nodes", 7)
