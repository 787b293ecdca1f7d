"""Ctrl-C while LLVM compiles is held until compiling ends, then stops the search cleanly."""

import os
import signal
import threading

import numba
import pytest

from backtrack import Search, Strategy
from backtrack.compiled import compiled_engine
from problems.nqueens.model import Queens, free_columns, place_on_masks, row_by_depth


@pytest.mark.skipif(
    signal.getsignal(signal.SIGINT) is not signal.default_int_handler, reason="needs Python's own SIGINT handler"
)
def test_ctrl_c_during_compilation_stops_the_search_after_it(tmp_path, monkeypatch):
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))  # an empty cache: a real compile
    strategy = Strategy(
        "held-interrupt",
        Queens,
        select_variable=row_by_depth,
        apply=place_on_masks,
        value_bits=free_columns,
    )
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    search = Search(Queens(8), strategy, "count")
    result = search.run()
    timer.join()
    assert result.status == "limit" and result.stop_reason == "interrupt"
    assert compiled_engine(strategy).signatures  # the interrupt waited for the compiler to finish
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    again = Search(Queens(8), strategy, "count").run()  # the compiled loop is whole and works
    assert again.status == "complete" and again.count == 92
