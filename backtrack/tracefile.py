"""Writing a search trace as a SQLite file in CP-Profiler's format.

CP-Profiler ("Load Execution") reads the table ``Nodes(NodeID, ParentID, Alternative, NKids,
Status, Label)`` with dense ids from 0, the root's ParentID -1 and each parent before its children
(depth-first order gives both), plus the tables ``Bookmarks``, ``Nogoods`` and ``Info``. Status is
SOLVED 0, FAILED 1, BRANCH 2, SKIPPED 3. We put the pruning kind in the label and, with the rest of
what a node knows (decision, depth, incumbent, values its level does not offer), as JSON in
``Info``. A table ``Backtrack`` (key, value) names the run and marks the file as ours.
"""

import json
import os
import sqlite3
from pathlib import Path

from backtrack import trace as tr

FORMAT = "backtrack-trace 1"
SOLVED, FAILED, BRANCH, SKIPPED = 0, 1, 2, 3
STATUS_OF = {
    "feasibility": FAILED,
    "bound": FAILED,
    "decision_bound": FAILED,
    "propagation": FAILED,
    "dominance": FAILED,
    "rejected": FAILED,
    "not_better": FAILED,
    "solution": SOLVED,
    "expanded": BRANCH,
    "root": BRANCH,
}
# The pruning kind of the statistics each outcome counts as (decision bound cuts count as bound).
KIND_OF = {"decision_bound": "bound"}

SCHEMA = """
CREATE TABLE Nodes (NodeID INTEGER PRIMARY KEY, ParentID int NOT NULL, Alternative int NOT NULL,
                    NKids int NOT NULL, Status int, Label varchar(256));
CREATE TABLE Bookmarks (NodeID INTEGER PRIMARY KEY, Bookmark TEXT);
CREATE TABLE Nogoods (NodeID INTEGER PRIMARY KEY, Nogood TEXT);
CREATE TABLE Info (NodeID INTEGER PRIMARY KEY, Info TEXT);
CREATE TABLE Backtrack (Key TEXT PRIMARY KEY, Value TEXT);
"""


def default_label(var, value):
    return f"x{var} = {value}"


class TraceWriter:
    """Receives buffers of node rows from the search driver and writes them to ``path``.

    ``label(var, value)`` names a decision in the problem's terms (the problem's
    ``decision_label`` method, where it has one); ``leaves_out`` is the pruning kind the strategy's
    value hook stands for (what it leaves out of a domain). An existing file is replaced.
    """

    def __init__(self, path, *, meta, label=None, leaves_out="ordering"):
        self.path = Path(path)
        self.label = label or default_label
        self.leaves_out = leaves_out
        self.recorded = 0
        directory = self.path.parent if str(self.path.parent) else Path(".")
        if not directory.is_dir():
            raise ValueError(f"cannot write trace {path}: no directory {directory}")
        if not os.access(directory, os.W_OK):
            raise ValueError(f"cannot write trace {path}: directory {directory} is not writable")
        try:
            if self.path.exists():
                self.path.unlink()
            self.db = sqlite3.connect(self.path)
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise ValueError(f"cannot write trace {path}: {error}") from None
        self.meta = {"format": FORMAT, "leaves_out": leaves_out, **meta}

    def write(self, rows):
        """Write the node rows (int64[k, trace.R_SIZE]) of one buffer."""
        nodes, infos = [], []
        for row in rows.tolist():
            outcome = tr.OUTCOMES[row[tr.R_OUTCOME]]
            node = row[tr.R_ID]
            if outcome == "root":
                label = "root"
                info = {"outcome": outcome, "depth": 0}
            else:
                decision = self.label(row[tr.R_VAR], row[tr.R_VALUE])
                label = decision if outcome in ("expanded", "solution") else f"{decision} [{outcome}]"
                info = {"outcome": outcome, "var": row[tr.R_VAR], "value": row[tr.R_VALUE], "depth": row[tr.R_DEPTH]}
                info["kind"] = KIND_OF.get(outcome, outcome)
                if row[tr.R_HAS_INCUMBENT]:
                    info["incumbent"] = row[tr.R_INCUMBENT]
            not_offered = {}
            if row[tr.R_NOT_OFFERED_DOMAIN]:
                not_offered["propagation"] = row[tr.R_NOT_OFFERED_DOMAIN]
            if row[tr.R_NOT_OFFERED_VALUES]:
                not_offered[self.leaves_out] = row[tr.R_NOT_OFFERED_VALUES]
            if row[tr.R_NOT_OFFERED_SYMMETRY]:
                not_offered["symmetry"] = not_offered.get("symmetry", 0) + row[tr.R_NOT_OFFERED_SYMMETRY]
            if not_offered:
                info["not_offered"] = not_offered
            nodes.append((node, row[tr.R_PARENT], row[tr.R_ALTERNATIVE], STATUS_OF[outcome], label[:256]))
            infos.append((node, json.dumps(info, separators=(",", ":"))))
        self.db.executemany("INSERT INTO Nodes VALUES (?, ?, ?, 0, ?, ?)", nodes)
        self.db.executemany("INSERT INTO Info VALUES (?, ?)", infos)
        self.recorded += len(nodes)

    def close(self, **more):
        """Fill in each node's NKids and the run's facts (``more``: stats, status, truncated...)."""
        db = self.db
        db.execute("CREATE INDEX NodesByParent ON Nodes (ParentID)")
        db.execute(
            "UPDATE Nodes SET NKids = (SELECT COUNT(*) FROM Nodes AS c WHERE c.ParentID = Nodes.NodeID)"
            " WHERE Status = ?",
            (BRANCH,),
        )
        db.execute("DROP INDEX NodesByParent")
        facts = {**self.meta, "recorded": self.recorded, **more}
        db.executemany("INSERT OR REPLACE INTO Backtrack VALUES (?, ?)", [(k, json.dumps(v)) for k, v in facts.items()])
        db.commit()
        db.close()
