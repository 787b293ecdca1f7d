"""Reading DIMACS ``.col`` graphs: ``c`` comments, one ``p edge V E`` line, ``e u v`` edges (1-based).

Edges may be listed twice (either way round) and the header's edge count may be wrong: the edges
are deduplicated and trusted. A self-loop, a vertex out of range or a line of another kind is an
error naming the file and line. ``.gz`` files are read uncompressed; ``-`` reads stdin.
"""

import gzip
import sys
from typing import NamedTuple

import numpy as np


class Graph(NamedTuple):
    """An undirected simple graph: ``n`` vertices 0..n-1, ``edges`` int64[m, 2] with u < v, sorted,
    each edge once; ``name`` where it came from; ``header_edges`` the count its ``p`` line gave."""

    n: int
    edges: np.ndarray
    name: str
    header_edges: int


def parse_dimacs(lines, source="input"):
    """The :class:`Graph` of the lines of a DIMACS file; ValueError ``source:line: why`` on bad input."""
    n = header_edges = None
    pairs = []
    for number, raw in enumerate(lines, 1):
        fields = raw.split()
        where = f"{source}:{number}"
        if not fields or fields[0] == "c":
            continue
        if fields[0] == "p":
            if n is not None:
                raise ValueError(f"{where}: a second 'p' line")
            if len(fields) != 4 or fields[1] not in ("edge", "edges", "col"):
                raise ValueError(f"{where}: expected 'p edge VERTICES EDGES', got {raw.strip()!r}")
            n, header_edges = _numbers(fields[2:], where)
            if n < 1:
                raise ValueError(f"{where}: the graph has no vertices")
            continue
        if fields[0] == "e":
            if n is None:
                raise ValueError(f"{where}: an edge before the 'p edge V E' line")
            if len(fields) != 3:
                raise ValueError(f"{where}: expected 'e U V', got {raw.strip()!r}")
            u, v = _numbers(fields[1:], where)
            if u == v:
                raise ValueError(f"{where}: a self-loop on vertex {u} (no colouring exists)")
            for vertex in (u, v):
                if not 1 <= vertex <= n:
                    raise ValueError(f"{where}: vertex {vertex} is out of range 1..{n}")
            pairs.append((min(u, v) - 1, max(u, v) - 1))
            continue
        raise ValueError(f"{where}: expected a 'c', 'p' or 'e' line, got {raw.strip()[:40]!r}")
    if n is None:
        raise ValueError(f"{source}: no 'p edge VERTICES EDGES' line")
    edges = np.unique(np.array(pairs, dtype=np.int64).reshape(-1, 2), axis=0)
    return Graph(n=n, edges=edges, name=source, header_edges=header_edges)


def _numbers(fields, where):
    try:
        values = [int(f) for f in fields]
    except ValueError:
        raise ValueError(f"{where}: expected whole numbers, got {' '.join(fields)!r}") from None
    if any(v < 0 for v in values):
        raise ValueError(f"{where}: negative number in {' '.join(fields)!r}")
    return values


def read_dimacs(path):
    """Read a DIMACS graph from ``path`` (``.gz`` allowed) or from stdin when ``path`` is ``-``."""
    if path == "-":
        return parse_dimacs(sys.stdin.read().splitlines(), "stdin")
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except (gzip.BadGzipFile, EOFError) as error:
        raise ValueError(f"{path}: not a gzip file ({error})") from None
    return parse_dimacs(text.splitlines(), str(path))
