"""Reading a trace file written by :mod:`backtrack.tracefile` (CP-Profiler's SQLite format)."""

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from backtrack.tracefile import FORMAT

PRUNING_KINDS = ("feasibility", "bound", "propagation", "dominance")


class TraceError(ValueError):
    """The file is not a readable trace of ours (one line, for the command line)."""


@dataclass
class Trace:
    """A search tree: node i's parent, status, depth, outcome (``backtrack.trace.OUTCOMES``),
    label and info (a dict); ``meta`` holds the run's facts (strategy, stats, truncated...)."""

    path: str
    parent: np.ndarray
    status: np.ndarray
    depth: np.ndarray
    outcome: list
    label: list
    info: list
    meta: dict = field(default_factory=dict)

    @property
    def size(self):
        return len(self.parent)

    def kind(self, node):
        """The pruning kind of a node's outcome (decision bound cuts are bound cuts)."""
        return self.info[node].get("kind", self.outcome[node])

    def children(self):
        """Children lists, in visiting order."""
        kids = [[] for _ in range(self.size)]
        for node in range(1, self.size):
            kids[self.parent[node]].append(node)
        return kids

    def counts(self):
        """Nodes of each outcome kind, pruning kinds as the statistics count them."""
        tally = {}
        for node in range(1, self.size):
            key = self.kind(node)
            tally[key] = tally.get(key, 0) + 1
        return tally

    def not_offered(self):
        """Values not offered, summed over the levels, by kind."""
        tally = {}
        for entry in self.info:
            for key, value in entry.get("not_offered", {}).items():
                tally[key] = tally.get(key, 0) + value
        return tally

    @property
    def title(self):
        meta = self.meta
        name = f"{meta.get('problem', '?')} {meta.get('instance', '')}".strip()
        return f"{meta.get('strategy', '?')} ({name})"


def read_trace(path):
    """Load a trace; raise :class:`TraceError` naming what is wrong with the file."""
    path = Path(path)
    if not path.is_file():
        raise TraceError(f"{path}: no such trace file")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise TraceError(f"{path}: not a SQLite file (write traces with --trace)")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"Nodes", "Info", "Backtrack"} <= tables:
                raise TraceError(f"{path}: a SQLite file, but not a backtrack trace (no Nodes/Info/Backtrack tables)")
            meta = {key: json.loads(value) for key, value in db.execute("SELECT Key, Value FROM Backtrack")}
            if meta.get("format") != FORMAT:
                raise TraceError(f"{path}: not a {FORMAT} file (format {meta.get('format')!r})")
            nodes = db.execute("SELECT NodeID, ParentID, Status, Label FROM Nodes ORDER BY NodeID").fetchall()
            infos = dict(db.execute("SELECT NodeID, Info FROM Info").fetchall())
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise TraceError(f"{path}: unreadable trace ({error})") from None
    if not nodes or "stats" not in meta:
        raise TraceError(f"{path}: truncated trace (the run that wrote it did not finish)")
    ids = np.array([row[0] for row in nodes], np.int64)
    parent = np.array([row[1] for row in nodes], np.int64)
    if not np.array_equal(ids, np.arange(len(ids))) or parent[0] != -1 or np.any(parent[1:] >= ids[1:]):
        raise TraceError(f"{path}: node ids are not dense and depth-first")
    try:
        info = [json.loads(infos[i]) for i in range(len(ids))]
    except (KeyError, ValueError):
        raise TraceError(f"{path}: a node has no readable Info row") from None
    return Trace(
        path=str(path),
        parent=parent,
        status=np.array([row[2] for row in nodes], np.int64),
        depth=np.array([entry.get("depth", 0) for entry in info], np.int64),
        outcome=[entry["outcome"] for entry in info],
        label=[row[3] for row in nodes],
        info=info,
        meta=meta,
    )
